import type { ActionContext, ActionRequest } from 'adminjs';
import type { AdminServices } from '../index.js';
import { invoiceServiceNow } from '../../src/domain/billing/invoice-now.js';
import { businessDate } from '../../src/domain/shared/clock.js';
import { confirmedByAdmin, respond } from '../support.js';

/** "Generate invoice now" on a service: its next period, billed today, once. */
export function serviceBillingActions({ ds, timezone }: AdminServices) {
  return {
    generateInvoiceNow: {
      actionType: 'record',
      icon: 'FileText',
      component: false,
      guard: 'Invoice the next period of this service now?',
      isVisible: ({ record }: ActionContext) => ['active', 'suspended'].includes(String(record?.params?.status)),
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (!confirmedByAdmin(request)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
        const out = await invoiceServiceNow(ds, Number(ctx.record!.id()), businessDate(new Date(), timezone));
        return respond(ctx, out, out.ok ? `Invoice ${out.invoiceNumber} created for the period from ${out.periodStart}.` : '');
      },
    },
  };
}

/** "Send invoice email" on an invoice: the invoice notice again, on demand. */
export function invoiceEmailActions({ billing }: AdminServices) {
  return {
    sendInvoiceEmail: {
      actionType: 'record',
      icon: 'Mail',
      component: false,
      guard: 'Email this invoice to the client now?',
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (!confirmedByAdmin(request)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
        const out = await billing.sendInvoiceEmail(Number(ctx.record!.id()));
        return respond(ctx, out, 'Invoice emailed to the client.');
      },
    },
  };
}
