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

export interface Cart {
  lines: CartLine[];
  promoCode: string | null;
  /** A visitor's currency choice (signed-in clients are always priced in their own currency). */
  currencyId: number | null;
}

/** As many lines as one order may hold. */
export const MAX_CART_LINES = MAX_ITEMS;

export const emptyCart = (): Cart => ({ lines: [], promoCode: null, currencyId: null });

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
  return {
    lines: lines.slice(0, MAX_CART_LINES),
    promoCode: typeof r.promoCode === 'string' && r.promoCode ? r.promoCode : null,
    currencyId: isId(r.currencyId) ? r.currencyId : null,
  };
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
