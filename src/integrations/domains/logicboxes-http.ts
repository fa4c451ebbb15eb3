import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosError, type AxiosInstance } from 'axios';
import type { RegistrarFailure } from '../../domain/domains/registrar.js';

/**
 * The LogicBoxes HTTP API as a transport: `<base>/<category>/<command>.json`, auth-userid + api-key on every call,
 * repeated keys for lists (ns=a&ns=b), GET for reads and POST (form body, so the key stays out of URLs and logs) for
 * writes. Answers are JSON objects, or a bare number for calls that create something (contacts/add, customers/signup,
 * domains/orderid). Errors come as {"status":"ERROR","message":"…"} — often with HTTP 500, sometimes 200 or 4xx — or,
 * for order actions, as {"status":"Failed","actionstatusdesc":"…"}; the body decides, not the status code. Only a
 * 5xx without that JSON (a proxy's HTML page) or no answer at all means "unreachable".
 */
export type LogicBoxesParams = Record<string, string | number | boolean | readonly string[] | null | undefined>;

export interface LogicBoxesFailure { ok: false; failure: RegistrarFailure; message: string; transient: boolean }
export type LogicBoxesAnswer = { ok: true; data: unknown } | LogicBoxesFailure;

export interface LogicBoxesHttpOptions {
  /** e.g. https://httpapi.com/api (no trailing slash). */
  apiBase: string;
  /** domains/available lives on its own host in production (domaincheck.httpapi.com). */
  availabilityBase: string;
  resellerId: string;
  apiKey: string;
  timeoutMs: number;
}

const NAME = 'ResellerClub / LogicBoxes';

export class LogicBoxesHttp {
  private readonly http: AxiosInstance;

  constructor(private readonly opts: LogicBoxesHttpOptions) {
    this.http = axios.create({
      timeout: opts.timeoutMs,
      maxRedirects: 0,
      validateStatus: () => true,
      responseType: 'text',
      // Keep the raw body: a bare order id must not lose precision and an HTML error page must stay readable.
      transformResponse: [(body: unknown) => body],
      httpAgent: new http.Agent({ keepAlive: true }),
      httpsAgent: new https.Agent({ keepAlive: true }),
      transitional: { clarifyTimeoutError: true },
    });
  }

  get(command: string, params: LogicBoxesParams = {}): Promise<LogicBoxesAnswer> {
    return this.call('GET', command, params);
  }

  post(command: string, params: LogicBoxesParams = {}): Promise<LogicBoxesAnswer> {
    return this.call('POST', command, params);
  }

  /** Removes the API key from any text that leaves this module. */
  redact(text: string): string {
    const key = this.opts.apiKey;
    return key.length >= 4 ? text.split(key).join('***') : text;
  }

  private async call(method: 'GET' | 'POST', command: string, params: LogicBoxesParams): Promise<LogicBoxesAnswer> {
    const base = command === 'domains/available' ? this.opts.availabilityBase : this.opts.apiBase;
    const url = `${base}/${command}.json`;
    const form = encode({ 'auth-userid': this.opts.resellerId, 'api-key': this.opts.apiKey, ...params });
    let status: number;
    let body: string;
    try {
      const res = method === 'GET'
        ? await this.http.get(`${url}?${form}`)
        : await this.http.post(url, form, { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      status = res.status;
      body = typeof res.data === 'string' ? res.data : String(res.data ?? '');
    } catch (e) {
      return this.fail('unreachable', describeTransportError(e, this.opts.timeoutMs), true);
    }
    return this.read(method, status, body);
  }

  private read(method: 'GET' | 'POST', status: number, body: string): LogicBoxesAnswer {
    const data = parseJson(body);
    if (data !== undefined && typeof data === 'object' && data !== null && !Array.isArray(data)) {
      const o = data as Record<string, unknown>;
      const s = String(o.status ?? '').toLowerCase();
      if (s === 'error') return this.apiError(String(o.message ?? o.error ?? 'The registrar refused the request.'), status);
      // A write answers with its action; a read (order details) may merely describe an earlier action that failed.
      if (method === 'POST' && (s === 'failed' || String(o.actionstatus ?? '').toLowerCase() === 'failed')) {
        return this.apiError(String(o.actionstatusdesc ?? o.message ?? 'The registrar refused the request.'), status);
      }
    }
    if (data === undefined || status >= 500) {
      if (status === 401 || status === 403) return this.fail('auth', `${NAME} refused the credentials (HTTP ${status}). Check the reseller id, the API key and that this server's IP address is allowed in the LogicBoxes control panel.`, false);
      if (status >= 500) return this.fail('unreachable', `${NAME} answered HTTP ${status} (server error); try again later.`, true);
      if (status >= 400) return this.fail('rejected', `${NAME} answered HTTP ${status}: ${snippet(body)}`, false);
      if (data === undefined) return this.fail('unreachable', `${NAME} sent an answer that could not be read: ${snippet(body)}`, true);
    }
    return { ok: true, data };
  }

  private apiError(message: string, status: number): LogicBoxesFailure {
    const m = message.trim();
    if (AUTH.test(m) || ((status === 401 || status === 403) && !NOT_FOUND.test(m))) return this.fail('auth', m, false);
    if (NOT_FOUND.test(m)) return this.fail('not_found', m, false);
    if (TRY_LATER.test(m)) return this.fail('rejected', m, true);
    return this.fail('rejected', m, false);
  }

  private fail(failure: RegistrarFailure, message: string, transient: boolean): LogicBoxesFailure {
    return { ok: false, failure, message: this.redact(message), transient };
  }
}

const AUTH = /invalid credentials|not authori[sz]ed|access denied|authentication failed|account maybe inactive|ip address .*(not|whitelist)/i;
const NOT_FOUND = /website doesn't exist|no entity found|invalid order-?id|no such (order|domain)|order.* not found|not in your account/i;
const TRY_LATER = /try again later|temporarily unavailable|please try after|under maintenance/i;

function encode(params: LogicBoxesParams): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) q.append(k, String(item));
    else q.append(k, String(v));
  }
  return q.toString();
}

function parseJson(body: string): unknown {
  const t = body.trim();
  if (!t) return undefined;
  // Bare ids are returned as text; keep them as strings so 19-digit ids never round.
  if (/^\d+$/.test(t)) return t;
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
}

function snippet(body: string): string {
  const text = body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  return text.length > 160 ? `${text.slice(0, 160)}…` : text || '(empty answer)';
}

function describeTransportError(e: unknown, timeoutMs: number): string {
  const err = e as AxiosError & { code?: string };
  const code = err.code ?? (err.cause as { code?: string } | undefined)?.code ?? '';
  if (code === 'ETIMEDOUT' || code === 'ECONNABORTED' || /timeout/i.test(err.message ?? '')) {
    return `${NAME} did not answer within ${Math.round(timeoutMs / 100) / 10} s; the request may or may not have been carried out.`;
  }
  if (code === 'ECONNREFUSED') return `${NAME} refused the connection.`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `${NAME}: the API host name could not be resolved.`;
  if (code === 'ECONNRESET' || code === 'EPIPE') return `${NAME} dropped the connection; the request may or may not have been carried out.`;
  return `${NAME} could not be reached: ${err.message || String(e)}`;
}
