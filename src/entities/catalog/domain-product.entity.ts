import { Entity } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, Int, Varchar } from '../../db/columns.js';

/**
 * A top-level domain on sale (seed 000 `domain_products`), with its registrar and the options offered with it.
 * Prices per currency and term are DomainPrice rows.
 */
@Entity('domain_products')
export class DomainProduct extends Model {
  /** With the leading dot, lower case: '.com', '.co.uk'. */
  @Varchar(63, { unique: true })
  tld: string;

  /** Registrar module code that registers it automatically; null = staff register by hand. */
  @Varchar(64, { nullable: true })
  registrar: string | null;

  /** Transfers need an EPP/auth code. */
  @Bool({ default: true })
  eppRequired: boolean;

  @Bool()
  dnsManagement: boolean;

  @Bool()
  emailForwarding: boolean;

  @Bool()
  idProtection: boolean;

  @Int({ default: 1 })
  minYears: number;

  @Int({ default: 10 })
  maxYears: number;

  /** Days after expiry the domain can still be renewed at the normal price. */
  @Int({ default: 0 })
  graceDays: number;

  /** Days after the grace period the registry holds it for (costly) restore before release. */
  @Int({ default: 0 })
  redemptionDays: number;

  /** Not offered on the storefront (still renewable for existing domains). */
  @Bool()
  hidden: boolean;

  @Int({ default: 0 })
  sortOrder: number;
}
