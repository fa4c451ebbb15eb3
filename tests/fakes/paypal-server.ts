import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';

/**
 * A fake PayPal REST API (OAuth 2 client credentials, Orders v2, Payments v2 captures/refunds, webhook signature
 * verification) on loopback, keeping orders, captures and refunds in memory and answering with PayPal's JSON
 * shapes and issue codes. The buyer's side (approving on paypal.com) is `pay()`.
 *
 * Webhooks: PayPal signs with RSA over `transmissionId|time|webhookId|crc32(body)`; the fake signs the same string
 * with an HMAC only it knows and keeps the transmission ids, so verify-webhook-signature answers SUCCESS only for
 * deliveries it made, unchanged, checked against the right webhook id. Like PayPal it re-serialises the
 * `webhook_event` it is given before the CRC, so a tampered event fails.
 *
 * UNCONFIRMED in PayPal's docs and chosen here: a PayPal-Request-Id replays successful answers only (an error can be
 * retried with the same id); the refund-not-allowed issue name for pending captures.
 */
export interface Delivery {
  url: string;
  eventId: string;
  type: string;
  body: string;
  headers: Record<string, string>;
  /** HTTP status the receiver answered; 0 until sent (or when it could not be reached). */
  status: number;
}
export type PaypalDelivery = Delivery;

type Amount = { currency_code: string; value: string };

export interface FakePaypalOrder {
  id: string;
  intent: 'CAPTURE' | 'AUTHORIZE';
  status: 'CREATED' | 'PAYER_ACTION_REQUIRED' | 'APPROVED' | 'COMPLETED';
  purchaseUnit: { reference_id: string; custom_id?: string; invoice_id?: string; description?: string; amount: Amount };
  experienceContext: { return_url?: string; cancel_url?: string; [k: string]: unknown } | null;
  paypalSource: boolean;
  payer: { payer_id: string; email_address: string; name: { given_name: string; surname: string } } | null;
  /** What the buyer's funding source will do at capture. */
  decline: boolean;
  pending: boolean;
  captureId: string | null;
  createTime: string;
  /** The order's HATEOAS links as PayPal would list them now (self, payer-action/approve, capture). */
  readonly links: Array<{ href: string; rel: string; method: string }>;
}

export interface FakePaypalCapture {
  id: string; orderId: string;
  status: 'COMPLETED' | 'PENDING' | 'DECLINED' | 'PARTIALLY_REFUNDED' | 'REFUNDED';
  currency: string; minor: number; fee: number; refunded: number;
  customId: string | null; invoiceId: string | null; createTime: string; updateTime: string;
}

export interface FakePaypalRefund {
  id: string; captureId: string; status: 'COMPLETED'; currency: string; minor: number;
  invoiceId: string | null; customId: string | null; createTime: string;
}

export interface FakePaypalCall { method: string; path: string; headers: Record<string, string | undefined>; body: unknown; status: number }

export interface FakePaypal {
  port: number;
  url: string;
  credentials: { clientId: string; clientSecret: string; webhookId: string };
  orders: Map<string, FakePaypalOrder>;
  captures: Map<string, FakePaypalCapture>;
  refunds: Map<string, FakePaypalRefund>;
  calls: FakePaypalCall[];
  deliveries: Delivery[];
  setNotifyUrl(url: string | null): void;
  /** The buyer approves the order on PayPal. No webhook yet: PayPal notifies after the merchant captures. */
  pay(checkoutReference: string, opts?: { decline?: boolean; pending?: boolean }): Promise<{ returnUrl: string; returnMethod: 'GET'; returnForm: Record<string, never>; deliveries: Delivery[] }>;
  /** A PENDING capture clears (PAYMENT.CAPTURE.COMPLETED) or is denied (PAYMENT.CAPTURE.DENIED); sent when a notify URL is set. */
  settlePending(captureId: string, opts?: { deny?: boolean }): Promise<Delivery>;
  /** A signed (or, with forge, wrongly signed) event, not sent: status 0. */
  event(type: string, resource: object, opts?: { transmissionTime?: Date; forge?: boolean }): Delivery;
  send(d: Delivery): Promise<number>;
  /** PayPal's "resend": the same event, newly signed, `times` times. */
  redeliver(d: Delivery, opts?: { times?: number; concurrent?: boolean }): Promise<number[]>;
  /** Waits for the webhooks the fake is sending on its own. */
  flush(): Promise<void>;
  /** Same as flush(). */
  idle(): Promise<void>;
  /** The next n API requests (token included) answer this status with PayPal's INTERNAL_SERVER_ERROR body. */
  failNext(n: number, status?: number): void;
  /** Every access token stops working (as when PayPal expires them early). */
  revokeTokens(): void;
  close(): Promise<void>;
}

const NO_DECIMALS = new Set(['HUF', 'JPY', 'TWD']);
const CURRENCIES = new Set('AUD BRL CAD CNY CZK DKK EUR HKD HUF ILS JPY MYR MXN TWD NZD NOK PHP PLN GBP RUB SGD SEK CHF THB USD'.split(' '));
const ISSUES: Record<string, string> = {
  MISSING_REQUIRED_PARAMETER: 'A required field / parameter is missing.',
  INVALID_PARAMETER_VALUE: 'The value of a field is invalid.',
  INVALID_PARAMETER_SYNTAX: 'The value of a field does not conform to the expected format.',
  INVALID_STRING_MAX_LENGTH: 'The value of a field is too long.',
  MALFORMED_REQUEST_JSON: 'The request JSON is not well formed.',
  CURRENCY_NOT_SUPPORTED: 'Currency code is unsupported.',
  DECIMAL_PRECISION: 'If the currency supports decimals, only two decimal place precision is supported.',
  CANNOT_BE_ZERO_OR_NEGATIVE: 'Must be greater than zero. If the currency supports decimals, only two decimal place precision is supported.',
  DUPLICATE_INVOICE_ID: 'Duplicate Invoice ID detected. To avoid a potential duplicate transaction your account setting requires that Invoice Id be unique for each transaction.',
  ORDER_NOT_APPROVED: "Payer has not yet approved the Order for payment. Please redirect the payer to the 'rel':'approve' url returned as part of the HATEOAS links within the Create Order call or provide a valid payment_source in the request.",
  ORDER_ALREADY_CAPTURED: "Order already captured.If 'intent=CAPTURE' only one capture per order is allowed.",
  INSTRUMENT_DECLINED: "The instrument presented  was either declined by the processor or bank, or it can't be used for this payment.",
  INVALID_RESOURCE_ID: 'Specified resource ID does not exist. Please check the resource ID and try again.',
  REFUND_AMOUNT_EXCEEDED: 'The refund amount must be less than or equal to the capture amount that has not yet been refunded.',
  CAPTURE_FULLY_REFUNDED: 'The capture has already been fully refunded',
  REFUND_CAPTURE_CURRENCY_MISMATCH: 'Refund must be in the same currency as the capture.',
  REFUND_NOT_ALLOWED: 'Refund cannot be issued for this capture.',
};
const NAMES: Record<number, [string, string]> = {
  400: ['INVALID_REQUEST', 'Request is not well-formed, syntactically incorrect, or violates schema.'],
  404: ['RESOURCE_NOT_FOUND', 'The specified resource does not exist.'],
  422: ['UNPROCESSABLE_ENTITY', 'The requested action could not be performed, semantically incorrect, or failed business validation.'],
};

class Reply {
  constructor(readonly status: number, readonly body: unknown) {}
}
const issue = (status: 400 | 404 | 422, code: string, field?: string, value?: unknown, extra: object = {}) => new Reply(status, {
  name: NAMES[status][0], message: NAMES[status][1], debug_id: randomBytes(7).toString('hex').slice(0, 13),
  details: [{ ...(field ? { field, location: field === 'order_id' || field === 'capture_id' ? 'path' : 'body' } : {}), ...(value !== undefined ? { value: String(value) } : {}), issue: code, description: ISSUES[code] }],
  links: [{ href: `https://developer.paypal.com/api/rest/reference/orders/v2/errors/#${code}`, rel: 'information_link', method: 'GET' }],
  ...extra,
});

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ppId = (n = 17) => Array.from(randomBytes(n), (b) => ALNUM[b % 36]).join('');
const stamp = (d = new Date()) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** PayPal units (cents; whole units for HUF/JPY/TWD) from a value string, or the issue that refuses it. */
function parseValue(value: unknown, currency: string): number | string {
  if (typeof value !== 'string' || !/^((-?[0-9]+)|(-?([0-9]+)?[.][0-9]+))$/.test(value) || value.replace(/^-/, '').split('.')[0].length > 10) return 'INVALID_PARAMETER_SYNTAX';
  const places = NO_DECIMALS.has(currency) ? 0 : 2;
  const [whole, frac = ''] = value.replace(/^-/, '').split('.');
  if (frac.length > places) return 'DECIMAL_PRECISION';
  const minor = Number(whole || '0') * 10 ** places + Number(frac.padEnd(places, '0') || '0');
  if (value.startsWith('-') || minor === 0) return 'CANNOT_BE_ZERO_OR_NEGATIVE';
  return minor;
}
function formatValue(minor: number, currency: string): string {
  if (NO_DECIMALS.has(currency)) return String(minor);
  const s = String(minor).padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

export async function startFakePaypal(opts: { clientId?: string; clientSecret?: string; webhookId?: string } = {}): Promise<FakePaypal> {
  const credentials = {
    clientId: opts.clientId ?? 'AZfakePaypalClientId0123456789',
    clientSecret: opts.clientSecret ?? 'EFfakePaypalSecret0123456789',
    webhookId: opts.webhookId ?? ppId(17),
  };
  const signingKey = randomBytes(32);
  const tokens = new Map<string, number>();
  const replays = new Map<string, Reply>();
  const signed = new Set<string>();
  const orders = new Map<string, FakePaypalOrder>();
  const captures = new Map<string, FakePaypalCapture>();
  const refunds = new Map<string, FakePaypalRefund>();
  const calls: FakePaypalCall[] = [];
  const deliveries: Delivery[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let failures: number[] = [];
  let notifyUrl: string | null = null;
  let url = '';

  const amt = (minor: number, currency: string): Amount => ({ currency_code: currency, value: formatValue(minor, currency) });
  const feeOf = (minor: number, currency: string) => Math.round((minor * 349) / 10000) + (NO_DECIMALS.has(currency) ? 40 : 49);

  function linksOf(o: FakePaypalOrder) {
    const links = [{ href: `${url}/v2/checkout/orders/${o.id}`, rel: 'self', method: 'GET' }];
    if (o.status === 'CREATED' || o.status === 'PAYER_ACTION_REQUIRED') {
      links.push({ href: `${url}/checkoutnow?token=${o.id}`, rel: o.paypalSource ? 'payer-action' : 'approve', method: 'GET' });
    }
    if (o.status === 'APPROVED') links.push({ href: `${url}/v2/checkout/orders/${o.id}/capture`, rel: 'capture', method: 'POST' });
    return links;
  }

  function orderJson(o: FakePaypalOrder, full = true): Record<string, any> {
    const links = linksOf(o);
    const source = o.paypalSource || o.payer
      ? { payment_source: { paypal: o.payer ? { email_address: o.payer.email_address, account_id: o.payer.payer_id, account_status: 'VERIFIED', name: o.payer.name, address: { country_code: 'US' } } : {} } }
      : {};
    if (!full) return { id: o.id, status: o.status, ...source, links };
    const capture = o.captureId ? captures.get(o.captureId) : undefined;
    return {
      id: o.id, intent: o.intent, status: o.status, ...source,
      purchase_units: [{
        ...o.purchaseUnit,
        payee: { email_address: 'merchant@example.com', merchant_id: 'FAKEMERCHANT1' },
        ...(capture ? { payments: { captures: [captureJson(capture)] } } : {}),
      }],
      ...(o.payer ? { payer: { name: o.payer.name, email_address: o.payer.email_address, payer_id: o.payer.payer_id, address: { country_code: 'US' } } } : {}),
      create_time: o.createTime, links,
    };
  }

  function captureJson(c: FakePaypalCapture, withRelated = false) {
    return {
      id: c.id, status: c.status,
      ...(c.status === 'PENDING' ? { status_details: { reason: 'PENDING_REVIEW' } } : {}),
      amount: amt(c.minor, c.currency), final_capture: true,
      seller_protection: { status: 'ELIGIBLE', dispute_categories: ['ITEM_NOT_RECEIVED', 'UNAUTHORIZED_TRANSACTION'] },
      ...(c.status === 'PENDING' || c.status === 'DECLINED' ? {} : {
        seller_receivable_breakdown: { gross_amount: amt(c.minor, c.currency), paypal_fee: amt(c.fee, c.currency), net_amount: amt(c.minor - c.fee, c.currency) },
      }),
      ...(c.invoiceId ? { invoice_id: c.invoiceId } : {}), ...(c.customId ? { custom_id: c.customId } : {}),
      links: [
        { href: `${url}/v2/payments/captures/${c.id}`, rel: 'self', method: 'GET' },
        { href: `${url}/v2/payments/captures/${c.id}/refund`, rel: 'refund', method: 'POST' },
        { href: `${url}/v2/checkout/orders/${c.orderId}`, rel: 'up', method: 'GET' },
      ],
      ...(withRelated ? { supplementary_data: { related_ids: { order_id: c.orderId } } } : {}),
      create_time: c.createTime, update_time: c.updateTime,
    };
  }

  function refundJson(r: FakePaypalRefund, full = true) {
    const links = [
      { href: `${url}/v2/payments/refunds/${r.id}`, rel: 'self', method: 'GET' },
      { href: `${url}/v2/payments/captures/${r.captureId}`, rel: 'up', method: 'GET' },
    ];
    if (!full) return { id: r.id, status: r.status, links };
    let refundedSoFar = 0;
    for (const x of refunds.values()) {
      if (x.captureId === r.captureId) refundedSoFar += x.minor;
      if (x === r) break;
    }
    return {
      id: r.id, status: r.status, amount: amt(r.minor, r.currency),
      ...(r.invoiceId ? { invoice_id: r.invoiceId } : {}), ...(r.customId ? { custom_id: r.customId } : {}),
      seller_payable_breakdown: {
        gross_amount: amt(r.minor, r.currency), paypal_fee: amt(0, r.currency), net_amount: amt(r.minor, r.currency),
        total_refunded_amount: amt(refundedSoFar, r.currency),
      },
      create_time: r.createTime, update_time: r.createTime, links,
    };
  }

  function sign(tid: string, time: string, webhookId: string, body: string): string {
    return createHmac('sha256', signingKey).update(`${tid}|${time}|${webhookId}|${crc32(body)}`).digest('base64');
  }

  function event(type: string, resource: object, o: { transmissionTime?: Date; forge?: boolean } = {}): Delivery {
    const id = `WH-${ppId(17)}-${ppId(17)}`;
    const body = JSON.stringify({
      id, event_version: '1.0', create_time: stamp(), resource_type: type.endsWith('REFUNDED') ? 'refund' : 'capture',
      resource_version: '2.0', event_type: type, summary: `${type} event`, resource,
      links: [
        { href: `${url}/v1/notifications/webhooks-events/${id}`, rel: 'self', method: 'GET' },
        { href: `${url}/v1/notifications/webhooks-events/${id}/resend`, rel: 'resend', method: 'POST' },
      ],
    });
    const d: Delivery = { url: notifyUrl ?? '', eventId: id, type, body, headers: {}, status: 0 };
    return signDelivery(d, o);
  }

  function signDelivery(d: Delivery, o: { transmissionTime?: Date; forge?: boolean } = {}): Delivery {
    const tid = randomUUID();
    const time = stamp(o.transmissionTime);
    if (!o.forge) signed.add(tid);
    d.headers = {
      'content-type': 'application/json',
      'user-agent': 'PayPal/AUHD-214.0-58218767',
      'paypal-transmission-id': tid,
      'paypal-transmission-time': time,
      'paypal-transmission-sig': o.forge ? randomBytes(32).toString('base64') : sign(tid, time, credentials.webhookId, d.body),
      'paypal-cert-url': `${url}/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77`,
      'paypal-auth-algo': 'SHA256withRSA',
      'paypal-auth-version': 'v2',
    };
    return d;
  }

  async function send(d: Delivery): Promise<number> {
    const target = d.url || notifyUrl;
    if (!target) throw new Error('fake PayPal: no notify URL for this delivery (setNotifyUrl first)');
    d.url = target;
    try {
      const res = await fetch(target, { method: 'POST', headers: d.headers, body: d.body });
      await res.arrayBuffer();
      d.status = res.status;
    } catch {
      d.status = 0;
    }
    return d.status;
  }

  /** Records a webhook and, with a notify URL, sends it after the API answer has gone out (as PayPal does). */
  function notify(type: string, resource: object): Delivery {
    const d = event(type, resource);
    deliveries.push(d);
    if (notifyUrl) {
      const p: Promise<unknown> = new Promise((r) => setImmediate(r)).then(() => send(d)).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    return d;
  }

  function createOrder(body: any, prefer: string | undefined): Reply {
    if (!body || typeof body !== 'object') return issue(400, 'MALFORMED_REQUEST_JSON');
    if (!body.intent) return issue(400, 'MISSING_REQUIRED_PARAMETER', '/intent');
    if (body.intent !== 'CAPTURE' && body.intent !== 'AUTHORIZE') return issue(400, 'INVALID_PARAMETER_VALUE', '/intent', body.intent);
    const units = body.purchase_units;
    if (!Array.isArray(units) || units.length === 0) return issue(400, 'MISSING_REQUIRED_PARAMETER', '/purchase_units');
    if (units.length > 1) return issue(422, 'INVALID_PARAMETER_VALUE', '/purchase_units', units.length);
    const pu = units[0];
    const at = `/purchase_units/@reference_id=='${pu.reference_id ?? 'default'}'`;
    if (!pu.amount?.currency_code) return issue(400, 'MISSING_REQUIRED_PARAMETER', `${at}/amount/currency_code`);
    if (pu.amount.value === undefined) return issue(400, 'MISSING_REQUIRED_PARAMETER', `${at}/amount/value`);
    if (!CURRENCIES.has(pu.amount.currency_code)) return issue(422, 'CURRENCY_NOT_SUPPORTED', `${at}/amount/currency_code`, pu.amount.currency_code);
    const minor = parseValue(pu.amount.value, pu.amount.currency_code);
    if (typeof minor === 'string') return issue(minor === 'INVALID_PARAMETER_SYNTAX' ? 400 : 422, minor, `${at}/amount/value`, pu.amount.value);
    for (const [k, max] of [['reference_id', 256], ['custom_id', 127], ['invoice_id', 127], ['description', 127]] as const) {
      if (pu[k] !== undefined && (typeof pu[k] !== 'string' || pu[k].length > max)) return issue(400, 'INVALID_STRING_MAX_LENGTH', `${at}/${k}`, pu[k]);
    }
    if (pu.invoice_id && [...captures.values()].some((c) => c.invoiceId === pu.invoice_id)) return issue(422, 'DUPLICATE_INVOICE_ID', `${at}/invoice_id`, pu.invoice_id);
    const ctx = body.payment_source?.paypal?.experience_context ?? null;
    for (const k of ['return_url', 'cancel_url']) {
      if (ctx?.[k] !== undefined && !/^https?:\/\/\S+$/.test(String(ctx[k]))) return issue(400, 'INVALID_PARAMETER_SYNTAX', `/payment_source/paypal/experience_context/${k}`, ctx[k]);
    }
    const o = {
      id: ppId(17), intent: body.intent, status: body.payment_source?.paypal ? 'PAYER_ACTION_REQUIRED' : 'CREATED',
      purchaseUnit: {
        reference_id: pu.reference_id ?? 'default', amount: { currency_code: pu.amount.currency_code, value: pu.amount.value },
        ...(pu.description !== undefined ? { description: pu.description } : {}),
        ...(pu.custom_id !== undefined ? { custom_id: pu.custom_id } : {}), ...(pu.invoice_id !== undefined ? { invoice_id: pu.invoice_id } : {}),
      },
      experienceContext: ctx, paypalSource: !!body.payment_source?.paypal, payer: null, decline: false, pending: false,
      captureId: null, createTime: stamp(),
    } as Omit<FakePaypalOrder, 'links'> as FakePaypalOrder;
    Object.defineProperty(o, 'links', { get: () => linksOf(o), enumerable: true });
    orders.set(o.id, o);
    return new Reply(201, orderJson(o, prefer === 'return=representation'));
  }

  function captureOrder(o: FakePaypalOrder, prefer: string | undefined): Reply {
    if (o.status === 'COMPLETED') return issue(422, 'ORDER_ALREADY_CAPTURED');
    if (o.status !== 'APPROVED') return issue(422, 'ORDER_NOT_APPROVED');
    if (o.decline) {
      // The buyer has to pick another funding source on PayPal, then the merchant captures again.
      o.status = 'PAYER_ACTION_REQUIRED';
      o.decline = false;
      return issue(422, 'INSTRUMENT_DECLINED', undefined, undefined, { links: [{ href: `${url}/checkoutnow?token=${o.id}`, rel: 'redirect', method: 'GET' }] });
    }
    const pu = o.purchaseUnit;
    if (pu.invoice_id && [...captures.values()].some((c) => c.invoiceId === pu.invoice_id)) return issue(422, 'DUPLICATE_INVOICE_ID', undefined, pu.invoice_id);
    const currency = pu.amount.currency_code;
    const minor = parseValue(pu.amount.value, currency) as number;
    const now = stamp();
    const c: FakePaypalCapture = {
      id: ppId(17), orderId: o.id, status: o.pending ? 'PENDING' : 'COMPLETED', currency, minor, fee: feeOf(minor, currency), refunded: 0,
      customId: pu.custom_id ?? null, invoiceId: pu.invoice_id ?? null, createTime: now, updateTime: now,
    };
    captures.set(c.id, c);
    o.captureId = c.id;
    o.status = 'COMPLETED';
    notify(c.status === 'PENDING' ? 'PAYMENT.CAPTURE.PENDING' : 'PAYMENT.CAPTURE.COMPLETED', captureJson(c, true));
    const full = orderJson(o);
    return new Reply(201, prefer === 'return=representation' ? full : {
      id: o.id, status: o.status, payment_source: full.payment_source,
      purchase_units: [{ reference_id: pu.reference_id, payments: { captures: [captureJson(c)] } }], payer: full.payer, links: full.links,
    });
  }

  function refundCapture(c: FakePaypalCapture, body: any, prefer: string | undefined): Reply {
    if (c.status === 'REFUNDED') return issue(422, 'CAPTURE_FULLY_REFUNDED');
    if (c.status !== 'COMPLETED' && c.status !== 'PARTIALLY_REFUNDED') return issue(422, 'REFUND_NOT_ALLOWED');
    let minor = c.minor - c.refunded;
    if (body?.amount !== undefined) {
      if (body.amount.currency_code !== c.currency) return issue(422, 'REFUND_CAPTURE_CURRENCY_MISMATCH', '/amount/currency_code', body.amount.currency_code);
      const m = parseValue(body.amount.value, c.currency);
      if (typeof m === 'string') return issue(m === 'INVALID_PARAMETER_SYNTAX' ? 400 : 422, m, '/amount/value', body.amount.value);
      minor = m;
    }
    if (minor > c.minor - c.refunded) return issue(422, 'REFUND_AMOUNT_EXCEEDED', '/amount/value', body?.amount?.value);
    const r: FakePaypalRefund = {
      id: ppId(17), captureId: c.id, status: 'COMPLETED', currency: c.currency, minor,
      invoiceId: body?.invoice_id ?? c.invoiceId, customId: body?.custom_id ?? null, createTime: stamp(),
    };
    refunds.set(r.id, r);
    c.refunded += minor;
    c.status = c.refunded === c.minor ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    c.updateTime = r.createTime;
    notify('PAYMENT.CAPTURE.REFUNDED', refundJson(r));
    return new Reply(201, refundJson(r, prefer === 'return=representation'));
  }

  function verifySignature(b: any): Reply {
    const required = ['auth_algo', 'cert_url', 'transmission_id', 'transmission_sig', 'transmission_time', 'webhook_id', 'webhook_event'];
    const missing = required.find((k) => b?.[k] === undefined || b[k] === '');
    if (missing) {
      return new Reply(400, {
        name: 'VALIDATION_ERROR', message: 'Invalid request - see details', debug_id: randomBytes(7).toString('hex').slice(0, 13),
        details: [{ field: missing, location: 'body', issue: 'Required field is missing' }],
        links: [{ href: 'https://developer.paypal.com/docs/api/webhooks/v1/#error-VALIDATION_ERROR', rel: 'information_link', method: 'GET' }],
      });
    }
    let ok = signed.has(b.transmission_id) && b.auth_algo === 'SHA256withRSA' && String(b.cert_url).startsWith(`${url}/v1/notifications/certs/`);
    if (ok) {
      const want = Buffer.from(sign(b.transmission_id, b.transmission_time, b.webhook_id, JSON.stringify(b.webhook_event)));
      const got = Buffer.from(String(b.transmission_sig));
      ok = want.length === got.length && timingSafeEqual(want, got);
    }
    return new Reply(200, { verification_status: ok ? 'SUCCESS' : 'FAILURE' });
  }

  function token(req: IncomingMessage, raw: string): Reply {
    const [scheme, value] = (req.headers.authorization ?? '').split(' ');
    const [id, secret] = scheme === 'Basic' && value ? Buffer.from(value, 'base64').toString().split(/:(.*)/s) : [];
    if (id !== credentials.clientId || secret !== credentials.clientSecret) {
      return new Reply(401, { error: 'invalid_client', error_description: 'Client Authentication failed' });
    }
    if (new URLSearchParams(raw).get('grant_type') !== 'client_credentials') {
      return new Reply(400, { error: 'unsupported_grant_type', error_description: 'Grant Type is NULL' });
    }
    const access = `A21AA${randomBytes(40).toString('base64url')}`;
    tokens.set(access, Date.now() + 32400_000);
    return new Reply(200, {
      scope: 'https://uri.paypal.com/services/payments/refund https://uri.paypal.com/services/payments/payment',
      access_token: access, token_type: 'Bearer', app_id: 'APP-80W284485P519543T', expires_in: 32400, nonce: `${stamp()}${ppId(20)}`,
    });
  }

  function route(req: IncomingMessage, path: string, raw: string, body: any): Reply {
    const m = req.method ?? 'GET';
    if (m === 'POST' && path === '/v1/oauth2/token') return token(req, raw);
    const [scheme, value] = (req.headers.authorization ?? '').split(' ');
    if (scheme !== 'Bearer' || (tokens.get(value) ?? 0) < Date.now()) {
      return new Reply(401, {
        name: 'AUTHENTICATION_FAILURE', message: 'Authentication failed due to invalid authentication credentials or a missing Authorization header.',
        links: [{ href: 'https://developer.paypal.com/docs/api/overview/#error', rel: 'information_link' }],
      });
    }
    if (body === undefined) return issue(400, 'MALFORMED_REQUEST_JSON');
    const prefer = req.headers.prefer as string | undefined;
    let r: RegExpExecArray | null;
    if (m === 'POST' && path === '/v2/checkout/orders') return createOrder(body, prefer);
    if ((r = /^\/v2\/checkout\/orders\/([^/]+)(\/capture)?$/.exec(path))) {
      const o = orders.get(r[1]);
      if (!o) return issue(404, 'INVALID_RESOURCE_ID', 'order_id', r[1]);
      if (m === 'GET' && !r[2]) return new Reply(200, orderJson(o));
      if (m === 'POST' && r[2]) return captureOrder(o, prefer);
    }
    if ((r = /^\/v2\/payments\/captures\/([^/]+)(\/refund)?$/.exec(path))) {
      const c = captures.get(r[1]);
      if (!c) return issue(404, 'INVALID_RESOURCE_ID', 'capture_id', r[1]);
      if (m === 'GET' && !r[2]) return new Reply(200, captureJson(c, true));
      if (m === 'POST' && r[2]) return refundCapture(c, body, prefer);
    }
    if (m === 'GET' && (r = /^\/v2\/payments\/refunds\/([^/]+)$/.exec(path))) {
      const f = refunds.get(r[1]);
      return f ? new Reply(200, refundJson(f)) : issue(404, 'INVALID_RESOURCE_ID', 'refund_id', r[1]);
    }
    if (m === 'POST' && path === '/v1/notifications/verify-webhook-signature') return verifySignature(body);
    if (m === 'GET' && (r = /^\/v1\/notifications\/webhooks\/([^/]+)$/.exec(path))) {
      if (r[1] !== credentials.webhookId) return new Reply(404, { name: 'INVALID_RESOURCE_ID', message: 'Webhook id does not exist', debug_id: randomBytes(7).toString('hex').slice(0, 13) });
      return new Reply(200, {
        id: credentials.webhookId, url: notifyUrl ?? 'https://example.com/webhooks/paypal',
        event_types: ['PAYMENT.CAPTURE.COMPLETED', 'PAYMENT.CAPTURE.PENDING', 'PAYMENT.CAPTURE.DENIED', 'PAYMENT.CAPTURE.REFUNDED'].map((name) => ({ name, description: name, status: 'ENABLED' })),
        links: [{ href: `${url}/v1/notifications/webhooks/${credentials.webhookId}`, rel: 'self', method: 'GET' }],
      });
    }
    return new Reply(404, { name: 'NOT_FOUND', message: 'The specified resource does not exist.', debug_id: randomBytes(7).toString('hex').slice(0, 13) });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    if (req.method === 'GET' && path === '/checkoutnow') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>PayPal Checkout</title><p>Fake PayPal checkout for order ${escape(q.get('token') ?? '')}.</p>`);
      return;
    }
    let body: unknown = null;
    if (raw.trim() && !/x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')) {
      try { body = JSON.parse(raw); } catch { body = undefined; }
    }
    const requestId = req.method === 'POST' ? (req.headers['paypal-request-id'] as string | undefined) : undefined;
    let reply: Reply;
    const failure = failures.shift();
    if (failure !== undefined) {
      reply = new Reply(failure, { name: 'INTERNAL_SERVER_ERROR', message: 'An internal server error occurred.', debug_id: randomBytes(7).toString('hex').slice(0, 13), links: [{ href: 'https://developer.paypal.com/api/rest/reference/orders/v2/errors/#INTERNAL_SERVER_ERROR', rel: 'information_link' }] });
    } else if (requestId && replays.has(`${path}|${requestId}`)) {
      // PayPal answers a replay 200 OK with the first answer's body.
      const first = replays.get(`${path}|${requestId}`)!;
      reply = new Reply(first.status === 201 ? 200 : first.status, first.body);
    } else {
      reply = route(req, path, raw, body);
      if (requestId && reply.status < 300 && path !== '/v1/oauth2/token') replays.set(`${path}|${requestId}`, reply);
    }
    calls.push({ method: req.method ?? 'GET', path, headers: { ...req.headers } as Record<string, string | undefined>, body: body ?? raw, status: reply.status });
    const text = JSON.stringify(reply.body);
    res.writeHead(reply.status, { 'content-type': 'application/json', 'paypal-debug-id': randomBytes(7).toString('hex').slice(0, 13) });
    res.end(text);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => { res.writeHead(500); res.end(String(err)); });
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  url = `http://127.0.0.1:${port}`;

  return {
    port, url, credentials, orders, captures, refunds, calls, deliveries,
    setNotifyUrl(u) { notifyUrl = u; },
    async pay(ref, o = {}) {
      const order = orders.get(ref);
      if (!order) throw new Error(`fake PayPal: no order ${ref}`);
      if (order.status !== 'CREATED' && order.status !== 'PAYER_ACTION_REQUIRED') throw new Error(`fake PayPal: order ${ref} is ${order.status}`);
      order.payer ??= { payer_id: ppId(13), email_address: 'buyer@example.com', name: { given_name: 'Test', surname: 'Buyer' } };
      order.status = 'APPROVED';
      order.decline = !!o.decline;
      order.pending = !!o.pending;
      const back = new URL(String(order.experienceContext?.return_url ?? 'https://example.com/return'));
      back.searchParams.set('token', order.id);
      back.searchParams.set('PayerID', order.payer.payer_id);
      return { returnUrl: back.toString(), returnMethod: 'GET', returnForm: {}, deliveries: [] };
    },
    async settlePending(captureId, o = {}) {
      const c = captures.get(captureId);
      if (!c || c.status !== 'PENDING') throw new Error(`fake PayPal: capture ${captureId} is not pending`);
      c.status = o.deny ? 'DECLINED' : 'COMPLETED';
      c.updateTime = stamp();
      const d = notify(o.deny ? 'PAYMENT.CAPTURE.DENIED' : 'PAYMENT.CAPTURE.COMPLETED', captureJson(c, true));
      await Promise.all([...inFlight]);
      return d;
    },
    event: (type, resource, o) => event(type, resource, o),
    send,
    async redeliver(d, o = {}) {
      const copies = Array.from({ length: o.times ?? 1 }, () => {
        const copy = signDelivery({ ...d, headers: {}, status: 0, url: d.url || notifyUrl || '' });
        deliveries.push(copy);
        return copy;
      });
      if (o.concurrent) return Promise.all(copies.map(send));
      const out: number[] = [];
      for (const c of copies) out.push(await send(c));
      return out;
    },
    async flush() { while (inFlight.size) await Promise.all([...inFlight]); },
    async idle() { while (inFlight.size) await Promise.all([...inFlight]); },
    failNext(n, status = 500) { failures = [...failures, ...Array(n).fill(status)]; },
    revokeTokens() { tokens.clear(); },
    async close() {
      await Promise.all([...inFlight]);
      await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
    },
  };
}

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
