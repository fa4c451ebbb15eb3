import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { AppendOnlyModel } from '../../db/base.js';
import { Int, MoneyColumn, Status, Varchar } from '../../db/columns.js';
import type { User } from '../access/user.entity.js';
import type { Client } from '../clients/client.entity.js';
import type { CreditNote } from './credit-note.entity.js';
import type { Invoice } from './invoice.entity.js';
import type { Transaction } from './transaction.entity.js';

export const CREDIT_ENTRY_SOURCES = ['manual', 'add_funds', 'overpayment', 'applied_to_invoice', 'refund_to_credit', 'credit_note', 'reversal'] as const;
export type CreditEntrySource = (typeof CREDIT_ENTRY_SOURCES)[number];

/**
 * The client credit ledger (seed 000 `clients`.credit_balance, WHMCS `tblcredit`). Every change to
 * Client.creditBalance is one row here, in the client's currency; `balanceAfter` lets staff audit the running balance
 * without replaying history. Append-only: a mistake is corrected by a reversing entry, never by editing.
 */
@Entity('client_credits')
@Index(['clientId', 'createdAt'])
export class CreditEntry extends AppendOnlyModel {
  @Int()
  @Index()
  clientId: number;

  @ManyToOne('Client', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'client_id' })
  client: Relation<Client>;

  @Status(CREDIT_ENTRY_SOURCES, 'manual')
  source: CreditEntrySource;

  /** Positive adds credit, negative uses it. */
  @MoneyColumn({ signed: true })
  amount: number;

  @MoneyColumn({ signed: true })
  balanceAfter: number;

  @Varchar(255)
  description: string;

  @Int({ nullable: true })
  @Index()
  invoiceId: number | null;

  @ManyToOne('Invoice', { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'invoice_id' })
  invoice: Relation<Invoice> | null;

  @Int({ nullable: true })
  @Index()
  transactionId: number | null;

  @ManyToOne('Transaction', { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'transaction_id' })
  transaction: Relation<Transaction> | null;

  @Int({ nullable: true })
  @Index()
  creditNoteId: number | null;

  @ManyToOne('CreditNote', { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'credit_note_id' })
  creditNote: Relation<CreditNote> | null;

  /** Staff member who made a manual entry; null for automatic ones. */
  @Int({ nullable: true })
  @Index()
  adminId: number | null;

  @ManyToOne('User', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'admin_id' })
  admin: Relation<User> | null;
}
