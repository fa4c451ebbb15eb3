/**
 * What the cart costs, from the catalogue only: every line is quoted with quoteOrderLine in the buyer's currency,
 * with the cart's promotion code applied the way the order service applies it (place-order.ts) — lines the code does
 * not cover are priced without it, and the code is refused only when it covers none of them. The cart page and the
 * checkout page show exactly what placeOrder will charge before tax.
 */
import { quoteOrderLine, type Db, type OrderLineQuote } from '../catalog/pricing.js';
import { validatePromotion } from '../catalog/promotions.js';
import { sum, type Cents } from '../shared/money.js';
import type { Failure } from '../shared/outcome.js';
import type { Cart, CartLine } from './cart.js';
import type { PricingContext } from './cart-line.js';
import { domainsTotal, priceCartDomains, type PricedDomain } from './cart-domains.js';

export interface PricedLine {
  line: CartLine;
  /** null when the line can no longer be ordered as it is (see problem). */
  quote: OrderLineQuote | null;
  problem: string | null;
}

export interface PricedCart {
  lines: PricedLine[];
  /** Domain lines, priced from the TLD list (promotion codes do not apply to them, as in the order service). */
  domains: PricedDomain[];
  /** The code as applied, with what it takes off the first payment; null when there is none or it was refused. */
  promotion: { code: string; discount: Cents } | null;
  /** Why the cart's code does not count (expired, unknown, not for these products…). */
  promoProblem: Failure | null;
  totals: { listFirstPayment: Cents; groupDiscount: Cents; promoDiscount: Cents; firstPayment: Cents };
  /** Every line can be ordered. */
  orderable: boolean;
}

export async function priceCart(db: Db, cart: Cart, ctx: PricingContext): Promise<PricedCart> {
  const code = cart.promoCode?.trim() || null;
  let promoProblem: Failure | null = null;
  const lines: PricedLine[] = [];
  /** A code refused for itself (unknown, expired, used up…) is not tried on the remaining lines. */
  let codeRefused = false;
  for (const line of cart.lines) {
    const base = { clientId: ctx.clientId, productId: line.productId, cycle: line.cycle, currencyId: ctx.currencyId, configOptions: line.configOptions, addonIds: line.addonIds, today: ctx.today };
    let q = await quoteOrderLine(db, code && !codeRefused ? { ...base, promoCode: code } : base);
    if (!q.ok && code && q.field === 'promoCode') {
      // Not applicable to this line: other lines may still take it.
      if (q.error === 'promo_not_applicable') promoProblem ??= q;
      else {
        promoProblem = q;
        codeRefused = true;
      }
      q = await quoteOrderLine(db, base);
    }
    lines.push(q.ok ? { line, quote: q, problem: null } : { line, quote: null, problem: q.message });
  }
  const quotes = lines.flatMap((l) => (l.quote ? [l.quote] : []));
  const applied = quotes.find((q) => q.promotion)?.promotion ?? null;
  if (applied) promoProblem = null;
  else if (code && !promoProblem) {
    // An empty cart (or only broken lines): judge the code on its own.
    const valid = await validatePromotion(db, { code, clientId: ctx.clientId, currencyId: ctx.currencyId, today: ctx.today });
    if (!valid.ok) promoProblem = valid;
  }
  const total = (f: (q: OrderLineQuote) => Cents) => sum(quotes.map(f));
  const domains = await priceCartDomains(db, cart.domains ?? [], ctx.currencyId);
  const domainAmount = domainsTotal(domains);
  return {
    lines,
    domains,
    promotion: applied ? { code: applied.code, discount: total((q) => q.promotion?.firstPaymentDiscount ?? 0) } : null,
    promoProblem,
    totals: {
      listFirstPayment: total((q) => q.totals.listFirstPayment) + domainAmount,
      groupDiscount: total((q) => q.totals.groupDiscount),
      promoDiscount: total((q) => q.totals.promoDiscount),
      firstPayment: total((q) => q.totals.firstPayment) + domainAmount,
    },
    orderable: lines.length + domains.length > 0 && lines.every((l) => l.quote !== null) && domains.every((d) => d.problem === null),
  };
}
