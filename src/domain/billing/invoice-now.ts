import type { DataSource } from 'typeorm';
import { forUpdate } from '../../db/locking.js';
import { inTransaction } from '../../db/transaction.js';
import { billingSettings } from '../settings.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import { addDays, anchorDayOf, isRecurring, nextDueDate } from './periods.js';
import { issueInvoice } from './issue-invoice.js';
import { renewalPrice, type RenewalPricing } from './promotion-periods.js';

/**
 * Staff's "Generate invoice now" for one service: invoices its next unbilled period today, whatever the usual lead
 * time, with the same billing key the daily run uses — so the run will not bill that period again. Each press
 * bills the following period (invoicing ahead, as WHMCS allows); none bills a period twice.
 */
export async function invoiceServiceNow(ds: DataSource, serviceId: number, today: string): Promise<Outcome<{ invoiceId: number; invoiceNumber: string | null; periodStart: string }>> {
  const settings = await billingSettings(ds);
  return inTransaction(ds, async (m) => {
    const s = (await forUpdate(m.getRepository('Service').createQueryBuilder('s').where('s.id = :id', { id: serviceId })).getOne()) as Record<string, any> | null;
    if (!s) return fail('service_not_found', `Service #${serviceId} does not exist.`);
    if (!['active', 'suspended'].includes(s.status)) return fail('not_billable', `The service is ${s.status}.`);
    if (!isRecurring(s.billingCycle) || !s.nextInvoiceDate) return fail('not_recurring', 'This service has no recurring billing.');
    const product = (await m.getRepository('Product').findOneBy({ id: s.productId })) as Record<string, any> | null;
    const anchor = product?.prorataBilling && product.prorataDay ? product.prorataDay : anchorDayOf(s.registrationDate ?? s.nextInvoiceDate);
    const start: string = s.nextInvoiceDate;
    const next = nextDueDate(anchor, start, s.billingCycle);
    const key = `service:${s.id}:${start}`;
    if (await m.getRepository('InvoiceItem').exists({ where: { billingKey: key } })) return fail('already_billed', `The period from ${start} is already invoiced.`);
    const issued = await issueInvoice(m, {
      clientId: s.clientId,
      issueDate: today,
      dueDate: start < today ? today : start,
      taxInclusive: settings.taxInclusive,
      lines: [{
        itemType: 'service',
        description: `${product?.name ?? 'Service'}${s.domain ? ` - ${s.domain}` : ''} (${start} - ${addDays(next, -1)})`,
        unitPrice: renewalPrice(s as RenewalPricing, start),
        taxable: product?.taxable ?? true,
        serviceId: s.id,
        periodStart: start,
        periodEnd: addDays(next, -1),
        billingKey: key,
      }],
    });
    if (!issued.ok) return issued;
    const ended = s.promotionEndsOn && start >= s.promotionEndsOn;
    await m.getRepository('Service').update({ id: s.id }, ended ? { nextInvoiceDate: next, recurringAmount: s.regularAmount, regularAmount: null, promotionEndsOn: null } : { nextInvoiceDate: next });
    return succeed({ invoiceId: issued.invoiceId, invoiceNumber: issued.invoiceNumber, periodStart: start });
  });
}
