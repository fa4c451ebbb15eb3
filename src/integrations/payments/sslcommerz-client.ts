import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { GatewaySettings } from '../../domain/payments/gateway.js';
import { fail, type Failure } from '../../domain/shared/outcome.js';

/**
 * The transport half of the SSLCommerz module: the official `sslcommerz-lts` client, pointed at the right host, with
 * a timeout, and its answers turned into JSON or a Failure. The module never builds HTTP by hand except through this.
 *
 * What the package does and how we live with it (v1.2):
 * - It hard-codes https://sandbox|securepay.sslcommerz.com in the constructor, but keeps the URLs as plain instance
 *   fields, so `apiBase` is applied by overwriting them after construction.
 * - Its query calls paste values into the URL unencoded (a store password with `&` breaks them, and a `val_id` taken
 *   from a posted form could smuggle parameters), and its refund call predates the mandatory `refund_trans_id`.
 *   Every method takes an explicit URL as its second argument, so we build each URL ourselves with URLSearchParams.
 * - It POSTs everything (the query APIs read their parameters from the query string, so they answer alike), swallows
 *   network and JSON errors into a resolved Error value, hides the HTTP status, and has no timeout. A resolved Error is
 *   therefore "unavailable" (a 5xx error page fails JSON parsing too), and the timeout is a race: the abandoned
 *   request is left to finish on its own, which is harmless because every call here is a read or is idempotent.
 */
interface SslCommerzClient {
  baseURL: string;
  initURL: string;
  validationURL: string;
  refundURL: string;
  refundQueryURL: string;
  transactionQueryBySessionIdURL: string;
  transactionQueryByTransactionIdURL: string;
  init(data: Record<string, string>, url?: string | false, method?: string): Promise<unknown>;
  validate(data: Record<string, string>, url?: string | false, method?: string): Promise<unknown>;
  initiateRefund(data: Record<string, string>, url?: string | false, method?: string): Promise<unknown>;
  transactionQueryByTransactionId(data: Record<string, string>, url?: string | false, method?: string): Promise<unknown>;
}
type SslCommerzCtor = new (storeId: string, storePassword: string, live?: boolean) => SslCommerzClient;

const require = createRequire(import.meta.url);
const SslCommerzPayment = require('sslcommerz-lts') as SslCommerzCtor;

export const SANDBOX_BASE = 'https://sandbox.sslcommerz.com';
export const LIVE_BASE = 'https://securepay.sslcommerz.com';
export const PATHS = {
  init: '/gwprocess/v4/api.php',
  validation: '/validator/api/validationserverAPI.php',
  merchantTrans: '/validator/api/merchantTransIDvalidationAPI.php',
} as const;

export interface Credentials { storeId: string; storePassword: string }

export function credentialsOf(settings: GatewaySettings): Credentials | Failure {
  const storeId = (settings.credentials.storeId ?? '').trim();
  const storePassword = settings.credentials.storePassword ?? '';
  if (!storeId) return fail('config', 'The SSLCommerz Store ID is missing: fill it in under Payment Gateways.', 'storeId');
  if (!storePassword) return fail('config', 'The SSLCommerz Store password is missing: fill it in under Payment Gateways.', 'storePassword');
  return { storeId, storePassword };
}

export const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

export class SslcommerzTransport {
  readonly base: string;
  private readonly client: SslCommerzClient;

  constructor(private readonly creds: Credentials, settings: GatewaySettings, apiBase: string | undefined, private readonly timeoutMs: number) {
    this.client = new SslCommerzPayment(creds.storeId, creds.storePassword, !settings.testMode);
    this.base = (apiBase ?? (settings.testMode ? SANDBOX_BASE : LIVE_BASE)).replace(/\/+$/, '');
    const c = this.client;
    c.baseURL = this.base;
    c.initURL = this.base + PATHS.init;
    c.validationURL = `${this.base + PATHS.validation}?`;
    c.refundURL = c.refundQueryURL = c.transactionQueryBySessionIdURL = c.transactionQueryByTransactionIdURL = `${this.base + PATHS.merchantTrans}?`;
  }

  /** Session init: the package posts these fields (plus the store credentials it adds) as multipart form data. */
  init(fields: Record<string, string>): Promise<Record<string, unknown> | Failure> {
    return this.call(this.client.init({ ...fields }));
  }

  validate(valId: string) {
    return this.call(this.client.validate({}, this.url(PATHS.validation, { val_id: valId })));
  }

  refund(params: Record<string, string>) {
    return this.call(this.client.initiateRefund({}, this.url(PATHS.merchantTrans, params)));
  }

  queryByTranId(tranId: string) {
    return this.call(this.client.transactionQueryByTransactionId({}, this.url(PATHS.merchantTrans, { tran_id: tranId })));
  }

  private url(path: string, params: Record<string, string>): string {
    const q = new URLSearchParams({ ...params, store_id: this.creds.storeId, store_passwd: this.creds.storePassword, v: '1', format: 'json' });
    return `${this.base}${path}?${q}`;
  }

  private async call(pending: Promise<unknown>): Promise<Record<string, unknown> | Failure> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), this.timeoutMs); });
    try {
      const answer = await Promise.race([pending, timeout]);
      if (answer === 'timeout') return unavailable(`SSLCommerz did not answer within ${Math.round(this.timeoutMs / 1000)} s`);
      if (answer instanceof Error || answer === null || typeof answer !== 'object' || Array.isArray(answer)) {
        return unavailable('SSLCommerz could not be reached or sent an unreadable answer');
      }
      return answer as Record<string, unknown>;
    } catch {
      return unavailable('SSLCommerz could not be reached');
    } finally {
      clearTimeout(timer);
    }
  }
}

const unavailable = (what: string) => fail('unavailable', `${what}; try again in a few minutes.`);

export const isFailure = (v: unknown): v is Failure => typeof v === 'object' && v !== null && (v as Failure).ok === false;

/** APIConnect is the validator APIs' verdict on the call itself, before any transaction status. */
export function apiConnectFailure(answer: Record<string, unknown>, what: string): Failure | null {
  const connect = String(answer.APIConnect ?? '');
  if (connect === 'DONE') return null;
  if (connect === 'FAILED') return fail('config', 'SSLCommerz refused the store credentials: check the Store ID and Store password in Payment Gateways (sandbox and live stores have different ones).');
  if (connect === 'INACTIVE') return fail('config', 'SSLCommerz says this store is inactive: ask SSLCommerz to activate it, or check the Store ID in Payment Gateways.');
  if (connect === 'INVALID_REQUEST') return fail('invalid', `SSLCommerz rejected the ${what} request as incomplete.`);
  return fail('unavailable', `SSLCommerz gave an unexpected answer to the ${what} request; try again in a few minutes.`);
}

/** What we keep of an answer or request for the gateway log: never the store password, nor the (masked) card number. */
export function forLog(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (k === 'store_passwd' || k === 'store_pass' || k === 'store_id' || k === 'card_no') continue;
    out[k] = v;
  }
  return out;
}
