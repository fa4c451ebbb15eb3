/** Page data for the store templates: every amount formatted here, from the catalogue or a quote, never the form. */
import type { BillingCycle } from '../../../domain/billing/periods.js';
import type { OrderLineQuote } from '../../../domain/catalog/pricing.js';
import type { PricedCart } from '../../../domain/cart/cart-pricing.js';
import type { CatalogPrice, ProductOffer, StoreCategory } from '../../../domain/cart/storefront.js';
import type { Buyer } from './buyer.js';

const CYCLE_LABELS: Record<BillingCycle, string> = {
  free: 'Free',
  onetime: 'One time',
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  semiannually: 'Every 6 months',
  annually: 'Annually',
  biennially: 'Every 2 years',
  triennially: 'Every 3 years',
};
export const cycleLabel = (c: BillingCycle): string => CYCLE_LABELS[c] ?? c;

const priceText = (p: CatalogPrice, b: Buyer): string =>
  p.cycle === 'free' ? 'Free' : `${b.money(p.price)} ${cycleLabel(p.cycle).toLowerCase()}${p.setupFee > 0 ? ` + ${b.money(p.setupFee)} setup` : ''}`;

export function catalogView(categories: StoreCategory[], b: Buyer) {
  return categories.map((c) => ({
    ...c,
    products: c.products.map((p) => ({ ...p, fromText: p.from.cycle === 'free' ? 'Free' : `From ${b.money(p.from.price)} ${cycleLabel(p.from.cycle).toLowerCase()}` })),
  }));
}

/** What the configure form shows as chosen: the posted form, the cart line being edited, or the defaults. */
export interface Selection {
  cycle: string;
  configOptions: Record<string, string>;
  addonIds: string[];
  domain: string;
  lineId: string;
}

export function defaultSelection(offer: ProductOffer): Selection {
  const configOptions: Record<string, string> = {};
  for (const o of offer.options) {
    if (o.type === 'quantity') configOptions[o.id] = String(o.minQuantity);
    else if (o.type !== 'yesno' && o.choices[0]) configOptions[o.id] = String(o.choices[0].id);
  }
  return { cycle: offer.cycles[0]?.cycle ?? '', configOptions, addonIds: [], domain: '', lineId: '' };
}

/** The quote as lines a person reads: each part's first payment, what renews, the totals. */
export function quoteView(q: OrderLineQuote, b: Buyer) {
  const renews = q.components.filter((c) => c.recurring > 0);
  return {
    components: q.components.map((c) => ({
      description: c.description,
      cycle: cycleLabel(c.cycle),
      amount: b.money(c.firstPrice + c.setupFee),
      setup: c.setupFee > 0 ? b.money(c.setupFee) : null,
    })),
    groupDiscount: q.totals.groupDiscount > 0 ? b.money(-q.totals.groupDiscount) : null,
    promoDiscount: q.totals.promoDiscount > 0 ? b.money(-q.totals.promoDiscount) : null,
    firstPayment: b.money(q.totals.firstPayment),
    renews: renews.length ? renews.map((c) => `${c.description}: ${b.money(c.recurring)} ${cycleLabel(c.cycle).toLowerCase()}`) : [],
    prorated: Boolean(q.prorata?.partialPeriod),
  };
}

export function productView(offer: ProductOffer, sel: Selection, b: Buyer) {
  const cycle = (offer.cycles.find((c) => c.cycle === sel.cycle) ?? offer.cycles[0])?.cycle;
  const extra = (p: CatalogPrice | undefined) => (!p || (p.price === 0 && p.setupFee === 0) ? '' : `+ ${b.money(p.price)}${p.setupFee > 0 ? ` (+ ${b.money(p.setupFee)} setup)` : ''}`);
  return {
    id: offer.product.id,
    name: offer.product.name,
    description: offer.product.description,
    features: Array.isArray(offer.product.features) ? offer.product.features.map(String) : [],
    requireDomain: offer.product.requireDomain,
    onSale: offer.cycles.length > 0,
    cycles: offer.cycles.map((c) => ({ value: c.cycle, label: `${cycleLabel(c.cycle)}: ${priceText(c, b)}`, selected: c.cycle === cycle })),
    options: offer.options.map((o) => {
      const value = sel.configOptions[o.id] ?? '';
      return {
        id: o.id,
        field: `option_${o.id}`,
        name: o.name,
        dropdown: o.type === 'dropdown',
        radio: o.type === 'radio',
        yesno: o.type === 'yesno',
        quantity: o.type === 'quantity',
        min: o.minQuantity,
        max: o.maxQuantity > 0 ? o.maxQuantity : null,
        value,
        // The yes of a yes/no option is its first choice; its price is what ticking it adds.
        yes: o.choices[0] ? { id: o.choices[0].id, price: extra(cycle ? o.choices[0].prices[cycle] : undefined), checked: value === String(o.choices[0].id) } : null,
        unitPrice: o.type === 'quantity' && o.choices[0] && cycle ? extra(o.choices[0].prices[cycle]).replace(/^\+ /, '') : '',
        choices: o.choices.map((c) => ({ id: c.id, name: c.name, price: extra(cycle ? c.prices[cycle] : undefined), selected: value === String(c.id) })),
      };
    }),
    addons: offer.addons.map((a) => {
      const p = a.prices.find((x) => x.cycle === cycle) ?? a.prices[0];
      return { id: a.id, name: a.name, description: a.description, price: priceText(p, b), checked: sel.addonIds.includes(String(a.id)) };
    }),
    domain: sel.domain,
    lineId: sel.lineId,
  };
}

export function cartView(priced: PricedCart, b: Buyer, names: Map<number, string>) {
  return {
    lines: priced.lines.map(({ line, quote, problem }) => ({
      id: line.id,
      productId: line.productId,
      name: quote?.productName ?? names.get(line.productId) ?? 'A product no longer sold',
      domain: line.domain,
      cycle: cycleLabel(line.cycle),
      quote: quote ? quoteView(quote, b) : null,
      problem,
    })),
    promotion: priced.promotion ? { code: priced.promotion.code, discount: b.money(-priced.promotion.discount) } : null,
    promoProblem: priced.promoProblem?.message ?? null,
    totals: {
      list: b.money(priced.totals.listFirstPayment),
      groupDiscount: priced.totals.groupDiscount > 0 ? b.money(-priced.totals.groupDiscount) : null,
      promoDiscount: priced.totals.promoDiscount > 0 ? b.money(-priced.totals.promoDiscount) : null,
      firstPayment: b.money(priced.totals.firstPayment),
    },
    orderable: priced.orderable,
    empty: priced.lines.length === 0,
  };
}
