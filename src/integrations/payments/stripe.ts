import Stripe from 'stripe';
import type { ChargeDone, PaymentGatewayModule } from '../../domain/payments/gateway.js';
import { fail, succeed } from '../../domain/shared/outcome.js';
import { verifyStripeNotification } from './stripe-events.js';
import { clientCache, detailsOf, idOf, redact, stripeFailure } from './stripe-support.js';

/**
 * Stripe through the official SDK: hosted Checkout for invoices, webhooks to learn the outcome, refunds, and
 * off-session charges of cards saved with setup_future_usage. Nothing is settled on the customer's return; the
 * signed webhook decides.
 */
export function stripeGateway(opts: { apiBase?: string; timeoutMs?: number } = {}): PaymentGatewayModule {
  const clientFor = clientCache({ apiBase: opts.apiBase, timeoutMs: opts.timeoutMs ?? 30_000 });
  const badAmount = (amount: number) => !Number.isSafeInteger(amount) || amount <= 0;
  const badCurrency = (currency: string) => !/^[A-Za-z]{3}$/.test(currency);

  return {
    code: 'stripe',
    name: 'Stripe',
    credentialFields: [
      { key: 'secretKey', label: 'Secret key (sk_…)' },
      { key: 'webhookSecret', label: 'Webhook signing secret (whsec_…)' },
    ],
    supports: { refunds: true, savedMethods: true },

    async startCheckout(settings, r) {
      const client = clientFor(settings);
      if ('ok' in client) return client;
      if (badAmount(r.amount)) return fail('invalid', 'The amount to pay must be a positive whole number of minor units.');
      if (badCurrency(r.currency)) return fail('invalid', `"${r.currency}" is not a currency code Stripe accepts.`);
      const metadata = { invoice_id: String(r.invoice.id), attempt_id: r.attemptId };
      const who: Partial<Stripe.Checkout.SessionCreateParams> = r.providerCustomerId
        ? { customer: r.providerCustomerId }
        : { ...(r.customer.email ? { customer_email: r.customer.email } : {}), ...(r.saveMethod ? { customer_creation: 'always' as const } : {}) };
      const params: Stripe.Checkout.SessionCreateParams = {
        mode: 'payment',
        line_items: [{
          price_data: { currency: r.currency.toLowerCase(), unit_amount: r.amount, product_data: { name: `Invoice ${r.invoice.number}` } },
          quantity: 1,
        }],
        client_reference_id: String(r.invoice.id),
        metadata,
        payment_intent_data: { metadata, description: `Invoice ${r.invoice.number}`, ...(r.saveMethod ? { setup_future_usage: 'off_session' as const } : {}) },
        success_url: withSessionId(r.returnUrl),
        cancel_url: r.cancelUrl,
        ...who,
      };
      try {
        const session = await client.stripe.checkout.sessions.create(params, { idempotencyKey: r.attemptId });
        if (!session.url) return fail('invalid', 'Stripe created the checkout but gave no page to send the customer to.');
        return succeed({ redirectUrl: session.url, reference: session.id, request: params, response: redact(session) });
      } catch (e) {
        return stripeFailure(e, 'start the checkout');
      }
    },

    verifyNotification: (settings, incoming) => verifyStripeNotification(clientFor, settings, incoming),

    // Stripe reports the outcome by webhook only; the return URL proves nothing.
    async completeReturn() {
      return succeed({ event: null });
    },

    async refund(settings, r) {
      const client = clientFor(settings);
      if ('ok' in client) return client;
      if (badAmount(r.amount)) return fail('invalid', 'The refund amount must be a positive whole number of minor units.');
      const ref = r.transactionReference;
      const params: Stripe.RefundCreateParams = {
        ...(ref.startsWith('ch_') ? { charge: ref } : { payment_intent: ref }),
        amount: r.amount,
        // Stripe's own `reason` takes three fixed values; staff's words go to metadata.
        metadata: { reason: r.reason.slice(0, 500) },
      };
      try {
        const refund = await client.stripe.refunds.create(params, { idempotencyKey: r.idempotencyKey });
        if (refund.status === 'failed' || refund.status === 'canceled') {
          return fail('declined', `Stripe could not make the refund (${refund.failure_reason ?? refund.status}).`);
        }
        return succeed({
          refundReference: refund.id, status: refund.status === 'succeeded' ? 'succeeded' as const : 'pending' as const,
          request: params, response: redact(refund),
        });
      } catch (e) {
        return stripeFailure(e, 'make the refund');
      }
    },

    async chargeSavedMethod(settings, r) {
      const client = clientFor(settings);
      if ('ok' in client) return client;
      if (badAmount(r.amount)) return fail('invalid', 'The amount to charge must be a positive whole number of minor units.');
      if (badCurrency(r.currency)) return fail('invalid', `"${r.currency}" is not a currency code Stripe accepts.`);
      if (!r.method.providerCustomerId) return fail('invalid', 'This saved card has no Stripe customer, so Stripe cannot charge it: the customer must pay by hand.');
      const params: Stripe.PaymentIntentCreateParams = {
        amount: r.amount, currency: r.currency.toLowerCase(), customer: r.method.providerCustomerId, payment_method: r.method.token,
        off_session: true, confirm: true, metadata: { invoice_id: String(r.invoice.id), attempt_id: r.idempotencyKey }, description: `Invoice ${r.invoice.number}`,
        expand: ['latest_charge.balance_transaction'],
      };
      const request = redact(params);
      try {
        const pi = await client.stripe.paymentIntents.create(params, { idempotencyKey: r.idempotencyKey });
        const done = (status: ChargeDone['status'], declineMessage: string | null = null) => succeed({
          status, transactionReference: pi.id, fees: status === 'succeeded' ? detailsOf(pi).fees : null, declineMessage, request, response: redact(pi),
        });
        if (pi.status === 'succeeded') return done('succeeded');
        if (pi.status === 'processing') return done('pending');
        if (pi.status === 'requires_action') return done('declined', NEEDS_CUSTOMER);
        return done('declined', pi.last_payment_error?.message ?? 'The card was declined.');
      } catch (e) {
        // A decline is Stripe's answer about the card, not a failure of the call.
        if (e instanceof Stripe.errors.StripeCardError) {
          const raw = e.raw as { message?: string; code?: string; payment_intent?: { id: string } };
          const declineMessage = raw.code === 'authentication_required' ? NEEDS_CUSTOMER : raw.message ?? 'The card was declined.';
          return succeed({
            status: 'declined' as const, transactionReference: idOf(raw.payment_intent), fees: null, declineMessage, request,
            response: redact({ error: { type: e.rawType, code: raw.code, decline_code: e.decline_code || undefined, message: raw.message, payment_intent: idOf(raw.payment_intent) } }),
          });
        }
        return stripeFailure(e, 'charge the saved card');
      }
    },

    async testConfiguration(settings) {
      const client = clientFor(settings);
      if ('ok' in client) return client;
      let livemode: boolean;
      try {
        livemode = (await client.stripe.balance.retrieve()).livemode;
      } catch (e) {
        return stripeFailure(e, 'read the account balance');
      }
      const wh = settings.credentials.webhookSecret?.trim();
      if (!wh) return fail('config', 'Stripe accepted the secret key, but the webhook signing secret (whsec_…) is missing: without it Meridian cannot confirm payments.', 'webhookSecret');
      if (!wh.startsWith('whsec_')) return fail('config', 'Stripe accepted the secret key, but the webhook signing secret should start with whsec_: copy it from the webhook endpoint in the Stripe Dashboard.', 'webhookSecret');
      return succeed({ message: `Stripe accepted the secret key (${livemode ? 'live' : 'test'} mode).` });
    },
  };
}

const NEEDS_CUSTOMER = 'The card issuer wants the customer to confirm this payment (3-D Secure), which cannot happen without them: the customer must pay the invoice by hand.';

/** Adds Stripe's `{CHECKOUT_SESSION_ID}` template literally (URL encoding would break it), keeping query and fragment. */
function withSessionId(url: string): string {
  const hash = url.indexOf('#');
  const base = hash < 0 ? url : url.slice(0, hash);
  const sep = !base.includes('?') ? '?' : /[?&]$/.test(base) ? '' : '&';
  return `${base}${sep}session_id={CHECKOUT_SESSION_ID}${hash < 0 ? '' : url.slice(hash)}`;
}
