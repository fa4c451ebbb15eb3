/**
 * Catalogue pricing: the price of one thing (priceOf) and the full quote of one order line (quoteOrderLine) — product,
 * setup fee, configurable options, addons, client-group discount, promotion code, pro-rata first payment.
 *
 * Every amount comes from the catalogue rows (ProductPrice); the caller only names ids, a cycle, a currency and
 * quantities, and every id must belong to the product ordered — a foreign option or addon id is refused, never
 * priced (FOSSBilling CVE-2023-3228 / #4093). Expected refusals are Outcome codes:
 *   unknown_product, unknown_client, currency_mismatch, not_offered, foreign_option, foreign_addon,
 *   invalid_quantity, and the promo_* codes of promotions.ts.
 * The rules are written down in docs/billing-rules.md; tests/integration/pricing.test.ts proves them on both engines.
 */
import { In } from 'typeorm';
import { percentOf, sum, type Cents } from '../shared/money.js';
import { fail, succeed, type Failure, type Outcome } from '../shared/outcome.js';
import { Product } from '../../entities/catalog/product.entity.js';
import { ProductPrice } from '../../entities/catalog/product-price.entity.js';
import { ProductConfigGroup } from '../../entities/catalog/product-config-group.entity.js';
import { ConfigOption } from '../../entities/catalog/config-option.entity.js';
import { ConfigOptionChoice } from '../../entities/catalog/config-option-choice.entity.js';
import { Addon } from '../../entities/catalog/addon.entity.js';
import { PRICE_CYCLES, type PriceCycle } from '../../entities/catalog/values.js';
import { Client } from '../../entities/clients/client.entity.js';
import { ClientGroup } from '../../entities/clients/client-group.entity.js';
import {
  anchorDayOf,
  isBillingCycle,
  isRecurring,
  isValidDate,
  nextDueDate,
  periodFor,
  prorataFirstAmount,
  prorataSchedule,
  type BillingCycle,
  type ProrataSchedule,
} from '../billing/periods.js';
import { applyPromotion, inPromotionScope, managerOf, validatePromotion, type Db, type PromoComponent } from './promotions.js';

export type { Db };

// ------------------------------------------------------------------------------------------------ priceOf

export type PriceOwner = { productId: number } | { addonId: number } | { configOptionChoiceId: number };
export type PriceQuery = PriceOwner & { currencyId: number; cycle: PriceCycle };

export interface CatalogPrice {
  priceId: number;
  cycle: PriceCycle;
  /** Recurring (or one-time) price in minor units; for a quantity option, the price of one unit. */
  price: Cents;
  setupFee: Cents;
}

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/** The key ProductPrice is unique on: 'product:12:3:monthly'. */
function priceKey(q: PriceQuery): string | null {
  const owner = 'productId' in q ? ['product', q.productId] : 'addonId' in q ? ['addon', q.addonId] : ['choice', q.configOptionChoiceId];
  if (!isId(owner[1]) || !isId(q.currencyId) || !(PRICE_CYCLES as readonly string[]).includes(q.cycle)) return null;
  return `${owner[0]}:${owner[1]}:${q.currencyId}:${q.cycle}`;
}

const notOffered = (what: string, field?: string): Failure => fail('not_offered', `${what} is not offered for that billing cycle and currency.`, field);

/**
 * The catalogue price of a product, addon or option choice for one cycle and currency. No row, or a disabled row,
 * is 'not_offered' — different from a price of 0, which is free.
 */
export async function priceOf(db: Db, q: PriceQuery): Promise<Outcome<CatalogPrice>> {
  const key = priceKey(q);
  const row = key ? await managerOf(db).getRepository(ProductPrice).findOneBy({ priceKey: key }) : null;
  if (!row || !row.enabled) return notOffered('That item');
  return succeed({ priceId: row.id, cycle: row.cycle, price: row.price, setupFee: row.setupFee });
}

/** Several prices in one query, by price key; disabled rows are left out. */
async function pricesByKey(db: Db, keys: string[]): Promise<Map<string, ProductPrice>> {
  if (!keys.length) return new Map();
  const rows = await managerOf(db).getRepository(ProductPrice).findBy({ priceKey: In([...new Set(keys)]), enabled: true });
  return new Map(rows.map((r) => [r.priceKey, r]));
}

// ------------------------------------------------------------------------------------------------ quote

export interface QuoteInput {
  /** The ordering client (group discount, per-client promotion rules); absent for a visitor's cart. */
  clientId?: number | null;
  productId: number;
  cycle: BillingCycle;
  currencyId: number;
  /**
   * optionId → choiceId (dropdown, radio; yesno: a choice id for yes, 0 for no) or quantity (quantity options).
   * Keys may be strings (form posts); values must be whole numbers (digit strings accepted).
   */
  configOptions?: Record<string, number | string> | null;
  addonIds?: Array<number | string> | null;
  promoCode?: string | null;
  /** Business date of the order. */
  today: string;
}

export type ComponentKind = 'product' | 'config_option' | 'addon';

export interface QuoteComponent {
  kind: ComponentKind;
  description: string;
  productId: number | null;
  optionId: number | null;
  choiceId: number | null;
  addonId: number | null;
  /** 1, or the quantity of a quantity option. */
  quantity: number;
  cycle: BillingCycle;
  taxable: boolean;
  /** Catalogue price of one unit for the cycle, and setup fee of one unit. */
  unitPrice: Cents;
  unitSetupFee: Cents;
  /** unitPrice × quantity: what one cycle costs at list price. */
  cyclePrice: Cents;
  /** Price part of the first payment at list price: cyclePrice, or its pro-rata amount. */
  firstPrice: Cents;
  /** unitSetupFee × quantity, charged on the first payment only. */
  setupFee: Cents;
  prorated: boolean;
  groupDiscount: { firstPayment: Cents; recurring: Cents };
  promoDiscount: { firstPayment: Cents; recurring: Cents };
  inPromoScope: boolean;
  /** firstPrice + setupFee − discounts: what the first invoice charges for this component. */
  firstPayment: Cents;
  /** What each renewal charges while the promotion lasts (0 for one-time and free components). */
  recurring: Cents;
  /** What each renewal charges once a recurring promotion has run out (or when there is none). */
  recurringWithoutPromo: Cents;
  /** This component's first due date after the order (null when it never renews). */
  nextDueDate: string | null;
}

export interface PromotionApplied {
  promotionId: number;
  code: string;
  type: string;
  /** Whether renewals are discounted too. */
  recurring: boolean;
  /** Renewals discounted when recurring: 0 = every renewal, forever; null when the code is first-payment only. */
  recurFor: number | null;
  firstPaymentDiscount: Cents;
  recurringDiscount: Cents;
}

export interface OrderLineQuote {
  productId: number;
  productName: string;
  cycle: BillingCycle;
  currencyId: number;
  components: QuoteComponent[];
  /** The options as resolved (defaults filled in), ready for OrderItem.configOptions / ServiceConfigOption. */
  configOptions: Array<{ optionId: number; choiceId: number | null; quantity: number }>;
  /** The service itself: product + options (addons are separate client addons with their own cycle). */
  service: {
    firstPayment: Cents;
    recurring: Cents;
    recurringWithoutPromo: Cents;
    /** Day of month the service renews on: the order day, or the product's pro-rata day. */
    anchorDay: number;
    firstPeriod: { start: string; end: string | null };
    nextDueDate: string | null;
  };
  prorata: ProrataSchedule | null;
  groupDiscountPercent: string;
  promotion: PromotionApplied | null;
  totals: {
    /** Everything the first invoice charges for this line, before tax. */
    firstPayment: Cents;
    listFirstPayment: Cents;
    groupDiscount: Cents;
    promoDiscount: Cents;
    /** First payment split by taxability, for the tax calculation. */
    taxableFirstPayment: Cents;
    nonTaxableFirstPayment: Cents;
  };
}

/** A positive whole id from a number or digit string (form posts); anything else is null. */
function toId(v: unknown): number | null {
  if (typeof v === 'number') return isId(v) ? v : null;
  if (typeof v === 'string' && /^\d{1,15}$/.test(v.trim())) return toId(Number(v.trim()));
  return null;
}

/** A whole number ≥ 0 from a number or digit string; anything else is null. */
function toCount(v: unknown): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : null;
  if (typeof v === 'string' && /^\d{1,15}$/.test(v.trim())) return Number(v.trim());
  return null;
}

interface Draft {
  kind: ComponentKind;
  description: string;
  productId: number | null;
  optionId: number | null;
  choiceId: number | null;
  addonId: number | null;
  quantity: number;
  cycle: BillingCycle;
  taxable: boolean;
  unitPrice: Cents;
  unitSetupFee: Cents;
  prorate: boolean;
  nextDueDate: string | null;
}

/**
 * Prices one order line from the catalogue. Order of operations, each step rounded half-up once per amount:
 * list price → pro-rata (product and options of a pro-rata product) → client-group discount (per component, on the
 * price and setup fee separately) → promotion (on what is left; never below zero).
 */
export async function quoteOrderLine(db: Db, input: QuoteInput): Promise<Outcome<OrderLineQuote>> {
  const m = managerOf(db);
  if (!isValidDate(input.today)) throw new RangeError(`today must be a YYYY-MM-DD date, got ${String(input.today)}`);
  const today = input.today;

  // ---- product and cycle
  const productId = toId(input.productId);
  const product = productId ? await m.getRepository(Product).findOneBy({ id: productId }) : null;
  if (!product) return fail('unknown_product', 'That product does not exist.', 'productId');
  if (product.retired) return fail('not_offered', `${product.name} is no longer sold.`, 'productId');
  const cycle = input.cycle;
  const cycleFits =
    isBillingCycle(cycle) &&
    (product.paymentType === 'free' ? cycle === 'free' : product.paymentType === 'onetime' ? cycle === 'onetime' : isRecurring(cycle));
  if (!cycleFits) return fail('not_offered', `${product.name} is not sold on the ${String(cycle)} cycle.`, 'cycle');
  const currencyId = toId(input.currencyId);
  if (!currencyId) return fail('not_offered', 'Choose a currency.', 'currencyId');
  /** The ProductPrice cycle the product and its options are priced on; null for a free product. */
  const priceCycle: PriceCycle | null = cycle === 'free' ? null : (cycle as PriceCycle);

  // ---- client
  let groupPercent = '0';
  const clientId = input.clientId === null || input.clientId === undefined ? null : toId(input.clientId);
  if (input.clientId !== null && input.clientId !== undefined) {
    const client = clientId ? await m.getRepository(Client).findOneBy({ id: clientId }) : null;
    if (!client) return fail('unknown_client', 'That client does not exist.', 'clientId');
    // A client is billed in their own currency: quoting another would let them pick the cheapest price list.
    if (client.currencyId !== currencyId) return fail('currency_mismatch', "Orders are priced in the client's own currency.", 'currencyId');
    if (client.groupId) groupPercent = (await m.getRepository(ClientGroup).findOneBy({ id: client.groupId }))?.discountPercent ?? '0';
  }

  // ---- dates: ordinary services renew on the order's day of month; pro-rata ones on the product's day
  const prorataOn = isRecurring(cycle) && product.prorataBilling && product.prorataDay !== null && product.prorataDay !== undefined;
  const prorata = prorataOn
    ? prorataSchedule({ orderDate: today, cycle, prorataDay: product.prorataDay!, cutoffDay: product.prorataCutoffDay ?? null })
    : null;
  const anchorDay = prorata ? product.prorataDay! : anchorDayOf(today);
  const firstPeriod = prorata ? prorata.firstPeriod : periodFor(today, cycle, anchorDay);
  const serviceNextDue = prorata ? prorata.nextDueDate : nextDueDate(anchorDay, today, cycle);

  const drafts: Draft[] = [
    {
      kind: 'product',
      description: product.name,
      productId: product.id,
      optionId: null,
      choiceId: null,
      addonId: null,
      quantity: 1,
      cycle,
      taxable: product.taxable,
      unitPrice: 0,
      unitSetupFee: 0,
      prorate: prorata !== null,
      nextDueDate: serviceNextDue,
    },
  ];
  const needPrices: Array<{ draft: Draft; key: string; field: string }> = [];
  if (priceCycle) needPrices.push({ draft: drafts[0], key: `product:${product.id}:${currencyId}:${priceCycle}`, field: 'cycle' });

  // ---- configurable options: only those of the groups linked to this product
  const options = await resolveOptions(db, product, input.configOptions ?? {});
  if (!options.ok) return options;
  for (const o of options.chosen) {
    if (o.quantity === 0 || o.choice === null) continue; // "no" / zero units: nothing to charge
    const draft: Draft = {
      kind: 'config_option',
      description: o.option.optionType === 'quantity' ? `${o.option.name} × ${o.quantity}` : `${o.option.name}: ${o.choice.name}`,
      productId: product.id,
      optionId: o.option.id,
      choiceId: o.choice.id,
      addonId: null,
      quantity: o.quantity,
      cycle,
      taxable: product.taxable,
      unitPrice: 0,
      unitSetupFee: 0,
      prorate: prorata !== null,
      nextDueDate: serviceNextDue,
    };
    drafts.push(draft);
    // A free product has no cycle to price options on: they come with it at no charge.
    if (priceCycle) needPrices.push({ draft, key: `choice:${o.choice.id}:${currencyId}:${priceCycle}`, field: `configOptions.${o.option.id}` });
  }

  // ---- addons: each must be offered with this product
  const addonDrafts = await resolveAddons(db, product, input.addonIds ?? [], cycle, currencyId, today);
  if (!addonDrafts.ok) return addonDrafts;
  drafts.push(...addonDrafts.drafts.map((a) => a.draft));

  const prices = await pricesByKey(db, needPrices.map((p) => p.key));
  for (const { draft, key, field } of needPrices) {
    const row = prices.get(key);
    if (!row) return notOffered(draft.description, field);
    draft.unitPrice = row.price;
    draft.unitSetupFee = row.setupFee;
  }
  for (const a of addonDrafts.drafts) {
    a.draft.unitPrice = a.price.price;
    a.draft.unitSetupFee = a.price.setupFee;
  }

  // ---- list amounts and the client-group discount
  const firstOf = (d: Draft) => (cyclePrice: Cents) => (d.prorate && prorata ? prorataFirstAmount(cyclePrice, prorata).firstAmount : cyclePrice);
  const staged = drafts.map((d) => {
    const cyclePrice = d.unitPrice * d.quantity;
    const setupFee = d.unitSetupFee * d.quantity;
    const firstPrice = firstOf(d)(cyclePrice);
    const renews = isRecurring(d.cycle);
    const g = { price: cap(percentOf(firstPrice, groupPercent), firstPrice), setup: cap(percentOf(setupFee, groupPercent), setupFee), recurring: renews ? cap(percentOf(cyclePrice, groupPercent), cyclePrice) : 0 };
    return { d, cyclePrice, setupFee, firstPrice, renews, g };
  });

  // ---- promotion
  let promotion: PromotionApplied | null = null;
  let effect = { first: staged.map(() => 0), recurring: staged.map(() => 0) };
  let scope = staged.map(() => false);
  const code = (input.promoCode ?? '').trim();
  if (code) {
    const valid = await validatePromotion(db, { code, clientId, currencyId, today });
    if (!valid.ok) return valid;
    const p = valid.promotion;
    scope = staged.map(({ d }) =>
      d.kind === 'addon' ? inPromotionScope(p, { kind: 'addon', id: d.addonId!, cycle: d.cycle }) : inPromotionScope(p, { kind: 'product', id: product.id, cycle: d.cycle }),
    );
    if (!scope.some(Boolean)) return fail('promo_not_applicable', `The code ${p.code} does not apply to this order.`, 'promoCode');
    const components: PromoComponent[] = staged.map(({ d, firstPrice, setupFee, cyclePrice, renews, g }, i) => ({
      item: d.kind === 'addon' ? `addon:${d.addonId}` : 'product',
      base: d.kind !== 'config_option',
      inScope: scope[i],
      firstPrice: firstPrice - g.price,
      setupFee: setupFee - g.setup,
      recurring: renews ? cyclePrice - g.recurring : 0,
      firstOf: firstOf(d),
    }));
    effect = applyPromotion(p, components);
    promotion = {
      promotionId: p.id,
      code: p.code,
      type: p.type,
      recurring: Boolean(p.recurring),
      recurFor: p.recurring ? (p.recurFor ?? 0) : null,
      firstPaymentDiscount: sum(effect.first),
      recurringDiscount: sum(effect.recurring),
    };
  }

  const components: QuoteComponent[] = staged.map(({ d, cyclePrice, setupFee, firstPrice, renews, g }, i) => {
    const recurringWithoutPromo = renews ? cyclePrice - g.recurring : 0;
    return {
      kind: d.kind,
      description: d.description,
      productId: d.productId,
      optionId: d.optionId,
      choiceId: d.choiceId,
      addonId: d.addonId,
      quantity: d.quantity,
      cycle: d.cycle,
      taxable: d.taxable,
      unitPrice: d.unitPrice,
      unitSetupFee: d.unitSetupFee,
      cyclePrice,
      firstPrice,
      setupFee,
      prorated: d.prorate,
      groupDiscount: { firstPayment: g.price + g.setup, recurring: g.recurring },
      promoDiscount: { firstPayment: effect.first[i], recurring: effect.recurring[i] },
      inPromoScope: scope[i],
      firstPayment: firstPrice + setupFee - g.price - g.setup - effect.first[i],
      recurring: recurringWithoutPromo - effect.recurring[i],
      recurringWithoutPromo,
      nextDueDate: d.nextDueDate,
    };
  });

  const own = components.filter((c) => c.kind !== 'addon');
  const firstPayment = sum(components.map((c) => c.firstPayment));
  const taxableFirstPayment = sum(components.filter((c) => c.taxable).map((c) => c.firstPayment));
  return succeed({
    productId: product.id,
    productName: product.name,
    cycle,
    currencyId,
    components,
    configOptions: options.chosen.map((o) => ({ optionId: o.option.id, choiceId: o.choice?.id ?? null, quantity: o.quantity })),
    service: {
      firstPayment: sum(own.map((c) => c.firstPayment)),
      recurring: sum(own.map((c) => c.recurring)),
      recurringWithoutPromo: sum(own.map((c) => c.recurringWithoutPromo)),
      anchorDay,
      firstPeriod,
      nextDueDate: serviceNextDue,
    },
    prorata,
    groupDiscountPercent: groupPercent,
    promotion,
    totals: {
      firstPayment,
      listFirstPayment: sum(components.map((c) => c.firstPrice + c.setupFee)),
      groupDiscount: sum(components.map((c) => c.groupDiscount.firstPayment)),
      promoDiscount: sum(components.map((c) => c.promoDiscount.firstPayment)),
      taxableFirstPayment,
      nonTaxableFirstPayment: firstPayment - taxableFirstPayment,
    },
  });
}

const cap = (discount: Cents, amount: Cents) => Math.max(0, Math.min(discount, amount));

// ------------------------------------------------------------------------------------------------ options

interface ChosenOption {
  option: ConfigOption;
  /** null for a yesno option answered "no". */
  choice: ConfigOptionChoice | null;
  quantity: number;
}

/**
 * Resolves the submitted options against the product's own option groups. Options not submitted get their default:
 * the first visible choice (dropdown, radio), "no" (yesno), minQuantity (quantity) — so skipping a priced option
 * cannot make an order cheaper without also leaving the option out of the order.
 */
async function resolveOptions(db: Db, product: Product, submitted: Record<string, number | string>): Promise<Outcome<{ chosen: ChosenOption[] }>> {
  const m = managerOf(db);
  if (typeof submitted !== 'object' || submitted === null || Array.isArray(submitted)) return fail('foreign_option', 'Configurable options must be given as option → choice.', 'configOptions');
  const groupIds = (await m.getRepository(ProductConfigGroup).findBy({ productId: product.id })).map((g) => g.groupId);
  const options = groupIds.length ? await m.getRepository(ConfigOption).find({ where: { groupId: In(groupIds) }, order: { sortOrder: 'ASC', id: 'ASC' } }) : [];
  const choices = options.length ? await m.getRepository(ConfigOptionChoice).find({ where: { optionId: In(options.map((o) => o.id)) }, order: { sortOrder: 'ASC', id: 'ASC' } }) : [];
  const byId = new Map(options.map((o) => [o.id, o]));
  const choicesOf = (optionId: number) => choices.filter((c) => c.optionId === optionId);

  const picked = new Map<number, ChosenOption>();
  for (const [key, value] of Object.entries(submitted)) {
    const optionId = toId(key);
    const option = optionId ? byId.get(optionId) : undefined;
    if (!option) return fail('foreign_option', `Option ${key} is not an option of ${product.name}.`, `configOptions.${key}`);
    if (option.hidden) return fail('not_offered', `${option.name} is no longer offered.`, `configOptions.${key}`);
    const field = `configOptions.${option.id}`;
    if (option.optionType === 'quantity') {
      const qty = toCount(value);
      const max = option.maxQuantity > 0 ? option.maxQuantity : Infinity;
      if (qty === null || qty < option.minQuantity || qty > max) {
        return fail('invalid_quantity', `${option.name}: choose a whole number from ${option.minQuantity}${max === Infinity ? ' up' : ` to ${max}`}.`, field);
      }
      const unit = choicesOf(option.id).find((c) => !c.hidden);
      if (!unit && qty > 0) return fail('not_offered', `${option.name} has no price.`, field);
      picked.set(option.id, { option, choice: unit ?? null, quantity: qty });
      continue;
    }
    if (option.optionType === 'yesno' && toCount(value) === 0) {
      picked.set(option.id, { option, choice: null, quantity: 0 });
      continue;
    }
    const choiceId = toId(value);
    const choice = choiceId ? choicesOf(option.id).find((c) => c.id === choiceId) : undefined;
    if (!choice) return fail('foreign_option', `That is not a choice of ${option.name}.`, field);
    if (choice.hidden) return fail('not_offered', `${option.name}: ${choice.name} is no longer offered.`, field);
    picked.set(option.id, { option, choice, quantity: 1 });
  }
  for (const option of options) {
    if (option.hidden || picked.has(option.id)) continue;
    const visible = choicesOf(option.id).filter((c) => !c.hidden);
    if (option.optionType === 'quantity') picked.set(option.id, { option, choice: visible[0] ?? null, quantity: option.minQuantity });
    else if (option.optionType === 'yesno') picked.set(option.id, { option, choice: null, quantity: 0 });
    else if (visible.length) picked.set(option.id, { option, choice: visible[0], quantity: 1 });
  }
  if ([...picked.values()].some((o) => o.option.optionType === 'quantity' && o.quantity > 0 && !o.choice)) {
    const o = [...picked.values()].find((x) => x.option.optionType === 'quantity' && x.quantity > 0 && !x.choice)!;
    return fail('not_offered', `${o.option.name} has no price.`, `configOptions.${o.option.id}`);
  }
  return succeed({ chosen: options.filter((o) => picked.has(o.id)).map((o) => picked.get(o.id)!) });
}

// ------------------------------------------------------------------------------------------------ addons

/**
 * Each addon must list the product in applicableProductIds. Its cycle: 'free' or 'onetime' by its payment type;
 * a recurring addon follows the product's cycle when it has a price for it, else the shortest cycle it is sold on
 * (an SSL certificate sold yearly stays yearly on a monthly plan). Addons are not pro-rated.
 */
async function resolveAddons(
  db: Db,
  product: Product,
  submitted: Array<number | string>,
  productCycle: BillingCycle,
  currencyId: number,
  today: string,
): Promise<Outcome<{ drafts: Array<{ draft: Draft; price: { price: Cents; setupFee: Cents } }> }>> {
  if (!Array.isArray(submitted)) return fail('foreign_addon', 'Addons must be a list of addon ids.', 'addonIds');
  const ids: number[] = [];
  for (const raw of submitted) {
    const id = toId(raw);
    if (!id) return fail('foreign_addon', `Addon ${String(raw)} is not offered with ${product.name}.`, 'addonIds');
    if (ids.includes(id)) return fail('invalid_quantity', 'Each addon can be ordered once per service.', 'addonIds');
    ids.push(id);
  }
  if (!ids.length) return succeed({ drafts: [] });
  const m = managerOf(db);
  const addons = new Map((await m.getRepository(Addon).findBy({ id: In(ids) })).map((a) => [a.id, a]));
  const recurringCycles = PRICE_CYCLES.filter((c) => c !== 'onetime');
  const keys = ids.flatMap((id) => PRICE_CYCLES.map((c) => `addon:${id}:${currencyId}:${c}`));
  const prices = await pricesByKey(db, keys);
  const out: Array<{ draft: Draft; price: { price: Cents; setupFee: Cents } }> = [];
  for (const id of ids) {
    const addon = addons.get(id);
    if (!addon || !(addon.applicableProductIds ?? []).map(Number).includes(product.id)) {
      return fail('foreign_addon', `Addon ${id} is not offered with ${product.name}.`, 'addonIds');
    }
    let cycle: BillingCycle;
    let row: ProductPrice | undefined;
    if (addon.paymentType === 'free') cycle = 'free';
    else if (addon.paymentType === 'onetime') {
      cycle = 'onetime';
      row = prices.get(`addon:${id}:${currencyId}:onetime`);
    } else {
      const preferred = isRecurring(productCycle) ? [productCycle, ...recurringCycles.filter((c) => c !== productCycle)] : recurringCycles;
      const found = preferred.find((c) => prices.has(`addon:${id}:${currencyId}:${c}`));
      cycle = found ?? 'monthly';
      row = found ? prices.get(`addon:${id}:${currencyId}:${found}`) : undefined;
    }
    if (cycle !== 'free' && !row) return notOffered(addon.name, 'addonIds');
    out.push({
      draft: {
        kind: 'addon',
        description: addon.name,
        productId: null,
        optionId: null,
        choiceId: null,
        addonId: addon.id,
        quantity: 1,
        cycle,
        taxable: addon.taxable,
        unitPrice: 0,
        unitSetupFee: 0,
        prorate: false,
        nextDueDate: nextDueDate(anchorDayOf(today), today, cycle),
      },
      price: { price: row?.price ?? 0, setupFee: row?.setupFee ?? 0 },
    });
  }
  return succeed({ drafts: out });
}
