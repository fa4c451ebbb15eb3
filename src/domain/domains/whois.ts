import type { DataSource } from 'typeorm';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import type { WhoisAnswer } from '../../integrations/domains/whois-client.js';
import type { RdapAnswer } from '../../integrations/domains/rdap-client.js';
import { parseDomainName, tldOf } from './names.js';
import { WHOIS_SERVERS, type WhoisServer } from './whois-servers.js';
import { RDAP_SERVERS, rdapBaseFor } from './rdap-servers.js';

export type WhoisQuery = (host: string, port: number, query: string, timeoutMs?: number) => Promise<WhoisAnswer>;
export type RdapQuery = (baseUrl: string, domain: string, timeoutMs?: number) => Promise<RdapAnswer>;
export type RegistrarCheck = (ascii: string, tld: string) => Promise<{ status: 'available' | 'registered'; source: string } | null>;

export interface Availability {
  domain: string;
  unicode: string;
  tld: string;
  status: 'available' | 'registered';
  /** The registry's answer, for staff (the WHOIS log keeps it); the first line says who answered ("RDAP https://…", "WHOIS host:43"). */
  raw: string;
  cached: boolean;
}

const CACHE_MS = 5 * 60_000;

/**
 * Is a name free? Asks the TLD's RDAP server (RFC 7480–7484: a 404 is a free name) when one is known and an RDAP
 * client is given, else — or when RDAP errs — its WHOIS server (RFC 3912), reading the "not found" answer. Results
 * are cached for five minutes and every question put to a registry is written to the WHOIS log (who, from where,
 * what, and on the first line of the answer which protocol gave it). Only TLDs that are sold (a domain product exists)
 * are looked up: an unsupported ending is a clear refusal, not a query to some server.
 */
export class WhoisService {
  private readonly cache = new Map<string, { until: number; value: Omit<Availability, 'cached'> }>();

  constructor(
    private readonly deps: {
      ds: DataSource;
      query: WhoisQuery;
      now?: () => number;
      servers?: Record<string, WhoisServer>;
      timeoutMs?: number;
      /** RDAP client; without it every lookup goes over WHOIS. */
      rdap?: RdapQuery;
      /** RDAP base URL per TLD (tests); defaults to the IANA bootstrap entries. */
      rdapServers?: Record<string, string>;
      /** Asks the TLD's registrar module when the registry has no WHOIS server we know (RegistrarDirectory.availabilityCheck). */
      registrarCheck?: RegistrarCheck;
    },
  ) {}

  async lookup(input: string, who: { clientId?: number | null; userId?: number | null; ip?: string | null } = {}): Promise<Outcome<Availability>> {
    const parsed = parseDomainName(input);
    if (!parsed.ok) return parsed;
    const sold = ((await this.deps.ds.getRepository('DomainProduct').find({ where: { hidden: false }, select: { tld: true } })) as Array<{ tld: string }>).map((p) => p.tld);
    const split = tldOf(parsed.ascii, sold);
    if (!split) return fail('unsupported_tld', `We do not sell domains ending in .${parsed.ascii.split('.').slice(1).join('.')}. Choose another ending.`, 'domain');
    const now = (this.deps.now ?? Date.now)();
    const hit = this.cache.get(parsed.ascii);
    if (hit && hit.until > now) return succeed({ ...hit.value, cached: true });
    const unavailable = () => fail('whois_unavailable', 'The registry did not answer just now. Please try again in a minute.', 'domain');
    const answered = (status: 'available' | 'registered', raw: string) => {
      const value = { domain: parsed.ascii, unicode: parsed.unicode, tld: split.tld, status, raw: raw.slice(0, 20_000) };
      this.cache.set(parsed.ascii, { until: now + CACHE_MS, value });
      if (this.cache.size > 5000) this.cache.delete(this.cache.keys().next().value as string);
      return this.logged(parsed.ascii, who, value.status, value.raw, succeed({ ...value, cached: false }));
    };

    const rdapBase = this.deps.rdap ? rdapBaseFor(split.tld, this.deps.rdapServers ?? RDAP_SERVERS) : null;
    let rdapFailure: string | null = null;
    if (rdapBase) {
      const rdap = await this.deps.rdap!(rdapBase, parsed.ascii, this.deps.timeoutMs ?? 8000);
      if (rdap.ok) return answered(rdap.status, `RDAP ${rdap.url}\n${rdap.summary}`);
      rdapFailure = `RDAP ${rdap.url} failed: ${rdap.error}`;
    }

    const server = (this.deps.servers ?? WHOIS_SERVERS)[split.tld];
    if (!server) {
      const viaRegistrar = await this.deps.registrarCheck?.(parsed.ascii, split.tld).catch(() => null);
      if (viaRegistrar) return answered(viaRegistrar.status, `${viaRegistrar.source}${rdapFailure ? ` (after ${rdapFailure})` : ''}\n${viaRegistrar.status}`);
      if (rdapFailure) return this.logged(parsed.ascii, who, 'error', rdapFailure, unavailable());
      return this.logged(parsed.ascii, who, 'error', null, fail('no_whois_server', `Availability of .${split.tld} names cannot be checked automatically; ask us and we will check it for you.`, 'domain'));
    }
    const answer = await this.deps.query(server.host, server.port, parsed.ascii, this.deps.timeoutMs ?? 8000);
    // The first line names who answered; an RDAP failure before it stays visible to staff.
    const heading = `WHOIS ${server.host}:${server.port}${rdapFailure ? ` (after ${rdapFailure})` : ''}`;
    if (!answer.ok || !answer.text.trim()) return this.logged(parsed.ascii, who, 'error', `${heading}\n${answer.error ?? 'empty answer'}`, unavailable());
    return answered(server.available.test(answer.text) ? 'available' : 'registered', `${heading}\n${answer.text}`);
  }

  private async logged<T extends Outcome<object>>(domain: string, who: { clientId?: number | null; userId?: number | null; ip?: string | null }, result: 'available' | 'registered' | 'error', raw: string | null, out: T): Promise<T> {
    await this.deps.ds.getRepository('WhoisLog').insert({ domain: domain.slice(0, 255), clientId: who.clientId ?? null, userId: who.userId ?? null, ipAddress: who.ip?.slice(0, 45) ?? null, result, rawResponse: raw });
    return out;
  }
}
