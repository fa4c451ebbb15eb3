import { createHmac, randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Stripe API (v1, form-encoded requests, JSON answers) on loopback, with in-memory Checkout Sessions,
 * PaymentIntents, charges, balance transactions, refunds, customers and payment methods, and a webhook sender that
 * signs events the way Stripe does (`Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`).
 *
 * What it checks, as the real API does: Bearer (or Basic) secret key, required and mutually exclusive params, id
 * existence (404 for ids in the path, 400 resource_missing for ids in params), refundable amounts, and idempotency
 * keys (same key + same params → the first answer replayed with `Idempotent-Replayed: true`; same key + other params →
 * 400 idempotency_error). Only the endpoints Meridian calls are implemented; anything else is "Unrecognized request URL".
 *
 * The customer's side is `pay()` (or a POST to the hosted page): the PaymentIntent is created and confirmed then, as
 * Checkout does since API 2022-08-01, and the events are POSTed to the notify URL in Stripe's order.
 */
export interface Delivery { url: string; eventId: string; type: string; body: string; headers: Record<string, string>; status: number }

export interface FakeStripeCall {
  method: string; path: string; params: Obj; idempotencyKey: string | null; status: number; replayed: boolean;
}

export interface FakeStripeOptions { secretKey?: string; webhookSecret?: string }

export interface PayOptions { decline?: boolean; saveMethod?: boolean; card?: { brand?: string; last4?: string } }

export interface FakeStripe {
  port: number; url: string;
  credentials: { secretKey: string; webhookSecret: string };
  sessions: Map<string, Obj>; paymentIntents: Map<string, Obj>; charges: Map<string, Obj>; balanceTransactions: Map<string, Obj>;
  refunds: Map<string, Obj>; customers: Map<string, Obj>; paymentMethods: Map<string, Obj>; events: Map<string, Obj>;
  /** Every API request (not the hosted page), with the status it got. */
  calls: FakeStripeCall[];
  deliveries: Delivery[];
  setNotifyUrl(url: string | null): void;
  /** The customer pays on the hosted page; resolves once the events were delivered (or stored unsent without a URL). */
  pay(checkoutReference: string, opts?: PayOptions): Promise<{ returnUrl: string; returnMethod: 'GET'; returnForm: Record<string, never>; deliveries: Delivery[] }>;
  /** A signed, unsent delivery (status 0), for out-of-order, late, forged or tampered events. */
  event(type: string, object: object, opts?: { timestamp?: number; secret?: string }): Delivery;
  send(d: Delivery): Promise<number>;
  /** Sends the same event again, re-signed at the current time the way Stripe's retries are (unless the body was altered). */
  redeliver(d: Delivery, opts?: { times?: number; concurrent?: boolean }): Promise<number[]>;
  /** Later off-session charges of this payment method are declined (insufficient_funds when the message says so). */
  declineCharges(paymentMethodId: string, message?: string): void;
  /** Later off-session charges of this payment method fail with authentication_required (3-D Secure needed). */
  requireAuthentication(paymentMethodId: string): void;
  /** The next n API requests answer this 5xx status with an api_error body, doing nothing. */
  failNext(n: number, status?: number): void;
  /** Waits for events sent in the background (after off-session charges and refunds). */
  idle(): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

type Obj = Record<string, any>;

class ApiError extends Error {
  constructor(readonly status: number, readonly body: Obj) { super(String(body.error?.message)); }
}

const API_VERSION = '2026-11-18.endive';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const MINIMUM: Record<string, number> = { gbp: 30, jpy: 50, huf: 17500, mxn: 1000, thb: 1000, hkd: 400, sek: 300, nok: 300, dkk: 250, czk: 1500 };
const DOCS = 'https://docs.stripe.com/error-codes/';

const rid = (prefix: string, n = 24) => `${prefix}_${[...randomBytes(n)].map((b) => ALPHABET[b % ALPHABET.length]).join('')}`;
const now = () => Math.floor(Date.now() / 1000);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const canon = (v: unknown): string => (v && typeof v === 'object'
  ? Array.isArray(v) ? `[${v.map(canon).join(',')}]` : `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canon((v as Obj)[k])}`).join(',')}}`
  : JSON.stringify(v));

const fail = (status: number, type: string, message: string, extra: Obj = {}) => new ApiError(status, { error: { type, message, ...extra } });
const invalid = (message: string, param?: string, code?: string) =>
  fail(400, 'invalid_request_error', message, { ...(param ? { param } : {}), ...(code ? { code, doc_url: DOCS + code.replace(/_/g, '-') } : {}) });
const noSuch = (kind: string, id: string, param: string, status = 404) =>
  fail(status, 'invalid_request_error', `No such ${kind}: '${id}'`, { code: 'resource_missing', param, doc_url: `${DOCS}resource-missing` });

/** Stripe's form encoding: `a[b][0][c]=v`, `a[]=v`; objects whose keys are all indexes become arrays (never metadata). */
export function parseStripeForm(raw: string): Obj {
  const root: Obj = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
    if (!m) throw invalid(`Invalid parameter name: ${key}`);
    const path = [m[1], ...[...m[2].matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1])];
    let node = root;
    path.forEach((k, i) => {
      const name = k === '' ? String(Object.keys(node).length) : k;
      if (i === path.length - 1) node[name] = value;
      else node = node[name] = typeof node[name] === 'object' ? node[name] : {};
    });
  }
  const arrays = (v: unknown, inMetadata = false): unknown => {
    if (!v || typeof v !== 'object') return v;
    const o = v as Obj;
    for (const k of Object.keys(o)) o[k] = arrays(o[k], k === 'metadata');
    const keys = Object.keys(o);
    return !inMetadata && keys.length && keys.every((k) => /^\d+$/.test(k)) ? keys.sort((a, b) => Number(a) - Number(b)).map((k) => o[k]) : o;
  };
  return arrays(root) as Obj;
}

function integer(v: unknown, param: string, min = 0): number {
  if (typeof v !== 'string' || !/^-?\d+$/.test(v)) throw invalid(`Invalid integer: ${String(v)}`, param, 'parameter_invalid_integer');
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min) throw invalid(min > 0 ? 'Invalid positive integer' : 'Invalid non-negative integer', param, 'parameter_invalid_integer');
  return n;
}
const bool = (v: unknown) => v === 'true';
const required = (p: Obj, name: string, shown = name) => {
  if (p[name] === undefined || p[name] === '') throw invalid(`Missing required param: ${shown}.`, shown, 'parameter_missing');
  return p[name];
};
function currencyOf(v: unknown, param = 'currency'): string {
  if (typeof v !== 'string' || !/^[a-z]{3}$/.test(v)) throw invalid(`Invalid currency: ${String(v)}. Stripe currently supports these currencies: usd, eur, gbp, …`, param);
  return v;
}
function metadataOf(v: unknown): Obj {
  if (v === undefined || v === '') return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw invalid('Invalid object', 'metadata');
  const m = v as Obj;
  if (Object.keys(m).length > 50) throw invalid('Metadata can have up to 50 keys.', 'metadata');
  for (const [k, val] of Object.entries(m)) {
    if (k.length > 40) throw invalid(`Metadata keys can be up to 40 characters long (${k}).`, `metadata[${k}]`);
    if (typeof val !== 'string' || val.length > 500) throw invalid(`Metadata values can be up to 500 characters long and must be strings (${k}).`, `metadata[${k}]`);
  }
  return Object.fromEntries(Object.entries(m).filter(([, val]) => val !== ''));
}
function minimum(amount: number, currency: string, param: string) {
  const min = MINIMUM[currency] ?? 50;
  if (amount < min) throw invalid(`Amount must be at least ${min} ${currency} in the currency's smallest unit`, param, 'amount_too_small');
}
const fee = (amount: number) => Math.floor((amount * 29 + 500) / 1000) + 30; // 2.9% (rounded half-up) + 30

export async function startFakeStripe(opts: FakeStripeOptions = {}): Promise<FakeStripe> {
  const secretKey = opts.secretKey ?? 'sk_test_51FakeMeridianStripeKey0000000000';
  const webhookSecret = opts.webhookSecret ?? 'whsec_FakeMeridianWebhookSigningSecret00';
  const sessions = new Map<string, Obj>();
  const paymentIntents = new Map<string, Obj>();
  const charges = new Map<string, Obj>();
  const balanceTransactions = new Map<string, Obj>();
  const refunds = new Map<string, Obj>();
  const customers = new Map<string, Obj>();
  const paymentMethods = new Map<string, Obj>();
  const events = new Map<string, Obj>();
  /** What Checkout keeps but does not show on the session object. */
  const sessionInputs = new Map<string, { paymentIntentData: Obj; productName: string }>();
  const idempotency = new Map<string, { fingerprint: string; status: number; body: Obj }>();
  const chargeRules = new Map<string, { code: string; decline_code: string; message: string }>();
  const calls: FakeStripeCall[] = [];
  const deliveries: Delivery[] = [];
  const signedWith = new WeakMap<Delivery, { secret: string; body: string }>();
  const background = new Set<Promise<unknown>>();
  let failures: number[] = [];
  let notifyUrl: string | null = null;

  const byPrefix: Array<[string, Map<string, Obj>]> = [['cs_', sessions], ['pi_', paymentIntents], ['ch_', charges], ['txn_', balanceTransactions],
    ['re_', refunds], ['cus_', customers], ['pm_', paymentMethods], ['evt_', events]];
  const lookup = (id: string) => byPrefix.find(([p]) => id.startsWith(p))?.[1].get(id);

  function expand(obj: Obj, paths: unknown): Obj {
    if (paths === undefined) return obj;
    if (!Array.isArray(paths)) throw invalid('Invalid array', 'expand');
    const walk = (node: unknown, [head, ...rest]: string[]) => {
      if (!node || typeof node !== 'object') return;
      const o = node as Obj;
      if (!(head in o)) throw invalid(`This property cannot be expanded (${head}).`, 'expand');
      if (typeof o[head] === 'string') {
        const found = lookup(o[head]);
        if (!found) throw invalid(`This property cannot be expanded (${head}).`, 'expand');
        o[head] = clone(found);
      }
      if (rest.length) walk(o[head], rest);
    };
    for (const p of paths as string[]) {
      const parts = String(p).split('.');
      if (parts.length > 4) throw invalid(`You cannot expand more than 4 levels of a property. Property: ${p}`, 'expand');
      walk(obj, parts);
    }
    return obj;
  }

  // --- object factories, shaped like the API's ---
  function newCustomer(email: string | null, name: string | null): Obj {
    const c = {
      id: rid('cus', 14), object: 'customer', address: null, balance: 0, created: now(), currency: null, default_source: null,
      delinquent: false, description: null, email, invoice_prefix: randomBytes(4).toString('hex').toUpperCase(),
      invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
      livemode: false, metadata: {}, name, next_invoice_sequence: 1, phone: null, preferred_locales: [], shipping: null, tax_exempt: 'none', test_clock: null,
    };
    customers.set(c.id, c);
    return c;
  }
  function newPaymentMethod(card: PayOptions['card'] = {}, email: string | null, name: string | null): Obj {
    const brand = card.brand ?? 'visa';
    const pm = {
      id: rid('pm'), object: 'payment_method', allow_redisplay: 'unspecified',
      billing_details: { address: { city: null, country: 'US', line1: null, line2: null, postal_code: '42424', state: null }, email, name, phone: null, tax_id: null },
      card: {
        brand, checks: { address_line1_check: null, address_postal_code_check: 'pass', cvc_check: 'pass' }, country: 'US', display_brand: brand,
        exp_month: 12, exp_year: new Date().getUTCFullYear() + 3, fingerprint: randomBytes(8).toString('hex'), funding: 'credit',
        last4: card.last4 ?? '4242', networks: { available: [brand], preferred: null }, wallet: null,
      },
      created: now(), customer: null as string | null, livemode: false, metadata: {}, type: 'card',
    };
    paymentMethods.set(pm.id, pm);
    return pm;
  }
  function newPaymentIntent(p: { amount: number; currency: string; customer: string | null; metadata: Obj; description: string | null; setup_future_usage: string | null }): Obj {
    const id = rid('pi');
    const pi = {
      id, object: 'payment_intent', amount: p.amount, amount_capturable: 0, amount_details: { tip: {} }, amount_received: 0, application: null,
      application_fee_amount: null, automatic_payment_methods: null, canceled_at: null, cancellation_reason: null, capture_method: 'automatic_async',
      client_secret: `${id}_secret_${rid('x').slice(2)}`, confirmation_method: 'automatic', created: now(), currency: p.currency, customer: p.customer,
      description: p.description, last_payment_error: null as Obj | null, latest_charge: null as string | null, livemode: false, metadata: p.metadata,
      next_action: null, on_behalf_of: null, payment_method: null as string | null, payment_method_options: { card: { request_three_d_secure: 'automatic' } },
      payment_method_types: ['card'], processing: null, receipt_email: null, review: null, setup_future_usage: p.setup_future_usage, shipping: null,
      source: null, statement_descriptor: null, statement_descriptor_suffix: null, status: 'requires_payment_method', transfer_data: null, transfer_group: null,
    };
    paymentIntents.set(id, pi);
    return pi;
  }
  /** Confirms a PaymentIntent with a card: a charge (and balance transaction) either way; a decline leaves it requires_payment_method. */
  function confirm(pi: Obj, pm: Obj, decline: { code: string; decline_code: string; message: string } | null): Obj {
    const ok = !decline;
    const ch: Obj = {
      id: rid('ch'), object: 'charge', amount: pi.amount, amount_captured: ok ? pi.amount : 0, amount_refunded: 0, application: null,
      application_fee: null, application_fee_amount: null, balance_transaction: null, billing_details: pm.billing_details, captured: ok,
      created: now(), currency: pi.currency, customer: pi.customer, description: pi.description, disputed: false,
      failure_balance_transaction: null, failure_code: decline?.code ?? null, failure_message: decline?.message ?? null, fraud_details: {},
      livemode: false, metadata: { ...pi.metadata }, on_behalf_of: null,
      outcome: ok
        ? { network_status: 'approved_by_network', reason: null, risk_level: 'normal', risk_score: 32, seller_message: 'Payment complete.', type: 'authorized' }
        : { network_status: 'declined_by_network', reason: decline.decline_code, risk_level: 'normal', risk_score: 32, seller_message: 'The bank did not return any further details with this decline.', type: 'issuer_declined' },
      paid: ok, payment_intent: pi.id, payment_method: pm.id,
      payment_method_details: { card: { brand: pm.card.brand, country: 'US', exp_month: pm.card.exp_month, exp_year: pm.card.exp_year, funding: 'credit', last4: pm.card.last4, network: pm.card.brand }, type: 'card' },
      receipt_email: null, receipt_url: `${url}/receipts/${pi.id}`, refunded: false, review: null, shipping: null, source: null,
      statement_descriptor: null, status: ok ? 'succeeded' : 'failed', transfer_data: null, transfer_group: null,
    };
    if (ok) {
      const f = fee(pi.amount);
      const txn = {
        id: rid('txn'), object: 'balance_transaction', amount: pi.amount, available_on: now() + 2 * 86400, created: now(), currency: pi.currency,
        description: pi.description, exchange_rate: null, fee: f, fee_details: [{ amount: f, application: null, currency: pi.currency, description: 'Stripe processing fees', type: 'stripe_fee' }],
        net: pi.amount - f, reporting_category: 'charge', source: ch.id, status: 'pending', type: 'charge',
      };
      balanceTransactions.set(txn.id, txn);
      ch.balance_transaction = txn.id;
    }
    charges.set(ch.id, ch);
    Object.assign(pi, {
      payment_method: pm.id, latest_charge: ch.id,
      status: ok ? 'succeeded' : 'requires_payment_method', amount_received: ok ? pi.amount : 0,
      last_payment_error: ok ? null : {
        charge: ch.id, code: decline.code, decline_code: decline.decline_code, doc_url: DOCS + decline.code.replace(/_/g, '-'),
        message: decline.message, payment_method: clone(pm), type: 'card_error',
      },
    });
    return ch;
  }

  // --- webhooks ---
  const sign = (body: string, t: number, secret: string) => `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
  function event(type: string, object: object, o: { timestamp?: number; secret?: string } = {}): Delivery {
    const t = o.timestamp ?? now();
    const evt = {
      id: rid('evt'), object: 'event', api_version: API_VERSION, created: t, data: { object: clone(object) }, livemode: false,
      pending_webhooks: 1, request: { id: null, idempotency_key: null }, type,
    };
    events.set(evt.id, evt);
    const body = JSON.stringify(evt, null, 2); // Stripe posts pretty-printed JSON, so signatures must be over the exact bytes
    const secret = o.secret ?? webhookSecret;
    const d: Delivery = {
      url: notifyUrl ?? '', eventId: evt.id, type, body, status: 0,
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)', 'stripe-signature': sign(body, t, secret) },
    };
    signedWith.set(d, { secret, body });
    return d;
  }
  async function post(d: Delivery): Promise<number> {
    const target = d.url || notifyUrl;
    if (!target) throw new Error('fake Stripe: no notify URL to send the event to (setNotifyUrl first)');
    d.url = target;
    try {
      const res = await fetch(target, { method: 'POST', headers: d.headers, body: d.body, signal: AbortSignal.timeout(15000) });
      await res.arrayBuffer();
      d.status = res.status;
    } catch {
      d.status = 0;
    }
    return d.status;
  }
  async function send(d: Delivery): Promise<number> {
    if (!deliveries.includes(d)) deliveries.push(d);
    return post(d);
  }
  async function redeliver(d: Delivery, o: { times?: number; concurrent?: boolean } = {}): Promise<number[]> {
    const attempt = () => {
      const signed = signedWith.get(d);
      const fresh = signed && signed.body === d.body;
      const copy: Delivery = { ...d, status: 0, headers: { ...d.headers, ...(fresh ? { 'stripe-signature': sign(d.body, now(), signed.secret) } : {}) } };
      deliveries.push(copy);
      return post(copy);
    };
    const times = o.times ?? 1;
    if (o.concurrent) return Promise.all(Array.from({ length: times }, attempt));
    const out: number[] = [];
    for (let i = 0; i < times; i++) out.push(await attempt());
    return out;
  }
  /** Events of one API call, in order; stored unsent (status 0) when no notify URL is set. */
  async function emit(list: Array<[string, Obj]>): Promise<Delivery[]> {
    const made = list.map(([type, obj]) => event(type, obj));
    for (const d of made) {
      if (notifyUrl) await send(d);
      else deliveries.push(d);
    }
    return made;
  }
  const later = (list: Array<[string, Obj]>) => () => {
    const p: Promise<unknown> = emit(list).finally(() => background.delete(p));
    background.add(p);
  };

  // --- the customer's side ---
  async function pay(reference: string, o: PayOptions = {}) {
    const s = sessions.get(reference);
    if (!s) throw new Error(`fake Stripe: no checkout session ${reference}`);
    if (s.status !== 'open') throw new Error(`fake Stripe: checkout session ${reference} is ${s.status}`);
    const input = sessionInputs.get(reference)!;
    const pid = input.paymentIntentData;
    const email: string | null = s.customer_email ?? (s.customer ? customers.get(s.customer)?.email : null) ?? 'customer@example.test';
    const save = o.saveMethod ?? Boolean(pid.setup_future_usage);
    let customer: string | null = s.customer;
    if (!customer && !o.decline && (save || s.customer_creation === 'always')) customer = newCustomer(email, 'Test Customer').id;
    const pm = newPaymentMethod(o.card, email, 'Test Customer');
    // After a decline the customer tries again on the same page: Checkout keeps the session's PaymentIntent.
    const pi = (s.payment_intent && paymentIntents.get(s.payment_intent)) || newPaymentIntent({
      amount: s.amount_total, currency: s.currency, customer, metadata: metadataOf(pid.metadata),
      description: pid.description ?? input.productName, setup_future_usage: pid.setup_future_usage ?? null,
    });
    pi.customer = customer;
    s.payment_intent = pi.id;
    if (o.decline) {
      confirm(pi, pm, { code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' });
      // The customer stays on the hosted page with the error, then gives up.
      const sent = await emit([['payment_intent.payment_failed', pi]]);
      return { returnUrl: s.cancel_url as string, returnMethod: 'GET' as const, returnForm: {}, deliveries: sent };
    }
    confirm(pi, pm, null);
    if (save && customer) pm.customer = customer;
    Object.assign(s, {
      status: 'complete', payment_status: 'paid', customer, url: null,
      customer_details: { address: pm.billing_details.address, business_name: null, email, individual_name: null, name: 'Test Customer', phone: null, tax_exempt: 'none', tax_ids: [] },
    });
    const sent = await emit([['payment_intent.succeeded', pi], ['checkout.session.completed', s]]);
    return { returnUrl: String(s.success_url).replace('{CHECKOUT_SESSION_ID}', s.id), returnMethod: 'GET' as const, returnForm: {}, deliveries: sent };
  }

  // --- API endpoints ---
  type Handler = (p: Obj, id: string) => { status?: number; body: Obj; after?: () => void };
  const get = (map: Map<string, Obj>, kind: string, param: string): Handler => (p, id) => {
    const o = map.get(id);
    if (!o) throw noSuch(kind, id, param);
    return { body: expand(clone(o), p.expand) };
  };

  const routes: Array<[string, RegExp, Handler]> = [
    ['GET', /^\/v1\/balance$/, () => {
      const sums = new Map<string, number>();
      for (const t of balanceTransactions.values()) sums.set(t.currency, (sums.get(t.currency) ?? 0) + t.net);
      const pending = [...sums].map(([currency, amount]) => ({ amount, currency, source_types: { card: amount } }));
      return { body: { object: 'balance', available: [{ amount: 0, currency: 'usd', source_types: { card: 0 } }], livemode: false, pending: pending.length ? pending : [{ amount: 0, currency: 'usd', source_types: { card: 0 } }] } };
    }],
    ['POST', /^\/v1\/checkout\/sessions$/, (p) => {
      const mode = required(p, 'mode');
      if (mode !== 'payment') throw invalid(`Invalid mode: this fake supports mode=payment only (got ${String(mode)}).`, 'mode');
      if (p.ui_mode !== undefined && p.ui_mode !== 'hosted_page') throw invalid(`Invalid ui_mode: this fake serves the hosted page only.`, 'ui_mode');
      const items = p.line_items;
      if (!Array.isArray(items) || !items.length) throw invalid('You must provide at least one line item (line_items) in payment mode.', 'line_items', 'parameter_missing');
      let total = 0;
      let currency: string | null = null;
      let productName = '';
      items.forEach((li: Obj, i: number) => {
        const at = `line_items[${i}]`;
        if (li.price !== undefined) throw noSuch('price', String(li.price), `${at}[price]`, 400);
        const pd = li.price_data;
        if (!pd || typeof pd !== 'object') throw invalid(`Missing required param: ${at}[price_data].`, `${at}[price_data]`, 'parameter_missing');
        const cur = currencyOf(required(pd, 'currency', `${at}[price_data][currency]`), `${at}[price_data][currency]`);
        if (currency && cur !== currency) throw invalid('All line items must use the same currency.', `${at}[price_data][currency]`);
        currency = cur;
        const unit = integer(required(pd, 'unit_amount', `${at}[price_data][unit_amount]`), `${at}[price_data][unit_amount]`);
        const name = pd.product_data?.name;
        if (typeof name !== 'string' || !name) throw invalid(`Missing required param: ${at}[price_data][product_data][name].`, `${at}[price_data][product_data][name]`, 'parameter_missing');
        productName ||= name;
        total += unit * integer(required(li, 'quantity', `${at}[quantity]`), `${at}[quantity]`, 1);
      });
      minimum(total, currency!, 'line_items');
      const successUrl = required(p, 'success_url');
      for (const k of ['success_url', 'cancel_url']) {
        if (p[k] !== undefined && !/^https?:\/\/[^\s]+$/.test(String(p[k]))) throw invalid('Not a valid URL', k, 'url_invalid');
      }
      if (p.customer !== undefined && p.customer_email !== undefined) throw invalid('You may only specify one of these parameters: customer, customer_email.', 'customer');
      if (p.customer !== undefined && !customers.has(p.customer)) throw noSuch('customer', p.customer, 'customer', 400);
      if (p.customer_creation !== undefined) {
        if (!['always', 'if_required'].includes(p.customer_creation)) throw invalid(`Invalid customer_creation: ${String(p.customer_creation)}`, 'customer_creation');
        if (p.customer !== undefined) throw invalid('You may only specify one of these parameters: customer, customer_creation.', 'customer_creation');
      }
      if (p.customer_email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(p.customer_email)) throw invalid(`Invalid email address: ${String(p.customer_email)}`, 'customer_email', 'email_invalid');
      if (p.client_reference_id !== undefined && String(p.client_reference_id).length > 200) throw invalid('client_reference_id can be up to 200 characters.', 'client_reference_id');
      const pid: Obj = p.payment_intent_data ?? {};
      if (pid.setup_future_usage !== undefined && !['on_session', 'off_session'].includes(pid.setup_future_usage)) {
        throw invalid(`Invalid setup_future_usage: ${String(pid.setup_future_usage)}`, 'payment_intent_data[setup_future_usage]');
      }
      metadataOf(pid.metadata);
      const id = `cs_test_${rid('x', 58).slice(2)}`;
      const s = {
        id, object: 'checkout.session', adaptive_pricing: { enabled: false }, after_expiration: null, allow_promotion_codes: null,
        amount_subtotal: total, amount_total: total, automatic_tax: { enabled: false, liability: null, status: null }, billing_address_collection: null,
        cancel_url: p.cancel_url ?? null, client_reference_id: p.client_reference_id ?? null, client_secret: null, consent: null, consent_collection: null,
        created: now(), currency, custom_fields: [], custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
        customer: p.customer ?? null, customer_account: null, customer_creation: p.customer_creation ?? (p.customer ? null : 'if_required'),
        customer_details: p.customer_email ? { email: p.customer_email } : null, customer_email: p.customer_email ?? null,
        expires_at: p.expires_at !== undefined ? integer(p.expires_at, 'expires_at') : now() + 86400, invoice: null, invoice_creation: null,
        livemode: false, locale: p.locale ?? null, metadata: metadataOf(p.metadata), mode, payment_intent: null, payment_link: null,
        payment_method_collection: 'if_required', payment_method_types: ['card'], payment_status: 'unpaid', phone_number_collection: { enabled: false },
        recovered_from: null, setup_intent: null, shipping_address_collection: null, shipping_cost: null, shipping_options: [], status: 'open',
        submit_type: null, subscription: null, success_url: successUrl, total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
        ui_mode: 'hosted_page', url: `${url}/c/pay/${id}`,
      };
      sessions.set(id, s);
      sessionInputs.set(id, { paymentIntentData: pid, productName });
      return { body: expand(clone(s), p.expand) };
    }],
    ['GET', /^\/v1\/checkout\/sessions\/([^/]+)$/, get(sessions, 'checkout.session', 'session')],
    ['POST', /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/, (p, id) => {
      const s = sessions.get(id);
      if (!s) throw noSuch('checkout.session', id, 'session');
      if (s.status !== 'open') throw invalid(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${s.status}".`, undefined, 'checkout_session_not_open');
      Object.assign(s, { status: 'expired', url: null });
      return { body: expand(clone(s), p.expand), after: later([['checkout.session.expired', s]]) };
    }],
    ['POST', /^\/v1\/payment_intents$/, (p) => {
      const amount = integer(required(p, 'amount'), 'amount', 1);
      const currency = currencyOf(required(p, 'currency'));
      minimum(amount, currency, 'amount');
      const customer: string | null = p.customer ?? null;
      if (customer && !customers.has(customer)) throw noSuch('customer', customer, 'customer', 400);
      const pm = p.payment_method !== undefined ? paymentMethods.get(p.payment_method) : undefined;
      if (p.payment_method !== undefined && !pm) throw noSuch('PaymentMethod', p.payment_method, 'payment_method', 400);
      if (pm && pm.customer !== customer) {
        throw invalid(pm.customer ? 'The provided PaymentMethod belongs to a different Customer; pass that customer with it.' : 'The provided PaymentMethod is not attached to a Customer; attach it to a Customer before using it with one.', 'payment_method');
      }
      const doConfirm = bool(p.confirm);
      if (p.off_session !== undefined && !doConfirm) throw invalid('You can only pass `off_session` when `confirm=true`.', 'off_session');
      if (p.setup_future_usage !== undefined && !['on_session', 'off_session'].includes(p.setup_future_usage)) throw invalid(`Invalid setup_future_usage: ${String(p.setup_future_usage)}`, 'setup_future_usage');
      const pi = newPaymentIntent({ amount, currency, customer, metadata: metadataOf(p.metadata), description: p.description ?? null, setup_future_usage: p.setup_future_usage ?? null });
      if (!doConfirm) {
        if (pm) Object.assign(pi, { payment_method: pm.id, status: 'requires_confirmation' });
        return { body: expand(clone(pi), p.expand) };
      }
      if (!pm) {
        paymentIntents.delete(pi.id);
        throw invalid("You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent with a saved PaymentMethod, provide the `payment_method` parameter.", 'payment_method', 'payment_intent_unexpected_state');
      }
      const rule = chargeRules.get(pm.id) ?? null;
      const ch = confirm(pi, pm, rule);
      if (rule) {
        const body = { error: { ...pi.last_payment_error, charge: ch.id, payment_intent: clone(pi), request_log_url: `${url}/logs/${rid('req', 14)}` } };
        return { status: 402, body, after: later([['payment_intent.payment_failed', pi]]) };
      }
      return { body: expand(clone(pi), p.expand), after: later([['payment_intent.succeeded', pi]]) };
    }],
    ['GET', /^\/v1\/payment_intents\/([^/]+)$/, get(paymentIntents, 'payment_intent', 'intent')],
    ['POST', /^\/v1\/refunds$/, (p) => {
      if (p.charge === undefined && p.payment_intent === undefined) throw invalid('One of the following params should be provided for this request: charge or payment_intent.', undefined, 'parameter_missing');
      let pi: Obj | undefined;
      let ch: Obj | undefined;
      if (p.payment_intent !== undefined) {
        pi = paymentIntents.get(p.payment_intent);
        if (!pi) throw noSuch('payment_intent', p.payment_intent, 'payment_intent', 400);
        ch = pi.status === 'succeeded' ? charges.get(pi.latest_charge) : undefined;
        if (!ch) throw invalid(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, 'payment_intent');
      } else {
        ch = charges.get(p.charge);
        if (!ch) throw noSuch('charge', p.charge, 'charge', 400);
        if (ch.status !== 'succeeded') throw invalid(`Charge ${ch.id} did not succeed: there is nothing to refund.`, 'charge');
        pi = ch.payment_intent ? paymentIntents.get(ch.payment_intent) : undefined;
      }
      if (p.reason !== undefined && !['duplicate', 'fraudulent', 'requested_by_customer'].includes(p.reason)) throw invalid(`Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer`, 'reason');
      const left = ch.amount_captured - ch.amount_refunded;
      if (left <= 0) throw invalid(`Charge ${ch.id} has already been refunded.`, undefined, 'charge_already_refunded');
      const amount = p.amount !== undefined ? integer(p.amount, 'amount', 1) : left;
      if (amount > left) throw invalid(`Refund amount (${amount} ${ch.currency}) is greater than unrefunded amount on charge (${left} ${ch.currency})`, 'amount', 'amount_too_large');
      const txn = {
        id: rid('txn'), object: 'balance_transaction', amount: -amount, available_on: now(), created: now(), currency: ch.currency,
        description: 'REFUND FOR CHARGE', exchange_rate: null, fee: 0, fee_details: [], net: -amount, reporting_category: 'refund',
        source: '', status: 'available', type: 'refund',
      };
      const re = {
        id: rid('re'), object: 'refund', amount, balance_transaction: txn.id, charge: ch.id, created: now(), currency: ch.currency,
        destination_details: { card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' }, type: 'card' },
        metadata: metadataOf(p.metadata), payment_intent: pi?.id ?? null, reason: p.reason ?? null, receipt_number: null,
        source_transfer_reversal: null, status: 'succeeded', transfer_reversal: null,
      };
      txn.source = re.id;
      balanceTransactions.set(txn.id, txn);
      refunds.set(re.id, re);
      ch.amount_refunded += amount;
      ch.refunded = ch.amount_refunded === ch.amount_captured;
      return { body: expand(clone(re), p.expand), after: later([['charge.refunded', ch], ['refund.created', re]]) };
    }],
    ['GET', /^\/v1\/refunds\/([^/]+)$/, get(refunds, 'refund', 'refund')],
    ['POST', /^\/v1\/customers$/, (p) => ({ body: expand(clone(Object.assign(newCustomer(p.email ?? null, p.name ?? null), { metadata: metadataOf(p.metadata) })), p.expand) })],
    ['GET', /^\/v1\/customers\/([^/]+)$/, get(customers, 'customer', 'customer')],
    ['GET', /^\/v1\/payment_methods\/([^/]+)$/, get(paymentMethods, 'PaymentMethod', 'payment_method')],
    ['GET', /^\/v1\/charges\/([^/]+)$/, get(charges, 'charge', 'charge')],
    ['GET', /^\/v1\/balance_transactions\/([^/]+)$/, get(balanceTransactions, 'balance transaction', 'id')],
    ['GET', /^\/v1\/events\/([^/]+)$/, get(events, 'event', 'id')],
  ];

  function authorised(req: IncomingMessage): string | null {
    const h = req.headers.authorization ?? '';
    const bearer = /^Bearer\s+(\S+)$/i.exec(h)?.[1];
    const basic = /^Basic\s+(\S+)$/i.exec(h)?.[1];
    const key = bearer ?? (basic ? Buffer.from(basic, 'base64').toString('utf8').replace(/:$/, '') : null);
    if (!key) return 'You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. \'Authorization: Bearer YOUR_SECRET_KEY\'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.';
    if (key !== secretKey) return `Invalid API Key provided: ${key.length > 12 ? `${key.slice(0, 8)}${'*'.repeat(key.length - 12)}${key.slice(-4)}` : key}`;
    return null;
  }

  function reply(res: ServerResponse, status: number, body: Obj, extra: Record<string, string> = {}) {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { 'Content-Type': 'application/json', 'Request-Id': rid('req', 14), 'Stripe-Version': API_VERSION, 'Cache-Control': 'no-cache, no-store', ...extra });
    res.end(JSON.stringify(body, null, 2));
  }

  async function hostedPage(req: IncomingMessage, res: ServerResponse, id: string, raw: string): Promise<void> {
    const s = sessions.get(id);
    if (!s || s.status !== 'open') {
      res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Stripe Checkout</title><p>Something went wrong: this checkout session has expired or is complete.</p>');
      return;
    }
    if (req.method === 'POST') {
      const f = new URLSearchParams(raw);
      const done = await pay(id, { decline: f.get('decline') === '1', ...(f.has('save') ? { saveMethod: f.get('save') === '1' } : {}) });
      res.writeHead(303, { Location: done.returnUrl });
      res.end();
      return;
    }
    const name = sessionInputs.get(id)?.productName ?? '';
    const esc = (v: string) => v.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Stripe Checkout (fake)</title><h1>${esc(name)}</h1><p>Pay ${s.amount_total} ${esc(String(s.currency).toUpperCase())} (minor units)</p>`
      + `<form method="post"><input type="hidden" name="decline" value="0"><button>Pay</button></form>`
      + `<form method="post"><input type="hidden" name="decline" value="1"><button>Pay with a declined card</button></form>`
      + (s.cancel_url ? `<a href="${esc(s.cancel_url)}">Back</a>` : ''));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const u = new URL(req.url ?? '/', 'http://localhost');
    const page = /^\/c\/pay\/([^/]+)$/.exec(u.pathname);
    if (page) return hostedPage(req, res, page[1], raw);

    const method = req.method ?? 'GET';
    const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
    const call: FakeStripeCall = { method, path: u.pathname, params: {}, idempotencyKey: key, status: 0, replayed: false };
    calls.push(call);
    const answer = (status: number, body: Obj, extra?: Record<string, string>) => { call.status = status; reply(res, status, body, extra); };
    try {
      call.params = parseStripeForm(method === 'GET' || method === 'DELETE' ? u.search.slice(1) : raw);
    } catch (e) {
      if (e instanceof ApiError) return answer(e.status, e.body);
      throw e;
    }
    if (failures.length) {
      const status = failures.shift()!;
      return answer(status, { error: { type: 'api_error', message: "Sorry, something went wrong. We've already been notified of the problem, but if you need any help, you can reach us at support.stripe.com/contact." } });
    }
    const authProblem = authorised(req);
    if (authProblem) return answer(401, { error: { type: 'invalid_request_error', message: authProblem } }, { 'WWW-Authenticate': 'Bearer realm="Stripe"' });

    const route = routes.find(([m, re]) => m === method && re.test(u.pathname));
    if (!route) {
      return answer(404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${u.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.` } });
    }
    const fingerprint = `${method} ${u.pathname} ${canon(call.params)}`;
    if (key && method === 'POST') {
      if (key.length > 255) return answer(400, { error: { type: 'invalid_request_error', message: 'Idempotency key too long: it must be at most 255 characters.' } });
      const seen = idempotency.get(key);
      if (seen && seen.fingerprint !== fingerprint) {
        return answer(400, { error: { type: 'idempotency_error', message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.` } });
      }
      if (seen) {
        call.replayed = true;
        return answer(seen.status, clone(seen.body), { 'Idempotent-Replayed': 'true', 'Original-Request': 'req_original' });
      }
    }
    try {
      const out = route[2](call.params, decodeURIComponent(route[1].exec(u.pathname)?.[1] ?? ''));
      const status = out.status ?? 200;
      // Stripe saves the result once the endpoint ran (successes and card errors), not validation failures.
      if (key && method === 'POST') idempotency.set(key, { fingerprint, status, body: clone(out.body) });
      answer(status, out.body);
      out.after?.();
    } catch (e) {
      if (e instanceof ApiError) return answer(e.status, e.body);
      throw e;
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => reply(res, 500, { error: { type: 'api_error', message: `fake Stripe crashed: ${String(e)}` } }));
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  const url = `http://127.0.0.1:${port}`;
  const idle = async () => { while (background.size) await Promise.allSettled([...background]); };

  return {
    port, url, credentials: { secretKey, webhookSecret },
    sessions, paymentIntents, charges, balanceTransactions, refunds, customers, paymentMethods, events, calls, deliveries,
    setNotifyUrl: (u) => { notifyUrl = u; },
    pay, event, send, redeliver, idle,
    declineCharges: (pm, message = 'Your card was declined.') => {
      chargeRules.set(pm, { code: 'card_declined', decline_code: /insufficient/i.test(message) ? 'insufficient_funds' : 'generic_decline', message });
    },
    requireAuthentication: (pm) => {
      chargeRules.set(pm, { code: 'authentication_required', decline_code: 'authentication_required', message: 'Your card was declined. This transaction requires authentication.' });
    },
    failNext: (n, status = 500) => { for (let i = 0; i < n; i++) failures.push(status); },
    reset() {
      for (const m of [sessions, paymentIntents, charges, balanceTransactions, refunds, customers, paymentMethods, events, sessionInputs, idempotency, chargeRules]) m.clear();
      calls.splice(0);
      deliveries.splice(0);
      failures = [];
      notifyUrl = null;
    },
    async close() {
      await idle();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
