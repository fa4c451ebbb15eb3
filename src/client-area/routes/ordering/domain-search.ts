/**
 * The public domain search: a name (or a word) checked at the registries through DomainSearch, with its status and
 * prices in the buyer's currency, suggestions, and the TLD price list. Each search asks registries several questions,
 * so searches are limited per address (DOMAIN_SEARCH_LIMIT) before any is asked.
 */
import express from 'express';
import { DOMAIN_SEARCH_LIMIT, DomainSearch, type DomainSearchResult } from '../../../domain/domains/search.js';
import { bareTld, tldPriceTable, type TldPrices } from '../../../domain/domains/pricing.js';
import { render, requestContext, wrap, type ClientAreaDeps } from '../../kit.js';
import { buyerOf, cartOf, type Buyer } from './buyer.js';
import { termOptions, useSearchAllowance } from './domain-cart.js';

const plural = (n: number) => `${n} year${n === 1 ? '' : 's'}`;
const term = (t: { years: number; amount: number } | null, b: Buyer) => (t ? `${b.money(t.amount)}${t.years === 1 ? '' : ` for ${plural(t.years)}`}` : null);

function resultView(r: DomainSearchResult, prices: Map<string, TldPrices>, b: Buyer, inCart: Set<string>) {
  const row = prices.get(bareTld(r.tld));
  const registerYears = r.register?.years ?? 1;
  return {
    domain: r.domain,
    name: r.unicode,
    idn: r.unicode !== r.domain,
    status: r.status,
    available: r.status === 'available',
    registered: r.status === 'registered',
    unknown: r.status === 'unknown',
    // A name whose registry did not answer may still be ordered: the registrar has the last word.
    canRegister: r.status !== 'registered' && r.register !== null,
    canTransfer: r.status === 'registered' && r.transfer !== null,
    register: term(r.register, b),
    transfer: term(r.transfer, b),
    renew: term(r.renew, b),
    yearOptions: termOptions(row, 'register', b, registerYears),
    inCart: inCart.has(r.domain),
  };
}

function priceListView(table: TldPrices[], b: Buyer) {
  const first = (t: TldPrices, op: 'register' | 'renew' | 'transfer') => {
    const x = t.terms.find((y) => y[op] !== null);
    return x ? term({ years: x.years, amount: x[op]! }, b) : '—';
  };
  return table.map((t) => ({ tld: t.tld, register: first(t, 'register'), renew: first(t, 'renew'), transfer: first(t, 'transfer') }));
}

export function domainSearchRoutes(deps: ClientAreaDeps): express.Router {
  const router = express.Router();
  const search = new DomainSearch({ ds: deps.ds, whois: deps.services.whois });

  router.get('/domains/search', wrap(async (req, res) => {
    const b = await buyerOf(deps, req);
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 300) : '';
    const table = await tldPriceTable(deps.ds, b.currencyId);
    const page = (data: Record<string, unknown>, status = 200) =>
      render(deps, req, res, 'domains/search', { title: 'Find a domain', q, prices: priceListView(table, b), currency: b.currency.code, switchable: b.switchable, ...data }, status);
    if (!q) return page({});

    const ip = requestContext(req).ip;
    const allowed = await useSearchAllowance(deps, req);
    if (!allowed.ok) {
      const minutes = Math.max(1, Math.ceil(allowed.retryAfterSeconds / 60));
      res.set('Retry-After', String(allowed.retryAfterSeconds));
      return page({ error: `You have searched ${DOMAIN_SEARCH_LIMIT.max} times in a short while. Please wait ${minutes} minute${minutes === 1 ? '' : 's'} before searching again.` }, 429);
    }
    const out = await search.search(q, b.currencyId, { clientId: b.clientId, userId: req.session.client?.userId ?? null, ip });
    if (!out.ok) return page({ error: out.message }, 422);
    const prices = new Map(table.map((t) => [bareTld(t.tld), t]));
    const inCart = new Set(cartOf(req).domains.map((d) => d.domain));
    page({
      searched: true,
      query: out.query,
      exact: out.exact ? resultView(out.exact, prices, b, inCart) : null,
      suggestions: out.suggestions.map((r) => resultView(r, prices, b, inCart)),
    });
  }));

  return router;
}
