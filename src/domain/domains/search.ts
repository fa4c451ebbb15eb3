import type { DataSource } from 'typeorm';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import { parseDomainName, tldOf, type DomainName } from './names.js';
import { bareTld, dottedTld, shortestTerm, tldPriceTable, type TldPrices } from './pricing.js';
import type { WhoisService } from './whois.js';

/**
 * The client area's limit on searches, per address: each search puts up to `namesPerSearch` questions to registries,
 * and an open checker is otherwise a free WHOIS proxy. The route enforces it before calling search():
 *   auth.consumeLimit(`domain-search:${ipThrottleKey(ip)}`, DOMAIN_SEARCH_LIMIT.max, DOMAIN_SEARCH_LIMIT.windowMs)
 * (AuthService from src/domain/access/auth-service.ts, as the registration limit in src/domain/clients/accounts.ts),
 * answering 429 with the retryAfterSeconds it returns when refused.
 */
export const DOMAIN_SEARCH_LIMIT = { max: 20, windowMs: 10 * 60_000 } as const;

export interface TermPrice {
  years: number;
  amount: number;
}

export interface DomainSearchResult {
  /** Registry form (punycode for IDNs). */
  domain: string;
  unicode: string;
  /** With the leading dot. */
  tld: string;
  /** 'unknown' when the registry could not be asked just now. */
  status: 'available' | 'registered' | 'unknown';
  /** Prices as offered, whatever the status (the page shows register for free names, transfer for taken ones): one year, or the shortest term offered. */
  register: TermPrice | null;
  transfer: TermPrice | null;
  renew: TermPrice | null;
}

export interface DomainSearchAnswer {
  /** The name searched for; null when only a word was typed (it is then tried under the TLDs on sale). */
  query: DomainName | null;
  exact: DomainSearchResult | null;
  suggestions: DomainSearchResult[];
}

type Who = { clientId?: number | null; userId?: number | null; ip?: string | null };

const DEFAULT_NAMES_PER_SEARCH = 8;
/** Registries throttle bursts from one address; a few questions at a time keeps a search quick without tripping that. */
const CONCURRENCY = 3;
/** Other TLDs tried before the variants of the name, so both kinds appear when the cap is small. */
const OTHER_TLDS_FIRST = 4;
const VARIANTS = [(l: string) => `get${l}`, (l: string) => `${l}online`, (l: string) => `my${l}`];

/** Runs `work` over the items, at most `limit` at a time, results in input order. */
async function pooled<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Domain search for the storefront: the name asked for, the same name under the other TLDs on sale and a few
 * variants of it, each with its availability and prices in the client's currency. A registry that does not answer
 * makes that one row 'unknown'; only a bad name or an ending we do not sell fails the search.
 */
export class DomainSearch {
  constructor(private readonly deps: { ds: DataSource; whois: WhoisService; limits?: { namesPerSearch?: number } }) {}

  async search(input: string, currencyId: number, who: Who = {}): Promise<Outcome<DomainSearchAnswer>> {
    const table = await tldPriceTable(this.deps.ds, currencyId);
    if (!table.length) return fail('no_tlds', 'Domain names are not on sale at the moment.', 'domain');
    const cap = Math.max(1, this.deps.limits?.namesPerSearch ?? DEFAULT_NAMES_PER_SEARCH);
    const tlds = table.map((t) => bareTld(t.tld));

    const typed = String(input ?? '').trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/[/?#].*$/, '').replace(/\.$/, '');
    let query: DomainName | null = null;
    let label: { ascii: string; unicode: string };
    let mainTld: string;
    if (typed && !typed.includes('.')) {
      // Only a word: validate it as a name under the first TLD on sale, which reuses every rule of names.ts.
      const parsed = parseDomainName(`${typed}.${tlds[0]}`);
      if (!parsed.ok) return parsed;
      label = { ascii: parsed.ascii.split('.')[0], unicode: parsed.unicode.split('.')[0] };
      mainTld = tlds[0];
    } else {
      const parsed = parseDomainName(typed);
      if (!parsed.ok) return parsed;
      const split = tldOf(parsed.ascii, tlds);
      if (!split) return this.unsold(parsed.ascii, tlds);
      query = { ascii: parsed.ascii, unicode: parsed.unicode };
      label = { ascii: split.sld, unicode: parsed.unicode.split('.')[0] };
      mainTld = split.tld;
    }

    const names = this.candidates(label, mainTld, tlds, query !== null).slice(0, cap);
    const prices = new Map(table.map((t) => [bareTld(t.tld), t]));
    const results = await pooled(names, CONCURRENCY, (n) => this.check(n, prices.get(n.tld)!, who));
    return succeed({ query, exact: query ? results[0] : null, suggestions: query ? results.slice(1) : results });
  }

  /** The names to ask about, in the order shown: the exact name, other TLDs, then variants on the main TLD. */
  private candidates(label: { ascii: string; unicode: string }, mainTld: string, tlds: string[], exactFirst: boolean): Array<DomainName & { tld: string }> {
    const under = (ascii: string, unicode: string, tld: string) => ({ ascii: `${ascii}.${tld}`, unicode: `${unicode}.${tld}`, tld });
    const others = tlds.filter((t) => t !== mainTld).map((t) => under(label.ascii, label.unicode, t));
    if (!exactFirst) return [under(label.ascii, label.unicode, mainTld), ...others];
    const variants: Array<DomainName & { tld: string }> = [];
    for (const make of VARIANTS) {
      // Built from the name as typed, so an IDN gets a valid variant (getbücher, not getxn--…).
      const parsed = parseDomainName(`${make(label.unicode)}.${mainTld}`);
      if (parsed.ok && tldOf(parsed.ascii, [mainTld])) variants.push({ ascii: parsed.ascii, unicode: parsed.unicode, tld: mainTld });
    }
    return [under(label.ascii, label.unicode, mainTld), ...others.slice(0, OTHER_TLDS_FIRST), ...variants, ...others.slice(OTHER_TLDS_FIRST)];
  }

  private async check(name: DomainName & { tld: string }, prices: TldPrices, who: Who): Promise<DomainSearchResult> {
    const answer = await this.deps.whois.lookup(name.ascii, who).catch(() => null);
    return {
      domain: name.ascii,
      unicode: answer?.ok ? answer.unicode : name.unicode,
      tld: dottedTld(name.tld),
      status: answer?.ok ? answer.status : 'unknown',
      register: shortestTerm(prices, 'register'),
      transfer: shortestTerm(prices, 'transfer'),
      renew: shortestTerm(prices, 'renew'),
    };
  }

  /** Why a well-formed name cannot be searched: a subdomain of a TLD we sell, or an ending we do not sell. */
  private unsold(ascii: string, tlds: string[]) {
    const under = tlds.find((t) => ascii.endsWith(`.${t}`));
    if (under) {
      const registrable = ascii.split('.').slice(-(under.split('.').length + 1)).join('.');
      return fail('invalid_domain', `${ascii} is a subdomain; search for the domain itself, ${registrable}.`, 'domain');
    }
    return fail('unsupported_tld', `We do not sell domains ending in .${ascii.split('.').slice(1).join('.')}. Choose another ending.`, 'domain');
  }
}
