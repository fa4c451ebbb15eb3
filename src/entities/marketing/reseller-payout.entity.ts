import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Int, MoneyColumn, Status, Text, Timestamp, Varchar } from '../../db/columns.js';
import type { Reseller } from './reseller.entity.js';
import type { Currency } from '../system/currency.entity.js';
import type { User } from '../access/user.entity.js';

export const RESELLER_PAYOUT_STATUSES = ['requested', 'approved', 'paid', 'rejected'] as const;
export type ResellerPayoutStatus = (typeof RESELLER_PAYOUT_STATUSES)[number];

/** A payment of accumulated commission to a reseller (seed 004 "Payout processing"). */
@Entity('reseller_payouts')
@Index(['status'])
export class ResellerPayout extends Model {
  @Int()
  @Index()
  resellerId: number;

  /** RESTRICT: money history. */
  @ManyToOne('Reseller', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'reseller_id' })
  reseller: Relation<Reseller>;

  /** e.g. "Commission payout March 2026". */
  @Varchar(255)
  description: string;

  @MoneyColumn()
  amount: number;

  @Int()
  @Index()
  currencyId: number;

  @ManyToOne('Currency', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'currency_id' })
  currency: Relation<Currency>;

  /** How it was paid: 'bank_transfer', 'paypal', 'account_credit', … */
  @Varchar(32, { nullable: true })
  method: string | null;

  /** Bank or PayPal reference of the transfer. */
  @Varchar(191, { nullable: true })
  reference: string | null;

  @Status(RESELLER_PAYOUT_STATUSES, 'requested')
  status: ResellerPayoutStatus;

  @Timestamp()
  paidAt: Date | null;

  @Int({ nullable: true })
  @Index()
  processedById: number | null;

  @ManyToOne('User', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'processed_by_id' })
  processedBy: Relation<User> | null;

  @Text()
  notes: string | null;
}
