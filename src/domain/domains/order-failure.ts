import type { EntityManager } from 'typeorm';
import { forUpdate } from '../../db/locking.js';
import { changeCredit } from '../billing/credit.js';
import { divideRounded } from '../shared/money.js';
import { abort } from '../orders/atomic.js';

/**
 * A registration or transfer the registrar refused for good (a wrong EPP code, a name taken meanwhile): the domain is
 * cancelled and what the client paid for it — its invoice lines with their share of the tax — becomes account credit,
 * in one transaction. The conditional status change makes this happen once, however often the job is retried or staff
 * press the button again.
 */
export async function closeRefusedDomainOrder(m: EntityManager, domainId: number, note: string): Promise<{ closed: boolean; credited: number }> {
  const d = (await forUpdate(m.getRepository('Domain').createQueryBuilder('d').where('d.id = :id', { id: domainId })).getOne()) as
    | { id: number; clientId: number; status: string; notes: string | null; domainName: string }
    | null;
  if (!d || !['pending', 'pending_transfer'].includes(d.status)) return { closed: false, credited: 0 };
  await m.getRepository('Domain').update({ id: d.id }, { status: 'cancelled', notes: [d.notes, note].filter(Boolean).join('\n').slice(0, 60_000) });
  const paid = await paidFor(m, d.id);
  let credited = 0;
  for (const p of paid) {
    if (p.amount <= 0) continue;
    const out = await changeCredit(m, { clientId: d.clientId, amount: p.amount, source: 'refund_to_credit', description: `Refund to credit: ${d.domainName} (${note})`.slice(0, 255), invoiceId: p.invoiceId });
    if (!out.ok) abort(out);
    credited += p.amount;
  }
  return { closed: true, credited };
}

/** What paid invoices charged for the domain, per invoice: its lines plus their share of the invoice's tax. */
async function paidFor(m: EntityManager, domainId: number): Promise<Array<{ invoiceId: number; amount: number }>> {
  const rows = (await m.query(
    `SELECT it.invoice_id, it.amount, it.taxable, inv.tax1, inv.tax2, inv.tax_inclusive,
            (SELECT COALESCE(SUM(x.amount), 0) FROM invoice_items x WHERE x.invoice_id = it.invoice_id AND x.taxable = 1) AS taxable_total
       FROM invoice_items it JOIN invoices inv ON inv.id = it.invoice_id
      WHERE it.domain_id = ? AND inv.status = 'paid'`,
    [domainId],
  )) as Array<Record<string, any>>;
  const byInvoice = new Map<number, number>();
  for (const r of rows) {
    const amount = Number(r.amount);
    const tax = Number(r.tax1) + Number(r.tax2);
    const taxableTotal = Number(r.taxable_total);
    // Inclusive prices already hold the tax; exclusive ones get their share of it, rounded once.
    const share = Number(r.taxable) && !Number(r.tax_inclusive) && tax > 0 && taxableTotal > 0 ? Number(divideRounded(BigInt(tax) * BigInt(amount), BigInt(taxableTotal))) : 0;
    byInvoice.set(Number(r.invoice_id), (byInvoice.get(Number(r.invoice_id)) ?? 0) + amount + share);
  }
  return [...byInvoice].map(([invoiceId, amount]) => ({ invoiceId, amount }));
}
