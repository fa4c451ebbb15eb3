/**
 * The shopping cart as plain data, kept in the visitor's session: what was chosen, never what it costs. Amounts are
 * worked out from the catalogue each time the cart is shown or checked out (cart-pricing.ts), so a price change, a
 * retired product or a tampered session can never put a stale or invented amount on an order.
 */
import { randomBytes } from 'node:crypto';
import { isBillingCycle, type BillingCycle } from '../billing/periods.js';
import { MAX_ITEMS } from '../orders/input.js';

export interface CartLine {
  /** Stable handle for the remove and edit links (not a database id). */
  id: string;
  productId: number;
  cycle: BillingCycle;
  /** optionId → choiceId or quantity, as quoteOrderLine takes them. */
  configOptions: Record<string, string>;
  addonIds: number[];
  domain: string | null;
  /** The product's order-form custom fields, by input name (cf_<id>); checked again at checkout. */
  fields?: Record<string, string>;
}

/**
 * A domain to register or transfer. The EPP code stays in the session only until checkout hands it to the order;
 * the amount comes from the TLD price list each time (cart-domains.ts).
 */
export interface CartDomain {
  id: string;
  /** Registry form (punycode for IDNs), lower case. */
  domain: string;
  action: 'register' | 'transfer';
  years: number;
  eppCode: string | null;
  /** null: the hosting server's or the company's defaults. */
  nameservers: string[] | null;
}

export interface Cart {
  lines: CartLine[];
  domains: CartDomain[];
  promoCode: string | null;
  /** A visitor's currency choice (signed-in clients are always priced in their own currency). */
  currencyId: number | null;
}

/** As many lines as one order may hold. */
export const MAX_CART_LINES = MAX_ITEMS;

export const emptyCart = (): Cart => ({ lines: [], domains: [], promoCode: null, currencyId: null });

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
const digits = (v: unknown): v is string => typeof v === 'string' && /^\d{1,15}$/.test(v);

/**
 * The cart from the session, with anything that is not cart data dropped. The session lives on the server, but the
 * cart is read defensively anyway: it is only ever turned into ids and choices that the pricing checks again.
 */
export function readCart(raw: unknown): Cart {
  if (!raw || typeof raw !== 'object') return emptyCart();
  const r = raw as Record<string, unknown>;
  const lines: CartLine[] = [];
  for (const l of Array.isArray(r.lines) ? r.lines : []) {
    if (!l || typeof l !== 'object') continue;
    const line = l as Record<string, unknown>;
    if (typeof line.id !== 'string' || !isId(line.productId) || !isBillingCycle(line.cycle)) continue;
    const options: Record<string, string> = {};
    for (const [k, v] of Object.entries((line.configOptions as Record<string, unknown>) ?? {})) if (digits(k) && digits(v)) options[k] = v;
    lines.push({
      id: line.id,
      productId: line.productId,
      cycle: line.cycle,
      configOptions: options,
      addonIds: Array.isArray(line.addonIds) ? line.addonIds.filter(isId) : [],
      domain: typeof line.domain === 'string' && line.domain ? line.domain : null,
      fields: Object.fromEntries(Object.entries((line.fields as Record<string, unknown>) ?? {}).filter(([k, v]) => /^cf_\d{1,15}$/.test(k) && typeof v === 'string' && v.length <= 2000)) as Record<string, string>,
    });
  }
  const domains = readCartDomains(r.domains).slice(0, Math.max(0, MAX_CART_LINES - Math.min(lines.length, MAX_CART_LINES)));
  return {
    lines: lines.slice(0, MAX_CART_LINES),
    domains,
    promoCode: typeof r.promoCode === 'string' && r.promoCode ? r.promoCode : null,
    currencyId: isId(r.currencyId) ? r.currencyId : null,
  };
}

const HOST = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

/** Domain lines of a session cart; anything malformed is dropped (checkout checks the rest again). */
function readCartDomains(raw: unknown): CartDomain[] {
  const out: CartDomain[] = [];
  for (const d of Array.isArray(raw) ? raw : []) {
    if (!d || typeof d !== 'object') continue;
    const x = d as Record<string, unknown>;
    if (typeof x.id !== 'string' || typeof x.domain !== 'string' || !HOST.test(x.domain)) continue;
    if (x.action !== 'register' && x.action !== 'transfer') continue;
    if (typeof x.years !== 'number' || !Number.isInteger(x.years) || x.years < 1 || x.years > 10) continue;
    if (out.some((o) => o.domain === x.domain)) continue;
    const ns = Array.isArray(x.nameservers) ? x.nameservers.filter((n): n is string => typeof n === 'string' && HOST.test(n)).slice(0, 5) : [];
    out.push({
      id: x.id,
      domain: x.domain,
      action: x.action,
      years: x.years,
      eppCode: x.action === 'transfer' && typeof x.eppCode === 'string' && x.eppCode.length <= 255 ? x.eppCode : null,
      nameservers: ns.length >= 2 ? ns : null,
    });
  }
  return out;
}

export const newLineId = (): string => randomBytes(6).toString('hex');

/** Adds a line, or replaces the line being edited (same id) where it stands. */
export function putLine(cart: Cart, line: CartLine): Cart {
  const at = cart.lines.findIndex((l) => l.id === line.id);
  const lines = at >= 0 ? cart.lines.map((l, i) => (i === at ? line : l)) : [...cart.lines, line];
  return { ...cart, lines };
}

export function removeLine(cart: Cart, lineId: string): Cart {
  return { ...cart, lines: cart.lines.filter((l) => l.id !== lineId) };
}

export const findLine = (cart: Cart, lineId: string): CartLine | undefined => cart.lines.find((l) => l.id === lineId);

/** Adds a domain line, or replaces the line for the same name (one order cannot hold a name twice). */
export function putDomain(cart: Cart, line: CartDomain): Cart {
  const at = cart.domains.findIndex((d) => d.id === line.id || d.domain === line.domain);
  const domains = at >= 0 ? cart.domains.map((d, i) => (i === at ? { ...line, id: d.id } : d)) : [...cart.domains, line];
  return { ...cart, domains };
}

export const removeDomain = (cart: Cart, id: string): Cart => ({ ...cart, domains: cart.domains.filter((d) => d.id !== id) });

export const findDomain = (cart: Cart, id: string): CartDomain | undefined => cart.domains.find((d) => d.id === id);

/** Products and domains together: what one order may hold. */
export const cartSize = (cart: Cart): number => cart.lines.length + cart.domains.length;
