import { Entity, Index, JoinColumn, ManyToOne, OneToMany, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, DateOnly, Int, MoneyColumn, RateColumn, Status, Text, Timestamp, Varchar } from '../../db/columns.js';
import type { Client } from '../clients/client.entity.js';
import type { Currency } from '../system/currency.entity.js';
import type { InvoiceItem } from './invoice-item.entity.js';

/** WHMCS invoice statuses. */
export const INVOICE_STATUSES = ['draft', 'unpaid', 'paid', 'cancelled', 'refunded', 'collections', 'payment_pending'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/**
 * A bill to a client (seed 000 `invoices`, seed 001 `invoices`, seed 003 Invoices). Totals are stored as computed
 * when the invoice was issued, so a later change of tax rate or price never alters an issued invoice. The balance due
 * is total − amountPaid − credit and is derived, not stored, so it cannot drift from the payments.
 */
@Entity('invoices')
// Overdue and reminder scans filter by status then due date; the prefix also serves plain status filters.
@Index(['status', 'dueDate'])
@Index(['dueDate'])
export class Invoice extends Model {
  /** From the 'invoice' NumberSequence when the invoice leaves draft; unique, so a number can never be issued twice. */
  @Varchar(32, { nullable: true, unique: true })
  invoiceNumber: string | null;

  @Int()
  @Index()
  clientId: number;

  @ManyToOne('Client', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'client_id' })
  client: Relation<Client>;

  @Int()
  @Index()
  currencyId: number;

  @ManyToOne('Currency', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'currency_id' })
  currency: Relation<Currency>;

  @Status(INVOICE_STATUSES, 'draft')
  status: InvoiceStatus;

  @DateOnly({ nullable: false })
  issueDate: string;

  @DateOnly({ nullable: false })
  dueDate: string;

  @Timestamp()
  paidAt: Date | null;

  /** Sum of the lines before discount and tax (lines may be negative; an invoice as a whole never is). */
  @MoneyColumn()
  subtotal: number;

  @MoneyColumn()
  discount: number;

  @MoneyColumn()
  tax1: number;

  /** Second-level tax; compound when the TaxRate is level 2. */
  @MoneyColumn()
  tax2: number;

  @MoneyColumn()
  total: number;

  /** Received through transactions (payments less refunds). */
  @MoneyColumn()
  amountPaid: number;

  /** Account credit applied to this invoice. */
  @MoneyColumn()
  credit: number;

  /** Rates and names are copied from TaxRate at issue so the invoice reproduces exactly. */
  @RateColumn(7, 4)
  taxRate1: string;

  @Varchar(64, { nullable: true })
  taxName1: string | null;

  @RateColumn(7, 4)
  taxRate2: string;

  @Varchar(64, { nullable: true })
  taxName2: string | null;

  /** Line prices already include tax (EU-style), rather than tax being added on top. */
  @Bool()
  taxInclusive: boolean;

  /** PaymentGateway code the client is expected to pay with. */
  @Varchar(32, { nullable: true })
  paymentGateway: string | null;

  /** Shown to the client on the invoice. */
  @Text()
  notes: string | null;

  /** Staff only. */
  @Text()
  adminNotes: string | null;

  @Timestamp()
  cancelledAt: Date | null;

  @Timestamp()
  refundedAt: Date | null;

  @OneToMany('InvoiceItem', (item: InvoiceItem) => item.invoice)
  items: Relation<InvoiceItem[]>;
}
