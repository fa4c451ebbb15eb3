import { Entity, Index, JoinColumn, OneToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, Int, MoneyColumn, RateColumn, Status, Varchar } from '../../db/columns.js';
import type { Client } from '../clients/client.entity.js';

export const AFFILIATE_STATUSES = ['active', 'inactive'] as const;
export type AffiliateStatus = (typeof AFFILIATE_STATUSES)[number];

export const COMMISSION_TYPES = ['percent', 'fixed'] as const;
export type CommissionType = (typeof COMMISSION_TYPES)[number];

/**
 * A client enrolled in the referral programme (seed 000 `affiliates`; one affiliate per client). Amounts are in the
 * affiliate client's currency.
 */
@Entity('affiliates')
@Index(['status'])
export class Affiliate extends Model {
  /** Unique through the one-to-one relation (TypeORM adds the REL_ unique index); not repeated here to avoid a second index. */
  @Int()
  clientId: number;

  /** RESTRICT: the account carries an owed balance; settle it before the client can go. */
  @OneToOne('Client', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'client_id' })
  client: Relation<Client>;

  /** Appears in referral links (?aff=<code>). */
  @Varchar(32, { unique: true })
  referralCode: string;

  @Status(COMMISSION_TYPES, 'percent')
  commissionType: CommissionType;

  /** Percent of the referred payment, for 'percent'. */
  @RateColumn(7, 4, { default: '0' })
  commissionRate: string;

  /** Amount per referred payment, for 'fixed'. */
  @MoneyColumn()
  fixedCommission: number;

  /** Commission only on the referred service's first payment, not on renewals. */
  @Bool()
  oneTime: boolean;

  /** Cleared, unpaid commission. Changed only together with AffiliateReferral status changes. */
  @MoneyColumn()
  balance: number;

  /** Total paid out so far. */
  @MoneyColumn()
  withdrawn: number;

  /** Clicks on referral links. */
  @Int({ default: 0 })
  visitors: number;

  @Status(AFFILIATE_STATUSES, 'active')
  status: AffiliateStatus;
}
