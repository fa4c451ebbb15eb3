import https from 'node:https';
import http from 'node:http';
import axios, { AxiosError, type AxiosInstance } from 'axios';
import type { ProviderFailure, ServerConnection } from '../../domain/provisioning/provider.js';

/**
 * One axios instance per server: keep-alive agents (a sync of hundreds of accounts reuses the connection), TLS
 * verification as the server record says, no redirects (a redirect would carry the credentials elsewhere), and no
 * throwing on HTTP status — the modules read the status themselves.
 */
export function providerHttp(conn: ServerConnection, defaultPort: { secure: number; plain: number }): AxiosInstance {
  const port = conn.port ?? (conn.secure ? defaultPort.secure : defaultPort.plain);
  return axios.create({
    baseURL: `${conn.secure ? 'https' : 'http'}://${conn.hostname}:${port}`,
    timeout: conn.timeoutMs ?? 30_000,
    maxRedirects: 0,
    validateStatus: () => true,
    httpsAgent: new https.Agent({ keepAlive: true, rejectUnauthorized: conn.verifyTls }),
    httpAgent: new http.Agent({ keepAlive: true }),
    // Panels answer JSON; a body that is not (an HTML error page) is kept as text for the error message.
    transitional: { silentJSONParsing: true, forcedJSONParsing: true, clarifyTimeoutError: true },
  });
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_NOT_YET_VALID', 'EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** What a failed request (no usable answer) means for the queue, in words staff can act on. */
export function describeTransportError(e: unknown, what: string): { failure: ProviderFailure; message: string } {
  const err = e as AxiosError & { code?: string };
  const code = err.code ?? (err.cause as { code?: string } | undefined)?.code ?? '';
  if (code === 'ETIMEDOUT' || code === 'ECONNABORTED' || /timeout/i.test(err.message ?? '')) {
    return { failure: 'transient', message: `${what} did not answer in time (timeout).` };
  }
  if (code === 'ECONNREFUSED') return { failure: 'transient', message: `${what} refused the connection (is the port right and the service running?).` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { failure: 'transient', message: `${what}: host name could not be resolved.` };
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return { failure: 'transient', message: `${what} is unreachable.` };
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_SOCKET_CONNECTION_TIMEOUT') return { failure: 'transient', message: `${what} dropped the connection.` };
  if (TLS_CODES.has(code) || /certificate|SSL|TLS/i.test(err.message ?? '')) {
    return { failure: 'tls', message: `${what}: TLS error — ${err.message}. Install a valid certificate or turn off TLS verification for this server.` };
  }
  return { failure: 'transient', message: `${what}: ${err.message || String(e)}` };
}

/** An HTTP status without a usable body: 5xx is worth retrying, 401/403 are the credentials, the rest is final. */
export function describeHttpStatus(status: number, what: string): { failure: ProviderFailure; message: string } | null {
  if (status === 401 || status === 403) return { failure: 'auth', message: `${what} rejected the credentials (HTTP ${status}). Check the API token / key.` };
  if (status >= 500) return { failure: 'transient', message: `${what} answered HTTP ${status} (server error).` };
  if (status >= 400) return { failure: 'permanent', message: `${what} answered HTTP ${status}.` };
  return null;
}

export { AxiosError };
