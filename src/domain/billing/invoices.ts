import type { DataSource } from 'typeorm';
import { forUpdate } from '../../db/locking.js';
import { inTransaction } from '../../db/transaction.js';
import type { Clock } from '../shared/clock.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';

const CANCELLABLE = new Set(['draft', 'unpaid', 'payment_pending', 'collections']);

/** Invoice life-cycle changes that are not payments. */
export class InvoiceService {
  constructor(private readonly ds: DataSource, private readonly clock: Clock) {}

  /**
   * Cancels an invoice nothing has been paid on. Its lines give up their billing keys, so the periods they billed
   * can be invoiced again (otherwise a cancelled renewal would block the service's renewal for good).
   */
  async cancel(input: { invoiceId: number; reason?: string }): Promise<Outcome<{ status: string }>> {
    return inTransaction(this.ds, async (m) => {
      const invoice = (await forUpdate(m.getRepository('Invoice').createQueryBuilder('i').where('i.id = :id', { id: input.invoiceId })).getOne()) as
        | { id: number; status: string; amountPaid: number; credit: number; invoiceNumber: string | null; adminNotes: string | null }
        | null;
      if (!invoice) return fail('invoice_not_found', `Invoice #${input.invoiceId} does not exist.`);
      if (!CANCELLABLE.has(invoice.status)) return fail('not_cancellable', `Invoice ${invoice.invoiceNumber ?? invoice.id} is ${invoice.status} and cannot be cancelled.`);
      if (invoice.amountPaid !== 0 || invoice.credit !== 0) return fail('has_payments', 'Payments or credit are applied to this invoice: refund them first.');
      const note = input.reason?.trim() ? `${invoice.adminNotes ? `${invoice.adminNotes}\n` : ''}Cancelled: ${input.reason.trim()}` : invoice.adminNotes;
      await m.getRepository('Invoice').update({ id: invoice.id }, { status: 'cancelled', cancelledAt: this.clock.now(), adminNotes: note });
      await m.getRepository('InvoiceItem').update({ invoiceId: invoice.id }, { billingKey: null });
      return succeed({ status: 'cancelled' });
    });
  }
}
