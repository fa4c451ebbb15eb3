import type { ActionContext, ActionRequest, RecordJSON } from 'adminjs';
import type { AdminServices } from '../index.js';
import { Components } from '../../src/admin/components.js';
import type { Outcome } from '../../src/domain/shared/outcome.js';
import { actingStaff, confirmedByAdmin, isFormDisplay, respond } from '../support.js';

const text = (p: Record<string, unknown> | undefined, k: string) => (typeof p?.[k] === 'string' ? (p[k] as string).trim() : '');
const pending = ({ record }: ActionContext) => record?.params?.status === 'pending';

/** "3 accepted; ORD-00012: not pending; ORD-00014: has payments" — one line per order that did not change. */
export function bulkNotice(verb: string, results: Array<{ label: string; outcome: Outcome }>) {
  const failed = results.filter((r) => !r.outcome.ok);
  const done = results.length - failed.length;
  const reasons = failed.slice(0, 10).map((r) => `${r.label}: ${r.outcome.ok ? '' : r.outcome.error.replace(/_/g, ' ')}`);
  const more = failed.length > 10 ? [`${failed.length - 10} more not changed`] : [];
  const message = [`${done} ${verb}`, ...reasons, ...more].join('; ');
  return { message, type: !failed.length ? 'success' : done ? 'info' : 'error' } as const;
}

const label = (r: RecordJSON) => String(r.params.orderNumber ?? `#${r.id}`);

/** Process Order, Cancel Order and Mark Fraud on one order, and the same three over the orders selected in the list. */
export function orderActions({ orders }: AdminServices) {
  const bulk = (verb: string, guard: string, each: (orderId: number, adminId: number) => Promise<Outcome>) => ({
    actionType: 'bulk',
    icon: 'Layers',
    component: false,
    guard,
    handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
      const records = ctx.records ?? [];
      const json = () => records.map((r) => r.toJSON(ctx.currentAdmin));
      if (!confirmedByAdmin(request)) return { records: json() };
      const adminId = actingStaff(ctx.currentAdmin).id;
      const results: Array<{ label: string; outcome: Outcome }> = [];
      // One order at a time, each in its own transaction: one refusal does not undo the others.
      for (const r of records) results.push({ label: label(r.toJSON(ctx.currentAdmin)), outcome: await each(Number(r.id()), adminId) });
      const fresh = await ctx.resource.findMany(records.map((r) => r.id()));
      return { records: fresh.map((r) => r.toJSON(ctx.currentAdmin)), notice: bulkNotice(verb, results), redirectUrl: ctx.h.resourceUrl({ resourceId: ctx.resource.id() }) };
    },
  });

  return {
    processOrder: {
      actionType: 'record',
      icon: 'CheckCircle',
      component: Components.ActionForm,
      isVisible: pending,
      custom: {
        title: 'Process (accept) this order',
        description: 'The order and its services become active.',
        fields: [{ name: 'provision', label: 'Provision now (queue account creation on the server)', type: 'checkbox' }],
        submitLabel: 'Accept order',
      },
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (isFormDisplay(request.method)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
        const provision = text(request.payload as Record<string, unknown>, 'provision') === 'true';
        const out = await orders.acceptOrder({ orderId: Number(ctx.record!.id()), provision, adminId: actingStaff(ctx.currentAdmin).id });
        const message = out.ok ? `Order ${out.orderNumber} accepted: ${out.servicesActivated} service(s) active${provision ? `, ${out.provisioningQueued} queued for provisioning` : ''}.` : '';
        return respond(ctx, out, message);
      },
    },
    cancelOrder: {
      actionType: 'record',
      icon: 'XCircle',
      component: Components.ActionForm,
      isVisible: pending,
      custom: {
        title: 'Cancel this order',
        description: 'Its services and unpaid invoice are cancelled and a promotion use is given back. An order whose invoice has payments must be refunded first.',
        fields: [{ name: 'reason', label: 'Reason (staff only)', type: 'textarea' }],
        submitLabel: 'Cancel order',
      },
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (isFormDisplay(request.method)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
        const out = await orders.cancelOrder({ orderId: Number(ctx.record!.id()), reason: text(request.payload as Record<string, unknown>, 'reason') || null, adminId: actingStaff(ctx.currentAdmin).id });
        return respond(ctx, out, out.ok ? `Order ${out.orderNumber} cancelled.` : '');
      },
    },
    markFraud: {
      actionType: 'record',
      icon: 'AlertOctagon',
      component: false,
      guard: 'Mark this order as fraud? Its services and unpaid invoice are cancelled.',
      isVisible: pending,
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (!confirmedByAdmin(request)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
        const out = await orders.markFraud({ orderId: Number(ctx.record!.id()), adminId: actingStaff(ctx.currentAdmin).id });
        const shown = await respond(ctx, out, out.ok ? `Order ${out.orderNumber} marked as fraud.` : '');
        return { ...shown, redirectUrl: ctx.h.recordActionUrl({ resourceId: ctx.resource.id(), recordId: ctx.record!.id(), actionName: 'show' }) };
      },
    },
    bulkProcessOrders: bulk('accepted', 'Accept the selected orders and queue their services for provisioning?', (orderId, adminId) => orders.acceptOrder({ orderId, provision: true, adminId })),
    bulkCancelOrders: bulk('cancelled', 'Cancel the selected orders with their services and unpaid invoices?', (orderId, adminId) => orders.cancelOrder({ orderId, reason: 'Cancelled in bulk', adminId })),
    bulkMarkFraud: bulk('marked as fraud', 'Mark the selected orders as fraud? Their services and unpaid invoices are cancelled.', (orderId, adminId) => orders.markFraud({ orderId, adminId })),
  };
}
