import { createHash } from 'node:crypto';
import axios, { type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios';
import {
  ApiError, Client, Environment, OrdersController, PaymentsController, ResponseValidationError, type OAuthToken,
} from '@paypal/paypal-server-sdk';
import type { GatewaySettings } from '../../domain/payments/gateway.js';
import { fail, type Failure } from '../../domain/shared/outcome.js';

/**
 * PayPal transport: the official server SDK for Orders/Payments (and its OAuth call), plus axios for the webhook
 * endpoints the SDK does not cover. Tokens are cached per app until shortly before they expire.
 *
 * The SDK (2.5) only knows its two fixed hosts. To point it elsewhere (`apiBase`, the tests' fake) we run it in
 * Sandbox mode and give its axios instance an adapter that swaps the sandbox origin for apiBase; nothing else in the
 * request changes.
 */
export const LIVE_BASE = 'https://api-m.paypal.com';
export const SANDBOX_BASE = 'https://api-m.sandbox.paypal.com';

/** Carries a ready-made failure up through the SDK callbacks to the module method that reports it. */
export class PaypalProblem extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

export interface PaypalApi {
  orders: OrdersController;
  payments: PaymentsController;
  accessToken: string;
  base: string;
  timeoutMs: number;
}

/** PayPal's error body: `{ name, message, debug_id, details: [{ issue, description }] }` (or OAuth's `{ error }`). */
export interface PaypalErrorBody {
  name?: string; message?: string; debug_id?: string; error?: string; error_description?: string;
  details?: Array<{ issue?: string; description?: string; field?: string }>;
  links?: Array<{ href?: string; rel?: string }>;
}

const KEYS_MESSAGE = 'PayPal refused the client ID and secret: check Client ID and Client secret in Payment Gateways (sandbox keys only work in test mode).';

export class PaypalConnector {
  private readonly tokens = new Map<string, { token: OAuthToken; refreshAt: number }>();
  private readonly fetching = new Map<string, Promise<OAuthToken>>();
  private readonly adapter: AxiosAdapter | undefined;

  constructor(private readonly apiBase: string | undefined, readonly timeoutMs: number) {
    const base = apiBase?.replace(/\/+$/, '');
    if (base) {
      const http = axios.getAdapter('http');
      this.adapter = (config: InternalAxiosRequestConfig) => http({
        ...config, url: config.url?.startsWith(SANDBOX_BASE) ? base + config.url.slice(SANDBOX_BASE.length) : config.url,
      });
    }
  }

  base(settings: GatewaySettings): string {
    return this.apiBase?.replace(/\/+$/, '') ?? (settings.testMode ? SANDBOX_BASE : LIVE_BASE);
  }

  private credentials(settings: GatewaySettings): { clientId: string; clientSecret: string } {
    const clientId = settings.credentials.clientId?.trim() ?? '';
    const clientSecret = settings.credentials.clientSecret?.trim() ?? '';
    if (!clientId) throw new PaypalProblem(fail('config', 'The PayPal Client ID is empty: fill it in under Payment Gateways.', 'clientId'));
    if (!clientSecret) throw new PaypalProblem(fail('config', 'The PayPal Client secret is empty: fill it in under Payment Gateways.', 'clientSecret'));
    return { clientId, clientSecret };
  }

  private client(settings: GatewaySettings, token?: OAuthToken): Client {
    const { clientId, clientSecret } = this.credentials(settings);
    return new Client({
      environment: this.apiBase || settings.testMode ? Environment.Sandbox : Environment.Production,
      timeout: this.timeoutMs,
      clientCredentialsAuthCredentials: { oAuthClientId: clientId, oAuthClientSecret: clientSecret, oAuthToken: token },
      ...(this.adapter ? { unstable_httpClientOptions: { adapter: this.adapter } } : {}),
    });
  }

  private cacheKey(settings: GatewaySettings): string {
    const { clientId, clientSecret } = this.credentials(settings);
    // The secret's hash is in the key so that fixing a wrong secret never reuses a token fetched with the old one.
    return `${this.base(settings)}|${clientId}|${createHash('sha256').update(clientSecret).digest('hex').slice(0, 16)}`;
  }

  /** A valid access token: the cached one, or a new one when `fresh` or when it is close to expiry. */
  async token(settings: GatewaySettings, fresh = false): Promise<OAuthToken> {
    const key = this.cacheKey(settings);
    const cached = this.tokens.get(key);
    if (!fresh && cached && cached.refreshAt > Date.now()) return cached.token;
    let pending = this.fetching.get(key);
    if (!pending) {
      pending = this.client(settings).clientCredentialsAuthManager.fetchToken().then((token) => {
        const lifeMs = Number(token.expiresIn ?? 3600n) * 1000;
        this.tokens.set(key, { token, refreshAt: Date.now() + Math.max(lifeMs / 2, lifeMs - 300_000) });
        return token;
      }).catch((err: unknown) => {
        throw new PaypalProblem(toFailure(err, 'sign in', true));
      }).finally(() => this.fetching.delete(key));
      this.fetching.set(key, pending);
    }
    return pending;
  }

  /** Runs `fn` with the SDK controllers; a 401 (token revoked early) drops the cached token and tries once more. */
  async call<T>(settings: GatewaySettings, fn: (api: PaypalApi) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.token(settings, attempt > 0);
      const client = this.client(settings, token);
      try {
        return await fn({
          orders: new OrdersController(client), payments: new PaymentsController(client), accessToken: token.accessToken,
          base: this.base(settings), timeoutMs: this.timeoutMs,
        });
      } catch (err) {
        if (attempt === 0 && statusOf(err) === 401) continue;
        throw err;
      }
    }
  }

  /** POST/GET on a PayPal endpoint the SDK lacks, with the cached bearer token. */
  async raw<T>(settings: GatewaySettings, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    return this.call(settings, async (api) => {
      const res = await axios.request<T>({
        method, url: `${api.base}${path}`, data: body, timeout: this.timeoutMs,
        headers: { Authorization: `Bearer ${api.accessToken}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      });
      return res.data;
    });
  }
}

export function statusOf(err: unknown): number | null {
  if (err instanceof ApiError) return err.statusCode;
  if (axios.isAxiosError(err) && err.response) return err.response.status;
  return null;
}

/** The parsed error body of a failed call, whichever client made it. */
export function errorBody(err: unknown): PaypalErrorBody | null {
  const body = err instanceof ApiError ? (err.result ?? tryParse(err.body)) : axios.isAxiosError(err) ? err.response?.data : null;
  return body && typeof body === 'object' ? (body as PaypalErrorBody) : null;
}

export const issueOf = (err: unknown): string | null => errorBody(err)?.details?.[0]?.issue ?? null;

function tryParse(body: unknown): unknown {
  if (typeof body !== 'string') return null;
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

/** Maps anything a PayPal call threw to the stable failure codes; programming errors are rethrown. */
export function toFailure(err: unknown, action: string, signingIn = false): Failure {
  if (err instanceof PaypalProblem) return err.failure;
  if (err instanceof ResponseValidationError) {
    return fail('unavailable', `PayPal's answer when trying to ${action} could not be read; try again later.`);
  }
  const status = statusOf(err);
  if (status === null) {
    if (axios.isAxiosError(err)) {
      return fail('unavailable', `PayPal could not be reached to ${action} (${err.code ?? 'network error'}); try again in a few minutes.`);
    }
    throw err;
  }
  const body = errorBody(err);
  const detail = body?.details?.[0];
  const ref = body?.debug_id ? `, PayPal debug id ${body.debug_id}` : '';
  if (status === 401) return fail('config', signingIn || body?.error === 'invalid_client' ? KEYS_MESSAGE : `PayPal did not accept our access token to ${action}: check the Client ID and secret in Payment Gateways.`);
  if (status === 403) return fail('config', `PayPal says this app may not ${action} (${body?.name ?? 'NOT_AUTHORIZED'}): check the app's permissions in the PayPal developer dashboard.`);
  if (status === 404) return fail('not_found', `PayPal could not ${action}: it does not know that id (${detail?.issue ?? body?.name ?? 'RESOURCE_NOT_FOUND'}${ref}).`);
  if (status === 408 || status === 409 || status === 429 || status >= 500) {
    return fail('unavailable', `PayPal could not ${action} right now (HTTP ${status}${ref}); try again in a few minutes.`);
  }
  const why = detail?.description ?? body?.error_description ?? body?.message ?? `HTTP ${status}`;
  return fail('invalid', `PayPal refused to ${action}: ${why.replace(/\s+/g, ' ').trim().replace(/\.$/, '')} (${detail?.issue ?? body?.name ?? body?.error ?? status}${ref}).`);
}

/**
 * Reads a resource a verified event or a failed capture points to. Best effort: the caller can do without it, so a
 * PayPal hiccup here must not fail the whole operation (programming errors still throw).
 */
export async function lookup<T>(
  conn: PaypalConnector, settings: GatewaySettings, id: string | null | undefined,
  get: (api: PaypalApi, id: string) => Promise<{ body: unknown }>,
): Promise<T | null> {
  if (!id) return null;
  try {
    const res = await conn.call(settings, (api) => get(api, id));
    return (tryParse(res.body) as T | null) ?? null;
  } catch (err) {
    toFailure(err, 'look up the payment');
    return null;
  }
}
