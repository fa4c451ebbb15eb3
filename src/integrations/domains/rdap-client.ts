export type RdapAnswer =
  | { ok: true; url: string; status: 'available' | 'registered'; /** A few lines for staff: status, dates, registrar. */ summary: string }
  | { ok: false; url: string; /** 'timeout', 'http_503', 'rate_limited', 'not_rdap', 'too_large'… */ error: string };

const MAX_BYTES = 256 * 1024;

interface RdapEntity {
  roles?: string[];
  vcardArray?: [string, Array<[string, unknown, string, unknown]>];
  handle?: string;
}
interface RdapDomain {
  objectClassName?: string;
  ldhName?: string;
  status?: string[];
  events?: Array<{ eventAction?: string; eventDate?: string }>;
  entities?: RdapEntity[];
}

/** The registrar's name from its jCard (RFC 7095 'fn'), else its IANA id or handle. */
function registrarName(domain: RdapDomain): string | null {
  const registrar = (domain.entities ?? []).find((e) => e.roles?.includes('registrar'));
  if (!registrar) return null;
  const fn = registrar.vcardArray?.[1]?.find((p) => Array.isArray(p) && p[0] === 'fn');
  return (typeof fn?.[3] === 'string' && fn[3]) || registrar.handle || null;
}

export function summariseRdapDomain(domain: RdapDomain): string {
  const lines = [`Domain: ${domain.ldhName ?? ''}`.trim()];
  if (domain.status?.length) lines.push(`Status: ${domain.status.join(', ')}`);
  for (const [action, label] of [['registration', 'Registered'], ['expiration', 'Expires'], ['last changed', 'Last changed']] as const) {
    const e = (domain.events ?? []).find((ev) => ev.eventAction === action);
    if (e?.eventDate) lines.push(`${label}: ${e.eventDate}`);
  }
  const registrar = registrarName(domain);
  if (registrar) lines.push(`Registrar: ${registrar}`);
  return lines.join('\n');
}

/** The body, or null when it is larger than we are willing to read from someone else's server. */
async function boundedText(res: Response): Promise<string | null> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BYTES) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * One RDAP domain query (RFC 7480 HTTP use, RFC 7482 query, RFC 7483 JSON): GET {base}domain/{name}. 404 means the
 * registry has no such object, i.e. the name is free; 200 with a domain object means it is taken. Everything else
 * (rate limiting, server errors, a body that is not RDAP, no answer in time) is an error, so the caller can fall
 * back to WHOIS. Bounded in time and size like the WHOIS client: the server is someone else's.
 */
export async function rdapQuery(baseUrl: string, domain: string, timeoutMs = 8000): Promise<RdapAnswer> {
  const url = `${baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`}domain/${encodeURIComponent(domain)}`;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { headers: { accept: 'application/rdap+json, application/json;q=0.9' }, signal, redirect: 'follow' });
    if (res.status === 404) {
      await res.body?.cancel().catch(() => undefined);
      return { ok: true, url, status: 'available', summary: 'Not found (HTTP 404)' };
    }
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => undefined);
      return { ok: false, url, error: res.status === 429 ? 'rate_limited' : `http_${res.status}` };
    }
    const text = await boundedText(res);
    if (text === null) return { ok: false, url, error: 'too_large' };
    let body: RdapDomain;
    try {
      body = JSON.parse(text) as RdapDomain;
    } catch {
      return { ok: false, url, error: 'not_rdap' };
    }
    if (body?.objectClassName !== 'domain') return { ok: false, url, error: 'not_rdap' };
    return { ok: true, url, status: 'registered', summary: summariseRdapDomain(body) };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    if (signal.aborted || err.name === 'TimeoutError' || err.name === 'AbortError') return { ok: false, url, error: 'timeout' };
    const code = err.cause?.code;
    return { ok: false, url, error: code === 'ECONNREFUSED' ? 'refused' : (code ?? err.cause?.message ?? err.message ?? 'error').slice(0, 100) };
  }
}
