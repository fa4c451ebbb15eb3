import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Int, Json, Status, Timestamp, Varchar } from '../../db/columns.js';
import type { Client } from '../clients/client.entity.js';
import type { Service } from './service.entity.js';

export const LICENSE_STATUSES = ['active', 'suspended', 'expired', 'cancelled'] as const;
export type LicenseStatus = (typeof LICENSE_STATUSES)[number];

/**
 * A software licence sold to a client (seed 001 cpanel1db `licenses`). The key is shown to its owner and checked by
 * the licensed software, so it is an identifier, not a secret.
 */
@Entity('licenses')
@Index(['status'])
@Index(['expiresAt'])
export class License extends Model {
  @Varchar(191, { unique: true })
  licenseKey: string;

  @Int({ nullable: true })
  @Index()
  serviceId: number | null;

  @ManyToOne('Service', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'service_id' })
  service: Relation<Service> | null;

  @Int({ nullable: true })
  @Index()
  clientId: number | null;

  @ManyToOne('Client', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'client_id' })
  client: Relation<Client> | null;

  /** Licensed product name, e.g. "Meridian Pro". */
  @Varchar(255)
  product: string;

  /** Domain the licence is bound to, if any. */
  @Varchar(253, { nullable: true })
  domain: string | null;

  @Varchar(45, { nullable: true })
  ipAddress: string | null;

  @Status(LICENSE_STATUSES, 'active')
  status: LicenseStatus;

  @Int({ default: 1 })
  maxActivations: number;

  @Int({ default: 0 })
  currentActivations: number;

  @Timestamp()
  issuedAt: Date | null;

  @Timestamp()
  expiresAt: Date | null;

  @Timestamp()
  lastCheckedAt: Date | null;

  @Json()
  metadata: Record<string, unknown> | null;
}
