import type { DataSource } from 'typeorm';
import { fail, type Outcome } from '../shared/outcome.js';
import type { PaymentService } from '../billing/payments.js';
import type { GatewayDirectory } from './directory.js';

interface PaymentRow {
  id: number;
  clientId: number;
  invoiceId: number | null;
  currencyId: number;
  gateway: string;
  type: string;
  status: string;
  amountIn: number;
  transactionId: string | null;
}

/**
 * Refunds a gateway payment through the provider, then records it. The provider call carries an idempotency key made
 * from the payment, the how-many-th refund this is and the amount, so a retry after a crash (or two staff pressing
 * Refund together) reaches the same provider refund instead of a second one; recording it is then unique by the
 * provider's refund id. An outbound gateway-log row written before the call shows staff any refund the provider made
 * that could not be recorded.
 */
export class GatewayRefunds {
  constructor(private readonly deps: { ds: DataSource; payments: PaymentService; gateways: GatewayDirectory }) {}

  async refund(input: { transactionId: number; amount: number; reason?: string; adminId?: number | null }): Promise<Outcome<{ refundTransactionId: number; invoiceStatus: string | null; creditNoteNumber: string | null; providerStatus: string }>> {
    if (!Number.isSafeInteger(input.amount) || input.amount <= 0) return fail('invalid_amount', 'The amount must be more than zero.', 'amount');
    const repo = this.deps.ds.getRepository('Transaction');
    const payment = (await repo.findOneBy({ id: input.transactionId })) as PaymentRow | null;
    if (!payment) return fail('transaction_not_found', `Transaction #${input.transactionId} does not exist.`);
    if (payment.type !== 'payment' || payment.status !== 'completed' || !payment.transactionId) return fail('not_refundable', 'Only a completed gateway payment can be refunded through its gateway.');
    const gw = await this.deps.gateways.get(payment.gateway);
    if (!gw || !gw.module.supports.refunds) return fail('gateway_cannot_refund', `Payments through ${payment.gateway} cannot be refunded through the gateway from here: refund at the provider, then record it with Refund.`);
    const previous = (await repo.find({ where: { refundOfId: payment.id }, select: { id: true, amountOut: true, status: true } })) as Array<{ amountOut: number; status: string }>;
    const refunded = previous.filter((r) => r.status === 'completed').reduce((n, r) => n + Number(r.amountOut), 0);
    if (input.amount > payment.amountIn - refunded) return fail('amount_exceeds_refundable', 'That is more than is left of this payment to refund.', 'amount');
    const currency = (await this.deps.ds.getRepository('Currency').findOneByOrFail({ id: payment.currencyId })) as { code: string; exponent: number };

    const idempotencyKey = `refund-${payment.id}-${previous.length + 1}-${input.amount}`;
    const log = await this.deps.ds.getRepository('GatewayLog').insert({
      gateway: gw.settings.code, direction: 'outbound', eventType: 'refund.create', reference: payment.transactionId, invoiceId: payment.invoiceId, transactionId: payment.id,
      request: { amount: input.amount, currency: currency.code, idempotencyKey, reason: input.reason ?? null },
    });
    const logId = log.identifiers[0].id as number;
    const done = await gw.module.refund(gw.settings, { transactionReference: payment.transactionId, amount: input.amount, currency: currency.code, exponent: currency.exponent, reason: input.reason ?? 'requested_by_customer', idempotencyKey });
    if (!done.ok) {
      await this.deps.ds.getRepository('GatewayLog').update({ id: logId }, { result: 'failure', message: `${done.error}: ${done.message}`.slice(0, 2000) });
      return fail(`gateway_${done.error}`, `${gw.settings.displayName} refused the refund: ${done.message}`);
    }
    const recorded = await this.deps.payments.refund({ transactionId: payment.id, amount: input.amount, toCredit: false, gatewayRefundId: done.refundReference, reason: input.reason, adminId: input.adminId });
    await this.deps.ds.getRepository('GatewayLog').update(
      { id: logId },
      recorded.ok
        ? { result: 'success', message: `Refund ${done.refundReference} (${done.status}) recorded as transaction #${recorded.refundTransactionId}.`, response: done.response as object }
        : { result: 'flagged', message: `${gw.settings.displayName} refunded (${done.refundReference}) but recording it failed: ${recorded.message}. Record it by hand with this reference.`, response: done.response as object },
    );
    return recorded.ok ? { ...recorded, providerStatus: done.status } : recorded;
  }
}
