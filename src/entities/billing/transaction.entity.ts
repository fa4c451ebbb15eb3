import { BeforeInsert, BeforeUpdate, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Int, Json, MoneyColumn, RateColumn, Status, Timestamp, Varchar } from '../../db/columns.js';
import type { Client } from '../clients/client.entity.js';
import type { Currency } from '../system/currency.entity.js';
import type { Invoice } from './invoice.entity.js';
import type { PaymentMethod } from './payment-method.entity.js';

export const TRANSACTION_TYPES = ['payment', 'refund', 'credit_applied', 'chargeback', 'adjustment'] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

export const TRANSACTION_STATUSES = ['pending', 'completed', 'failed', 'refunded'] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

/**
 * Money that moved, or was attempted, through a gateway or by hand (seed 000 `transactions`, seed 001 `payments`,
 * seed 003 Transactions). Money in and money out are separate non-negative columns, WHMCS-style, so revenue is
 * sum(amountIn) − sum(amountOut) with no sign conventions. Never deleted: kept for accounting retention.
 */
@Entity('transactions')
// One gateway payment is recorded once, however many times its webhook is delivered.
@Index(['gateway', 'transactionId'], { unique: true })
@Index(['date'])
@Index(['status'])
export class Transaction extends Model {
  @Int()
  @Index()
  clientId: number;

  @ManyToOne('Client', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'client_id' })
  client: Relation<Client>;

  /** Null for payments not tied to one invoice (e.g. add-funds, overpayments). */
  @Int({ nullable: true })
  @Index()
  invoiceId: number | null;

  @ManyToOne('Invoice', { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'invoice_id' })
  invoice: Relation<Invoice> | null;

  @Int()
  @Index()
  currencyId: number;

  @ManyToOne('Currency', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'currency_id' })
  currency: Relation<Currency>;

  /** Units of this currency per default-currency unit at the time, so reports convert at the historical rate. */
  @RateColumn(18, 8, { default: '1' })
  exchangeRate: string;

  /** PaymentGateway code ('stripe', 'paypal', 'banktransfer', 'manual', 'credit'). */
  @Varchar(32)
  gateway: string;

  /** The gateway's own id (charge, capture, txn_id); null for manual entries. */
  @Varchar(191, { nullable: true })
  transactionId: string | null;

  /** The stored card or account that was charged, for automatic captures. */
  @Int({ nullable: true })
  @Index()
  paymentMethodId: number | null;

  @ManyToOne('PaymentMethod', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'payment_method_id' })
  paymentMethod: Relation<PaymentMethod> | null;

  @Status(TRANSACTION_TYPES, 'payment')
  type: TransactionType;

  @MoneyColumn()
  amountIn: number;

  @MoneyColumn()
  amountOut: number;

  /** Gateway fees charged on this transaction. */
  @MoneyColumn()
  fees: number;

  /**
   * e.g. "Invoice Payment"; filled on save when left empty, so every transaction has a readable title. The '' default
   * lets schema validation (which runs before the hook) accept a blank value.
   */
  @Varchar(255, { default: '' })
  description: string;

  /** When the money moved (may differ from createdAt for back-dated manual entries). */
  @Timestamp({ nullable: false })
  date: Date;

  /** Pending by default: nothing counts as paid until a verified gateway response or staff says so. */
  @Status(TRANSACTION_STATUSES, 'pending')
  status: TransactionStatus;

  /** The gateway's verified response, minus anything secret. */
  @Json()
  gatewayResponse: Record<string, unknown> | null;

  /** For a refund or chargeback: the payment it reverses. */
  @Int({ nullable: true })
  @Index()
  refundOfId: number | null;

  @ManyToOne('Transaction', { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'refund_of_id' })
  refundOf: Relation<Transaction> | null;

  @BeforeInsert()
  @BeforeUpdate()
  protected fillDescription(): void {
    if (this.description?.trim()) return;
    const what = `${this.type ?? 'payment'} via ${this.gateway ?? 'manual'}`;
    this.description = (this.transactionId ? `${what} (${this.transactionId})` : what).slice(0, 255);
  }
}
