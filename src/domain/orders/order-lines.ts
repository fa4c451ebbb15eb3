/**
 * How one priced order line (an OrderLineQuote from quoteOrderLine) is written down: the service, its options and
 * addons, the order items, and the lines of the first invoice. Pure functions — the amounts are the quote's, copied,
 * never recomputed, so the order, its invoice and the services can never disagree with the catalogue price.
 *
 * Invoice lines per ordered product (all quantity 1):
 *   service      product + options, first-payment price (pro-rated when the quote says so), with the period it
 *                pays for and the billing key `service:<id>:<periodStart>` — the same key the renewal run uses, so
 *                the unique index stops the run from ever billing the first period again;
 *   setup_fee    the setup fees of the product and its options, when any;
 *   addon        each addon's first price, key `addon:<clientAddonId>:<periodStart>`; its setup fee on its own line;
 *   adjustment   the client-group discount (negative), one line per taxability;
 *   promotion    the promotion's first-payment discount (negative), one line per taxability.
 * Their sum is exactly quote.totals.firstPayment.
 */
import type { OrderLineQuote, QuoteComponent } from '../catalog/pricing.js';
import type { InvoiceLine } from '../billing/issue-invoice.js';
import { addDays } from '../billing/periods.js';
import { sum } from '../shared/money.js';

/** What was created for one order line, needed to link its invoice lines and order items. */
export interface CreatedLine {
  quote: OrderLineQuote;
  serviceId: number;
  domain: string | null;
  /** Client addon id per addon component, in the order of quote.components. */
  addonIds: Map<QuoteComponent, number>;
}

const period = (start: string, nextDue: string | null) => ({ start, end: nextDue ? addDays(nextDue, -1) : null });
const span = (p: { start: string; end: string | null }) => (p.end ? ` (${p.start} - ${p.end})` : '');

/** The invoice lines of one ordered product. */
export function invoiceLinesFor(line: CreatedLine, today: string): InvoiceLine[] {
  const q = line.quote;
  const own = q.components.filter((c) => c.kind !== 'addon');
  const product = own.find((c) => c.kind === 'product')!;
  const first = q.service.firstPeriod;
  const options = own.filter((c) => c.kind === 'config_option').map((c) => `\n${c.description}`).join('');
  const out: InvoiceLine[] = [
    {
      itemType: 'service',
      description: `${q.productName}${line.domain ? ` - ${line.domain}` : ''}${span(first)}${q.prorata?.partialPeriod ? ' (pro rata)' : ''}${options}`,
      unitPrice: sum(own.map((c) => c.firstPrice)),
      taxable: product.taxable,
      serviceId: line.serviceId,
      periodStart: first.start,
      periodEnd: first.end,
      billingKey: `service:${line.serviceId}:${first.start}`,
    },
  ];
  const setup = sum(own.map((c) => c.setupFee));
  if (setup > 0) out.push({ itemType: 'setup_fee', description: `Setup fee: ${q.productName}`, unitPrice: setup, taxable: product.taxable, serviceId: line.serviceId });

  for (const c of q.components.filter((x) => x.kind === 'addon')) {
    const addonId = line.addonIds.get(c)!;
    const p = period(today, c.nextDueDate);
    out.push({
      itemType: 'addon',
      description: `Addon: ${c.description}${span(p)}`,
      unitPrice: c.firstPrice,
      taxable: c.taxable,
      serviceId: line.serviceId,
      serviceAddonId: addonId,
      periodStart: p.start,
      periodEnd: p.end,
      billingKey: `addon:${addonId}:${p.start}`,
    });
    if (c.setupFee > 0) out.push({ itemType: 'setup_fee', description: `Setup fee: ${c.description}`, unitPrice: c.setupFee, taxable: c.taxable, serviceId: line.serviceId, serviceAddonId: addonId });
  }

  // Discounts as their own negative lines, split by taxability so tax is computed on what is really charged.
  for (const taxable of [true, false]) {
    const part = q.components.filter((c) => c.taxable === taxable);
    const group = sum(part.map((c) => c.groupDiscount.firstPayment));
    if (group > 0) {
      out.push({ itemType: 'adjustment', description: `Client discount (${trimRate(q.groupDiscountPercent)}%) - ${q.productName}`, unitPrice: -group, taxable, serviceId: line.serviceId });
    }
    const promo = sum(part.map((c) => c.promoDiscount.firstPayment));
    if (promo > 0 && q.promotion) {
      out.push({ itemType: 'promotion', description: `Promotion code ${q.promotion.code} - ${q.productName}`, unitPrice: -promo, taxable, serviceId: line.serviceId });
    }
  }
  return out;
}

/** '10.0000' → '10', '7.2500' → '7.25'. */
function trimRate(rate: string): string {
  return rate.includes('.') ? rate.replace(/0+$/, '').replace(/\.$/, '') : rate;
}

/**
 * Order item columns of one component: the price snapshot. unitPrice × quantity + setupFee − discount = total,
 * where discount is the client-group and promotion discount together and total is what the first invoice charges.
 * A pro-rated component is written as quantity 1 at its pro-rated price (the unit price × quantity would not be it).
 */
export function orderItemAmounts(c: QuoteComponent) {
  const discount = c.groupDiscount.firstPayment + c.promoDiscount.firstPayment;
  const asOne = c.prorated || c.firstPrice !== c.unitPrice * c.quantity;
  return {
    quantity: asOne ? 1 : c.quantity,
    unitPrice: asOne ? c.firstPrice : c.unitPrice,
    setupFee: c.setupFee,
    discount,
    total: c.firstPayment,
    taxable: c.taxable,
  };
}
