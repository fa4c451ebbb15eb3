import Stripe from 'stripe';
import type { GatewayEvent, GatewaySettings, IncomingNotification } from '../../domain/payments/gateway.js';
import { fail, succeed, type Failure, type Outcome } from '../../domain/shared/outcome.js';
import { detailsOf, idOf, invoiceIdOf, redact, stripeFailure } from './stripe-support.js';

const TOLERANCE_S = 300;

type ClientFor = (settings: GatewaySettings) => { stripe: Stripe } | Failure;

/**
 * Verifies a Stripe webhook (HMAC-SHA256 over `t.rawBody` with the endpoint's signing secret, 300 s tolerance) and
 * says what it reports. Payment events are keyed by the PaymentIntent id, so checkout.session.completed and
 * payment_intent.succeeded of one payment name the same transaction and dedupe on it.
 */
export async function verifyStripeNotification(clientFor: ClientFor, settings: GatewaySettings, incoming: IncomingNotification): Promise<Outcome<{ event: GatewayEvent }>> {
  const secret = settings.credentials.webhookSecret?.trim();
  if (!secret) return fail('config', 'The Stripe webhook signing secret (whsec_…) is missing: copy it from the webhook endpoint in the Stripe Dashboard into Payment Gateways → Stripe.', 'webhookSecret');
  const header = Object.entries(incoming.headers).find(([k]) => k.toLowerCase() === 'stripe-signature')?.[1];
  if (!header) return fail('forged', 'The notification has no Stripe-Signature header, so it cannot be from Stripe.');
  const receivedAt = incoming.receivedAt.getTime();

  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(incoming.rawBody, header, secret, TOLERANCE_S, undefined, receivedAt);
  } catch (e) {
    if (!(e instanceof Stripe.errors.StripeSignatureVerificationError)) {
      return fail('invalid', 'The Stripe notification is signed but its body is not a readable event.');
    }
    // The SDK checks the signature before the age; if it passes without the age check, only the age was wrong.
    try {
      Stripe.webhooks.constructEvent(incoming.rawBody, header, secret, 0);
    } catch {
      return fail('forged', 'The Stripe-Signature does not match this notification and our signing secret: it was not sent by Stripe (or the signing secret in Payment Gateways is wrong).');
    }
    return fail('stale', 'The Stripe notification is more than 5 minutes old (a replay?): it was not processed.');
  }
  const t = Number(/(?:^|,)\s*t=(\d+)/.exec(header)?.[1]);
  // The SDK accepts timestamps from the future; a signature minted ahead of time is just as suspicious.
  if (t * 1000 - receivedAt > TOLERANCE_S * 1000) return fail('stale', 'The Stripe notification is dated in the future beyond the 5-minute tolerance: it was not processed.');

  const obj = (event as { data?: { object?: unknown } }).data?.object;
  if (typeof event.id !== 'string' || typeof event.type !== 'string' || !obj || typeof obj !== 'object') {
    return fail('invalid', 'The Stripe notification is signed but is not an event Meridian can read.');
  }
  const base: GatewayEvent = {
    eventId: event.id, eventType: event.type, outcome: 'ignored', attemptId: null, checkoutReference: null, transactionReference: null,
    invoiceId: null, amount: null, currency: null, fees: null, failureMessage: null, savedMethod: null, payload: redact(event),
  };

  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
    case 'checkout.session.async_payment_failed': {
      const s = obj as Stripe.Checkout.Session;
      const outcome = event.type === 'checkout.session.async_payment_succeeded' ? 'succeeded'
        : event.type === 'checkout.session.async_payment_failed' ? 'failed'
          : s.payment_status === 'paid' ? 'succeeded' : s.payment_status === 'unpaid' ? 'pending' : 'ignored';
      const ev: GatewayEvent = {
        ...base, outcome, checkoutReference: s.id, transactionReference: idOf(s.payment_intent),
        attemptId: s.metadata?.attempt_id ?? null, invoiceId: invoiceIdOf(s.metadata?.invoice_id, s.client_reference_id),
        amount: s.amount_total, currency: s.currency?.toUpperCase() ?? null,
        failureMessage: outcome === 'failed' ? 'The payment did not go through: the bank or payment method refused it.' : null,
      };
      return enrich(clientFor, settings, ev);
    }
    case 'payment_intent.succeeded':
    case 'payment_intent.payment_failed': {
      const pi = obj as Stripe.PaymentIntent;
      const ok = event.type === 'payment_intent.succeeded';
      const ev: GatewayEvent = {
        ...base, outcome: ok ? 'succeeded' : 'failed', transactionReference: pi.id,
        attemptId: pi.metadata?.attempt_id ?? null, invoiceId: invoiceIdOf(pi.metadata?.invoice_id),
        amount: ok ? pi.amount_received : pi.amount, currency: pi.currency.toUpperCase(),
        failureMessage: ok ? null : pi.last_payment_error?.message ?? 'The payment did not go through.',
      };
      return enrich(clientFor, settings, ev);
    }
    case 'charge.refunded': {
      const ch = obj as Stripe.Charge;
      return succeed({
        event: {
          ...base, outcome: 'refunded', transactionReference: idOf(ch.payment_intent) ?? ch.id,
          attemptId: ch.metadata?.attempt_id ?? null, invoiceId: invoiceIdOf(ch.metadata?.invoice_id),
          // The charge's running total: several partial refunds each report everything refunded so far.
          amount: ch.amount_refunded, currency: ch.currency.toUpperCase(),
        },
      });
    }
    default:
      return succeed({ event: base });
  }
}

/**
 * A succeeded payment is read back from the API (PaymentIntent with its payment method and balance transaction):
 * that gives the fee and, when the customer agreed to keep the card (setup_future_usage), the saved method.
 * Only a passing outage refuses the event (Stripe then delivers it again); when the details cannot be had at all
 * (unknown PaymentIntent, key problem) the verified event still counts, without fee or saved method.
 */
async function enrich(clientFor: ClientFor, settings: GatewaySettings, ev: GatewayEvent): Promise<Outcome<{ event: GatewayEvent }>> {
  if (ev.outcome !== 'succeeded' || !ev.transactionReference) return succeed({ event: ev });
  const client = clientFor(settings);
  if ('ok' in client) return succeed({ event: ev });
  try {
    const pi = await client.stripe.paymentIntents.retrieve(ev.transactionReference, { expand: ['payment_method', 'latest_charge.balance_transaction'] });
    return succeed({ event: { ...ev, ...detailsOf(pi) } });
  } catch (e) {
    const failure = stripeFailure(e, 'read the payment back');
    return failure.error === 'unavailable' ? failure : succeed({ event: ev });
  }
}
