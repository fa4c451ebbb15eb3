/**
 * One configured product on its way into the cart: the configure form's fields read into ids and choices, then
 * checked the way checkout will check them — the domain rules of the order service and a quote from the catalogue
 * (quoteOrderLine), which refuses unknown products, cycles not sold, and options or addons of another product.
 * Only the fields named here are read: a posted price, amount or total is never looked at.
 */
import { quoteOrderLine, type Db, type OrderLineQuote } from '../catalog/pricing.js';
import { managerOf } from '../catalog/promotions.js';
import { isBillingCycle } from '../billing/periods.js';
import { Product } from '../../entities/catalog/product.entity.js';
import type { CartLine } from './cart.js';

/** The configure form as posted: option_<optionId>, addon (repeated), cycle, domain, productId, line. */
export interface LineRequest {
  productId: string;
  cycle: string;
  configOptions: Record<string, string>;
  addonIds: string[];
  domain: string;
  /** The cart line being edited, if any. */
  lineId: string;
}

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const many = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(text).filter(Boolean);

/** Reads the configure form; unknown fields (price, amount, total…) are not read at all. */
export function readLineRequest(body: unknown, productId?: string): LineRequest {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const configOptions: Record<string, string> = {};
  for (const [key, value] of Object.entries(b)) {
    const m = /^option_(\d{1,15})$/.exec(key);
    // A repeated option field is a tampered form: keep the first value, the quote checks it like any other.
    if (m) configOptions[m[1]] = many(value)[0] ?? '';
  }
  return {
    productId: productId ?? text(b.productId),
    cycle: text(b.cycle),
    configOptions,
    addonIds: many(b.addon).slice(0, 50),
    domain: text(b.domain).slice(0, 300),
    lineId: text(b.line).slice(0, 40),
  };
}

/** The same rule as the order service's (orders/input.ts): lower case, no trailing dot, a dotted host name. */
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
export const normaliseDomain = (d: string): string => d.trim().toLowerCase().replace(/\.$/, '');

/** Form field of a quote refusal: 'configOptions.7' → 'option_7', 'addonIds' → 'addons'. */
export function formFieldOf(field: string | undefined): string {
  if (!field) return '_form';
  if (field === 'cycle' || field === 'domain') return field;
  if (field.startsWith('configOptions.')) return `option_${field.slice('configOptions.'.length)}`;
  if (field === 'addonIds') return 'addons';
  if (field === 'promoCode') return 'promoCode';
  return '_form';
}

export type LineCheck =
  | { ok: true; line: CartLine; quote: OrderLineQuote; product: Product }
  | { ok: false; errors: Record<string, string>; product: Product | null };

export interface PricingContext {
  clientId: number | null;
  currencyId: number;
  today: string;
}

/**
 * Checks a configured product: the product is on sale, the domain is there when the product needs one and is a
 * domain name, and the catalogue can price the whole line in the buyer's currency. Nothing is written.
 */
export async function checkLine(db: Db, req: LineRequest, ctx: PricingContext, lineId: string): Promise<LineCheck> {
  const id = /^\d{1,15}$/.test(req.productId) ? Number(req.productId) : 0;
  const product = id ? await managerOf(db).getRepository(Product).findOneBy({ id }) : null;
  if (!product || product.retired) return { ok: false, errors: { _form: 'That product is not for sale.' }, product: null };

  const errors: Record<string, string> = {};
  if (!isBillingCycle(req.cycle)) errors.cycle = 'Choose a billing cycle.';
  const domain = req.domain ? normaliseDomain(req.domain) : '';
  if (!domain && product.requireDomain) errors.domain = `${product.name} needs a domain name, such as example.com.`;
  else if (domain && !DOMAIN.test(domain)) errors.domain = 'Enter a domain name such as example.com (letters, digits, hyphens and dots).';
  if (Object.keys(errors).length) return { ok: false, errors, product };

  const quote = await quoteOrderLine(db, {
    clientId: ctx.clientId,
    productId: product.id,
    cycle: req.cycle as CartLine['cycle'],
    currencyId: ctx.currencyId,
    configOptions: req.configOptions,
    addonIds: req.addonIds,
    today: ctx.today,
  });
  if (!quote.ok) return { ok: false, errors: { [formFieldOf(quote.field)]: quote.message }, product };

  // The options as chosen; those left out get their defaults again at every quote, the same way each time.
  const configOptions: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.configOptions)) configOptions[String(Number(k))] = String(Number(v));
  return {
    ok: true,
    product,
    quote,
    line: {
      id: lineId,
      productId: product.id,
      cycle: quote.cycle,
      configOptions,
      addonIds: quote.components.filter((c) => c.kind === 'addon').map((c) => c.addonId!),
      domain: domain || null,
    },
  };
}
