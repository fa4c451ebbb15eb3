import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Int, MoneyColumn, Status, Varchar } from '../../db/columns.js';
import type { Reseller } from './reseller.entity.js';
import type { Invoice } from '../billing/invoice.entity.js';
import type { Service } from '../hosting/service.entity.js';
import type { Currency } from '../system/currency.entity.js';
import type { ResellerPayout } from './reseller-payout.entity.js';

export const RESELLER_COMMISSION_STATUSES = ['pending', 'approved', 'paid', 'void'] as const;
export type ResellerCommissionStatus = (typeof RESELLER_COMMISSION_STATUSES)[number];

/** Commission owed to a reseller for one paid invoice (seed 004 "Commission calculation engine"). */
@Entity('reseller_commissions')
@Index(['status'])
export class ResellerCommission extends Model {
  @Int()
  @Index()
  resellerId: number;

  /** RESTRICT: money history. */
  @ManyToOne('Reseller', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'reseller_id' })
  reseller: Relation<Reseller>;

  @Varchar(255)
  description: string;

  @Int({ nullable: true })
  @Index()
  invoiceId: number | null;

  @ManyToOne('Invoice', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'invoice_id' })
  invoice: Relation<Invoice> | null;

  @Int({ nullable: true })
  @Index()
  serviceId: number | null;

  @ManyToOne('Service', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'service_id' })
  service: Relation<Service> | null;

  /** The invoice's currency; payouts are grouped per currency. */
  @Int()
  @Index()
  currencyId: number;

  @ManyToOne('Currency', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'currency_id' })
  currency: Relation<Currency>;

  @MoneyColumn()
  amount: number;

  @Status(RESELLER_COMMISSION_STATUSES, 'pending')
  status: ResellerCommissionStatus;

  /** The payout that settled it; deleting a payout releases its commissions (SET NULL) instead of losing them. */
  @Int({ nullable: true })
  @Index()
  payoutId: number | null;

  @ManyToOne('ResellerPayout', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'payout_id' })
  payout: Relation<ResellerPayout> | null;

  /** e.g. 'invoice:55': one commission per paid invoice, so replays are no-ops. */
  @Varchar(191, { nullable: true, unique: true })
  commissionKey: string | null;
}
