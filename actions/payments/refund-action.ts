import type { ActionContext, ActionRequest } from 'adminjs';
import type { AdminServices } from '../index.js';
import { Components } from '../../src/admin/components.js';
import { fail } from '../../src/domain/shared/outcome.js';
import { actingStaff, confirmedByAdmin, isFormDisplay, respond } from '../support.js';
import { retryCharge } from '../../src/domain/payments/auto-charge.js';
import { amountFrom, text } from '../billing/payment-actions.js';

const PROVIDERS = new Set(['stripe', 'paypal', 'sslcommerz']);

/** Transaction: Refund through gateway — the provider returns the money to the card or account, then it is recorded. */
export function gatewayRefundAction({ gatewayRefunds }: AdminServices) {
  return {
    refundThroughGateway: {
      actionType: 'record',
      icon: 'RotateCcw',
      component: Components.ActionForm,
      isVisible: ({ record }: ActionContext) => record?.params?.type === 'payment' && record?.params?.status === 'completed' && PROVIDERS.has(String(record?.params?.gateway)) && Boolean(record?.params?.transactionId),
      custom: {
        title: 'Refund through the gateway',
        description: 'The provider sends the money back to the customer’s card or account; the refund, and a credit note for invoiced money, are then recorded here.',
        fields: [
          { name: 'amount', label: 'Amount to refund', required: true },
          { name: 'reason', label: 'Reason', type: 'textarea' },
        ],
        submitLabel: 'Refund',
      },
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (isFormDisplay(request.method)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
        const p = request.payload as Record<string, unknown> | undefined;
        const amount = amountFrom(p);
        if (typeof amount === 'string') return respond(ctx, fail('invalid_amount', amount), '');
        const out = await gatewayRefunds.refund({ transactionId: Number(ctx.record!.id()), amount, reason: text(p, 'reason') || undefined, adminId: actingStaff(ctx.currentAdmin).id });
        return respond(ctx, out, out.ok ? `Refunded through the gateway${out.providerStatus === 'pending' ? ' (the provider confirms it shortly)' : ''}${out.creditNoteNumber ? `; credit note ${out.creditNoteNumber}` : ''}.` : '');
      },
    },
  };
}

/** Invoice: Retry charge — one more attempt on the client's default saved card, now, whatever the automatic schedule says. */
export function retryChargeAction({ autoCharge }: AdminServices) {
  return {
    retryCharge: {
      actionType: 'record',
      icon: 'CreditCard',
      component: false,
      guard: 'Charge the client’s default saved payment method for this invoice’s balance now?',
      isVisible: ({ record }: ActionContext) => record?.params?.status === 'unpaid',
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (!confirmedByAdmin(request)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
        const out = await retryCharge(autoCharge, Number(ctx.record!.id()));
        return respond(ctx, out, out.ok ? out.message : '');
      },
    },
  };
}
