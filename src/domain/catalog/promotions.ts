/**
 * Promotion codes: whether a code may be used on an order (validatePromotion, reads the database) and what it takes
 * off each priced component (applyPromotion, pure). The pricing service (pricing.ts) calls both; the order service
 * records the use (PromotionUsage + Promotion.uses) in its own transaction — maxUses is checked here for a clear
 * message, but only that guarded increment can make the limit hold under concurrent checkouts.
 *
 * Rules, in the order they are checked (docs/billing-rules.md):
 * - the code is trimmed and upper-cased (codes are stored upper-case); no such code, or a disabled one → promo_unknown
 *   (a switched-off leaked code tells nobody it ever existed);
 * - today < startsAt → promo_not_started; today > expiresAt (inclusive last day) → promo_expired;
 * - maxUses reached → promo_used_up;
 * - a code with a currency (always the case for 'fixed' and 'price_override', whose amount is money: no currency
 *   means the default currency) applies only to orders in that currency → promo_not_applicable. Amounts are never
 *   converted at the exchange rate: "$5 off" stays a round $5, and the shop decides what it is worth in euros by
 *   creating a euro code;
 * - oncePerClient and a PromotionUsage by this client → promo_already_used;
 * - newClientsOnly and the client already has an accepted or paid order, or a service that is or was live
 *   (active, suspended, terminated) → promo_new_clients_only;
 * - nothing on the order is in the code's scope (products / addons / cycles) → promo_not_applicable.
 * A quote without a client (a visitor's cart) passes the two per-client checks; the order service re-quotes with the
 * client before it records anything.
 */
import { EntityManager, type DataSource } from 'typeorm';
import { allocate, percentOf, type Cents } from '../shared/money.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import { Promotion } from '../../entities/marketing/promotion.entity.js';
import { PromotionUsage } from '../../entities/marketing/promotion-usage.entity.js';
import { Currency } from '../../entities/system/currency.entity.js';
import { Order } from '../../entities/orders/order.entity.js';
import { Service } from '../../entities/hosting/service.entity.js';

export type Db = DataSource | EntityManager;
export const managerOf = (db: Db): EntityManager => (db instanceof EntityManager ? db : db.manager);

export const PROMO_ERRORS = [
  'promo_unknown',
  'promo_expired',
  'promo_not_started',
  'promo_used_up',
  'promo_already_used',
  'promo_not_applicable',
  'promo_new_clients_only',
] as const;
export type PromoError = (typeof PROMO_ERRORS)[number];

export function normaliseCode(code: string): string {
  return String(code).trim().toUpperCase();
}

/** Service statuses that mean the client has (or had) a live service. */
const LIVE_SERVICE_STATUSES = ['active', 'suspended', 'terminated'];

/** True when the client has no accepted or paid order and no service that is or was live. */
export async function isNewClient(db: Db, clientId: number): Promise<boolean> {
  const m = managerOf(db);
  const orders = await m
    .getRepository(Order)
    .createQueryBuilder('o')
    .leftJoin('o.invoice', 'i')
    .where('o.clientId = :clientId', { clientId })
    .andWhere("(o.status = 'active' OR i.status = 'paid')")
    .getCount();
  if (orders > 0) return false;
  const services = await m
    .getRepository(Service)
    .createQueryBuilder('s')
    .withDeleted()
    .where('s.clientId = :clientId', { clientId })
    .andWhere('s.status IN (:...live)', { live: LIVE_SERVICE_STATUSES })
    .getCount();
  return services === 0;
}

export interface PromotionCheck {
  code: string;
  /** null/undefined for a visitor's cart: the per-client checks are skipped. */
  clientId?: number | null;
  currencyId: number;
  /** Business date of the order, 'YYYY-MM-DD'. */
  today: string;
}

/** Everything about a code that does not depend on what is being ordered. */
export async function validatePromotion(db: Db, check: PromotionCheck): Promise<Outcome<{ promotion: Promotion }>> {
  const m = managerOf(db);
  const code = normaliseCode(check.code ?? '');
  const promotion = code ? await m.getRepository(Promotion).findOneBy({ code }) : null;
  if (!promotion || !promotion.enabled) return fail('promo_unknown', `There is no promotion code "${code}".`, 'promoCode');
  if (promotion.startsAt && check.today < promotion.startsAt) return fail('promo_not_started', `The code ${code} is valid from ${promotion.startsAt}.`, 'promoCode');
  if (promotion.expiresAt && check.today > promotion.expiresAt) return fail('promo_expired', `The code ${code} expired on ${promotion.expiresAt}.`, 'promoCode');
  if (promotion.maxUses !== null && promotion.maxUses !== undefined && promotion.uses >= promotion.maxUses) {
    return fail('promo_used_up', `The code ${code} has been used as many times as it allows.`, 'promoCode');
  }
  let currencyId = promotion.currencyId;
  if (currencyId === null && (promotion.type === 'fixed' || promotion.type === 'price_override')) {
    currencyId = (await m.getRepository(Currency).findOneBy({ isDefault: true }))?.id ?? null;
    if (currencyId === null) return fail('promo_not_applicable', `The code ${code} has no currency for its amount.`, 'promoCode');
  }
  if (currencyId !== null && currencyId !== check.currencyId) {
    const cur = await m.getRepository(Currency).findOneBy({ id: currencyId });
    return fail('promo_not_applicable', `The code ${code} is only valid for orders in ${cur?.code ?? 'another currency'}.`, 'promoCode');
  }
  if (check.clientId !== null && check.clientId !== undefined) {
    if (promotion.oncePerClient) {
      const used = await m.getRepository(PromotionUsage).countBy({ promotionId: promotion.id, clientId: check.clientId });
      if (used > 0) return fail('promo_already_used', `You have already used the code ${code}.`, 'promoCode');
    }
    if (promotion.newClientsOnly && !(await isNewClient(m, check.clientId))) {
      return fail('promo_new_clients_only', `The code ${code} is for new customers only.`, 'promoCode');
    }
  }
  return succeed({ promotion });
}

// ------------------------------------------------------------------------------------------------ scope & effect

const listed = (list: unknown[] | null | undefined) => Array.isArray(list) && list.length > 0;

/**
 * Whether a component of the order is covered by the code. With no product, addon or TLD list the code covers every
 * product and addon; otherwise only what is listed (a TLD-only code leaves products alone). appliesToCycles, when
 * set, must contain the component's own cycle (an addon is judged by the addon's cycle).
 */
export function inPromotionScope(promotion: Pick<Promotion, 'appliesToProductIds' | 'appliesToAddonIds' | 'appliesToTlds' | 'appliesToCycles'>, target: { kind: 'product' | 'addon'; id: number; cycle: string }): boolean {
  const anyList = listed(promotion.appliesToProductIds) || listed(promotion.appliesToAddonIds) || listed(promotion.appliesToTlds);
  if (anyList) {
    const ids = (target.kind === 'product' ? promotion.appliesToProductIds : promotion.appliesToAddonIds) ?? [];
    if (!ids.map(Number).includes(target.id)) return false;
  }
  if (listed(promotion.appliesToCycles) && !promotion.appliesToCycles!.includes(target.cycle)) return false;
  return true;
}

/** One priced component, after the client-group discount, as the promotion sees it. */
export interface PromoComponent {
  /** Components sharing an item share a 'fixed' discount (the product with its options; each addon alone). */
  item: string;
  /** The component a 'price_override' replaces: the product's own price or an addon's. Options keep their price. */
  base: boolean;
  inScope: boolean;
  /** Price part of the first payment (the cycle price, or its pro-rata amount). */
  firstPrice: Cents;
  setupFee: Cents;
  /** Price charged on each renewal; 0 for one-time and free components. */
  recurring: Cents;
  /** Maps a cycle price to the price part of the first payment (identity unless pro-rated). */
  firstOf: (cyclePrice: Cents) => Cents;
}

export interface PromoEffect {
  /** Taken off the first payment, per component (same order as the input). */
  first: Cents[];
  /** Taken off each discounted renewal, per component; all 0 unless the code is recurring. */
  recurring: Cents[];
}

type PromoTerms = Pick<Promotion, 'type' | 'percentValue' | 'fixedAmount' | 'recurring'>;

/**
 * What the code takes off each component. Group discounts come first (the components arrive already discounted);
 * a discount never exceeds what is left of a component, so no line goes below zero.
 * - percent: percentValue off the price and the setup fee of every component in scope, rounded half-up per amount;
 * - fixed: fixedAmount off the price of each item in scope (product + options together, each addon alone), spread
 *   over the item's components in proportion to their prices (largest remainder, so the cents add up); setup fees
 *   are untouched;
 * - price_override: the product's (or addon's) own price becomes fixedAmount — pro-rated like the price when the
 *   first payment is pro-rated; options and setup fees are untouched; a price already lower stays lower;
 * - free_setup: setup fees in scope are waived; prices are untouched.
 * Renewals get the same treatment (setup fees aside) only when the code is recurring.
 */
export function applyPromotion(promotion: PromoTerms, components: PromoComponent[]): PromoEffect {
  const n = components.length;
  const first = new Array<Cents>(n).fill(0);
  const recurring = new Array<Cents>(n).fill(0);
  const renew = Boolean(promotion.recurring);
  const amount = Math.max(0, promotion.fixedAmount ?? 0);

  if (promotion.type === 'percent') {
    const pct = promotion.percentValue ?? '0';
    components.forEach((c, i) => {
      if (!c.inScope) return;
      first[i] = percentOf(c.firstPrice, pct) + percentOf(c.setupFee, pct);
      if (renew) recurring[i] = percentOf(c.recurring, pct);
    });
  } else if (promotion.type === 'free_setup') {
    components.forEach((c, i) => {
      if (c.inScope) first[i] = c.setupFee;
    });
  } else if (promotion.type === 'price_override') {
    components.forEach((c, i) => {
      if (!c.inScope || !c.base) return;
      first[i] = Math.max(0, c.firstPrice - c.firstOf(amount));
      if (renew) recurring[i] = Math.max(0, c.recurring - amount);
    });
  } else if (promotion.type === 'fixed') {
    const items = new Map<string, number[]>();
    components.forEach((c, i) => {
      if (c.inScope) items.set(c.item, [...(items.get(c.item) ?? []), i]);
    });
    for (const idx of items.values()) {
      spread(first, idx, idx.map((i) => components[i].firstPrice), amount);
      if (renew) spread(recurring, idx, idx.map((i) => components[i].recurring), amount);
    }
  }

  // Never below zero: a component can lose at most what it costs.
  components.forEach((c, i) => {
    first[i] = Math.min(first[i], c.firstPrice + c.setupFee);
    recurring[i] = Math.min(recurring[i], c.recurring);
  });
  return { first, recurring };
}

/** Takes min(amount, Σ weights) off the components idx, in proportion to their weights. */
function spread(out: Cents[], idx: number[], weights: Cents[], amount: Cents): void {
  const total = weights.reduce((a, b) => a + b, 0);
  const off = Math.min(amount, total);
  if (off <= 0) return;
  allocate(off, weights).forEach((v, k) => (out[idx[k]] = v));
}
