import { Entity, Index, JoinColumn, ManyToOne, OneToMany, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Int, Json, MoneyColumn, Status, Text, Timestamp, Varchar } from '../../db/columns.js';
import type { User } from '../access/user.entity.js';
import type { Invoice } from '../billing/invoice.entity.js';
import type { Client } from '../clients/client.entity.js';
import type { Promotion } from '../marketing/promotion.entity.js';
import type { Currency } from '../system/currency.entity.js';
import type { OrderItem } from './order-item.entity.js';

/** WHMCS order lifecycle: Pending → Active (accepted) / Cancelled / Fraud. */
export const ORDER_STATUSES = ['pending', 'active', 'cancelled', 'fraud'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * A checkout: what the client asked for and what it cost at that moment (seed 000 `orders`, seed 003 Order
 * Management). Prices are snapshots so later catalogue changes never rewrite an order; the services and domains it
 * creates point back through `orderId`.
 */
@Entity('orders')
@Index(['status'])
@Index(['createdAt'])
export class Order extends Model {
  /** Human reference from the 'order' NumberSequence; unique so two concurrent checkouts can never share one. */
  @Varchar(32, { unique: true })
  orderNumber: string;

  @Int()
  @Index()
  clientId: number;

  @ManyToOne('Client', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'client_id' })
  client: Relation<Client>;

  @Status(ORDER_STATUSES, 'pending')
  status: OrderStatus;

  @Int()
  @Index()
  currencyId: number;

  @ManyToOne('Currency', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'currency_id' })
  currency: Relation<Currency>;

  @MoneyColumn()
  subtotal: number;

  @MoneyColumn()
  discount: number;

  @MoneyColumn()
  tax: number;

  @MoneyColumn()
  total: number;

  @Int({ nullable: true })
  @Index()
  promotionId: number | null;

  @ManyToOne('Promotion', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'promotion_id' })
  promotion: Relation<Promotion> | null;

  /** The code as entered, kept even if the promotion is later deleted, so the discount stays explained. */
  @Varchar(64, { nullable: true })
  promoCode: string | null;

  /** PaymentGateway code chosen at checkout; a plain string so retiring a gateway never touches order history. */
  @Varchar(32, { nullable: true })
  paymentGateway: string | null;

  /** The first invoice raised for this order. */
  @Int({ nullable: true })
  @Index()
  invoiceId: number | null;

  @ManyToOne('Invoice', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'invoice_id' })
  invoice: Relation<Invoice> | null;

  @Varchar(45, { nullable: true })
  ipAddress: string | null;

  @Text()
  notes: string | null;

  /** Raw result of the fraud screen (provider, score, reasons) for staff review. */
  @Json()
  fraudCheck: Record<string, unknown> | null;

  @Timestamp()
  acceptedAt: Date | null;

  @Int({ nullable: true })
  @Index()
  acceptedById: number | null;

  @ManyToOne('User', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'accepted_by_id' })
  acceptedBy: Relation<User> | null;

  @OneToMany('OrderItem', (item: OrderItem) => item.order)
  items: Relation<OrderItem[]>;
}
