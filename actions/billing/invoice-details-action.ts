import type { ActionContext, ActionRequest } from 'adminjs';
import type { AdminServices } from '../index.js';
import { Components } from '../../src/admin/components.js';
import { formatMoney } from '../../src/domain/shared/money.js';

/** "Lines & payments": the invoice's lines, totals, transactions and notices on one page (read-only). */
export function invoiceDetailsAction({ ds }: AdminServices) {
  return {
    details: {
      actionType: 'record',
      icon: 'List',
      component: Components.InvoiceDetails,
      showInDrawer: false,
      handler: async (_req: ActionRequest, _res: unknown, ctx: ActionContext) => {
        const id = Number(ctx.record!.id());
        const inv = (await ds.getRepository('Invoice').findOneByOrFail({ id })) as Record<string, any>;
        const cur = ((await ds.getRepository('Currency').findOneBy({ id: inv.currencyId })) ?? {}) as Record<string, any>;
        const money = (c: number) => formatMoney(c, { prefix: cur.prefix ?? '', suffix: cur.suffix ?? '', exponent: cur.exponent ?? 2 });
        const lines = (await ds.getRepository('InvoiceItem').find({ where: { invoiceId: id }, order: { sortOrder: 'ASC', id: 'ASC' } })) as Array<Record<string, any>>;
        const txns = (await ds.getRepository('Transaction').find({ where: { invoiceId: id }, order: { date: 'ASC', id: 'ASC' } })) as Array<Record<string, any>>;
        const reminders = (await ds.getRepository('InvoiceReminder').find({ where: { invoiceId: id }, order: { id: 'ASC' } })) as Array<Record<string, any>>;
        const totals = [
          { label: 'Subtotal', value: money(inv.subtotal) },
          ...(inv.tax1 ? [{ label: `${inv.taxName1 ?? 'Tax'} (${Number(inv.taxRate1)}%)`, value: money(inv.tax1) }] : []),
          ...(inv.tax2 ? [{ label: `${inv.taxName2 ?? 'Tax 2'} (${Number(inv.taxRate2)}%)`, value: money(inv.tax2) }] : []),
          { label: 'Total', value: money(inv.total) },
          { label: 'Paid', value: money(inv.amountPaid) },
          ...(inv.credit ? [{ label: 'Credit applied', value: money(inv.credit) }] : []),
        ];
        const details = {
          number: inv.invoiceNumber ?? `Draft #${id}`,
          status: inv.status,
          issueDate: inv.issueDate,
          dueDate: inv.dueDate,
          balance: money(inv.total - inv.amountPaid - inv.credit),
          lines: lines.map((l) => ({ description: l.description, period: l.periodStart ? `${l.periodStart} – ${l.periodEnd}` : null, quantity: l.quantity, amount: money(l.amount) })),
          totals,
          transactions: txns.map((t) => ({ date: new Date(t.date).toISOString().slice(0, 10), gateway: t.gateway, reference: t.transactionId, type: t.type, amount: money(t.amountIn - t.amountOut) })),
          reminders: reminders.map((r) => ({ kind: r.kind, sentAt: r.sentAt ? new Date(r.sentAt).toISOString().slice(0, 16).replace('T', ' ') : 'claimed, not sent' })),
        };
        const json = ctx.record!.toJSON(ctx.currentAdmin);
        return { record: { ...json, params: { ...json.params, __details: JSON.stringify(details) } } };
      },
    },
  };
}
