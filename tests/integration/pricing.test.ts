import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { openTestDb, testEngine, type TestDb } from '../helpers/db.js';
import { priceOf, quoteOrderLine, type OrderLineQuote, type QuoteInput } from '../../src/domain/catalog/pricing.js';
import { isNewClient, validatePromotion } from '../../src/domain/catalog/promotions.js';
import type { Outcome } from '../../src/domain/shared/outcome.js';
import { Currency } from '../../src/entities/system/currency.entity.js';
import { ProductCategory } from '../../src/entities/catalog/product-category.entity.js';
import { Product } from '../../src/entities/catalog/product.entity.js';
import { ProductPrice } from '../../src/entities/catalog/product-price.entity.js';
import { ConfigOptionGroup } from '../../src/entities/catalog/config-option-group.entity.js';
import { ProductConfigGroup } from '../../src/entities/catalog/product-config-group.entity.js';
import { ConfigOption } from '../../src/entities/catalog/config-option.entity.js';
import { ConfigOptionChoice } from '../../src/entities/catalog/config-option-choice.entity.js';
import { Addon } from '../../src/entities/catalog/addon.entity.js';
import { ClientGroup } from '../../src/entities/clients/client-group.entity.js';
import { Client } from '../../src/entities/clients/client.entity.js';
import { Promotion } from '../../src/entities/marketing/promotion.entity.js';
import { PromotionUsage } from '../../src/entities/marketing/promotion-usage.entity.js';
import { Order } from '../../src/entities/orders/order.entity.js';
import { Invoice } from '../../src/entities/billing/invoice.entity.js';
import { Service } from '../../src/entities/hosting/service.entity.js';

/**
 * Catalogue pricing against a real database: every amount from the catalogue rows, every id checked against the
 * product ordered (price tampering is refused), client-group discounts, promotions with each refusal code, pro-rata.
 */

const TODAY = '2027-03-15';

describe(`catalogue pricing on ${testEngine()}`, () => {
  let db: TestDb;
  let ds: DataSource;
  const id: Record<string, number> = {};

  async function save<T extends ObjectLiteral>(target: EntityTarget<T>, data: Partial<T>): Promise<T> {
    const repo = ds.getRepository(target);
    return repo.save(repo.create(data as T));
  }
  async function price(owner: Partial<ProductPrice>, currency: 'usd' | 'eur', cycle: ProductPrice['cycle'], amount: number, setupFee = 0, enabled = true) {
    await save(ProductPrice, { productId: null, addonId: null, configOptionChoiceId: null, ...owner, currencyId: id[currency], cycle, price: amount, setupFee, enabled });
  }
  async function promo(code: string, data: Partial<Promotion>) {
    const p = await save(Promotion, { code, type: 'percent', percentValue: null, fixedAmount: null, currencyId: null, recurring: false, recurFor: null, enabled: true, uses: 0, maxUses: null, ...data });
    id[`promo:${code}`] = p.id;
    return p;
  }
  async function client(key: string, data: Partial<Client> = {}) {
    const c = await save(Client, { firstName: key, lastName: 'Test', email: `${key}@pricing.test`, country: 'US', currencyId: id.usd, ...data });
    id[key] = c.id;
    return c;
  }

  const quote = (input: Partial<QuoteInput>) => quoteOrderLine(ds, { productId: id.hosting, cycle: 'monthly', currencyId: id.usd, today: TODAY, ...input } as QuoteInput);
  async function ok(input: Partial<QuoteInput>): Promise<OrderLineQuote> {
    const r = await quote(input);
    if (!r.ok) throw new Error(`expected a quote, got ${r.error}: ${r.message}`);
    return r;
  }
  async function refused(input: Partial<QuoteInput>): Promise<string> {
    const r: Outcome<OrderLineQuote> = await quote(input);
    if (r.ok) throw new Error('expected a refusal, got a quote');
    return r.error;
  }
  /** [description, firstPayment, recurring] per component: the shape most assertions compare. */
  const lines = (q: OrderLineQuote) => q.components.map((c) => [c.description, c.firstPayment, c.recurring]);

  beforeAll(async () => {
    db = await openTestDb();
    ds = db.ds;
    id.usd = (await save(Currency, { code: 'USD', prefix: '$', exchangeRate: '1.00000000', isDefault: true })).id;
    id.eur = (await save(Currency, { code: 'EUR', prefix: '€', exchangeRate: '0.92000000', isDefault: false })).id;
    const cat = await save(ProductCategory, { name: 'Hosting', slug: 'hosting' });
    const product = async (key: string, data: Partial<Product> = {}) => {
      id[key] = (await save(Product, { categoryId: cat.id, name: key[0].toUpperCase() + key.slice(1), slug: key, paymentType: 'recurring', taxable: true, ...data })).id;
    };
    await product('hosting');
    await product('other', { taxable: false });
    await product('prorata', { prorataBilling: true, prorataDay: 1, prorataCutoffDay: 20 });
    await product('licence', { paymentType: 'onetime' });
    await product('freebie', { paymentType: 'free' });
    await product('retired', { retired: true });

    await price({ productId: id.hosting }, 'usd', 'monthly', 1000, 500);
    await price({ productId: id.hosting }, 'usd', 'quarterly', 2700);
    await price({ productId: id.hosting }, 'usd', 'annually', 10000);
    await price({ productId: id.hosting }, 'usd', 'biennially', 18000, 0, false); // not offered
    await price({ productId: id.hosting }, 'eur', 'monthly', 920, 460);
    await price({ productId: id.other }, 'usd', 'monthly', 2000);
    await price({ productId: id.prorata }, 'usd', 'monthly', 3100);
    await price({ productId: id.licence }, 'usd', 'onetime', 4999);
    await price({ productId: id.retired }, 'usd', 'monthly', 100);

    // Option group of hosting + prorata: RAM (dropdown), extra IPs (quantity 1–4), backups (yes/no), a retired option.
    const g1 = await save(ConfigOptionGroup, { name: 'Resources' });
    const g2 = await save(ConfigOptionGroup, { name: 'GPU' });
    await save(ProductConfigGroup, { productId: id.hosting, groupId: g1.id });
    await save(ProductConfigGroup, { productId: id.prorata, groupId: g1.id });
    await save(ProductConfigGroup, { productId: id.other, groupId: g2.id });
    const option = async (key: string, data: Partial<ConfigOption>) => (id[key] = (await save(ConfigOption, { name: key, optionType: 'dropdown', minQuantity: 0, maxQuantity: 0, hidden: false, ...data })).id);
    const choice = async (key: string, optionKey: string, name: string, sortOrder: number, hidden = false) =>
      (id[key] = (await save(ConfigOptionChoice, { optionId: id[optionKey], name, sortOrder, hidden })).id);
    await option('ram', { groupId: g1.id, name: 'RAM', sortOrder: 1 });
    await option('ips', { groupId: g1.id, name: 'Extra IPs', optionType: 'quantity', minQuantity: 1, maxQuantity: 4, sortOrder: 2 });
    await option('backups', { groupId: g1.id, name: 'Backups', optionType: 'yesno', sortOrder: 3 });
    await option('legacy', { groupId: g1.id, name: 'Legacy', hidden: true, sortOrder: 4 });
    await option('gpu', { groupId: g2.id, name: 'GPU' });
    await choice('ram1', 'ram', '1 GB', 1);
    await choice('ram2', 'ram', '2 GB', 2);
    await choice('ram4', 'ram', '4 GB', 3, true);
    await choice('ip', 'ips', 'IPv4', 1);
    await choice('backupsYes', 'backups', 'Yes', 1);
    await choice('legacyX', 'legacy', 'X', 1);
    await choice('a100', 'gpu', 'A100', 1);
    for (const [key, monthly, setup, annual, eur] of [
      ['ram1', 0, 0, 0, 0],
      ['ram2', 500, 100, 5000, 460],
      ['ram4', 900, 0, 9000, 830],
      ['ip', 200, 0, 2000, 180],
      ['backupsYes', 150, 0, 1500, 140],
      ['legacyX', 50, 0, 500, 50],
      ['a100', 10000, 0, 100000, 9200],
    ] as Array<[string, number, number, number, number]>) {
      await price({ configOptionChoiceId: id[key] }, 'usd', 'monthly', monthly, setup);
      await price({ configOptionChoiceId: id[key] }, 'usd', 'annually', annual);
      await price({ configOptionChoiceId: id[key] }, 'eur', 'monthly', eur);
    }
    // Quarterly prices for some choices only: 2 GB RAM cannot be had on a quarterly plan.
    await price({ configOptionChoiceId: id.ram1 }, 'usd', 'quarterly', 0);
    await price({ configOptionChoiceId: id.ip }, 'usd', 'quarterly', 600);

    const addon = async (key: string, data: Partial<Addon>) => (id[`addon:${key}`] = (await save(Addon, { name: key, paymentType: 'recurring', taxable: true, ...data })).id);
    await addon('ip', { name: 'Dedicated IP', applicableProductIds: [id.hosting, id.prorata] });
    await addon('ssl', { name: 'SSL', applicableProductIds: [id.hosting], taxable: false });
    await addon('gpuCare', { name: 'GPU care', applicableProductIds: [id.other] });
    await addon('gift', { name: 'Gift', paymentType: 'free', applicableProductIds: [id.hosting, id.freebie] });
    await addon('orphan', { name: 'Orphan', applicableProductIds: null });
    await price({ addonId: id['addon:ip'] }, 'usd', 'monthly', 300);
    await price({ addonId: id['addon:ip'] }, 'usd', 'annually', 3000, 100);
    await price({ addonId: id['addon:ip'] }, 'eur', 'monthly', 280);
    await price({ addonId: id['addon:ssl'] }, 'usd', 'annually', 1499);
    await price({ addonId: id['addon:gpuCare'] }, 'usd', 'monthly', 999);
    await price({ addonId: id['addon:orphan'] }, 'usd', 'monthly', 1);

    const resellers = await save(ClientGroup, { name: 'Resellers', discountPercent: '12.50' });
    await client('alice');
    await client('bob', { groupId: resellers.id });
    await client('carol', { currencyId: id.eur });
    await client('dave'); // has a live service
    await client('erin'); // has used ONCE
    await client('frank'); // has a paid (still pending) order
    await client('grace'); // only a cancelled order and a pending service

    await promo('PCT25', { percentValue: '25.0000' });
    await promo('PCT25R', { percentValue: '25.0000', recurring: true, recurFor: 3 });
    await promo('FIX5', { type: 'fixed', fixedAmount: 500, currencyId: id.usd, recurring: true, recurFor: 0 });
    await promo('FIXDEFAULT', { type: 'fixed', fixedAmount: 500 });
    await promo('FIXEUR', { type: 'fixed', fixedAmount: 500, currencyId: id.eur });
    await promo('HUGE', { type: 'fixed', fixedAmount: 1_000_000, currencyId: id.usd, recurring: true });
    await promo('OVR', { type: 'price_override', fixedAmount: 700, currencyId: id.usd, recurring: true, recurFor: 12 });
    await promo('FREESETUP', { type: 'free_setup' });
    await promo('OTHERONLY', { percentValue: '10', appliesToProductIds: [id.other] });
    await promo('ADDON50', { percentValue: '50', appliesToAddonIds: [id['addon:ip']] });
    await promo('ANNUAL10', { percentValue: '10', appliesToCycles: ['annually'] });
    await promo('DOTCOM', { percentValue: '10', appliesToTlds: ['.com'] });
    await promo('NOTYET', { percentValue: '10', startsAt: '2027-03-16' });
    await promo('OLD', { percentValue: '10', expiresAt: '2027-03-14' });
    await promo('LASTDAY', { percentValue: '10', startsAt: TODAY, expiresAt: TODAY });
    await promo('FULL', { percentValue: '10', maxUses: 5, uses: 5 });
    await promo('OFF', { percentValue: '10', enabled: false });
    await promo('ONCE', { percentValue: '10', oncePerClient: true });
    await promo('NEWBIE', { percentValue: '10', newClientsOnly: true });

    // History that the per-client promotion rules read.
    const order = async (clientKey: string, status: Order['status'], invoiceStatus?: Invoice['status']) => {
      const inv = invoiceStatus ? await save(Invoice, { clientId: id[clientKey], currencyId: id.usd, status: invoiceStatus, issueDate: '2027-01-01', dueDate: '2027-01-08' }) : null;
      return save(Order, { orderNumber: `ORD-${clientKey}-${status}`, clientId: id[clientKey], currencyId: id.usd, status, invoiceId: inv?.id ?? null });
    };
    const erinOrder = await order('erin', 'active');
    await save(PromotionUsage, { promotionId: id['promo:ONCE'], clientId: id.erin, orderId: erinOrder.id, discountAmount: 100 });
    await save(Service, { clientId: id.dave, productId: id.hosting, currencyId: id.usd, status: 'active', billingCycle: 'monthly' });
    await order('frank', 'pending', 'paid');
    await order('grace', 'cancelled', 'cancelled');
    await save(Service, { clientId: id.grace, productId: id.hosting, currencyId: id.usd, status: 'pending', billingCycle: 'monthly' });
  });
  afterAll(async () => db?.close());

  describe('priceOf', () => {
    it('reads a product, addon or option price for one cycle and currency', async () => {
      expect(await priceOf(ds, { productId: id.hosting, currencyId: id.usd, cycle: 'monthly' })).toMatchObject({ ok: true, cycle: 'monthly', price: 1000, setupFee: 500 });
      expect(await priceOf(ds, { productId: id.hosting, currencyId: id.eur, cycle: 'monthly' })).toMatchObject({ ok: true, price: 920, setupFee: 460 });
      expect(await priceOf(ds, { addonId: id['addon:ip'], currencyId: id.usd, cycle: 'annually' })).toMatchObject({ ok: true, price: 3000, setupFee: 100 });
      expect(await priceOf(ds, { configOptionChoiceId: id.ram2, currencyId: id.usd, cycle: 'monthly' })).toMatchObject({ ok: true, price: 500, setupFee: 100 });
      expect(await priceOf(ds, { configOptionChoiceId: id.ram1, currencyId: id.usd, cycle: 'monthly' })).toMatchObject({ ok: true, price: 0 });
    });

    it('says not_offered for a disabled row, a missing cycle or currency, or nonsense', async () => {
      for (const q of [
        { productId: id.hosting, currencyId: id.usd, cycle: 'biennially' as const },
        { productId: id.hosting, currencyId: id.usd, cycle: 'triennially' as const },
        { productId: id.other, currencyId: id.eur, cycle: 'monthly' as const },
        { productId: 999999, currencyId: id.usd, cycle: 'monthly' as const },
        { productId: id.hosting, currencyId: id.usd, cycle: 'weekly' as never },
        { productId: -1, currencyId: id.usd, cycle: 'monthly' as const },
      ]) {
        expect(await priceOf(ds, q)).toMatchObject({ ok: false, error: 'not_offered' });
      }
    });
  });

  describe('quoteOrderLine', () => {
    it('prices a product with options and addons, each from the catalogue', async () => {
      const q = await ok({ clientId: id.alice, configOptions: { [id.ram]: id.ram2, [id.ips]: 2, [id.backups]: id.backupsYes }, addonIds: [id['addon:ip'], id['addon:ssl']] });
      expect(lines(q)).toEqual([
        ['Hosting', 1500, 1000], // 1000 + 500 setup
        ['RAM: 2 GB', 600, 500], // 500 + 100 setup
        ['Extra IPs × 2', 400, 400],
        ['Backups: Yes', 150, 150],
        ['Dedicated IP', 300, 300],
        ['SSL', 1499, 1499], // sold yearly only: stays yearly on a monthly plan
      ]);
      expect(q.components.map((c) => [c.cycle, c.nextDueDate, c.taxable])).toEqual([
        ['monthly', '2027-04-15', true],
        ['monthly', '2027-04-15', true],
        ['monthly', '2027-04-15', true],
        ['monthly', '2027-04-15', true],
        ['monthly', '2027-04-15', true],
        ['annually', '2028-03-15', false],
      ]);
      expect(q.configOptions).toEqual([
        { optionId: id.ram, choiceId: id.ram2, quantity: 1 },
        { optionId: id.ips, choiceId: id.ip, quantity: 2 },
        { optionId: id.backups, choiceId: id.backupsYes, quantity: 1 },
      ]);
      expect(q.service).toEqual({
        firstPayment: 2650,
        recurring: 2050,
        recurringWithoutPromo: 2050,
        anchorDay: 15,
        firstPeriod: { start: '2027-03-15', end: '2027-04-14' },
        nextDueDate: '2027-04-15',
      });
      expect(q.totals).toEqual({ firstPayment: 4449, listFirstPayment: 4449, groupDiscount: 0, promoDiscount: 0, taxableFirstPayment: 2950, nonTaxableFirstPayment: 1499 });
      expect(q.prorata).toBeNull();
      expect(q.promotion).toBeNull();
    });

    it('fills in option defaults: first visible choice, minimum quantity, "no"', async () => {
      const q = await ok({});
      expect(lines(q)).toEqual([
        ['Hosting', 1500, 1000],
        ['RAM: 1 GB', 0, 0],
        ['Extra IPs × 1', 200, 200],
      ]);
      expect(q.configOptions).toEqual([
        { optionId: id.ram, choiceId: id.ram1, quantity: 1 },
        { optionId: id.ips, choiceId: id.ip, quantity: 1 },
        { optionId: id.backups, choiceId: null, quantity: 0 },
      ]);
      expect(lines(await ok({ configOptions: { [id.backups]: 0 } }))).toEqual(lines(q));
    });

    it('accepts ids and quantities as digit strings, as forms post them', async () => {
      const q = await ok({ configOptions: { [String(id.ram)]: String(id.ram2), [String(id.ips)]: '3' }, addonIds: [String(id['addon:ip'])] });
      expect(lines(q)).toEqual([
        ['Hosting', 1500, 1000],
        ['RAM: 2 GB', 600, 500],
        ['Extra IPs × 3', 600, 600],
        ['Dedicated IP', 300, 300],
      ]);
    });

    it('prices every component on the chosen cycle, addons on theirs', async () => {
      const q = await ok({ cycle: 'annually', configOptions: { [id.ram]: id.ram2 }, addonIds: [id['addon:ip']] });
      expect(lines(q)).toEqual([
        ['Hosting', 10000, 10000],
        ['RAM: 2 GB', 5000, 5000],
        ['Extra IPs × 1', 2000, 2000],
        ['Dedicated IP', 3100, 3000], // annual addon price 3000 + 100 setup
      ]);
      expect(q.service.nextDueDate).toBe('2028-03-15');
      // A quarterly plan: the IP addon has no quarterly price, so it bills on its shortest cycle (monthly).
      const quarterly = await ok({ cycle: 'quarterly', configOptions: {}, addonIds: [id['addon:ip']] });
      expect(lines(quarterly)).toEqual([
        ['Hosting', 2700, 2700],
        ['RAM: 1 GB', 0, 0],
        ['Extra IPs × 1', 600, 600],
        ['Dedicated IP', 300, 300],
      ]);
      expect(quarterly.components.find((c) => c.kind === 'addon')).toMatchObject({ cycle: 'monthly', nextDueDate: '2027-04-15' });
      expect(quarterly.service.nextDueDate).toBe('2027-06-15');
      // An option choice with no price on the cycle is not offered on it (a missing price is never "free").
      const r = await quote({ cycle: 'quarterly', configOptions: { [id.ram]: id.ram2 } });
      expect(r).toMatchObject({ ok: false, error: 'not_offered', field: `configOptions.${id.ram}` });
    });

    it('prices in the client currency and refuses another currency', async () => {
      const q = await ok({ clientId: id.carol, currencyId: id.eur, configOptions: { [id.ram]: id.ram2 }, addonIds: [id['addon:ip']] });
      expect(lines(q)).toEqual([
        ['Hosting', 1380, 920],
        ['RAM: 2 GB', 460, 460],
        ['Extra IPs × 1', 180, 180],
        ['Dedicated IP', 280, 280],
      ]);
      expect(await refused({ clientId: id.alice, currencyId: id.eur })).toBe('currency_mismatch');
      expect(await refused({ clientId: id.carol, currencyId: id.usd })).toBe('currency_mismatch');
      // SSL has no EUR price: not offered in EUR.
      expect(await refused({ clientId: id.carol, currencyId: id.eur, addonIds: [id['addon:ssl']] })).toBe('not_offered');
    });

    it('says not_offered for cycles, products and options that are not for sale', async () => {
      expect(await refused({ cycle: 'biennially' })).toBe('not_offered'); // row disabled
      expect(await refused({ cycle: 'triennially' })).toBe('not_offered'); // no row
      expect(await refused({ cycle: 'semiannually', configOptions: {} })).toBe('not_offered');
      expect(await refused({ cycle: 'weekly' as never })).toBe('not_offered');
      expect(await refused({ cycle: 'onetime' })).toBe('not_offered'); // recurring product
      expect(await refused({ productId: id.licence, cycle: 'monthly' })).toBe('not_offered');
      expect(await refused({ productId: id.retired })).toBe('not_offered');
      expect(await refused({ productId: 999999 })).toBe('unknown_product');
      expect(await refused({ productId: 'abc' as never })).toBe('unknown_product');
      expect(await refused({ clientId: 999999 })).toBe('unknown_client');
      expect(await refused({ configOptions: { [id.legacy]: id.legacyX } })).toBe('not_offered'); // hidden option
      expect(await refused({ configOptions: { [id.ram]: id.ram4 } })).toBe('not_offered'); // hidden choice
    });

    it('prices a one-time product once and a free product at nothing', async () => {
      const licence = await ok({ productId: id.licence, cycle: 'onetime' });
      expect(lines(licence)).toEqual([['Licence', 4999, 0]]);
      expect(licence.service).toMatchObject({ firstPayment: 4999, recurring: 0, nextDueDate: null, firstPeriod: { start: TODAY, end: null } });
      const free = await ok({ productId: id.freebie, cycle: 'free', addonIds: [id['addon:gift']] });
      expect(lines(free)).toEqual([
        ['Freebie', 0, 0],
        ['Gift', 0, 0],
      ]);
      expect(free.components.map((c) => c.cycle)).toEqual(['free', 'free']);
      expect(await refused({ productId: id.freebie, cycle: 'monthly' })).toBe('not_offered');
    });
  });

  describe('price tampering', () => {
    it('refuses an option of another product', async () => {
      expect(await refused({ configOptions: { [id.gpu]: id.a100 } })).toBe('foreign_option');
    });

    it('refuses a choice that belongs to another option', async () => {
      expect(await refused({ configOptions: { [id.ram]: id.a100 } })).toBe('foreign_option');
      expect(await refused({ configOptions: { [id.ram]: id.ip } })).toBe('foreign_option');
      expect(await refused({ configOptions: { [id.backups]: id.ram2 } })).toBe('foreign_option');
    });

    it('refuses unknown or malformed option ids and choices', async () => {
      expect(await refused({ configOptions: { 999999: id.ram2 } })).toBe('foreign_option');
      expect(await refused({ configOptions: { abc: id.ram2 } as never })).toBe('foreign_option');
      expect(await refused({ configOptions: { [id.ram]: '1 OR 1=1' } })).toBe('foreign_option');
      expect(await refused({ configOptions: { [id.ram]: -5 } })).toBe('foreign_option');
      expect(await refused({ configOptions: [id.ram2] as never })).toBe('foreign_option');
    });

    it('refuses an addon not offered with the product', async () => {
      expect(await refused({ addonIds: [id['addon:gpuCare']] })).toBe('foreign_addon');
      expect(await refused({ addonIds: [id['addon:orphan']] })).toBe('foreign_addon');
      expect(await refused({ addonIds: [id['addon:ip'], 999999] })).toBe('foreign_addon');
      expect(await refused({ addonIds: ['1; DROP TABLE products'] })).toBe('foreign_addon');
      expect(await refused({ productId: id.other, addonIds: [id['addon:ip']] })).toBe('foreign_addon');
      expect(await refused({ addonIds: [id['addon:ip'], id['addon:ip']] })).toBe('invalid_quantity');
    });

    it('refuses quantities outside the option’s bounds', async () => {
      for (const bad of [0, 5, -1, 2.5, '2.5', '1e2', 'two', Number.NaN, null]) {
        expect(await refused({ configOptions: { [id.ips]: bad as never } })).toBe('invalid_quantity');
      }
      expect(lines(await ok({ configOptions: { [id.ips]: 4 } }))[2]).toEqual(['Extra IPs × 4', 800, 800]);
    });

    it('ignores any price the request carries', async () => {
      const honest = await ok({ configOptions: { [id.ram]: id.ram2 }, addonIds: [id['addon:ip']] });
      const forged = await ok({
        configOptions: { [id.ram]: id.ram2 },
        addonIds: [id['addon:ip']],
        price: 1,
        unitPrice: 1,
        setupFee: 0,
        total: 1,
        recurringAmount: 1,
        discount: 99999,
        components: [{ kind: 'product', firstPayment: 1 }],
      } as never);
      expect(forged).toEqual(honest);
      expect(forged.totals.firstPayment).toBe(2600);
    });
  });

  describe('client-group discount', () => {
    it('takes the group percentage off each amount of each component, rounded half-up', async () => {
      const q = await ok({ clientId: id.bob, configOptions: { [id.ram]: id.ram2 } });
      // 12.5 %: 1000 → 125; setup 500 → 62.5 → 63; 500 → 62.5 → 63; setup 100 → 12.5 → 13; 200 → 25.
      expect(q.components.map((c) => [c.description, c.groupDiscount.firstPayment, c.groupDiscount.recurring, c.firstPayment, c.recurring])).toEqual([
        ['Hosting', 188, 125, 1312, 875],
        ['RAM: 2 GB', 76, 63, 524, 437],
        ['Extra IPs × 1', 25, 25, 175, 175],
      ]);
      expect(q.groupDiscountPercent).toBe('12.50');
      expect(q.totals).toMatchObject({ listFirstPayment: 2300, groupDiscount: 289, firstPayment: 2011 });
      expect(q.service).toMatchObject({ firstPayment: 2011, recurring: 1487, recurringWithoutPromo: 1487 });
    });

    it('gives nothing to clients outside a group or to visitors', async () => {
      expect((await ok({ clientId: id.alice })).totals.groupDiscount).toBe(0);
      expect((await ok({})).totals.groupDiscount).toBe(0);
    });
  });

  describe('pro-rata products', () => {
    it('charges the rest of the month on the first invoice before the cut-off', async () => {
      const q = await ok({ productId: id.prorata, configOptions: { [id.ram]: id.ram2 }, addonIds: [id['addon:ip']] });
      // Mar 15–31: 17 of 31 days. 3100 → 1700; RAM 500 → 274.19 → 274 (+100 setup, not pro-rated); IP 200 → 109.68 → 110.
      expect(lines(q)).toEqual([
        ['Prorata', 1700, 3100],
        ['RAM: 2 GB', 374, 500],
        ['Extra IPs × 1', 110, 200],
        ['Dedicated IP', 300, 300], // addons are not pro-rated
      ]);
      expect(q.components.map((c) => c.prorated)).toEqual([true, true, true, false]);
      expect(q.service).toEqual({
        firstPayment: 2184,
        recurring: 3800,
        recurringWithoutPromo: 3800,
        anchorDay: 1,
        firstPeriod: { start: '2027-03-15', end: '2027-03-31' },
        nextDueDate: '2027-04-01',
      });
      expect(q.prorata).toMatchObject({ partialDays: 17, fullPeriodDays: 31, addedPeriod: null });
    });

    it('adds the next full month after the cut-off day', async () => {
      const q = await ok({ productId: id.prorata, today: '2027-03-25', configOptions: {} });
      // Mar 25–31: 7 of 31 days. 3100 → 700 + 3100; IP 200 → 45.16 → 45 + 200.
      expect(lines(q)).toEqual([
        ['Prorata', 3800, 3100],
        ['RAM: 1 GB', 0, 0],
        ['Extra IPs × 1', 245, 200],
      ]);
      expect(q.service).toMatchObject({ firstPeriod: { start: '2027-03-25', end: '2027-04-30' }, nextDueDate: '2027-05-01' });
    });
  });

  describe('promotions', () => {
    const promoLines = (q: OrderLineQuote) => q.components.map((c) => [c.description, c.promoDiscount.firstPayment, c.promoDiscount.recurring]);

    it('percent: off price and setup of the first payment only', async () => {
      const q = await ok({ clientId: id.alice, promoCode: 'PCT25' });
      // 1000 → 250, setup 500 → 125; IP 200 → 50.
      expect(promoLines(q)).toEqual([
        ['Hosting', 375, 0],
        ['RAM: 1 GB', 0, 0],
        ['Extra IPs × 1', 50, 0],
      ]);
      expect(q.promotion).toEqual({ promotionId: id['promo:PCT25'], code: 'PCT25', type: 'percent', recurring: false, recurFor: null, firstPaymentDiscount: 425, recurringDiscount: 0 });
      expect(q.service).toMatchObject({ firstPayment: 1275, recurring: 1200, recurringWithoutPromo: 1200 });
    });

    it('percent, recurring for 3 renewals: renewals discounted too, and the plain price reported', async () => {
      const q = await ok({ clientId: id.alice, promoCode: 'pct25r ' });
      expect(q.promotion).toMatchObject({ code: 'PCT25R', recurring: true, recurFor: 3, firstPaymentDiscount: 425, recurringDiscount: 300 });
      expect(q.service).toMatchObject({ firstPayment: 1275, recurring: 900, recurringWithoutPromo: 1200 });
    });

    it('stacks after the group discount', async () => {
      const q = await ok({ clientId: id.bob, promoCode: 'PCT25' });
      // After 12.5 %: 875 → 218.75 → 219; setup 437 → 109.25 → 109; IP 175 → 43.75 → 44.
      expect(promoLines(q)).toEqual([
        ['Hosting', 328, 0],
        ['RAM: 1 GB', 0, 0],
        ['Extra IPs × 1', 44, 0],
      ]);
      expect(q.totals).toMatchObject({ listFirstPayment: 1700, groupDiscount: 213, promoDiscount: 372, firstPayment: 1115 });
    });

    it('fixed: off the product with its options, spread by price, forever', async () => {
      const q = await ok({ clientId: id.alice, promoCode: 'FIX5' });
      // 500 over prices [1000, 0, 200]: 416.67 / 0 / 83.33 → 417 / 0 / 83 (largest remainder). Setup untouched.
      expect(promoLines(q)).toEqual([
        ['Hosting', 417, 417],
        ['RAM: 1 GB', 0, 0],
        ['Extra IPs × 1', 83, 83],
      ]);
      expect(q.promotion).toMatchObject({ recurring: true, recurFor: 0, firstPaymentDiscount: 500, recurringDiscount: 500 });
      expect(q.service).toMatchObject({ firstPayment: 1200, recurring: 700, recurringWithoutPromo: 1200 });
      // No currency on a fixed code means the default currency.
      expect((await ok({ clientId: id.alice, promoCode: 'FIXDEFAULT' })).promotion?.firstPaymentDiscount).toBe(500);
    });

    it('fixed: only in the code’s own currency, never converted', async () => {
      expect(await refused({ clientId: id.alice, promoCode: 'FIXEUR' })).toBe('promo_not_applicable');
      expect(await refused({ clientId: id.carol, currencyId: id.eur, promoCode: 'FIX5' })).toBe('promo_not_applicable');
      expect(await refused({ clientId: id.carol, currencyId: id.eur, promoCode: 'FIXDEFAULT' })).toBe('promo_not_applicable');
      expect((await ok({ clientId: id.carol, currencyId: id.eur, promoCode: 'FIXEUR' })).promotion?.firstPaymentDiscount).toBe(500);
    });

    it('never takes a line below zero', async () => {
      const q = await ok({ clientId: id.alice, promoCode: 'HUGE', addonIds: [id['addon:ip']] });
      expect(lines(q)).toEqual([
        ['Hosting', 500, 0], // price gone, the setup fee stays (a fixed code is off the price)
        ['RAM: 1 GB', 0, 0],
        ['Extra IPs × 1', 0, 0],
        ['Dedicated IP', 0, 0],
      ]);
      expect(q.components.every((c) => c.firstPayment >= 0 && c.recurring >= 0)).toBe(true);
    });

    it('price override: the product costs the code’s amount; options keep their price', async () => {
      const q = await ok({ clientId: id.alice, promoCode: 'OVR' });
      expect(promoLines(q)).toEqual([
        ['Hosting', 300, 300],
        ['RAM: 1 GB', 0, 0],
        ['Extra IPs × 1', 0, 0],
      ]);
      expect(q.promotion).toMatchObject({ recurring: true, recurFor: 12 });
      expect(q.service).toMatchObject({ firstPayment: 1400, recurring: 900, recurringWithoutPromo: 1200 });
    });

    it('price override on a pro-rata product is pro-rated like the price', async () => {
      const q = await ok({ clientId: id.alice, productId: id.prorata, promoCode: 'OVR', configOptions: {} });
      // Partial 17/31: list 3100 → 1700; override 700 → 383.87 → 384; discount 1316. Renewals 3100 → 700.
      expect(promoLines(q)[0]).toEqual(['Prorata', 1316, 2400]);
      expect(lines(q)[0]).toEqual(['Prorata', 384, 700]);
    });

    it('free setup: waives the setup fees only', async () => {
      const q = await ok({ clientId: id.alice, promoCode: 'FREESETUP', configOptions: { [id.ram]: id.ram2 } });
      expect(promoLines(q)).toEqual([
        ['Hosting', 500, 0],
        ['RAM: 2 GB', 100, 0],
        ['Extra IPs × 1', 0, 0],
      ]);
      expect(q.totals.firstPayment).toBe(1700);
    });

    it('scope: products, addons, cycles and TLD-only codes', async () => {
      expect(await refused({ clientId: id.alice, promoCode: 'OTHERONLY' })).toBe('promo_not_applicable');
      expect(await refused({ clientId: id.alice, promoCode: 'DOTCOM' })).toBe('promo_not_applicable');
      expect(await refused({ clientId: id.alice, promoCode: 'ANNUAL10' })).toBe('promo_not_applicable');
      expect(await refused({ clientId: id.alice, promoCode: 'ADDON50' })).toBe('promo_not_applicable');
      // An addon-only code discounts the addon and nothing else.
      const addonOnly = await ok({ clientId: id.alice, promoCode: 'ADDON50', addonIds: [id['addon:ip']] });
      expect(promoLines(addonOnly)).toEqual([
        ['Hosting', 0, 0],
        ['RAM: 1 GB', 0, 0],
        ['Extra IPs × 1', 0, 0],
        ['Dedicated IP', 150, 0],
      ]);
      // An annual-only code on a monthly plan covers just the yearly SSL addon.
      const annualAddon = await ok({ clientId: id.alice, promoCode: 'ANNUAL10', addonIds: [id['addon:ip'], id['addon:ssl']] });
      expect(annualAddon.components.map((c) => [c.description, c.inPromoScope, c.promoDiscount.firstPayment])).toEqual([
        ['Hosting', false, 0],
        ['RAM: 1 GB', false, 0],
        ['Extra IPs × 1', false, 0],
        ['Dedicated IP', false, 0],
        ['SSL', true, 150], // 1499 × 10 % = 149.9
      ]);
      expect((await ok({ clientId: id.alice, cycle: 'annually', promoCode: 'ANNUAL10' })).promotion?.firstPaymentDiscount).toBe(1200); // 10000 + 2000
      expect((await ok({ productId: id.other, promoCode: 'OTHERONLY', configOptions: {} })).promotion?.firstPaymentDiscount).toBe(1200); // 2000 + A100 10000
    });

    it('dates: not started, expired, and valid on its first and last day', async () => {
      expect(await refused({ clientId: id.alice, promoCode: 'NOTYET' })).toBe('promo_not_started');
      expect((await ok({ clientId: id.alice, promoCode: 'NOTYET', today: '2027-03-16' })).promotion?.code).toBe('NOTYET');
      expect(await refused({ clientId: id.alice, promoCode: 'OLD' })).toBe('promo_expired');
      expect((await ok({ clientId: id.alice, promoCode: 'OLD', today: '2027-03-14' })).promotion?.code).toBe('OLD');
      expect((await ok({ clientId: id.alice, promoCode: 'LASTDAY' })).promotion?.code).toBe('LASTDAY');
      expect(await refused({ clientId: id.alice, promoCode: 'LASTDAY', today: '2027-03-16' })).toBe('promo_expired');
      expect(await refused({ clientId: id.alice, promoCode: 'LASTDAY', today: '2027-03-14' })).toBe('promo_not_started');
    });

    it('unknown, disabled and used-up codes', async () => {
      expect(await refused({ clientId: id.alice, promoCode: 'NOSUCH' })).toBe('promo_unknown');
      expect(await refused({ clientId: id.alice, promoCode: 'OFF' })).toBe('promo_unknown');
      expect(await refused({ clientId: id.alice, promoCode: 'FULL' })).toBe('promo_used_up');
      expect(await refused({ clientId: id.alice, promoCode: "' OR 1=1 --" })).toBe('promo_unknown');
      // A blank code is no code.
      expect((await ok({ clientId: id.alice, promoCode: '   ' })).promotion).toBeNull();
    });

    it('once per client', async () => {
      expect(await refused({ clientId: id.erin, promoCode: 'ONCE' })).toBe('promo_already_used');
      expect((await ok({ clientId: id.alice, promoCode: 'ONCE' })).promotion?.code).toBe('ONCE');
    });

    it('new clients only: no accepted or paid order and no live service', async () => {
      expect(await isNewClient(ds, id.alice)).toBe(true);
      expect(await isNewClient(ds, id.dave)).toBe(false); // active service
      expect(await isNewClient(ds, id.erin)).toBe(false); // accepted order
      expect(await isNewClient(ds, id.frank)).toBe(false); // paid invoice on a pending order
      expect(await isNewClient(ds, id.grace)).toBe(true); // cancelled order, pending service
      expect(await refused({ clientId: id.dave, promoCode: 'NEWBIE' })).toBe('promo_new_clients_only');
      expect(await refused({ clientId: id.frank, promoCode: 'NEWBIE' })).toBe('promo_new_clients_only');
      expect((await ok({ clientId: id.grace, promoCode: 'NEWBIE' })).promotion?.code).toBe('NEWBIE');
      expect((await ok({ promoCode: 'NEWBIE' })).promotion?.code).toBe('NEWBIE'); // a visitor's cart
    });

    it('validatePromotion stands alone and changes nothing', async () => {
      const r = await validatePromotion(ds, { code: 'full', clientId: id.alice, currencyId: id.usd, today: TODAY });
      expect(r).toEqual({ ok: false, error: 'promo_used_up', message: expect.stringContaining('FULL'), field: 'promoCode' });
      await ok({ clientId: id.alice, promoCode: 'PCT25' });
      expect((await ds.getRepository(Promotion).findOneByOrFail({ code: 'PCT25' })).uses).toBe(0);
      expect(await ds.getRepository(PromotionUsage).count()).toBe(1);
    });
  });
});
