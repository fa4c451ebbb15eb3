import { In, type EntityManager } from 'typeorm';
import { forUpdate } from '../../db/locking.js';
import { priceInvoice, type InvoiceClient, type InvoiceLine } from '../billing/issue-invoice.js';
import type { TaxRateRow } from '../billing/tax.js';

export interface Withdrawn {
  /** Invoice numbers (or #ids) cancelled whole. */
  cancelled: string[];
  /** Invoices that also bill other things: only this service's lines were taken off. */
  reduced: string[];
  /** Invoices with money on them, left for staff. */
  paidSkipped: string[];
}

const OPEN = ['unpaid', 'draft'];

/**
 * Takes back what was invoiced for a service's time that will not be used: its lines on open invoices (all of them,
 * or those for periods from `from` on). An invoice with nothing else on it is cancelled, its billing keys released
 * as InvoiceService.cancel does; one that also bills other things keeps those and is re-priced. An invoice with a
 * payment or credit on it is left alone and reported, because money would have to be refunded.
 * Runs in the caller's transaction.
 */
export async function withdrawUnpaidBilling(
  m: EntityManager,
  o: { serviceId: number; from: string | null; now: Date; taxInclusive: boolean; why: string },
): Promise<Withdrawn> {
  const out: Withdrawn = { cancelled: [], reduced: [], paidSkipped: [] };
  const qb = m.getRepository('InvoiceItem').createQueryBuilder('it').innerJoin('invoices', 'i', 'i.id = it.invoice_id')
    .where('it.service_id = :sid AND i.status IN (:...open)', { sid: o.serviceId, open: OPEN });
  if (o.from) qb.andWhere('it.period_start >= :from', { from: o.from });
  const lines = (await qb.getMany()) as Array<{ id: number; invoiceId: number }>;
  const invoiceIds = [...new Set(lines.map((l) => l.invoiceId))].sort((a, b) => a - b);
  for (const invoiceId of invoiceIds) {
    const inv = (await forUpdate(m.getRepository('Invoice').createQueryBuilder('i').where('i.id = :id', { id: invoiceId })).getOne()) as Record<string, any>;
    const label = inv.invoiceNumber ?? `#${inv.id}`;
    if (!OPEN.includes(inv.status)) continue;
    if (inv.amountPaid !== 0 || inv.credit !== 0) {
      out.paidSkipped.push(label);
      continue;
    }
    const mine = new Set(lines.filter((l) => l.invoiceId === invoiceId).map((l) => l.id));
    const all = (await m.getRepository('InvoiceItem').find({ where: { invoiceId }, order: { sortOrder: 'ASC', id: 'ASC' } })) as Array<Record<string, any>>;
    const rest = all.filter((l) => !mine.has(l.id));
    if (!rest.length) {
      await m.getRepository('Invoice').update({ id: invoiceId }, { status: 'cancelled', cancelledAt: o.now, adminNotes: inv.adminNotes ? `${inv.adminNotes}\nCancelled: ${o.why}` : `Cancelled: ${o.why}` });
      await m.getRepository('InvoiceItem').update({ invoiceId }, { billingKey: null });
      out.cancelled.push(label);
      continue;
    }
    await m.getRepository('InvoiceItem').delete({ id: In([...mine]) });
    const client = (await m.getRepository('Client').findOne({ where: { id: inv.clientId }, withDeleted: true })) as unknown as InvoiceClient;
    const rates = (await m.getRepository('TaxRate').find()) as TaxRateRow[];
    const priced = priceInvoice(client, rest as unknown as InvoiceLine[], rates, inv.taxInclusive ?? o.taxInclusive);
    await m.getRepository('Invoice').update(
      { id: invoiceId },
      { subtotal: priced.subtotal, tax1: priced.tax1, tax2: priced.tax2, total: priced.total, adminNotes: inv.adminNotes ? `${inv.adminNotes}\nLines removed: ${o.why}` : `Lines removed: ${o.why}` },
    );
    out.reduced.push(label);
  }
  return out;
}
