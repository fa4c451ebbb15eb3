import { createHash, randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatDecimal, multiply, parseMoney, percentOf } from '../../src/domain/shared/money.js';

/**
 * A fake SSLCommerz (v4 hosted checkout + validator APIs), real HTTP on loopback, state in memory, following
 * developer.sslcommerz.com:
 * - POST /gwprocess/v4/api.php: session init, form fields (urlencoded or multipart, the official clients send
 *   multipart); answers 200 JSON with status SUCCESS/FAILED and failedreason.
 * - GET  /EasyCheckOut/testcde<sessionkey>: the hosted page (plain HTML here; `pay()` stands for the customer).
 * - /validator/api/validationserverAPI.php: order validation by val_id; VALID the first time, VALIDATED afterwards.
 * - /validator/api/merchantTransIDvalidationAPI.php: refund initiation (bank_tran_id + refund_amount), refund query
 *   (refund_ref_id), transaction query (tran_id or sessionkey).
 * The validator APIs read their parameters from the query string whatever the method (the official Node client
 * POSTs them), always answer HTTP 200, and say what went wrong in APIConnect (INVALID_REQUEST, FAILED, INACTIVE, DONE).
 * Non-BDT sessions are converted to BDT at a fixed rate: `amount`/`currency` are BDT, `currency_amount`/
 * `currency_type` what the merchant asked for. The fee is 2.5 % of the BDT amount (store_amount is the rest).
 * UNCONFIRMED wording (the docs give no text): failedreason for missing fields and bad amounts, refund errorReason.
 */

export interface Delivery { url: string; eventId: string; type: string; body: string; headers: Record<string, string>; status: number }

export interface FakeSslSession {
  sessionkey: string; tranId: string; amount: number; currency: string; amountBdt: number; rate: string;
  successUrl: string; failUrl: string; cancelUrl: string; ipnUrl: string | null;
  fields: Record<string, string>; status: 'PENDING' | 'VALID' | 'FAILED' | 'CANCELLED';
}

export interface FakeSslTransaction {
  bankTranId: string; valId: string; tranId: string; sessionkey: string;
  status: 'VALID' | 'VALIDATED' | 'FAILED' | 'CANCELLED';
  amountBdt: number; storeAmountBdt: number; currencyType: string; currencyAmount: number; rate: string;
  values: { value_a: string; value_b: string; value_c: string; value_d: string };
  tranDate: string; refunded: number;
}

export interface FakeSslRefund {
  refundRefId: string; bankTranId: string; tranId: string; refundTransId: string; refeId: string;
  amount: number; remarks: string; status: 'refunded'; initiatedOn: string;
}

export interface FakeSslCall { path: string; method: string; params: Record<string, string> }

export interface FakeSslcommerz {
  port: number; url: string;
  credentials: { storeId: string; storePassword: string };
  sessions: Map<string, FakeSslSession>;
  /** By bank_tran_id. */
  transactions: Map<string, FakeSslTransaction>;
  /** By refund_ref_id. */
  refunds: Map<string, FakeSslRefund>;
  /** Every API request (not the hosted page), store_passwd included: tests check what was sent. */
  calls: FakeSslCall[];
  callsTo(path: 'init' | 'validation' | 'merchantTrans'): FakeSslCall[];
  setNotifyUrl(url: string | null): void;
  pay(checkoutReference: string, opts?: { decline?: boolean; cancel?: boolean }): Promise<{ returnUrl: string; returnMethod: 'POST'; returnForm: Record<string, string>; deliveries: Delivery[] }>;
  deliveries: Delivery[];
  ipn(fields: Record<string, string>, opts?: { sign?: boolean }): Delivery;
  send(d: Delivery): Promise<number>;
  redeliver(d: Delivery, opts?: { times?: number; concurrent?: boolean }): Promise<number[]>;
  failNext(n: number, status?: number): void;
  close(): Promise<void>;
}

const PATHS = { init: '/gwprocess/v4/api.php', validation: '/validator/api/validationserverAPI.php', merchantTrans: '/validator/api/merchantTransIDvalidationAPI.php' } as const;
const RATES: Record<string, string> = { BDT: '1', USD: '121.5000', EUR: '131.2500', GBP: '154.8000', SGD: '90.1000', INR: '1.4500' };
const REQUIRED = ['total_amount', 'currency', 'tran_id', 'success_url', 'fail_url', 'cancel_url', 'cus_name', 'cus_email', 'cus_add1',
  'cus_city', 'cus_postcode', 'cus_country', 'cus_phone', 'shipping_method', 'product_name', 'product_category', 'product_profile'];
const SIGNED_KEYS = ['amount', 'bank_tran_id', 'base_fair', 'card_brand', 'card_issuer', 'card_issuer_country', 'card_issuer_country_code',
  'card_no', 'card_type', 'currency', 'currency_amount', 'currency_rate', 'currency_type', 'error', 'risk_level', 'risk_title', 'status',
  'store_amount', 'tran_date', 'tran_id', 'val_id', 'value_a', 'value_b', 'value_c', 'value_d'];

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
const stamp = (d = new Date()) => d.toISOString().replace('T', ' ').slice(0, 19);
/** PHP prints decimals without trailing zeros in some fields ("97.5"), which clients must read. */
const trimmed = (s: string) => s.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');

/** SSLCommerz's verify_sign, written independently of the module's. */
export function sslcommerzSign(fields: Record<string, string>, storePassword: string): string {
  const keys = fields.verify_key.split(',').filter((k) => k in fields);
  const data: Record<string, string> = Object.fromEntries(keys.map((k) => [k, fields[k]]));
  data.store_passwd = md5(storePassword);
  return md5(Object.keys(data).sort().map((k) => `${k}=${data[k]}`).join('&'));
}

function parseMultipart(body: Buffer, boundary: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of body.toString('utf8').split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const name = /name="([^"]*)"/.exec(part.slice(0, split))?.[1];
    if (name !== undefined) out[name] = part.slice(split + 4).replace(/\r\n$/, '');
  }
  return out;
}

export async function startFakeSslcommerz(opts: { storeId?: string; storePassword?: string } = {}): Promise<FakeSslcommerz> {
  const credentials = { storeId: opts.storeId ?? 'merid64f0c0ffee', storePassword: opts.storePassword ?? 'merid64f0c0ffee@ssl' };
  const sessions = new Map<string, FakeSslSession>();
  const transactions = new Map<string, FakeSslTransaction>();
  const refunds = new Map<string, FakeSslRefund>();
  const calls: FakeSslCall[] = [];
  const deliveries: Delivery[] = [];
  let notifyOverride: string | null = null;
  let failures: number[] = [];

  const authorised = (p: Record<string, string>) => p.store_id === credentials.storeId && p.store_passwd === credentials.storePassword;

  function init(p: Record<string, string>, base: string) {
    const failed = (failedreason: string) => ({
      status: 'FAILED', failedreason, sessionkey: '', gw: [], redirectGatewayURL: '', directPaymentURLBank: '', directPaymentURLCard: '',
      directPaymentURL: '', redirectGatewayURLFailed: '', GatewayPageURL: '', storeBanner: '', storeLogo: '', desc: [], is_direct_pay_enable: '',
    });
    if (!authorised(p)) return failed('Store Credential Error Or Store is De-active');
    const missing = REQUIRED.find((k) => !p[k]);
    if (missing) return failed(`Invalid Information: '${missing}' is missing`);
    if (p.shipping_method === 'YES' && !p.num_of_item) return failed("Invalid Information: 'num_of_item' is missing");
    if (p.tran_id.length > 30) return failed("Invalid Information: 'tran_id' is longer than 30 characters");
    const currency = p.currency.toUpperCase();
    if (!RATES[currency]) return failed('Invalid Currency');
    if (!/^\d{1,8}(\.\d{1,2})?$/.test(p.total_amount)) return failed('Invalid Amount');
    const amount = parseMoney(p.total_amount, 2);
    const amountBdt = multiply(amount, RATES[currency]);
    if (amountBdt < 1000 || amountBdt > 50_000_000) return failed('Invalid Amount: the transaction amount must be from 10.00 BDT to 500000.00 BDT');
    const sessionkey = randomBytes(16).toString('hex').toUpperCase();
    sessions.set(sessionkey, {
      sessionkey, tranId: p.tran_id, amount, currency, amountBdt, rate: RATES[currency],
      successUrl: p.success_url, failUrl: p.fail_url, cancelUrl: p.cancel_url, ipnUrl: p.ipn_url || null, fields: { ...p }, status: 'PENDING',
    });
    return {
      status: 'SUCCESS', failedreason: '', sessionkey,
      gw: { visa: 'city_visa,ebl_visa,dbbl_visa', master: 'city_master,ebl_master', amex: 'city_amex', othercards: 'qcash', internetbanking: 'city,bankasia', mobilebanking: 'bkash,dbblmobilebanking' },
      redirectGatewayURL: `${base}/gwprocess/v4/bankgw/indexhtml.php?mamount=${formatDecimal(amountBdt)}&ssl_id=${sessionkey}&Q=REDIRECT&SESSIONKEY=${sessionkey}&tran_type=success&cardname=`,
      directPaymentURLBank: '', directPaymentURLCard: '', directPaymentURL: '', redirectGatewayURLFailed: '',
      GatewayPageURL: `${base}/EasyCheckOut/testcde${sessionkey}`,
      storeBanner: `${base}/stores/logos/demoLogo.png`, storeLogo: `${base}/stores/logos/demoLogo.png`, desc: [], is_direct_pay_enable: '0',
    };
  }

  function txFields(t: FakeSslTransaction): Record<string, string> {
    return {
      status: t.status, tran_date: t.tranDate, tran_id: t.tranId, val_id: t.valId, amount: formatDecimal(t.amountBdt),
      store_amount: trimmed(formatDecimal(t.storeAmountBdt)), currency: 'BDT', bank_tran_id: t.bankTranId, card_type: 'VISA-Dutch Bangla',
      card_no: '432149XXXXXX0667', card_issuer: 'STANDARD CHARTERED BANK', card_brand: 'VISA', card_issuer_country: 'Bangladesh',
      card_issuer_country_code: 'BD', currency_type: t.currencyType, currency_amount: formatDecimal(t.currencyAmount), currency_rate: t.rate,
      base_fair: '0.00', ...t.values, risk_level: '0', risk_title: 'Safe',
    };
  }

  function validation(p: Record<string, string>) {
    if (!p.val_id) return { APIConnect: 'INVALID_REQUEST' };
    if (!authorised(p)) return { APIConnect: 'FAILED' };
    const t = [...transactions.values()].find((x) => x.valId === p.val_id);
    if (!t) return { status: 'INVALID_TRANSACTION', APIConnect: 'DONE' };
    const answer = { ...txFields(t), status: t.status === 'CANCELLED' ? 'FAILED' : t.status, emi_instalment: '0', emi_amount: '0.00',
      emi_description: '', emi_issuer: '', account_details: '', APIConnect: 'DONE', validated_on: stamp(), gw_version: '' };
    if (t.status === 'VALID') t.status = 'VALIDATED';
    return answer;
  }

  function merchantTrans(p: Record<string, string>) {
    if (!authorised(p)) return { APIConnect: 'FAILED' };
    if (p.bank_tran_id !== undefined || p.refund_amount !== undefined) return refund(p);
    if (p.refund_ref_id) {
      const r = refunds.get(p.refund_ref_id);
      if (!r) return { APIConnect: 'DONE', refund_ref_id: p.refund_ref_id, status: '', errorReason: 'Invalid refund reference' };
      return { APIConnect: 'DONE', bank_tran_id: r.bankTranId, tran_id: r.tranId, refund_ref_id: r.refundRefId, initiated_on: r.initiatedOn, refunded_on: r.initiatedOn, status: r.status, errorReason: '' };
    }
    if (p.tran_id) {
      const element = [...transactions.values()].filter((t) => t.tranId === p.tran_id).map((t) => ({ ...txFields(t), error: t.status === 'FAILED' ? 'Declined by issuer' : '' }));
      return { APIConnect: 'DONE', no_of_trans_found: element.length, element };
    }
    if (p.sessionkey) {
      const t = [...transactions.values()].filter((x) => x.sessionkey === p.sessionkey).at(-1);
      const s = sessions.get(p.sessionkey);
      if (!s) return { APIConnect: 'DONE', status: 'INVALID_REQUEST' };
      return t ? { APIConnect: 'DONE', sessionkey: s.sessionkey, ...txFields(t) } : { APIConnect: 'DONE', sessionkey: s.sessionkey, status: 'PENDING', tran_id: s.tranId };
    }
    return { APIConnect: 'INVALID_REQUEST' };
  }

  function refund(p: Record<string, string>) {
    if (!p.bank_tran_id || !p.refund_amount || !p.refund_remarks || !p.refund_trans_id) return { APIConnect: 'INVALID_REQUEST' };
    const replayKey = (r: FakeSslRefund) => r.refundTransId === p.refund_trans_id || (!!p.refe_id && r.refeId === p.refe_id && r.bankTranId === p.bank_tran_id);
    const earlier = [...refunds.values()].find(replayKey);
    if (earlier) return { APIConnect: 'DONE', bank_tran_id: earlier.bankTranId, trans_id: earlier.tranId, refund_ref_id: earlier.refundRefId, status: 'processing', errorReason: 'The refund has been initiated already' };
    const t = transactions.get(p.bank_tran_id);
    const refused = (errorReason: string, tranId?: string) => ({ APIConnect: 'DONE', bank_tran_id: p.bank_tran_id, ...(tranId ? { trans_id: tranId } : {}), status: 'failed', errorReason });
    if (!t) return refused('Invalid bank transaction ID');
    if (t.status !== 'VALID' && t.status !== 'VALIDATED') return refused('Transaction is not eligible for refund', t.tranId);
    if (!/^\d{1,8}(\.\d{1,2})?$/.test(p.refund_amount) || parseMoney(p.refund_amount) <= 0) return refused('Invalid refund amount', t.tranId);
    const amount = parseMoney(p.refund_amount);
    if (amount > t.amountBdt - t.refunded) return refused('Refund amount exceeds the refundable amount', t.tranId);
    t.refunded += amount;
    const refundRefId = randomBytes(7).toString('hex').slice(0, 13);
    refunds.set(refundRefId, { refundRefId, bankTranId: t.bankTranId, tranId: t.tranId, refundTransId: p.refund_trans_id, refeId: p.refe_id ?? '', amount, remarks: p.refund_remarks, status: 'refunded', initiatedOn: stamp() });
    return { APIConnect: 'DONE', bank_tran_id: t.bankTranId, trans_id: t.tranId, refund_ref_id: refundRefId, status: 'success', errorReason: '' };
  }

  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = Buffer.concat(chunks);
      const type = req.headers['content-type'] ?? '';
      const boundary = /boundary=([^;]+)/.exec(type)?.[1];
      const form = type.startsWith('multipart/form-data') && boundary ? parseMultipart(body, boundary)
        : type.startsWith('application/x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(body.toString('utf8'))) : {};
      const send = (status: number, payload: unknown, contentType = 'application/json') => {
        res.writeHead(status, { 'content-type': contentType });
        res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
      };

      if (req.method === 'GET' && u.pathname.startsWith('/EasyCheckOut/')) {
        const s = sessions.get(u.pathname.slice('/EasyCheckOut/'.length).replace(/^testcde/, ''));
        if (!s) return send(404, '<html><body>Invalid session</body></html>', 'text/html');
        return send(200, `<html><body><h1>SSLCommerz (fake)</h1><p>Pay ${formatDecimal(s.amount)} ${s.currency} for ${s.tranId}</p></body></html>`, 'text/html');
      }
      const name = (Object.keys(PATHS) as Array<keyof typeof PATHS>).find((k) => PATHS[k] === u.pathname);
      if (!name) return send(404, '<html><body>404 Not Found</body></html>', 'text/html');
      // PHP's $_REQUEST: the query string and the posted form both count.
      const params = { ...Object.fromEntries(u.searchParams), ...form };
      calls.push({ path: u.pathname, method: req.method ?? '', params });
      const failure = failures.shift();
      if (failure !== undefined) return send(failure, `<html><head><title>${failure}</title></head><body><center><h1>${failure} Service Temporarily Unavailable</h1></center></body></html>`, 'text/html');
      if (name === 'init') return req.method === 'POST' ? send(200, init(form, baseUrl)) : send(405, '<html><body>Method Not Allowed</body></html>', 'text/html');
      return send(200, name === 'validation' ? validation(params) : merchantTrans(params));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;

  function signed(fields: Record<string, string>): Record<string, string> {
    const out = { ...fields, verify_key: fields.verify_key ?? Object.keys(fields).filter((k) => !k.startsWith('verify_')).join(',') };
    return { ...out, verify_sign: sslcommerzSign(out, credentials.storePassword) };
  }

  function delivery(fields: Record<string, string>, url: string): Delivery {
    const status = fields.status ?? '';
    const eventId = status === 'VALID' ? `val:${fields.val_id}` : `fail:${fields.tran_id}:${status}`;
    return { url, eventId, type: status, body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 0 };
  }

  async function post(d: Delivery): Promise<number> {
    try {
      const r = await fetch(d.url, { method: 'POST', headers: d.headers, body: d.body });
      await r.arrayBuffer();
      return r.status;
    } catch {
      return 0;
    }
  }

  const fake: FakeSslcommerz = {
    port, url: baseUrl, credentials, sessions, transactions, refunds, calls, deliveries,
    callsTo: (p) => calls.filter((c) => c.path === PATHS[p]),
    setNotifyUrl(url) { notifyOverride = url; },

    async pay(checkoutReference, o = {}) {
      const s = sessions.get(checkoutReference);
      if (!s) throw new Error(`fake SSLCommerz: no session ${checkoutReference}`);
      if (s.status !== 'PENDING') throw new Error(`fake SSLCommerz: session ${checkoutReference} is already ${s.status}`);
      const status = o.cancel ? 'CANCELLED' : o.decline ? 'FAILED' : 'VALID';
      s.status = status;
      const now = new Date();
      const digits = now.toISOString().replace(/\D/g, '').slice(2, 14);
      const t: FakeSslTransaction = {
        bankTranId: `${digits}${randomBytes(8).toString('base64url').slice(0, 11)}`,
        valId: `${digits}${randomBytes(9).toString('base64url').slice(0, 12)}`,
        tranId: s.tranId, sessionkey: s.sessionkey, status,
        amountBdt: s.amountBdt, storeAmountBdt: s.amountBdt - percentOf(s.amountBdt, '2.5'),
        currencyType: s.currency, currencyAmount: s.amount, rate: s.rate,
        values: { value_a: s.fields.value_a ?? '', value_b: s.fields.value_b ?? '', value_c: s.fields.value_c ?? '', value_d: s.fields.value_d ?? '' },
        tranDate: stamp(now), refunded: 0,
      };
      transactions.set(t.bankTranId, t);
      const fields = txFields(t);
      if (status !== 'VALID') {
        fields.val_id = '';
        fields.error = status === 'FAILED' ? 'Declined by issuer' : 'Cancelled by customer';
      }
      const form = signed(Object.fromEntries(SIGNED_KEYS.filter((k) => k in fields).map((k) => [k, fields[k]])));
      const sent: Delivery[] = [];
      const ipnUrl = notifyOverride ?? s.ipnUrl;
      if (ipnUrl) {
        const d = delivery(form, ipnUrl);
        sent.push(d);
        deliveries.push(d);
        d.status = await post(d);
      }
      const returnUrl = status === 'VALID' ? s.successUrl : status === 'FAILED' ? s.failUrl : s.cancelUrl;
      return { returnUrl, returnMethod: 'POST', returnForm: form, deliveries: sent };
    },

    ipn(fields, o = {}) {
      const form = o.sign === false ? { ...fields } : signed(fields);
      const s = [...sessions.values()].find((x) => x.tranId === fields.tran_id);
      return delivery(form, notifyOverride ?? s?.ipnUrl ?? '');
    },

    async send(d) {
      if (!deliveries.includes(d)) deliveries.push(d);
      d.status = await post(d);
      return d.status;
    },

    async redeliver(d, o = {}) {
      const copies = Array.from({ length: o.times ?? 1 }, () => ({ ...d, status: 0 }));
      deliveries.push(...copies);
      const one = async (c: Delivery) => (c.status = await post(c));
      if (o.concurrent) return Promise.all(copies.map(one));
      const out: number[] = [];
      for (const c of copies) out.push(await one(c));
      return out;
    },

    failNext(n, status = 503) { failures = Array.from({ length: n }, () => status); },

    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  return fake;
}
