import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Int, Status, Timestamp } from '../../db/columns.js';
import type { Invoice } from './invoice.entity.js';

export const INVOICE_REMINDER_KINDS = ['created', 'due_soon', 'overdue_1', 'overdue_2', 'overdue_3', 'late_fee', 'suspension'] as const;
export type InvoiceReminderKind = (typeof INVOICE_REMINDER_KINDS)[number];

/**
 * Which notices an invoice has had (no seed table: it replaces a "last reminded" date, the cause of reminders sent on
 * every cron run in FOSSBilling). The scheduler claims a notice by inserting its row; the unique (invoiceId, kind) key
 * makes a second claim fail, so each notice goes out at most once even when runs overlap.
 */
@Entity('invoice_reminders')
@Index(['invoiceId', 'kind'], { unique: true })
export class InvoiceReminder extends Model {
  @Int()
  @Index()
  invoiceId: number;

  @ManyToOne('Invoice', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'invoice_id' })
  invoice: Relation<Invoice>;

  /** NOT NULL with no default: a NULL kind would slip past the unique key. */
  @Status(INVOICE_REMINDER_KINDS, null, { nullable: false })
  kind: InvoiceReminderKind;

  /** Null while claimed but not yet sent (or the send failed and may be retried). */
  @Timestamp()
  sentAt: Date | null;
}
