import {
  CheckoutPaymentIntent, PaypalExperienceUserAction, PaypalWalletContextShippingPreference, type OrderRequest,
} from '@paypal/paypal-server-sdk';
import type { GatewayEvent, GatewaySettings, PaymentGatewayModule } from '../../domain/payments/gateway.js';
import { fail, succeed, type Outcome } from '../../domain/shared/outcome.js';
import { errorBody, issueOf, lookup, PaypalConnector, statusOf, toFailure } from './paypal-client.js';
import {
  captureEvent, captureOfOrder, DECLINED_MESSAGE, invoiceIdOf, parseJson, toPaypalValue, type RawOrder,
} from './paypal-events.js';
import { verifyPaypalNotification } from './paypal-webhook.js';

/** Capture refusals that are about the buyer's money, not our request: the buyer may pick another source. */
const DECLINE_ISSUES = new Set(['INSTRUMENT_DECLINED', 'PAYER_CANNOT_PAY', 'TRANSACTION_REFUSED']);

/**
 * PayPal Checkout (Orders v2, intent CAPTURE) through the official server SDK. The customer approves the order on
 * PayPal and comes back with ?token=<order id>; completeReturn captures it then and there. PayPal's
 * PAYMENT.CAPTURE.* webhooks report the same capture id, so return and webhook dedupe on transactionReference.
 */
export function paypalGateway(opts: { apiBase?: string; timeoutMs?: number } = {}): PaymentGatewayModule {
  const conn = new PaypalConnector(opts.apiBase, opts.timeoutMs ?? 20_000);
  const mode = (s: GatewaySettings) => (s.testMode ? 'sandbox' : 'live');

  /** The event for an order PayPal says is captured. */
  function captured(order: RawOrder | null, orderId: string): Outcome<{ event: GatewayEvent }> {
    const found = order ? captureOfOrder(order) : null;
    if (!found?.capture.id) return fail('unavailable', 'PayPal captured the order but did not say which payment it made; try again in a moment.');
    return succeed({
      event: captureEvent(found.capture, {
        eventId: `capture:${found.capture.id}`, eventType: `PAYMENT.CAPTURE.${found.capture.status ?? 'UNKNOWN'}`,
        orderId, referenceId: found.referenceId, payload: order,
      }),
    });
  }

  return {
    code: 'paypal',
    name: 'PayPal',
    credentialFields: [
      { key: 'clientId', label: 'Client ID' },
      { key: 'clientSecret', label: 'Client secret' },
      { key: 'webhookId', label: 'Webhook ID' },
    ],
    supports: { refunds: true, savedMethods: false },

    async startCheckout(settings, req) {
      if (!Number.isSafeInteger(req.amount) || req.amount <= 0) return fail('invalid', 'The amount to pay must be more than zero.');
      const value = toPaypalValue(req.amount, req.currency, req.exponent);
      if (value === null) return fail('invalid', `PayPal only takes whole amounts in ${req.currency}; this invoice has a fraction.`);
      const description = [...req.invoice.description.trim()].slice(0, 127).join('');
      const body: OrderRequest = {
        intent: CheckoutPaymentIntent.Capture,
        purchaseUnits: [{
          referenceId: String(req.invoice.id),
          customId: req.attemptId,
          // PayPal refuses an invoice_id it has seen before, and an invoice may take several attempts.
          invoiceId: `${req.invoice.number}-${req.attemptId.slice(0, 8)}`,
          ...(description ? { description } : {}),
          amount: { currencyCode: req.currency, value },
        }],
        paymentSource: {
          paypal: {
            experienceContext: {
              returnUrl: req.returnUrl, cancelUrl: req.cancelUrl,
              userAction: PaypalExperienceUserAction.PayNow,
              shippingPreference: PaypalWalletContextShippingPreference.NoShipping,
            },
          },
        },
      };
      const request = { method: 'POST', path: '/v2/checkout/orders', paypalRequestId: req.attemptId, body };
      try {
        const res = await conn.call(settings, (api) => api.orders.createOrder({ body, paypalRequestId: req.attemptId, prefer: 'return=minimal' }));
        const order = res.result;
        const link = order.links?.find((l) => l.rel === 'payer-action') ?? order.links?.find((l) => l.rel === 'approve');
        if (!order.id || !link?.href) return fail('unavailable', 'PayPal created the order but gave no page to send the customer to; try again.');
        return succeed({ redirectUrl: link.href, reference: order.id, request, response: parseJson(res.body) ?? order });
      } catch (err) {
        return toFailure(err, 'create the order');
      }
    },

    async completeReturn(settings, query, checkoutReference) {
      const orderId = query.token;
      if (!orderId || orderId !== checkoutReference) return fail('invalid', 'This PayPal return does not belong to this payment attempt.');
      try {
        const res = await conn.call(settings, (api) => api.orders.captureOrder({
          id: orderId, paypalRequestId: `capture-${orderId}`, prefer: 'return=representation',
        }));
        return captured(parseJson(res.body) as RawOrder | null, orderId);
      } catch (err) {
        const issue = issueOf(err);
        if (issue === 'ORDER_ALREADY_CAPTURED') {
          // Captured by an earlier return (or another tab) with a different request id: report that capture again.
          try {
            const res = await conn.call(settings, (api) => api.orders.getOrder({ id: orderId }));
            return captured(parseJson(res.body) as RawOrder | null, orderId);
          } catch (again) {
            return toFailure(again, 'read the order');
          }
        }
        if (issue === 'ORDER_NOT_APPROVED' || issue === 'PAYER_ACTION_REQUIRED') {
          return fail('not_approved', 'You came back from PayPal without approving the payment, so nothing was charged. You can try again.');
        }
        if (issue && DECLINE_ISSUES.has(issue)) {
          const order = await lookup<RawOrder>(conn, settings, orderId, (api, id) => api.orders.getOrder({ id }));
          const unit = order?.purchase_units?.[0];
          const body = errorBody(err);
          return succeed({
            event: {
              eventId: `declined:${orderId}:${body?.debug_id ?? new Date().toISOString()}`, eventType: 'PAYMENT.CAPTURE.DECLINED',
              outcome: 'failed', attemptId: unit?.custom_id ?? null, checkoutReference: orderId, transactionReference: null,
              invoiceId: invoiceIdOf(unit?.reference_id), amount: null, currency: null, fees: null,
              failureMessage: DECLINED_MESSAGE, savedMethod: null, payload: body,
            },
          });
        }
        return toFailure(err, 'capture the payment');
      }
    },

    verifyNotification: (settings, incoming) => verifyPaypalNotification(conn, settings, incoming),

    async refund(settings, req) {
      if (!Number.isSafeInteger(req.amount) || req.amount <= 0) return fail('invalid', 'The refund amount must be more than zero.');
      const value = toPaypalValue(req.amount, req.currency, req.exponent);
      if (value === null) return fail('invalid', `PayPal only refunds whole amounts in ${req.currency}.`);
      // The reason stays ours: PayPal would show note_to_payer to the customer.
      const body = { amount: { currencyCode: req.currency, value } };
      const request = { method: 'POST', path: `/v2/payments/captures/${req.transactionReference}/refund`, paypalRequestId: req.idempotencyKey, body };
      try {
        const res = await conn.call(settings, (api) => api.payments.refundCapturedPayment({
          captureId: req.transactionReference, paypalRequestId: req.idempotencyKey, prefer: 'return=representation', body,
        }));
        const refund = res.result;
        const response = parseJson(res.body) ?? refund;
        if (!refund.id) return fail('unavailable', 'PayPal accepted the refund but did not say its id; check PayPal before trying again.');
        if (refund.status === 'COMPLETED') return succeed({ refundReference: refund.id, status: 'succeeded' as const, request, response });
        if (refund.status === 'PENDING') return succeed({ refundReference: refund.id, status: 'pending' as const, request, response });
        return fail('declined', `PayPal did not make the refund (status ${refund.status ?? 'unknown'}, refund ${refund.id}).`);
      } catch (err) {
        return toFailure(err, 'refund the payment');
      }
    },

    async chargeSavedMethod() {
      return fail('unsupported', 'PayPal cannot charge a saved payment method yet: the customer pays on PayPal each time.');
    },

    async testConfiguration(settings) {
      try {
        await conn.token(settings, true);
      } catch (err) {
        return toFailure(err, 'sign in');
      }
      const webhookId = settings.credentials.webhookId?.trim();
      if (!webhookId) {
        return fail('config', 'PayPal accepted the client ID and secret, but the Webhook ID is empty: copy it from the PayPal app\'s webhook settings.', 'webhookId');
      }
      try {
        const hook = await conn.raw<{ url?: string }>(settings, 'GET', `/v1/notifications/webhooks/${encodeURIComponent(webhookId)}`);
        return succeed({ message: `PayPal (${mode(settings)}) accepted the client ID and secret and knows webhook ${webhookId}${hook?.url ? ` (${hook.url})` : ''}.` });
      } catch (err) {
        if (statusOf(err) === 404) {
          return fail('config', `PayPal accepted the client ID and secret but has no webhook ${webhookId} for this app: check the Webhook ID.`, 'webhookId');
        }
        return toFailure(err, 'read the webhook settings');
      }
    },
  };
}
