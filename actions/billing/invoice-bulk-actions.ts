import type { ActionContext, ActionRequest, RecordJSON } from 'adminjs';
import type { AdminServices } from '../index.js';
import { actingStaff, bulkSummary as summarize, confirmedByAdmin, type BulkResult as Result } from '../support.js';
import { businessDate, addDays } from '../../src/domain/shared/clock.js';
import { Components } from '../../src/admin/components.js';
import { formatDecimal, parseMoney } from '../../src/domain/shared/money.js';


const label = (r: RecordJSON) => String(r.params.invoiceNumber ?? `#${r.id}`);

/** Bulk actions and quick filters on the invoice list. */
export function invoiceBulkActions({ ds, payments, invoices, billing }: AdminServices, timezone: string) {
  const bulk = (verb: string, guard: string, each: (id: number, ctx: ActionContext) => Promise<{ ok: boolean; message?: string }>) => ({
    actionType: 'bulk',
    component: false,
    guard,
    handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
      const records = ctx.records ?? [];
      if (!confirmedByAdmin(request)) return { records: records.map((r) => r.toJSON(ctx.currentAdmin)) };
      const results: Result[] = [];
      for (const r of records) {
        const json = r.toJSON(ctx.currentAdmin);
        const out = await each(Number(r.id()), ctx);
        results.push({ ok: out.ok, label: label(json), message: out.message });
      }
      return { records: records.map((r) => r.toJSON(ctx.currentAdmin)), notice: summarize(verb, results), redirectUrl: ctx.h.resourceUrl({ resourceId: ctx.resource.id() }) };
    },
  });
  const listWith = (query: (today: string) => string) => ({
    actionType: 'resource',
    component: false,
    handler: async (_req: ActionRequest, _res: unknown, ctx: ActionContext) => ({
      redirectUrl: `${ctx.h.resourceUrl({ resourceId: ctx.resource.id() })}?${query(businessDate(new Date(), timezone))}`,
    }),
  });
  return {
    markPaid: bulk('marked paid', 'Record a manual payment of the balance due on each selected invoice?', async (id, ctx) => {
      const inv = (await ds.getRepository('Invoice').findOneBy({ id })) as { total: number; amountPaid: number; credit: number } | null;
      if (!inv) return { ok: false, message: 'not found' };
      const due = inv.total - inv.amountPaid - inv.credit;
      if (due <= 0) return { ok: false, message: 'nothing due' };
      const out = await payments.recordPayment({ invoiceId: id, amount: due, gateway: 'manual', description: 'Marked paid by staff', adminId: actingStaff(ctx.currentAdmin).id });
      return out.ok ? { ok: true } : { ok: false, message: out.message };
    }),
    sendReminder: bulk('reminders sent', 'Email a payment reminder for each selected invoice now?', async (id) => {
      const out = await billing.sendReminder(id);
      return out.ok ? { ok: true } : { ok: false, message: out.message };
    }),
    bulkCancel: bulk('cancelled', 'Cancel each selected invoice? Invoices with payments are left alone.', async (id) => {
      const out = await invoices.cancel({ invoiceId: id, reason: 'Cancelled in bulk' });
      return out.ok ? { ok: true } : { ok: false, message: out.message };
    }),
    massPayment: {
      actionType: 'bulk',
      icon: 'DollarSign',
      component: Components.ActionForm,
      custom: {
        title: 'One payment for the selected invoices',
        description: 'Applied to the oldest due first; anything left becomes the client’s credit. All invoices must belong to one client.',
        fields: [
          { name: 'amount', label: 'Amount received', required: true },
          { name: 'gateway', label: 'Payment method', type: 'select', options: [{ value: 'banktransfer', label: 'Bank transfer' }, { value: 'manual', label: 'Manual / cash / cheque' }, { value: 'stripe', label: 'Stripe' }, { value: 'paypal', label: 'PayPal' }, { value: 'sslcommerz', label: 'SSLCommerz' }], required: true },
          { name: 'transactionId', label: 'Reference' },
        ],
        submitLabel: 'Record payment',
      },
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        const records = ctx.records ?? [];
        if (request.method !== 'post') return { records: records.map((r) => r.toJSON(ctx.currentAdmin)) };
        const p = (request.payload ?? {}) as Record<string, unknown>;
        let amount: number;
        try {
          amount = parseMoney(String(p.amount ?? ''));
        } catch (e) {
          return { records: records.map((r) => r.toJSON(ctx.currentAdmin)), notice: { message: (e as Error).message, type: 'error' } };
        }
        const out = await payments.recordMassPayment({ invoiceIds: records.map((r) => Number(r.id())), amount, gateway: String(p.gateway ?? ''), transactionId: String(p.transactionId ?? '') || null, adminId: actingStaff(ctx.currentAdmin).id });
        const notice = out.ok ? { message: `Paid: ${out.paid.join(', ') || 'nothing (already recorded)'}${out.toCredit ? `; ${formatDecimal(out.toCredit)} to credit` : ''}.`, type: 'success' } : { message: out.message, type: 'error' };
        return { records: records.map((r) => r.toJSON(ctx.currentAdmin)), notice };
      },
    },
    overdue: listWith((today) => `filters.status=unpaid&filters.dueDate~~to=${addDays(today, -1)}&sortBy=dueDate&direction=asc`),
    dueThisWeek: listWith((today) => `filters.status=unpaid&filters.dueDate~~from=${today}&filters.dueDate~~to=${addDays(today, 6)}&sortBy=dueDate&direction=asc`),
  };
}
