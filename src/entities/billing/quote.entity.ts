import { Entity, Index, JoinColumn, ManyToOne, OneToMany, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { DateOnly, Int, MoneyColumn, Status, Text, Timestamp, Varchar } from '../../db/columns.js';
import type { Client } from '../clients/client.entity.js';
import type { Currency } from '../system/currency.entity.js';
import type { Invoice } from './invoice.entity.js';
import type { QuoteItem } from './quote-item.entity.js';

/** WHMCS quote stages. */
export const QUOTE_STAGES = ['draft', 'delivered', 'on_hold', 'accepted', 'lost', 'dead'] as const;
export type QuoteStage = (typeof QUOTE_STAGES)[number];

/**
 * A sales proposal (seed 000 `quotes`). May be addressed to a prospect who is not yet a client — hence the prospect
 * fields — and becomes an invoice when accepted.
 */
@Entity('quotes')
@Index(['stage'])
export class Quote extends Model {
  /** From the 'quote' NumberSequence. */
  @Varchar(32, { unique: true })
  quoteNumber: string;

  @Varchar(255)
  subject: string;

  /** Null while the quote is for a prospect; a quote belongs to its client and goes with it. */
  @Int({ nullable: true })
  @Index()
  clientId: number | null;

  @ManyToOne('Client', { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'client_id' })
  client: Relation<Client> | null;

  @Varchar(200, { nullable: true })
  prospectName: string | null;

  @Varchar(255, { nullable: true })
  prospectEmail: string | null;

  @Varchar(255, { nullable: true })
  prospectCompany: string | null;

  @Status(QUOTE_STAGES, 'draft')
  stage: QuoteStage;

  @DateOnly()
  validUntil: string | null;

  @Int()
  @Index()
  currencyId: number;

  @ManyToOne('Currency', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'currency_id' })
  currency: Relation<Currency>;

  @MoneyColumn()
  subtotal: number;

  @MoneyColumn()
  tax: number;

  @MoneyColumn()
  total: number;

  /** Introduction shown above the lines. */
  @Text()
  proposal: string | null;

  /** Shown to the customer below the lines. */
  @Text()
  notes: string | null;

  /** Staff only. */
  @Text()
  adminNotes: string | null;

  @Timestamp()
  acceptedAt: Date | null;

  /** The invoice raised on acceptance. */
  @Int({ nullable: true })
  @Index()
  invoiceId: number | null;

  @ManyToOne('Invoice', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'invoice_id' })
  invoice: Relation<Invoice> | null;

  @OneToMany('QuoteItem', (item: QuoteItem) => item.quote)
  items: Relation<QuoteItem[]>;
}
