/**
 * The storefront's view of the catalogue: categories, the products on sale in them with their "from" price, and
 * everything the configure page offers for one product (cycles, options and their choices, addons), each with its
 * catalogue price in one currency. What a configuration really costs is only ever the quote (quoteOrderLine); the
 * prices here label the choices.
 */
import { In, type EntityManager } from 'typeorm';
import type { Db } from '../catalog/pricing.js';
import { managerOf } from '../catalog/promotions.js';
import type { BillingCycle } from '../billing/periods.js';
import type { Cents } from '../shared/money.js';
import { PRICE_CYCLES, type PriceCycle } from '../../entities/catalog/values.js';
import { Product } from '../../entities/catalog/product.entity.js';
import { ProductCategory } from '../../entities/catalog/product-category.entity.js';
import { ProductPrice } from '../../entities/catalog/product-price.entity.js';
import { ProductConfigGroup } from '../../entities/catalog/product-config-group.entity.js';
import { ConfigOption, type ConfigOptionType } from '../../entities/catalog/config-option.entity.js';
import { ConfigOptionChoice } from '../../entities/catalog/config-option-choice.entity.js';
import { Addon } from '../../entities/catalog/addon.entity.js';
import { Currency } from '../../entities/system/currency.entity.js';

export interface CatalogPrice {
  cycle: BillingCycle;
  price: Cents;
  setupFee: Cents;
}

export interface StoreProduct {
  id: number;
  name: string;
  description: string | null;
  features: string[];
  featured: boolean;
  requireDomain: boolean;
  /** The price of the shortest cycle on sale (WHMCS's "from" price). */
  from: CatalogPrice;
}

export interface StoreCategory {
  id: number;
  name: string;
  slug: string;
  description: string | null;
  products: StoreProduct[];
}

// ------------------------------------------------------------------------------------------------ currencies

/** Every currency, the default first; a shop with none set up cannot price anything. */
export async function storeCurrencies(db: Db): Promise<Currency[]> {
  const all = await managerOf(db).getRepository(Currency).find({ order: { id: 'ASC' } });
  return [...all.filter((c) => c.isDefault), ...all.filter((c) => !c.isDefault)];
}

// ------------------------------------------------------------------------------------------------ prices

/** Shortest first, so the first cycle on sale is the "from" price. */
const RECURRING: PriceCycle[] = PRICE_CYCLES.filter((c) => c !== 'onetime');

/** The ProductPrice cycles a product of this payment type is sold on ('free' has none: it costs nothing). */
const cyclesFor = (p: Product): PriceCycle[] => (p.paymentType === 'onetime' ? ['onetime'] : p.paymentType === 'recurring' ? RECURRING : []);

async function enabledPrices(m: EntityManager, owner: 'productId' | 'addonId' | 'configOptionChoiceId', ids: number[], currencyId: number): Promise<ProductPrice[]> {
  if (!ids.length) return [];
  return m.getRepository(ProductPrice).findBy({ [owner]: In(ids), currencyId, enabled: true });
}

/** The cycles a product is on sale for in the currency, shortest first, with their prices. */
function productCycles(p: Product, rows: ProductPrice[]): CatalogPrice[] {
  if (p.paymentType === 'free') return [{ cycle: 'free', price: 0, setupFee: 0 }];
  return cyclesFor(p).flatMap((cycle) => {
    const row = rows.find((r) => r.productId === p.id && r.cycle === cycle);
    return row ? [{ cycle, price: row.price, setupFee: row.setupFee }] : [];
  });
}

/** On the storefront: listed, still sold, and priced in the currency. */
async function onSale(m: EntityManager, products: Product[], currencyId: number): Promise<StoreProduct[]> {
  const rows = await enabledPrices(m, 'productId', products.map((p) => p.id), currencyId);
  return products.flatMap((p) => {
    const cycles = productCycles(p, rows);
    if (!cycles.length) return [];
    return [{ id: p.id, name: p.name, description: p.description, features: Array.isArray(p.features) ? p.features.map(String) : [], featured: p.featured, requireDomain: p.requireDomain, from: cycles[0] }];
  });
}

// ------------------------------------------------------------------------------------------------ catalogue

const visibleProducts = (m: EntityManager, categoryIds: number[]) =>
  categoryIds.length ? m.getRepository(Product).find({ where: { categoryId: In(categoryIds), hidden: false, retired: false }, order: { sortOrder: 'ASC', id: 'ASC' } }) : Promise.resolve([]);

/** The listed categories that have something on sale, each with its products. */
export async function storeCatalog(db: Db, currencyId: number): Promise<StoreCategory[]> {
  const m = managerOf(db);
  const categories = await m.getRepository(ProductCategory).find({ where: { hidden: false }, order: { sortOrder: 'ASC', id: 'ASC' } });
  const raw = await visibleProducts(m, categories.map((c) => c.id));
  const products = await onSale(m, raw, currencyId);
  const categoryOf = new Map(raw.map((p) => [p.id, p.categoryId]));
  return categories
    .map((c) => ({ id: c.id, name: c.name, slug: c.slug, description: c.description, products: products.filter((p) => categoryOf.get(p.id) === c.id) }))
    .filter((c) => c.products.length > 0);
}

/** One category by its slug (a hidden one too: private plans are ordered by direct link), or null. */
export async function storeCategory(db: Db, slug: string, currencyId: number): Promise<StoreCategory | null> {
  const m = managerOf(db);
  const c = await m.getRepository(ProductCategory).findOneBy({ slug: slug.slice(0, 120) });
  if (!c) return null;
  const products = await onSale(m, await visibleProducts(m, [c.id]), currencyId);
  return { id: c.id, name: c.name, slug: c.slug, description: c.description, products };
}

// ------------------------------------------------------------------------------------------------ one product

export interface OfferedChoice {
  id: number;
  name: string;
  /** Per cycle: the price of this choice (of one unit, for a quantity option). */
  prices: Partial<Record<BillingCycle, CatalogPrice>>;
}

export interface OfferedOption {
  id: number;
  name: string;
  type: ConfigOptionType;
  minQuantity: number;
  /** 0 = no upper limit. */
  maxQuantity: number;
  choices: OfferedChoice[];
}

export interface OfferedAddon {
  id: number;
  name: string;
  description: string | null;
  prices: CatalogPrice[];
}

export interface ProductOffer {
  product: Product;
  cycles: CatalogPrice[];
  options: OfferedOption[];
  addons: OfferedAddon[];
}

/**
 * What the configure page offers for a product still on sale (hidden ones too: they are sold by direct link);
 * null for an unknown or retired product.
 */
export async function productOffer(db: Db, productId: number, currencyId: number): Promise<ProductOffer | null> {
  const m = managerOf(db);
  const product = Number.isSafeInteger(productId) && productId > 0 ? await m.getRepository(Product).findOneBy({ id: productId }) : null;
  if (!product || product.retired) return null;
  const cycles = productCycles(product, await enabledPrices(m, 'productId', [product.id], currencyId));

  const groupIds = (await m.getRepository(ProductConfigGroup).findBy({ productId: product.id })).map((g) => g.groupId);
  const options = groupIds.length ? await m.getRepository(ConfigOption).find({ where: { groupId: In(groupIds), hidden: false }, order: { sortOrder: 'ASC', id: 'ASC' } }) : [];
  const choices = options.length ? await m.getRepository(ConfigOptionChoice).find({ where: { optionId: In(options.map((o) => o.id)), hidden: false }, order: { sortOrder: 'ASC', id: 'ASC' } }) : [];
  const choicePrices = await enabledPrices(m, 'configOptionChoiceId', choices.map((c) => c.id), currencyId);
  const pricesOf = (rows: ProductPrice[]) => Object.fromEntries(rows.map((r) => [r.cycle, { cycle: r.cycle, price: r.price, setupFee: r.setupFee }]));

  const addonRows = (await m.getRepository(Addon).find({ where: { showOnOrder: true }, order: { sortOrder: 'ASC', id: 'ASC' } })).filter((a) => (a.applicableProductIds ?? []).map(Number).includes(product.id));
  const addonPrices = await enabledPrices(m, 'addonId', addonRows.map((a) => a.id), currencyId);
  const addons = addonRows.flatMap((a) => {
    if (a.paymentType === 'free') return [{ id: a.id, name: a.name, description: a.description, prices: [{ cycle: 'free' as BillingCycle, price: 0, setupFee: 0 }] }];
    const wanted: PriceCycle[] = a.paymentType === 'onetime' ? ['onetime'] : RECURRING;
    const prices = wanted.flatMap((c) => addonPrices.filter((r) => r.addonId === a.id && r.cycle === c)).map((r) => ({ cycle: r.cycle as BillingCycle, price: r.price, setupFee: r.setupFee }));
    return prices.length ? [{ id: a.id, name: a.name, description: a.description, prices }] : [];
  });

  return {
    product,
    cycles,
    options: options.map((o) => ({
      id: o.id,
      name: o.name,
      type: o.optionType,
      minQuantity: o.minQuantity,
      maxQuantity: o.maxQuantity,
      choices: choices.filter((c) => c.optionId === o.id).map((c) => ({ id: c.id, name: c.name, prices: pricesOf(choicePrices.filter((r) => r.configOptionChoiceId === c.id)) })),
    })),
    addons,
  };
}
