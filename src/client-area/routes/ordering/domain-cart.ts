/**
 * Domains in the cart: adding a name to register or transfer (from the search page, the transfer form or the
 * configure form of hosting), changing its term and nameservers, removing it. The session keeps the choices only;
 * amounts come from the TLD price list each time, and checkout hands the lines to the order service.
 */
import express, { type Request, type Response } from 'express';
import { domainToUnicode } from 'node:url';
import { field, flash, render, requestContext, wrap, type ClientAreaDeps } from '../../kit.js';
import { cartSize, findDomain, MAX_CART_LINES, newLineId, putDomain, removeDomain, type Cart } from '../../../domain/cart/cart.js';
import { checkDomainLine, readDomainRequest, type AvailabilityCheck, type DomainLineCheck, type DomainRequest, type PricedDomain } from '../../../domain/cart/cart-domains.js';
import { bareTld, tldPriceTable, type DomainOperation, type TldPrices } from '../../../domain/domains/pricing.js';
import { parseDomainName } from '../../../domain/domains/names.js';
import type { DomainItemRequest } from '../../../domain/orders/domain-lines.js';
import { AuthService, ipThrottleKey } from '../../../domain/access/auth-service.js';
import { DOMAIN_SEARCH_LIMIT } from '../../../domain/domains/search.js';
import { buyerOf, cartOf, saveCart, type Buyer } from './buyer.js';

const plural = (n: number) => `${n} year${n === 1 ? '' : 's'}`;

/** The terms a TLD is offered for in one operation, each with its price, the chosen one marked. */
export function termOptions(prices: TldPrices | undefined, operation: DomainOperation, b: Pick<Buyer, 'money'>, chosen: number) {
  const terms = (prices?.terms ?? []).filter((t) => t[operation] !== null);
  return terms.map((t) => ({ years: t.years, label: `${plural(t.years)}: ${b.money(t[operation]!)}`, selected: t.years === chosen }));
}

const endingOf = (ascii: string) => bareTld(ascii.slice(ascii.indexOf('.')));

/** The price list rows of the given names' endings, by bare TLD. */
async function pricesFor(deps: ClientAreaDeps, names: string[], currencyId: number): Promise<Map<string, TldPrices>> {
  if (!names.length) return new Map();
  const table = await tldPriceTable(deps.ds, currencyId, { tlds: names.map(endingOf) });
  return new Map(table.map((t) => [bareTld(t.tld), t]));
}

/** Domain lines as the cart and checkout pages show them; the EPP code is never shown back. */
export async function domainLinesView(deps: ClientAreaDeps, priced: PricedDomain[], b: Buyer) {
  const prices = await pricesFor(deps, priced.map((d) => d.line.domain), b.currencyId);
  return priced.map(({ line, price, problem }) => ({
    id: line.id,
    domain: line.domain,
    name: domainToUnicode(line.domain) || line.domain,
    what: line.action === 'transfer' ? 'Domain transfer' : 'Domain registration',
    transfer: line.action === 'transfer',
    years: plural(line.years),
    yearOptions: termOptions(prices.get(endingOf(line.domain)), line.action, b, line.years),
    amount: price ? b.money(price.amount) : null,
    hasEppCode: Boolean(line.eppCode),
    nameservers: line.nameservers?.join('\n') ?? '',
    problem,
  }));
}

/** The cart's domains as order items, after its products (checkout relies on that order for line errors). */
export const domainOrderItems = (cart: Cart): DomainItemRequest[] =>
  cart.domains.map((d) => ({ type: 'domain', domain: d.domain, action: d.action, years: d.years, eppCode: d.eppCode, nameservers: d.nameservers }));

const limiters = new WeakMap<ClientAreaDeps, AuthService>();

/**
 * One use of the address's search allowance (DOMAIN_SEARCH_LIMIT): every question that may reach a registry counts,
 * from the search page or from adding a name to the cart. Counted in the database (AuthService's rate limits), so every
 * node enforces the same numbers.
 */
export async function useSearchAllowance(deps: ClientAreaDeps, req: Request): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
  let limiter = limiters.get(deps);
  if (!limiter) limiters.set(deps, (limiter = new AuthService(deps.ds, { now: () => deps.clock.now() }, { userType: 'client' })));
  return limiter.consumeLimit(`domain-search:${ipThrottleKey(requestContext(req).ip)}`, DOMAIN_SEARCH_LIMIT.max, DOMAIN_SEARCH_LIMIT.windowMs);
}

/**
 * Availability through the WHOIS service (cached there). A registry that does not answer, or an address past its
 * search allowance (the cart must not be a way around it), leaves the question to the registrar at registration.
 */
export function availabilityFor(deps: ClientAreaDeps, req: Request): AvailabilityCheck {
  const who = { clientId: req.session.client?.clientId ?? null, userId: req.session.client?.userId ?? null, ip: requestContext(req).ip };
  return async (ascii) => {
    if (!(await useSearchAllowance(deps, req)).ok) return 'unknown';
    const out = await deps.services.whois.lookup(ascii, who).catch(() => null);
    return out?.ok ? out.status : 'unknown';
  };
}

/** "Register this domain too" on the configure form of hosting: a one-year registration of the name, checked. */
export async function hostingDomainLine(deps: ClientAreaDeps, req: Request, b: Buyer, domain: string, cart: Cart): Promise<DomainLineCheck> {
  const existing = cart.domains.find((d) => d.domain === domain);
  const request: DomainRequest = { domain, action: 'register', years: String(existing?.years ?? 1), eppCode: '', nameservers: existing?.nameservers?.join('\n') ?? '', lineId: '' };
  return checkDomainLine(deps.ds, request, { currencyId: b.currencyId, availability: availabilityFor(deps, req) }, existing?.id ?? newLineId());
}

/**
 * The form to order one name: a transfer (with its EPP code), or a registration refused on the search page and shown
 * again with the reason. Prices per term come from the TLD list.
 */
async function renderDomainForm(deps: ClientAreaDeps, req: Request, res: Response, values: DomainRequest, errors: Record<string, string> = {}, status = 200) {
  const b = await buyerOf(deps, req);
  const parsed = parseDomainName(values.domain);
  const action: DomainOperation = values.action === 'register' ? 'register' : 'transfer';
  const prices = parsed.ok ? (await pricesFor(deps, [parsed.ascii], b.currencyId)).get(endingOf(parsed.ascii)) : undefined;
  const chosen = Number(values.years) || prices?.terms.find((t) => t[action] !== null)?.years || 1;
  render(deps, req, res, 'domains/transfer', {
    title: action === 'transfer' ? 'Transfer a domain' : 'Register a domain',
    transfer: action === 'transfer',
    action,
    values: { ...values, eppCode: '' },
    display: parsed.ok ? parsed.unicode : values.domain,
    yearOptions: termOptions(prices, action, b, chosen),
    currency: b.currency.code,
    errors,
    hasErrors: Object.keys(errors).length > 0,
  }, status);
}

export function domainCartRoutes(deps: ClientAreaDeps): express.Router {
  const router = express.Router();

  router.get('/domains/transfer', wrap(async (req, res) => {
    const domain = typeof req.query.domain === 'string' ? req.query.domain.trim().slice(0, 300) : '';
    await renderDomainForm(deps, req, res, { domain, action: 'transfer', years: '', eppCode: '', nameservers: '', lineId: '' });
  }));

  router.post('/cart/domain', wrap(async (req, res) => {
    const request = readDomainRequest(req.body);
    const cart = cartOf(req);
    const parsed = parseDomainName(request.domain);
    const replacing = parsed.ok && cart.domains.some((d) => d.domain === parsed.ascii);
    if (!replacing && cartSize(cart) >= MAX_CART_LINES) {
      return renderDomainForm(deps, req, res, request, { _form: `Your cart already holds ${MAX_CART_LINES} items, as many as one order can. Check out first.` }, 422);
    }
    const b = await buyerOf(deps, req);
    const checked = await checkDomainLine(deps.ds, request, { currencyId: b.currencyId, availability: availabilityFor(deps, req) }, newLineId());
    if (!checked.ok) return renderDomainForm(deps, req, res, request, checked.errors, 422);
    saveCart(req, putDomain(cart, checked.line));
    flash(req, 'success', `${checked.unicode} (${checked.line.action === 'transfer' ? 'transfer' : 'registration'}, ${plural(checked.line.years)}) is in your cart.`);
    res.redirect(303, '/cart');
  }));

  /** The cart page's change form: another term offered for the TLD, or other nameservers (empty: the defaults). */
  router.post('/cart/domain/update', wrap(async (req, res) => {
    const cart = cartOf(req);
    const line = findDomain(cart, field(req.body, 'line'));
    if (!line) return res.redirect(303, '/cart');
    const b = await buyerOf(deps, req);
    const request: DomainRequest = { domain: line.domain, action: line.action, years: field(req.body, 'years') || String(line.years), eppCode: line.eppCode ?? '', nameservers: field(req.body, 'nameservers').slice(0, 2000), lineId: line.id };
    // The name was checked when it was added; only the term and nameservers change here.
    const checked = await checkDomainLine(deps.ds, request, { currencyId: b.currencyId }, line.id);
    if (!checked.ok) {
      flash(req, 'error', `${domainToUnicode(line.domain)}: ${Object.values(checked.errors).join(' ')}`);
      return res.redirect(303, '/cart');
    }
    saveCart(req, putDomain(cart, checked.line));
    flash(req, 'success', `${domainToUnicode(line.domain)} updated in your cart.`);
    res.redirect(303, '/cart');
  }));

  router.post('/cart/domain/remove', wrap(async (req, res) => {
    const cart = cartOf(req);
    const line = findDomain(cart, field(req.body, 'line'));
    if (line) {
      saveCart(req, removeDomain(cart, line.id));
      flash(req, 'success', `${domainToUnicode(line.domain) || line.domain} removed from your cart.`);
    }
    res.redirect(303, '/cart');
  }));

  return router;
}
