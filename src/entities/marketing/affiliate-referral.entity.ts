import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { DateOnly, Int, MoneyColumn, Status, Timestamp, Varchar } from '../../db/columns.js';
import type { Affiliate } from './affiliate.entity.js';
import type { Client } from '../clients/client.entity.js';
import type { Service } from '../hosting/service.entity.js';
import type { Order } from '../orders/order.entity.js';
import type { Invoice } from '../billing/invoice.entity.js';

/** pending → cleared (after clearsAt, unless refunded) → paid; cancelled when the referred payment is reversed. */
export const REFERRAL_STATUSES = ['pending', 'cleared', 'paid', 'cancelled'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** One commission earned by an affiliate (seed 000 `affiliate_referrals`), in the affiliate client's currency. */
@Entity('affiliate_referrals')
@Index(['status', 'clearsAt'])
export class AffiliateReferral extends Model {
  @Int()
  @Index()
  affiliateId: number;

  /** RESTRICT: commission records are money history. */
  @ManyToOne('Affiliate', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'affiliate_id' })
  affiliate: Relation<Affiliate>;

  /** e.g. "10% of INV-2026-00012 — Shared Starter (example.com)". */
  @Varchar(255)
  description: string;

  @Int({ nullable: true })
  @Index()
  referredClientId: number | null;

  @ManyToOne('Client', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'referred_client_id' })
  referredClient: Relation<Client> | null;

  @Int({ nullable: true })
  @Index()
  serviceId: number | null;

  @ManyToOne('Service', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'service_id' })
  service: Relation<Service> | null;

  @Int({ nullable: true })
  @Index()
  orderId: number | null;

  @ManyToOne('Order', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'order_id' })
  order: Relation<Order> | null;

  /** The paid invoice that earned the commission. */
  @Int({ nullable: true })
  @Index()
  invoiceId: number | null;

  @ManyToOne('Invoice', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'invoice_id' })
  invoice: Relation<Invoice> | null;

  @MoneyColumn()
  commissionAmount: number;

  @Status(REFERRAL_STATUSES, 'pending')
  status: ReferralStatus;

  /** Date the commission stops being refundable and moves to the affiliate's balance. */
  @DateOnly()
  clearsAt: string | null;

  @Timestamp()
  paidAt: Date | null;

  /**
   * e.g. 'invoice:55:service:12': one commission per referred item per payment, so a replayed payment webhook or
   * a re-run job cannot pay twice.
   */
  @Varchar(191, { nullable: true, unique: true })
  commissionKey: string | null;
}
