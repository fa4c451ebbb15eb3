import type { ActionContext, ActionRequest } from 'adminjs';
import type { AdminServices } from '../index.js';
import { Components } from '../../src/admin/components.js';
import { MoneyError, formatDecimal, parseMoney } from '../../src/domain/shared/money.js';
import { fail } from '../../src/domain/shared/outcome.js';
import { actingStaff, isFormDisplay, respond } from '../support.js';

export const text = (p: Record<string, unknown> | undefined, k: string) => (typeof p?.[k] === 'string' ? (p[k] as string).trim() : '');

/** "12.50" from a form into cents, or the reason it is not an amount. */
export function amountFrom(p: Record<string, unknown> | undefined, k = 'amount'): number | string {
  const raw = text(p, k);
  if (!raw) return 'Enter an amount.';
  try {
    return parseMoney(raw);
  } catch (e) {
    return e instanceof MoneyError ? e.message : 'That is not an amount.';
  }
}

const GATEWAYS = [
  { value: 'banktransfer', label: 'Bank transfer' },
  { value: 'manual', label: 'Manual / cash / cheque' },
  { value: 'stripe', label: 'Stripe' },
  { value: 'paypal', label: 'PayPal' },
  { value: 'sslcommerz', label: 'SSLCommerz' },
];

const openInvoice = ({ record }: ActionContext) => ['unpaid', 'payment_pending', 'collections', 'paid'].includes(String(record?.params?.status));

/** Invoice actions: record a payment, apply credit, cancel. Each parses the form and calls one billing service. */
export function invoicePaymentActions({ payments, invoices }: AdminServices) {
  return {
    recordPayment: {
      actionType: 'record',
      icon: 'DollarSign',
      component: Components.ActionForm,
      isVisible: openInvoice,
      custom: {
        title: 'Record a payment',
        description: 'Money beyond the balance due becomes the client’s account credit.',
        fields: [
          { name: 'amount', label: 'Amount', required: true, help: 'In the invoice’s currency, e.g. 49.95' },
          { name: 'gateway', label: 'Payment method', type: 'select', options: GATEWAYS, required: true },
          { name: 'transactionId', label: 'Transaction id', help: 'The bank or gateway reference; the same reference is never recorded twice.' },
          { name: 'date', label: 'Date received', type: 'date' },
          { name: 'fees', label: 'Fees', help: 'Gateway fees, if any' },
        ],
        submitLabel: 'Record payment',
      },
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (isFormDisplay(request.method)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
        const p = request.payload as Record<string, unknown> | undefined;
        const amount = amountFrom(p);
        if (typeof amount === 'string') return respond(ctx, fail('invalid_amount', amount), '');
        const fees = text(p, 'fees') ? amountFrom(p, 'fees') : 0;
        if (typeof fees === 'string') return respond(ctx, fail('invalid_fees', `Fees: ${fees}`), '');
        const dateText = text(p, 'date');
        const date = dateText ? new Date(`${dateText}T12:00:00Z`) : undefined;
        const outcome = await payments.recordPayment({
          invoiceId: Number(ctx.record!.id()),
          amount,
          fees,
          gateway: text(p, 'gateway'),
          transactionId: text(p, 'transactionId') || null,
          date,
          adminId: actingStaff(ctx.currentAdmin).id,
        });
        const message = outcome.ok
          ? outcome.duplicate
            ? 'That transaction was already recorded; nothing changed.'
            : `Payment recorded${outcome.toCredit ? `; ${formatDecimal(outcome.toCredit)} added to credit` : ''}. Invoice is ${outcome.invoiceStatus}.`
          : '';
        return respond(ctx, outcome, message);
      },
    },
    applyCredit: {
      actionType: 'record',
      icon: 'Gift',
      component: Components.ActionForm,
      isVisible: ({ record }: ActionContext) => ['unpaid', 'payment_pending', 'collections'].includes(String(record?.params?.status)),
      custom: {
        title: 'Apply account credit',
        fields: [{ name: 'amount', label: 'Amount', help: 'Leave empty to apply as much as is due and available.' }],
        submitLabel: 'Apply credit',
      },
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (isFormDisplay(request.method)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
        const p = request.payload as Record<string, unknown> | undefined;
        const amount = text(p, 'amount') ? amountFrom(p) : undefined;
        if (typeof amount === 'string') return respond(ctx, fail('invalid_amount', amount), '');
        const outcome = await payments.applyCredit({ invoiceId: Number(ctx.record!.id()), amount, adminId: actingStaff(ctx.currentAdmin).id });
        return respond(ctx, outcome, outcome.ok ? `${formatDecimal(outcome.applied)} of credit applied. Invoice is ${outcome.invoiceStatus}.` : '');
      },
    },
    cancelInvoice: {
      actionType: 'record',
      icon: 'XCircle',
      component: Components.ActionForm,
      isVisible: ({ record }: ActionContext) => ['draft', 'unpaid', 'payment_pending', 'collections'].includes(String(record?.params?.status)),
      custom: { title: 'Cancel this invoice', fields: [{ name: 'reason', label: 'Reason (staff only)', type: 'textarea' }], submitLabel: 'Cancel invoice' },
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (isFormDisplay(request.method)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
        const outcome = await invoices.cancel({ invoiceId: Number(ctx.record!.id()), reason: text(request.payload as Record<string, unknown>, 'reason') });
        return respond(ctx, outcome, 'Invoice cancelled.');
      },
    },
  };
}

/** Refund from a payment transaction, to the client or to account credit. */
export function transactionActions({ payments }: AdminServices) {
  return {
    refund: {
      actionType: 'record',
      icon: 'CornerUpLeft',
      component: Components.ActionForm,
      isVisible: ({ record }: ActionContext) => record?.params?.type === 'payment' && record?.params?.status === 'completed',
      custom: {
        title: 'Refund this payment',
        fields: [
          { name: 'amount', label: 'Amount to refund', required: true },
          { name: 'toCredit', label: 'Refund to account credit instead of the payment method', type: 'checkbox' },
          { name: 'gatewayRefundId', label: 'Gateway refund reference' },
          { name: 'reason', label: 'Reason', type: 'textarea' },
        ],
        submitLabel: 'Refund',
      },
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (isFormDisplay(request.method)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
        const p = request.payload as Record<string, unknown> | undefined;
        const amount = amountFrom(p);
        if (typeof amount === 'string') return respond(ctx, fail('invalid_amount', amount), '');
        const outcome = await payments.refund({
          transactionId: Number(ctx.record!.id()),
          amount,
          toCredit: text(p, 'toCredit') === 'true',
          gatewayRefundId: text(p, 'gatewayRefundId') || null,
          reason: text(p, 'reason') || undefined,
          adminId: actingStaff(ctx.currentAdmin).id,
        });
        return respond(ctx, outcome, 'Refund recorded.');
      },
    },
  };
}

/** Client action: add or remove account credit with a reason. */
export function clientCreditActions({ payments }: AdminServices) {
  return {
    addCredit: {
      actionType: 'record',
      icon: 'PlusCircle',
      component: Components.ActionForm,
      custom: {
        title: 'Add or remove credit',
        fields: [
          { name: 'amount', label: 'Amount', required: true, help: 'Negative to remove credit, e.g. -10.00' },
          { name: 'description', label: 'Reason', required: true },
        ],
        submitLabel: 'Save',
      },
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (isFormDisplay(request.method)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
        const p = request.payload as Record<string, unknown> | undefined;
        const amount = amountFrom(p);
        if (typeof amount === 'string') return respond(ctx, fail('invalid_amount', amount), '');
        const outcome = await payments.addCredit({ clientId: Number(ctx.record!.id()), amount, description: text(p, 'description'), adminId: actingStaff(ctx.currentAdmin).id });
        return respond(ctx, outcome, outcome.ok ? `Credit balance is now ${formatDecimal(outcome.balanceAfter)}.` : '');
      },
    },
  };
}
