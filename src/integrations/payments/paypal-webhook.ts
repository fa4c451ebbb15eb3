import type { GatewayEvent, GatewaySettings, IncomingNotification } from '../../domain/payments/gateway.js';
import { fail, succeed, type Outcome } from '../../domain/shared/outcome.js';
import { lookup, toFailure, type PaypalConnector } from './paypal-client.js';
import {
  captureEvent, fromPaypalMoney, invoiceIdOf, linkedId, parseJson, type RawCapture, type RawOrder, type RawRefund,
} from './paypal-events.js';

const TOLERANCE_MS = 300_000;

interface WebhookEvent { id: string; event_type: string; resource?: Record<string, unknown> }

const CAPTURE_OUTCOMES: Record<string, GatewayEvent['outcome']> = {
  'PAYMENT.CAPTURE.COMPLETED': 'succeeded',
  'PAYMENT.CAPTURE.PENDING': 'pending',
  'PAYMENT.CAPTURE.DENIED': 'failed',
  'PAYMENT.CAPTURE.DECLINED': 'failed',
};

/**
 * PayPal signs webhooks with a certificate; rather than fetch and check certificates ourselves we ask PayPal's
 * verify-webhook-signature API, which also binds the delivery to our webhook id. The body is only read for
 * amounts and ids once PayPal has said SUCCESS.
 */
export async function verifyPaypalNotification(
  conn: PaypalConnector, settings: GatewaySettings, incoming: IncomingNotification,
): Promise<Outcome<{ event: GatewayEvent }>> {
  const header = (name: string) => {
    const key = Object.keys(incoming.headers).find((k) => k.toLowerCase() === name);
    const value = key ? incoming.headers[key]?.trim() : undefined;
    return value || null;
  };
  const transmissionId = header('paypal-transmission-id');
  const transmissionTime = header('paypal-transmission-time');
  const transmissionSig = header('paypal-transmission-sig');
  const certUrl = header('paypal-cert-url');
  const authAlgo = header('paypal-auth-algo');
  if (!transmissionId || !transmissionTime || !transmissionSig || !certUrl || !authAlgo) {
    return fail('forged', 'The PayPal notification came without PayPal\'s signature headers; it was ignored.');
  }
  const sentAt = Date.parse(transmissionTime);
  if (Number.isNaN(sentAt)) return fail('forged', 'The PayPal notification has an unreadable transmission time; it was ignored.');
  if (Math.abs(incoming.receivedAt.getTime() - sentAt) > TOLERANCE_MS) {
    return fail('stale', 'The PayPal notification was signed more than 5 minutes before (or after) it arrived; it was ignored.');
  }
  const webhookId = settings.credentials.webhookId?.trim();
  if (!webhookId) {
    return fail('config', 'The PayPal Webhook ID is empty, so PayPal notifications cannot be checked: copy it from the PayPal app\'s webhook settings into Payment Gateways.', 'webhookId');
  }
  const event = parseJson(incoming.rawBody.toString('utf8')) as WebhookEvent | null;
  if (!event || typeof event !== 'object' || typeof event.id !== 'string' || typeof event.event_type !== 'string') {
    return fail('invalid', 'The PayPal notification is not a PayPal webhook event.');
  }
  let status: unknown;
  try {
    const answer = await conn.raw<{ verification_status?: string }>(settings, 'POST', '/v1/notifications/verify-webhook-signature', {
      auth_algo: authAlgo, cert_url: certUrl, transmission_id: transmissionId, transmission_sig: transmissionSig,
      transmission_time: transmissionTime, webhook_id: webhookId, webhook_event: event,
    });
    status = answer?.verification_status;
  } catch (err) {
    return toFailure(err, 'check the notification\'s signature');
  }
  if (status !== 'SUCCESS') {
    return fail('forged', 'PayPal says this notification is not genuine (its signature does not match our Webhook ID); it was ignored.');
  }
  return succeed({ event: await describe(conn, settings, event) });
}

async function describe(conn: PaypalConnector, settings: GatewaySettings, event: WebhookEvent): Promise<GatewayEvent> {
  const resource = (event.resource && typeof event.resource === 'object' ? event.resource : {}) as Record<string, unknown>;
  const captureOutcome = CAPTURE_OUTCOMES[event.event_type];
  if (captureOutcome) {
    const capture = resource as RawCapture;
    const orderId = capture.supplementary_data?.related_ids?.order_id ?? linkedId(capture.links, 'orders');
    const order = await lookup<RawOrder>(conn, settings, orderId, (api, id) => api.orders.getOrder({ id }));
    const unit = order?.purchase_units?.find((pu) => !capture.custom_id || pu.custom_id === undefined || pu.custom_id === capture.custom_id);
    return captureEvent(capture, {
      eventId: event.id, eventType: event.event_type, orderId, referenceId: unit?.reference_id ?? null, payload: event, outcome: captureOutcome,
    });
  }
  const base: GatewayEvent = {
    eventId: event.id, eventType: event.event_type, outcome: 'ignored', attemptId: null, checkoutReference: null,
    transactionReference: null, invoiceId: null, amount: null, currency: null, fees: null, failureMessage: null,
    savedMethod: null, payload: event,
  };
  if (event.event_type !== 'PAYMENT.CAPTURE.REFUNDED') return base;
  // The refund names its capture only by link; the capture knows our attempt and its order our invoice.
  const refund = resource as RawRefund;
  const captureId = linkedId(refund.links, 'captures');
  const capture = await lookup<RawCapture>(conn, settings, captureId, (api, id) => api.payments.getCapturedPayment({ captureId: id }));
  const orderId = capture?.supplementary_data?.related_ids?.order_id ?? linkedId(capture?.links, 'orders');
  const order = await lookup<RawOrder>(conn, settings, orderId, (api, id) => api.orders.getOrder({ id }));
  const money = fromPaypalMoney(refund.amount);
  return {
    ...base, outcome: 'refunded', attemptId: capture?.custom_id ?? refund.custom_id ?? null, checkoutReference: orderId,
    transactionReference: captureId, invoiceId: invoiceIdOf(order?.purchase_units?.[0]?.reference_id),
    amount: money?.amount ?? null, currency: money?.currency ?? null,
  };
}
