import { In, type EntityManager } from 'typeorm';
import { addDays } from './periods.js';
import { requestProvisioning } from '../provisioning/requests.js';
import type { InvoiceRow } from './payments.js';

/**
 * What a paid invoice does to what it billed (run inside the payment's transaction): each service, addon and domain
 * is paid up to the end of the period on the invoice (next due date moves past it), and a service suspended for
 * being overdue is unsuspended when no other overdue invoice remains for it — even when the payment arrives after
 * the suspension (FOSSBilling #4241: the late payment must still apply and unsuspend).
 */
/**
 * A paid domain line of a domain we already hold renews it at the registrar (a queued job, keyed by the period, so a
 * second payment event or a retried hook asks once). A line for a domain still pending is its first registration,
 * which the order's acceptance queues instead.
 */
async function renewAtRegistrar(m: EntityManager, item: { domainId: number | null; periodStart: string | null; periodEnd: string | null }, invoice: InvoiceRow, now: Date): Promise<void> {
  if (!item.domainId || !item.periodStart || !item.periodEnd) return;
  const d = (await m.getRepository('Domain').findOneBy({ id: item.domainId })) as { status: string; orderId: number | null } | null;
  if (!d || !['active', 'grace', 'redemption', 'expired'].includes(d.status)) return;
  // The order's own invoice pays for the registration, even when staff registered the domain before it was paid.
  if (d.orderId && (await m.getRepository('Order').count({ where: { id: d.orderId, invoiceId: invoice.id } }))) return;
  const years = Math.max(1, Number(addDays(item.periodEnd, 1).slice(0, 4)) - Number(item.periodStart.slice(0, 4)));
  await requestProvisioning(m, {
    domainId: item.domainId, action: 'domain_renew', key: `${item.domainId}:${item.periodStart}`, reason: `Invoice ${invoice.invoiceNumber ?? invoice.id} paid`, now,
    params: { years, fromExpiry: item.periodStart },
  });
}

export async function applyPaidInvoice(m: EntityManager, invoice: InvoiceRow, today: string, now: Date): Promise<void> {
  const items = (await m.getRepository('InvoiceItem').find({ where: { invoiceId: invoice.id } })) as Array<{
    itemType: string;
    serviceId: number | null;
    serviceAddonId: number | null;
    domainId: number | null;
    periodStart: string | null;
    periodEnd: string | null;
  }>;
  const advance = async (entity: string, id: number | null, periodEnd: string | null) => {
    if (!id || !periodEnd) return;
    const row = (await m.getRepository(entity).findOneBy({ id })) as { nextDueDate: string | null } | null;
    const paidTo = addDays(periodEnd, 1);
    if (row && (!row.nextDueDate || row.nextDueDate < paidTo)) await m.getRepository(entity).update({ id }, { nextDueDate: paidTo });
  };
  for (const item of items) {
    if (item.itemType === 'service') await advance('Service', item.serviceId, item.periodEnd);
    else if (item.itemType === 'addon') await advance('ServiceAddon', item.serviceAddonId, item.periodEnd);
    else if (item.itemType === 'domain') {
      await advance('Domain', item.domainId, item.periodEnd);
      await renewAtRegistrar(m, item, invoice, now);
    }
  }
  const serviceIds = [...new Set(items.map((i) => i.serviceId).filter((x): x is number => x !== null))];
  if (!serviceIds.length) return;
  const suspended = (await m.getRepository('Service').find({ where: { id: In(serviceIds), status: 'suspended', overdueSuspended: true } })) as Array<{ id: number }>;
  for (const s of suspended) {
    const stillOverdue = await m
      .getRepository('InvoiceItem')
      .createQueryBuilder('it')
      .innerJoin('invoices', 'inv', 'inv.id = it.invoice_id')
      .where('it.service_id = :sid AND inv.status = :st AND inv.due_date < :today AND inv.id <> :paid', { sid: s.id, st: 'unpaid', today, paid: invoice.id })
      .getCount();
    if (stillOverdue) continue;
    await m.getRepository('Service').update({ id: s.id }, { status: 'active', overdueSuspended: false, suspendedAt: null, suspensionReason: null });
    await requestProvisioning(m, { serviceId: s.id, action: 'unsuspend', key: `${s.id}:paid:${invoice.id}`, reason: `Overdue invoice ${invoice.invoiceNumber ?? invoice.id} paid`, now });
  }
}
