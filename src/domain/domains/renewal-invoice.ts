import type { DataSource } from 'typeorm';
import { forUpdate } from '../../db/locking.js';
import { atomically } from '../orders/atomic.js';
import { issueInvoice } from '../billing/issue-invoice.js';
import { addDays } from '../billing/periods.js';
import { billingSettings } from '../settings.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import { addYears } from './manual-registrar.js';
import { domainPrice } from './pricing.js';

export interface RenewalInvoice {
  invoiceId: number;
  invoiceNumber: string | null;
  total: number;
  /** True when an unpaid invoice for this renewal already existed and is answered instead of a second one. */
  existing: boolean;
}

/**
 * An invoice to renew a domain now, for the years the client chose (the client area's Renew, or staff for a client):
 * priced from the TLD list with the late fee of its phase (grace, redemption). It bills the period from the domain's
 * next due date with the same billing key the renewal run uses, so the run and this never bill one period twice;
 * asking again while it is unpaid answers the same invoice. Paying it renews at the registrar (applyPaidInvoice).
 */
export async function invoiceDomainRenewal(ds: DataSource, r: { domainId: number; clientId?: number | null; years: number; today: string }): Promise<Outcome<RenewalInvoice>> {
  return atomically(ds, async (m) => {
    const d = (await forUpdate(m.getRepository('Domain').createQueryBuilder('d').where('d.id = :id', { id: r.domainId })).getOne()) as Record<string, any> | null;
    if (!d || (r.clientId && d.clientId !== r.clientId)) return fail('domain_not_found', 'There is no such domain on your account.');
    if (!['active', 'grace', 'redemption'].includes(d.status)) {
      return fail('not_renewable', d.status === 'expired' ? `${d.domainName} has expired past its grace and redemption periods; contact us to see whether it can still be recovered.` : `${d.domainName} is ${d.status.replace('_', ' ')} and cannot be renewed now.`);
    }
    const price = await domainPrice(m, { tld: d.tld, currencyId: d.currencyId, years: r.years, operation: 'renew', phase: d.status, includeHidden: true });
    if (!price.ok) return price;
    const start: string = d.nextDueDate ?? d.expiryDate ?? r.today;
    const billingKey = `domain:${d.id}:${start}`;
    const billed = (await m.query('SELECT inv.id, inv.invoice_number, inv.status, inv.total FROM invoice_items it JOIN invoices inv ON inv.id = it.invoice_id WHERE it.billing_key = ?', [billingKey])) as Array<Record<string, any>>;
    if (billed.length) {
      const inv = billed[0];
      if (['unpaid', 'payment_pending', 'draft'].includes(inv.status)) return succeed({ invoiceId: Number(inv.id), invoiceNumber: inv.invoice_number, total: Number(inv.total), existing: true });
      return fail('already_renewed', `The renewal of ${d.domainName} from ${start} is already on invoice ${inv.invoice_number ?? inv.id} (${inv.status}).`);
    }
    const next = addYears(start, r.years);
    const settings = await billingSettings(m);
    // Due before the domain lapses where that is still ahead, never later than the usual terms, never in the past.
    const terms = addDays(r.today, settings.paymentTermsDays);
    const dueDate = start < r.today ? r.today : start < terms ? start : terms;
    const fee = price.fee ? ` incl. ${d.status === 'redemption' ? 'restore' : 'late renewal'} fee` : '';
    const issued = await issueInvoice(m, {
      clientId: d.clientId,
      issueDate: r.today,
      dueDate,
      taxInclusive: settings.taxInclusive,
      lines: [{
        itemType: 'domain', description: `Domain renewal - ${d.domainName} (${r.years} year${r.years === 1 ? '' : 's'}${fee}) (${start} - ${addDays(next, -1)})`,
        unitPrice: price.amount, taxable: true, domainId: d.id, periodStart: start, periodEnd: addDays(next, -1), billingKey,
      }],
      notes: `Renewal of ${d.domainName}`,
    });
    if (!issued.ok) return issued;
    // The renewal run must not bill this period again: its next unbilled period starts after this one.
    if (!d.nextInvoiceDate || d.nextInvoiceDate <= start) await m.getRepository('Domain').update({ id: d.id }, { nextInvoiceDate: next });
    return succeed({ ...issued, existing: false });
  });
}
