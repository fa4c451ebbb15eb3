import Stripe from 'stripe';
import type { GatewaySettings, SavedMethodInfo } from '../../domain/payments/gateway.js';
import { fail, type Failure } from '../../domain/shared/outcome.js';

/** Where the SDK sends requests: Stripe itself, or `apiBase` (the fake in tests, a proxy for developers). */
export interface StripeTarget { apiBase?: string; timeoutMs: number }

const GATEWAYS = 'Payment Gateways → Stripe';

/**
 * One client per secret key and target: the SDK keeps its keep-alive agent and telemetry per instance, and staff
 * may change keys at any time, so a new key simply gets a new client.
 */
export function clientCache(target: StripeTarget) {
  const clients = new Map<string, Stripe>();
  let where: Pick<Stripe.StripeConfig, 'host' | 'port' | 'protocol'> = {};
  if (target.apiBase) {
    const u = new URL(target.apiBase);
    const protocol = u.protocol === 'http:' ? 'http' : 'https';
    // The SDK always requests /v1/…, so only the origin of apiBase counts.
    where = { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port || (protocol === 'http' ? '80' : '443'), protocol };
  }
  return (settings: GatewaySettings): { stripe: Stripe } | Failure => {
    const key = secretKeyOf(settings, Boolean(target.apiBase));
    if (typeof key !== 'string') return key;
    let stripe = clients.get(key);
    if (!stripe) {
      stripe = new Stripe(key, {
        ...where,
        timeout: target.timeoutMs,
        // Money-moving calls carry our own idempotency keys and callers retry 'unavailable' themselves; SDK retries
        // would only hide outages and add seconds of backoff.
        maxNetworkRetries: 0,
        telemetry: false,
        appInfo: { name: 'Meridian' },
      });
      clients.set(key, stripe);
    }
    return { stripe };
  };
}

function secretKeyOf(settings: GatewaySettings, customBase: boolean): string | Failure {
  const key = settings.credentials.secretKey?.trim();
  if (!key) return fail('config', `The Stripe secret key (sk_…) is missing: enter it in ${GATEWAYS}.`, 'secretKey');
  if (key.startsWith('pk_')) return fail('config', `That is Stripe's publishable key (pk_…); Meridian needs the secret key (sk_…) in ${GATEWAYS}.`, 'secretKey');
  if (!/^(sk|rk)_/.test(key)) return fail('config', `The Stripe secret key should start with sk_ (or rk_ for a restricted key): check it in ${GATEWAYS}.`, 'secretKey');
  if (!customBase) {
    // Stripe has one host; the key alone decides test or live, so a key of the other mode is a configuration mistake.
    const live = /^(sk|rk)_live_/.test(key);
    if (settings.testMode && live) return fail('config', 'Test mode is on but the Stripe secret key is a live key (sk_live_…): use the test key (sk_test_…) or turn test mode off.', 'secretKey');
    if (!settings.testMode && !live) return fail('config', 'Test mode is off but the Stripe secret key is a test key: use the live key (sk_live_…) or turn test mode on.', 'secretKey');
  }
  return key;
}

/** Turns an SDK exception into a stable failure; anything that is not a Stripe error is a bug and is rethrown. */
export function stripeFailure(e: unknown, action: string): Failure {
  if (!(e instanceof Stripe.errors.StripeError)) throw e;
  const raw = (e.raw ?? {}) as { message?: string; code?: string };
  const said = (raw.message ?? e.message).trim();
  switch (e.type) {
    case 'StripeAuthenticationError':
      return fail('config', `Stripe refused the API key: check the secret key (sk_…) in ${GATEWAYS}.`, 'secretKey');
    case 'StripePermissionError':
      return fail('config', `The Stripe key may not ${action} (is it a restricted key?): use a secret key allowed to do this. Stripe said: ${said}`, 'secretKey');
    case 'StripeConnectionError':
      return fail('unavailable', `Could not reach Stripe to ${action} (network problem or timeout); try again shortly.`);
    case 'StripeRateLimitError':
      return fail('unavailable', `Stripe is limiting the request rate and did not ${action}; try again shortly.`);
    case 'StripeCardError':
      return fail('declined', said || 'The card was declined.');
    case 'StripeIdempotencyError':
      return fail('invalid', `Stripe refused to ${action}: its idempotency key was already used for a different request.`);
    case 'StripeInvalidRequestError':
      return raw.code === 'resource_missing' ? fail('not_found', `Stripe could not ${action}: ${said}`) : fail('invalid', `Stripe refused to ${action}: ${said}`);
    default:
      // StripeAPIError: 5xx, 409 lock conflicts, or an answer that was not JSON (a proxy's error page).
      return fail('unavailable', `Stripe had a problem${e.statusCode ? ` (HTTP ${e.statusCode})` : ''} and could not ${action}; try again shortly.`);
  }
}

/**
 * What may go to the gateway log: client secrets removed, payment-method tokens shortened to their last characters
 * (a pm_ id is the saved-card token, which belongs in SavedMethodInfo only).
 */
export function redact(value: unknown): unknown {
  if (typeof value === 'string') return /^(pm|card|src)_[A-Za-z0-9]+$/.test(value) ? `${value.slice(0, value.indexOf('_') + 1)}…${value.slice(-4)}` : value;
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value)
      .filter(([k]) => k !== 'client_secret' && k !== 'lastResponse')
      .map(([k, v]) => [k, redact(v)]));
  }
  return value;
}

export const idOf = (v: string | { id: string } | null | undefined): string | null => (typeof v === 'string' ? v : v?.id ?? null);

/** Our invoice id as echoed in metadata or client_reference_id; anything but a positive integer is no id. */
export function invoiceIdOf(...candidates: Array<string | null | undefined>): number | null {
  for (const c of candidates) {
    if (c && /^\d{1,15}$/.test(c)) {
      const n = Number(c);
      if (n > 0) return n;
    }
  }
  return null;
}

/** Fees (same currency only) and the saved card, from a PaymentIntent expanded with payment_method and latest_charge.balance_transaction. */
export function detailsOf(pi: Stripe.PaymentIntent): { fees: number | null; savedMethod: SavedMethodInfo | null } {
  const charge = typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
  const txn = charge && typeof charge.balance_transaction === 'object' ? charge.balance_transaction : null;
  // Stripe settles in the account's currency; a fee in another currency cannot be set against this payment.
  const fees = txn && txn.currency.toLowerCase() === pi.currency.toLowerCase() ? txn.fee : null;
  const pm = typeof pi.payment_method === 'object' ? pi.payment_method : null;
  const customer = idOf(pi.customer) ?? idOf(pm?.customer);
  let savedMethod: SavedMethodInfo | null = null;
  if (pi.setup_future_usage && pm && customer) {
    const type = pm.type === 'card' || pm.type === 'link' ? 'card'
      : pm.type === 'paypal' ? 'paypal'
        : ['us_bank_account', 'sepa_debit', 'bacs_debit', 'acss_debit', 'au_becs_debit', 'nz_bank_account'].includes(pm.type) ? 'bank' : null;
    if (type) {
      const bank = pm.us_bank_account ?? pm.sepa_debit ?? pm.bacs_debit ?? pm.acss_debit ?? pm.au_becs_debit ?? null;
      savedMethod = {
        providerCustomerId: customer, token: pm.id, type,
        brand: pm.card?.brand ?? (pm.us_bank_account?.bank_name ?? null),
        lastFour: pm.card?.last4 ?? (bank && 'last4' in bank ? bank.last4 ?? null : null),
        expMonth: pm.card?.exp_month ?? null, expYear: pm.card?.exp_year ?? null,
      };
    }
  }
  return { fees, savedMethod };
}
