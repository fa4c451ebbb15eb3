import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { DateOnly, Int, MoneyColumn, Status, Text, Varchar } from '../../db/columns.js';
import type { Client } from '../clients/client.entity.js';
import type { Currency } from '../system/currency.entity.js';
import type { Invoice } from './invoice.entity.js';

export const CREDIT_NOTE_STATUSES = ['issued', 'applied', 'void'] as const;
export type CreditNoteStatus = (typeof CREDIT_NOTE_STATUSES)[number];

/**
 * A numbered document reducing what was billed on an issued invoice (accounting counterpart of a refund or
 * correction; no seed table — issued invoices are never edited, so corrections need their own document).
 */
@Entity('credit_notes')
@Index(['status'])
export class CreditNote extends Model {
  /** From the 'credit_note' NumberSequence. */
  @Varchar(32, { unique: true })
  creditNoteNumber: string;

  @Int()
  @Index()
  clientId: number;

  @ManyToOne('Client', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'client_id' })
  client: Relation<Client>;

  /** The invoice being corrected. */
  @Int()
  @Index()
  invoiceId: number;

  @ManyToOne('Invoice', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'invoice_id' })
  invoice: Relation<Invoice>;

  @Int()
  @Index()
  currencyId: number;

  @ManyToOne('Currency', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'currency_id' })
  currency: Relation<Currency>;

  @DateOnly({ nullable: false })
  issueDate: string;

  @MoneyColumn()
  subtotal: number;

  /** Tax reversed, so tax reports net off correctly. */
  @MoneyColumn()
  tax: number;

  @MoneyColumn()
  total: number;

  @Text()
  reason: string | null;

  @Status(CREDIT_NOTE_STATUSES, 'issued')
  status: CreditNoteStatus;
}
