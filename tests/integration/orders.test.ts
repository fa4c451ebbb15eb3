import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { openTestDb, testEngine, type TestDb } from '../helpers/db.js';
import { FixedClock, businessDate } from '../../src/domain/shared/clock.js';
import { OrderService, type PlaceOrderInput, type PlacedOrder } from '../../src/domain/orders/order-service.js';
import { PaymentService, ledgerDiscrepancies } from '../../src/domain/billing/payments.js';
import { applyPaidInvoice } from '../../src/domain/billing/on-paid.js';
import { ensureSequences } from '../../src/domain/billing/numbering.js';
import { BillingRunService } from '../../src/domain/billing/run/billing-run.js';
import { Currency } from '../../src/entities/system/currency.entity.js';
import { TaxRate } from '../../src/entities/system/tax-rate.entity.js';
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
import { OrderItem } from '../../src/entities/orders/order-item.entity.js';
import { OrderStatusHistory } from '../../src/entities/orders/order-status-history.entity.js';
import { Service } from '../../src/entities/hosting/service.entity.js';
import { ServiceAddon } from '../../src/entities/hosting/service-addon.entity.js';
import { ServiceConfigOption } from '../../src/entities/hosting/service-config-option.entity.js';
import { ProvisioningJob } from '../../src/entities/hosting/provisioning-job.entity.js';
import { Invoice } from '../../src/entities/billing/invoice.entity.js';
import { InvoiceItem } from '../../src/entities/billing/invoice-item.entity.js';

/**
 * The order workflow on a real database: checkout priced from the catalogue only, the order with its items, services
 * and first invoice written together, Pending → Active / Cancelled / Fraud with their refusals, acceptance on payment
 * with provisioning queued, the first period's billing key against the renewal run, and promotion limits under
 * concurrent checkouts.
 */
const TODAY = '2027-03-15';

describe(`orders on ${testEngine()}`, () => {
  let db: TestDb;
  let ds: DataSource;
  let orders: OrderService;
  let payments: PaymentService;
  let staffId: number;
  const clock = new FixedClock(new Date(`${TODAY}T12:00:00Z`));
  const id: Record<string, number> = {};
  let seq = 0;

  async function save<T extends ObjectLiteral>(target: EntityTarget<T>, data: Partial<T>): Promise<T> {
    const repo = ds.getRepository(target);
    return repo.save(repo.create(data as T));
  }
  async function price(owner: Partial<ProductPrice>, cycle: ProductPrice['cycle'], amount: number, setupFee = 0) {
    await save(ProductPrice, { productId: null, addonId: null, configOptionChoiceId: null, ...owner, currencyId: id.usd, cycle, price: amount, setupFee, enabled: true });
  }
  async function newClient(data: Partial<Client> = {}): Promise<number> {
    seq++;
    return (await save(Client, { firstName: 'Order', lastName: `Client ${seq}`, email: `order${seq}@orders.test`, country: 'US', currencyId: id.usd, ...data })).id;
  }
  async function placed(input: Partial<PlaceOrderInput> & { items: PlaceOrderInput['items'] }): Promise<PlacedOrder> {
    const out = await orders.placeOrder({ clientId: input.clientId ?? (await newClient()), ...input });
    if (!out.ok) throw new Error(`expected an order, got ${out.error}: ${out.message}`);
    return out;
  }
  const hosting = (over: Record<string, unknown> = {}) => ({ productId: id.hosting, cycle: 'monthly', domain: `site${++seq}.example.com`, ...over });
  const manual = () => ({ productId: id.manual, cycle: 'monthly' });
  const order = (orderId: number) => ds.getRepository(Order).findOneByOrFail({ id: orderId });
  const invoice = (invoiceId: number) => ds.getRepository(Invoice).findOneByOrFail({ id: invoiceId });
  const services = (orderId: number) => ds.getRepository(Service).find({ where: { orderId }, order: { id: 'ASC' } });
  const addons = (orderId: number) => ds.getRepository(ServiceAddon).find({ where: { orderId }, order: { id: 'ASC' } });
  const history = async (orderId: number) =>
    (await ds.getRepository(OrderStatusHistory).find({ where: { orderId }, order: { id: 'ASC' } })).map((h) => [h.oldStatus, h.newStatus, h.changedById]);
  const jobs = (serviceIds: number[]) => ds.getRepository(ProvisioningJob).createQueryBuilder('j').where('j.serviceId IN (:...ids)', { ids: serviceIds }).orderBy('j.id').getMany();
  const pay = async (invoiceId: number, amount?: number) => {
    const inv = await invoice(invoiceId);
    const out = await payments.recordPayment({ invoiceId, amount: amount ?? inv.total, gateway: 'manual' });
    if (!out.ok) throw new Error(out.message);
    return out;
  };
  /** Row counts of everything an order writes: a refused order must leave every one unchanged. */
  const written = () =>
    Promise.all([Order, OrderItem, OrderStatusHistory, Service, ServiceAddon, ServiceConfigOption, Invoice, InvoiceItem, PromotionUsage, ProvisioningJob].map((e) => ds.getRepository(e as EntityTarget<ObjectLiteral>).count()));
  const orderSequence = async () => ((await ds.getRepository('NumberSequence').findOneByOrFail({ name: 'order' })) as { nextValue: number }).nextValue;

  beforeAll(async () => {
    db = await openTestDb();
    ds = db.ds;
    await ensureSequences(ds.manager);
    payments = new PaymentService(ds, clock);
    payments.onInvoicePaid((m, inv) => applyPaidInvoice(m, inv, businessDate(clock.now(), 'UTC'), clock.now()));
    orders = new OrderService(ds, clock, 'UTC');
    payments.onInvoicePaid((m, inv) => orders.onInvoicePaid(m, inv));

    const user = await ds.getRepository('User').insert({ userType: 'staff', email: 'staff@orders.test', firstName: 'Sam', lastName: 'Staff', displayName: 'Sam Staff', passwordHash: 'x', status: 'active' });
    staffId = user.identifiers[0].id as number;
    id.usd = (await save(Currency, { code: 'USD', prefix: '$', exchangeRate: '1.00000000', isDefault: true })).id;
    await save(TaxRate, { name: 'GST', country: 'CA', state: null, rate: '5.0000', level: 1, priority: 0 });
    const cat = await save(ProductCategory, { name: 'Hosting', slug: 'hosting' });
    const product = async (key: string, data: Partial<Product>) => {
      id[key] = (await save(Product, { categoryId: cat.id, name: key[0].toUpperCase() + key.slice(1), slug: key, paymentType: 'recurring', taxable: true, module: 'cpanel', autoSetup: 'payment', requireDomain: false, ...data })).id;
    };
    await product('hosting', { requireDomain: true });
    await product('manual', { module: 'none' });
    await product('review', { autoSetup: 'accept' });
    await product('prorata', { prorataBilling: true, prorataDay: 1, prorataCutoffDay: 20 });
    await product('freebie', { paymentType: 'free' });
    await product('stocked', { module: 'none', autoSetup: 'never', stockControl: true, stockQuantity: 1 });
    await product('vps', {});
    await product('instant', { autoSetup: 'order' });
    await price({ productId: id.hosting }, 'monthly', 1000, 500);
    await price({ productId: id.hosting }, 'annually', 10000);
    await price({ productId: id.manual }, 'monthly', 800);
    await price({ productId: id.review }, 'monthly', 600);
    await price({ productId: id.prorata }, 'monthly', 3100);
    await price({ productId: id.stocked }, 'monthly', 500);
    await price({ productId: id.vps }, 'monthly', 2000);
    await price({ productId: id.instant }, 'monthly', 900);

    const resources = await save(ConfigOptionGroup, { name: 'Resources' });
    const gpus = await save(ConfigOptionGroup, { name: 'GPU' });
    await save(ProductConfigGroup, { productId: id.hosting, groupId: resources.id });
    await save(ProductConfigGroup, { productId: id.vps, groupId: gpus.id });
    const option = async (key: string, data: Partial<ConfigOption>) => (id[key] = (await save(ConfigOption, { optionType: 'dropdown', minQuantity: 0, maxQuantity: 0, hidden: false, ...data })).id);
    const choice = async (key: string, optionKey: string, name: string, sortOrder: number, monthly: number, setup = 0) => {
      id[key] = (await save(ConfigOptionChoice, { optionId: id[optionKey], name, sortOrder, hidden: false })).id;
      await price({ configOptionChoiceId: id[key] }, 'monthly', monthly, setup);
      await price({ configOptionChoiceId: id[key] }, 'annually', monthly * 10);
    };
    await option('ram', { groupId: resources.id, name: 'RAM', sortOrder: 1 });
    await option('ips', { groupId: resources.id, name: 'Extra IPs', optionType: 'quantity', minQuantity: 1, maxQuantity: 4, sortOrder: 2 });
    await option('backups', { groupId: resources.id, name: 'Backups', optionType: 'yesno', sortOrder: 3 });
    await option('gpu', { groupId: gpus.id, name: 'GPU' });
    await choice('ram1', 'ram', '1 GB', 1, 0);
    await choice('ram2', 'ram', '2 GB', 2, 500, 100);
    await choice('ip', 'ips', 'IPv4', 1, 200);
    await choice('backupsYes', 'backups', 'Yes', 1, 150);
    await choice('noGpu', 'gpu', 'None', 1, 0);
    await choice('a100', 'gpu', 'A100', 2, 10000);
    id['addon:ip'] = (await save(Addon, { name: 'Dedicated IP', paymentType: 'recurring', taxable: true, applicableProductIds: [id.hosting] })).id;
    id['addon:ssl'] = (await save(Addon, { name: 'SSL', paymentType: 'recurring', taxable: true, applicableProductIds: [id.vps] })).id;
    await price({ addonId: id['addon:ip'] }, 'monthly', 300);
    await price({ addonId: id['addon:ssl'] }, 'monthly', 999);

    id.resellers = (await save(ClientGroup, { name: 'Resellers', discountPercent: '10.00' })).id;
    const promo = async (code: string, data: Partial<Promotion>) => (id[`promo:${code}`] = (await save(Promotion, { code, type: 'percent', percentValue: '10.0000', recurring: false, enabled: true, uses: 0, maxUses: null, ...data })).id);
    await promo('SAVE10', {});
    await promo('LOYAL', { recurring: true, recurFor: 0 });
    await promo('VPSONLY', { appliesToProductIds: [id.vps] });
    await promo('LAST', { maxUses: 1 });
    await promo('RACE', { maxUses: 3, uses: 1 });
    await promo('KEEP', { maxUses: 10 });
  });
  afterEach(async () => expect(await ledgerDiscrepancies(ds)).toEqual([]));
  afterAll(async () => db?.close());

  describe('placing an order', () => {
    it('writes the order, its items, pending services and addons, and the first invoice, all priced from the catalogue', async () => {
      const clientId = await newClient();
      const o = await placed({
        clientId,
        items: [{ productId: id.hosting, cycle: 'monthly', domain: 'Example.COM', username: 'exampl', configOptions: { [id.ram]: id.ram2, [id.ips]: 2 }, addonIds: [id['addon:ip']] }],
        paymentGateway: 'banktransfer',
        ipAddress: '203.0.113.9',
        notes: 'Please hurry',
      });
      expect(o).toMatchObject({ ok: true, orderNumber: 'ORD-00001', status: 'pending', total: 2800 });

      const [svc] = await services(o.orderId);
      expect(svc).toMatchObject({
        clientId, productId: id.hosting, currencyId: id.usd, status: 'pending', billingCycle: 'monthly', domain: 'example.com', username: 'exampl',
        firstPaymentAmount: 2500, recurringAmount: 1900, registrationDate: TODAY, nextDueDate: '2027-04-15', nextInvoiceDate: '2027-04-15', promotionId: null,
      });
      expect(o.serviceIds).toEqual([svc.id]);
      const opts = await ds.getRepository(ServiceConfigOption).find({ where: { serviceId: svc.id }, order: { optionId: 'ASC' } });
      expect(opts.map((x) => [x.optionId, x.choiceId, x.quantity])).toEqual([[id.ram, id.ram2, 1], [id.ips, id.ip, 2], [id.backups, null, 0]]);
      const [addon] = await addons(o.orderId);
      expect(addon).toMatchObject({ serviceId: svc.id, clientId, addonId: id['addon:ip'], name: 'Dedicated IP', billingCycle: 'monthly', setupFee: 0, recurringAmount: 300, registrationDate: TODAY, nextDueDate: '2027-04-15', nextInvoiceDate: '2027-04-15', status: 'pending' });

      const saved = await order(o.orderId);
      expect(saved).toMatchObject({ orderNumber: 'ORD-00001', clientId, status: 'pending', currencyId: id.usd, subtotal: 2800, discount: 0, tax: 0, total: 2800, invoiceId: o.invoiceId, paymentGateway: 'banktransfer', ipAddress: '203.0.113.9', notes: 'Please hurry', promotionId: null });
      const items = await ds.getRepository(OrderItem).find({ where: { orderId: o.orderId }, order: { id: 'ASC' } });
      expect(items.map((i) => [i.itemType, i.description, i.cycle, i.quantity, i.unitPrice, i.setupFee, i.discount, i.total, i.serviceId, i.parentItemId === null])).toEqual([
        ['product', 'Hosting', 'monthly', 1, 1000, 500, 0, 1500, svc.id, true],
        ['config_option', 'RAM: 2 GB', 'monthly', 1, 500, 100, 0, 600, svc.id, false],
        ['config_option', 'Extra IPs × 2', 'monthly', 2, 200, 0, 0, 400, svc.id, false],
        ['addon', 'Dedicated IP', 'monthly', 1, 300, 0, 0, 300, svc.id, false],
      ]);
      expect(items[0]).toMatchObject({ domainName: 'example.com', productId: id.hosting });
      expect(items.slice(1).every((i) => i.parentItemId === items[0].id)).toBe(true);
      expect(items[3]).toMatchObject({ addonId: id['addon:ip'], serviceAddonId: addon.id });

      const inv = await invoice(o.invoiceId);
      expect(inv).toMatchObject({ clientId, status: 'unpaid', issueDate: TODAY, dueDate: '2027-03-22', subtotal: 2800, total: 2800, paymentGateway: 'banktransfer', invoiceNumber: o.invoiceNumber });
      const lines = await ds.getRepository(InvoiceItem).find({ where: { invoiceId: o.invoiceId }, order: { sortOrder: 'ASC' } });
      expect(lines.map((l) => [l.itemType, l.description, l.amount, l.periodStart, l.periodEnd, l.billingKey])).toEqual([
        ['service', 'Hosting - example.com (2027-03-15 - 2027-04-14)\nRAM: 2 GB\nExtra IPs × 2', 1900, TODAY, '2027-04-14', `service:${svc.id}:${TODAY}`],
        ['setup_fee', 'Setup fee: Hosting', 600, null, null, null],
        ['addon', 'Addon: Dedicated IP (2027-03-15 - 2027-04-14)', 300, TODAY, '2027-04-14', `addon:${addon.id}:${TODAY}`],
      ]);
      expect(await history(o.orderId)).toEqual([[null, 'pending', null]]);
    });

    it('prices a request carrying its own prices from the catalogue, ignoring every amount in it', async () => {
      const tampered = {
        clientId: await newClient(),
        items: [{ ...hosting(), price: 1, unitPrice: 1, setupFee: 0, recurringAmount: 1, firstPaymentAmount: 1, total: 1, discount: 5000 }],
        total: 1,
        subtotal: 1,
        discount: 99999,
      } as unknown as PlaceOrderInput;
      const out = await orders.placeOrder(tampered);
      if (!out.ok) throw new Error(out.message);
      // Catalogue: 10.00 + 5.00 setup, default options 1 GB (0.00) and one extra IP (2.00).
      expect(out.total).toBe(1700);
      expect(await order(out.orderId)).toMatchObject({ subtotal: 1700, discount: 0, total: 1700 });
      expect((await services(out.orderId))[0]).toMatchObject({ firstPaymentAmount: 1700, recurringAmount: 1200 });
    });

    it.each([
      ['an option of another product', (): Record<string, unknown> => ({ configOptions: { [id.gpu]: id.a100 } }), 'foreign_option', (): string => `items.0.configOptions.${id.gpu}`],
      ['a choice of another option', (): Record<string, unknown> => ({ configOptions: { [id.ram]: id.a100 } }), 'foreign_option', (): string => `items.0.configOptions.${id.ram}`],
      ['an option id that does not exist', (): Record<string, unknown> => ({ configOptions: { 987654: 1 } }), 'foreign_option', (): string => 'items.0.configOptions.987654'],
      ['an addon of another product', (): Record<string, unknown> => ({ addonIds: [id['addon:ssl']] }), 'foreign_addon', (): string => 'items.0.addonIds'],
      ['a quantity beyond the maximum', (): Record<string, unknown> => ({ configOptions: { [id.ips]: 5 } }), 'invalid_quantity', (): string => `items.0.configOptions.${id.ips}`],
    ])('refuses %s and writes nothing', async (_label, over, code, field) => {
      const clientId = await newClient();
      const before = await written();
      const seqBefore = await orderSequence();
      const out = await orders.placeOrder({ clientId, items: [hosting(over())] });
      expect(out).toMatchObject({ ok: false, error: code, field: field() });
      expect(await written()).toEqual(before);
      expect(await orderSequence()).toBe(seqBefore);
    });

    it.each([
      ['an unknown client', () => ({ clientId: 987654, items: [manual()] }), 'unknown_client', 'clientId'],
      ['no items', () => ({ items: [] }), 'no_items', 'items'],
      ['an invalid cycle', () => ({ items: [{ productId: id.manual, cycle: 'weekly' }] }), 'invalid_cycle', 'items.0.cycle'],
      ['a cycle the product is not sold on', () => ({ items: [{ productId: id.manual, cycle: 'annually' }] }), 'not_offered', 'items.0.cycle'],
      ['an unknown product', () => ({ items: [manual(), { productId: 987654, cycle: 'monthly' }] }), 'unknown_product', 'items.1.productId'],
      ['a hosting product without its domain', () => ({ items: [{ productId: id.hosting, cycle: 'monthly' }] }), 'domain_required', 'items.0.domain'],
      ['a malformed domain', () => ({ items: [hosting({ domain: 'not a domain' })] }), 'invalid_domain', 'items.0.domain'],
      ['a malformed username', () => ({ items: [{ ...manual(), username: '1root;' }] }), 'invalid_username', 'items.0.username'],
      ['an unknown promotion code', () => ({ items: [manual()], promoCode: 'NOPE' }), 'promo_unknown', 'promoCode'],
      ['a code for none of the products', () => ({ items: [manual()], promoCode: 'VPSONLY' }), 'promo_not_applicable', 'promoCode'],
    ])('refuses %s with a clear code and writes nothing', async (_label, input, code, field) => {
      const clientId = await newClient();
      const before = await written();
      const out = await orders.placeOrder({ clientId, ...input() } as PlaceOrderInput);
      expect(out).toMatchObject({ ok: false, error: code, field });
      expect(out.ok ? '' : out.message).not.toBe('');
      expect(await written()).toEqual(before);
    });

    it('refuses an order for a closed client account', async () => {
      const clientId = await newClient({ status: 'closed' });
      const before = await written();
      expect(await orders.placeOrder({ clientId, items: [manual()] })).toMatchObject({ ok: false, error: 'client_closed', field: 'clientId' });
      expect(await written()).toEqual(before);
    });

    it('applies the client-group discount and a first-payment code as negative lines, and records the use', async () => {
      const clientId = await newClient({ groupId: id.resellers });
      const o = await placed({ clientId, items: [hosting()], promoCode: ' save10 ' });
      // List 17.00; group 10%: 1.00 + 0.50 + 0.20 = 1.70; code 10% of what is left: 0.90 + 0.45 + 0.18 = 1.53.
      expect(o.total).toBe(1377);
      const lines = await ds.getRepository(InvoiceItem).find({ where: { invoiceId: o.invoiceId }, order: { sortOrder: 'ASC' } });
      expect(lines.map((l) => [l.itemType, l.description, l.amount])).toEqual([
        ['service', expect.stringMatching(/^Hosting - site\d+\.example\.com \(2027-03-15 - 2027-04-14\)\nRAM: 1 GB\nExtra IPs × 1$/), 1200],
        ['setup_fee', 'Setup fee: Hosting', 500],
        ['adjustment', 'Client discount (10%) - Hosting', -170],
        ['promotion', 'Promotion code SAVE10 - Hosting', -153],
      ]);
      // A first-payment-only code leaves renewals at the group price: (10.00 + 2.00) − 10%.
      expect((await services(o.orderId))[0]).toMatchObject({ firstPaymentAmount: 1377, recurringAmount: 1080, promotionId: id['promo:SAVE10'] });
      expect(await order(o.orderId)).toMatchObject({ subtotal: 1700, discount: 323, total: 1377, promotionId: id['promo:SAVE10'], promoCode: 'SAVE10' });
      const items = await ds.getRepository(OrderItem).find({ where: { orderId: o.orderId }, order: { id: 'ASC' } });
      expect(items.map((i) => [i.itemType, i.unitPrice, i.setupFee, i.discount, i.total])).toEqual([
        ['product', 1000, 500, 150 + 135, 1215],
        ['config_option', 0, 0, 0, 0],
        ['config_option', 200, 0, 20 + 18, 162],
      ]);
      expect(await ds.getRepository(PromotionUsage).findBy({ orderId: o.orderId })).toEqual([expect.objectContaining({ promotionId: id['promo:SAVE10'], clientId, discountAmount: 153 })]);
      expect((await ds.getRepository(Promotion).findOneByOrFail({ id: id['promo:SAVE10'] })).uses).toBe(1);
    });

    it('keeps a recurring code in the renewal price', async () => {
      const o = await placed({ items: [hosting()], promoCode: 'LOYAL' });
      expect(o.total).toBe(1530);
      expect((await services(o.orderId))[0]).toMatchObject({ firstPaymentAmount: 1530, recurringAmount: 1080 });
    });

    it('discounts only the lines a product-restricted code covers', async () => {
      const o = await placed({ items: [hosting(), { productId: id.vps, cycle: 'monthly' }], promoCode: 'VPSONLY' });
      // Hosting at list (17.00); the VPS 20.00 less 10%.
      expect(o.total).toBe(1700 + 1800);
      const [h, v] = await services(o.orderId);
      expect([h.firstPaymentAmount, h.promotionId, v.firstPaymentAmount, v.promotionId]).toEqual([1700, null, 1800, id['promo:VPSONLY']]);
      const promoLines = await ds.getRepository(InvoiceItem).find({ where: { invoiceId: o.invoiceId, itemType: 'promotion' } });
      expect(promoLines.map((l) => [l.description, l.amount, l.serviceId])).toEqual([['Promotion code VPSONLY - Vps', -200, v.id]]);
    });

    it('adds tax by the client’s country to the invoice and the order', async () => {
      const o = await placed({ clientId: await newClient({ country: 'CA' }), items: [manual()] });
      expect(o.total).toBe(840);
      expect(await order(o.orderId)).toMatchObject({ subtotal: 800, tax: 40, total: 840 });
      expect(await invoice(o.invoiceId)).toMatchObject({ subtotal: 800, tax1: 40, total: 840, taxName1: 'GST' });
    });

    it('bills a pro-rata product to its pro-rata day and renews it from there', async () => {
      const o = await placed({ items: [{ productId: id.prorata, cycle: 'monthly' }] });
      // 17 of March's 31 days of 31.00.
      expect(o.total).toBe(1700);
      const [svc] = await services(o.orderId);
      expect(svc).toMatchObject({ firstPaymentAmount: 1700, recurringAmount: 3100, nextDueDate: '2027-04-01', nextInvoiceDate: '2027-04-01' });
      const [line] = await ds.getRepository(InvoiceItem).find({ where: { invoiceId: o.invoiceId } });
      expect(line).toMatchObject({ description: 'Prorata (2027-03-15 - 2027-03-31) (pro rata)', amount: 1700, periodStart: TODAY, periodEnd: '2027-03-31', billingKey: `service:${svc.id}:${TODAY}` });
    });

    it('sells the last unit of a stocked product once, and a cancellation puts it back', async () => {
      const first = await placed({ items: [{ productId: id.stocked, cycle: 'monthly' }] });
      const before = await written();
      expect(await orders.placeOrder({ clientId: await newClient(), items: [{ productId: id.stocked, cycle: 'monthly' }] })).toMatchObject({ ok: false, error: 'out_of_stock', field: 'items.0.productId' });
      expect(await written()).toEqual(before);
      expect((await ds.getRepository(Product).findOneByOrFail({ id: id.stocked })).stockQuantity).toBe(0);
      expect(await orders.cancelOrder({ orderId: first.orderId, reason: 'test' })).toMatchObject({ ok: true });
      expect((await ds.getRepository(Product).findOneByOrFail({ id: id.stocked })).stockQuantity).toBe(1);
    });

    it('marks a nothing-to-pay invoice paid at once and accepts the order when its products set up on payment', async () => {
      const o = await placed({ items: [{ productId: id.freebie, cycle: 'free' }] });
      expect(o).toMatchObject({ total: 0, status: 'active' });
      expect(await invoice(o.invoiceId)).toMatchObject({ status: 'paid', total: 0, amountPaid: 0 });
      const [svc] = await services(o.orderId);
      expect(svc).toMatchObject({ status: 'active', billingCycle: 'free', nextDueDate: null, nextInvoiceDate: null });
      expect((await jobs([svc.id])).map((j) => [j.action, j.status, j.idempotencyKey])).toEqual([['create', 'queued', `create:${svc.id}`]]);
    });
  });

  describe('the promotion limit under concurrent checkouts', () => {
    it('gives the last use of a code to exactly one of two orders racing for it', async () => {
      const clients = [await newClient(), await newClient()];
      const ordersBefore = await ds.getRepository(Order).count();
      const results = await Promise.all(clients.map((clientId) => orders.placeOrder({ clientId, items: [manual()], promoCode: 'LAST' })));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.error))).toEqual(['promo_used_up']);
      expect((await ds.getRepository(Promotion).findOneByOrFail({ id: id['promo:LAST'] })).uses).toBe(1);
      expect(await ds.getRepository(PromotionUsage).countBy({ promotionId: id['promo:LAST'] })).toBe(1);
      expect(await ds.getRepository(Order).count()).toBe(ordersBefore + 1);
    });

    it('lets exactly the remaining uses through when six orders race for two', async () => {
      const clients = await Promise.all(Array.from({ length: 6 }, () => newClient()));
      const results = await Promise.all(clients.map((clientId) => orders.placeOrder({ clientId, items: [manual()], promoCode: 'RACE' })));
      expect(results.filter((r) => r.ok)).toHaveLength(2);
      expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.error === 'promo_used_up')).toBe(true);
      expect((await ds.getRepository(Promotion).findOneByOrFail({ id: id['promo:RACE'] })).uses).toBe(3);
      expect(await ds.getRepository(PromotionUsage).countBy({ promotionId: id['promo:RACE'] })).toBe(2);
      const numbers = (await ds.getRepository(Order).find()).map((x) => x.orderNumber);
      expect(new Set(numbers).size).toBe(numbers.length);
    });
  });

  describe('payment, acceptance and provisioning', () => {
    it('accepts the order when its invoice is paid (autoSetup payment) and queues one create job per service', async () => {
      const o = await placed({ items: [hosting({ addonIds: [id['addon:ip']] })] });
      const partial = await pay(o.invoiceId, 500);
      expect(partial.invoiceStatus).toBe('unpaid');
      expect((await order(o.orderId)).status).toBe('pending');
      const paid = await pay(o.invoiceId, o.total - 500);
      expect(paid.invoiceStatus).toBe('paid');
      const saved = await order(o.orderId);
      expect(saved).toMatchObject({ status: 'active', acceptedById: null });
      expect(saved.acceptedAt).not.toBeNull();
      expect(await history(o.orderId)).toEqual([[null, 'pending', null], ['pending', 'active', null]]);
      const [svc] = await services(o.orderId);
      expect(svc).toMatchObject({ status: 'active', nextDueDate: '2027-04-15', nextInvoiceDate: '2027-04-15' });
      expect((await addons(o.orderId)).map((a) => a.status)).toEqual(['active']);
      expect((await jobs([svc.id])).map((j) => [j.serviceId, j.action, j.status, j.idempotencyKey])).toEqual([[svc.id, 'create', 'queued', `create:${svc.id}`]]);
    });

    it('accepts an order at once when its products set up on order (autoSetup order), before any payment', async () => {
      const o = await placed({ items: [{ productId: id.instant, cycle: 'monthly' }] });
      expect(o.status).toBe('active');
      expect(await invoice(o.invoiceId)).toMatchObject({ status: 'unpaid', total: 900 });
      const [svc] = await services(o.orderId);
      expect(svc.status).toBe('active');
      expect((await jobs([svc.id])).map((j) => j.idempotencyKey)).toEqual([`create:${svc.id}`]);
      expect(await history(o.orderId)).toEqual([[null, 'pending', null], ['pending', 'active', null]]);
    });

    it('leaves an order pending when one of its products waits for staff (autoSetup accept)', async () => {
      const o = await placed({ items: [hosting(), { productId: id.review, cycle: 'monthly' }] });
      await pay(o.invoiceId);
      expect((await order(o.orderId)).status).toBe('pending');
      const svcs = await services(o.orderId);
      expect(svcs.map((s) => s.status)).toEqual(['pending', 'pending']);
      expect(await jobs(svcs.map((s) => s.id))).toEqual([]);
    });

    it('Process Order without provisioning activates the services and queues nothing; a second accept is refused', async () => {
      const o = await placed({ items: [{ productId: id.review, cycle: 'monthly' }] });
      const out = await orders.acceptOrder({ orderId: o.orderId, provision: false, adminId: staffId });
      expect(out).toMatchObject({ ok: true, servicesActivated: 1, provisioningQueued: 0, orderNumber: o.orderNumber });
      const saved = await order(o.orderId);
      expect(saved).toMatchObject({ status: 'active', acceptedById: staffId });
      const [svc] = await services(o.orderId);
      expect(svc.status).toBe('active');
      expect(await jobs([svc.id])).toEqual([]);
      const historyBefore = await history(o.orderId);
      expect(historyBefore).toEqual([[null, 'pending', null], ['pending', 'active', staffId]]);

      const again = await orders.acceptOrder({ orderId: o.orderId, provision: true, adminId: staffId });
      expect(again).toMatchObject({ ok: false, error: 'not_pending' });
      expect(await history(o.orderId)).toEqual(historyBefore);
      expect(await jobs([svc.id])).toEqual([]);
      expect(await order(o.orderId)).toMatchObject({ status: 'active', acceptedAt: saved.acceptedAt });
    });

    it('Process Order with provisioning queues a create job for each service that has a module', async () => {
      const o = await placed({ items: [hosting(), manual()] });
      const out = await orders.acceptOrder({ orderId: o.orderId, provision: true, adminId: staffId });
      expect(out).toMatchObject({ ok: true, servicesActivated: 2, provisioningQueued: 1 });
      const [h, m] = await services(o.orderId);
      expect((await jobs([h.id, m.id])).map((j) => [j.serviceId, j.action, j.idempotencyKey, j.requestedById])).toEqual([[h.id, 'create', `create:${h.id}`, staffId]]);
      // Paying the invoice of an accepted order changes nothing more.
      await pay(o.invoiceId);
      expect(await jobs([h.id, m.id])).toHaveLength(1);
      expect(await history(o.orderId)).toHaveLength(2);
    });

    it('refuses to accept an order that does not exist', async () => {
      expect(await orders.acceptOrder({ orderId: 987654, provision: true })).toMatchObject({ ok: false, error: 'order_not_found' });
      expect(await orders.acceptOrder({ orderId: -1, provision: true })).toMatchObject({ ok: false, error: 'order_not_found' });
    });
  });

  describe('cancel and fraud', () => {
    it('cancels a pending order with its services, addons and unpaid invoice, and gives the promotion use back', async () => {
      const usesBefore = (await ds.getRepository(Promotion).findOneByOrFail({ id: id['promo:KEEP'] })).uses;
      const o = await placed({ items: [hosting({ addonIds: [id['addon:ip']] })], promoCode: 'KEEP' });
      expect((await ds.getRepository(Promotion).findOneByOrFail({ id: id['promo:KEEP'] })).uses).toBe(usesBefore + 1);
      const out = await orders.cancelOrder({ orderId: o.orderId, reason: 'Customer changed their mind', adminId: staffId });
      expect(out).toMatchObject({ ok: true, invoiceCancelled: true, promotionReleased: true, servicesClosed: 1 });
      expect((await order(o.orderId)).status).toBe('cancelled');
      expect((await services(o.orderId)).map((s) => s.status)).toEqual(['cancelled']);
      expect((await addons(o.orderId)).map((a) => a.status)).toEqual(['cancelled']);
      const inv = await invoice(o.invoiceId);
      expect(inv).toMatchObject({ status: 'cancelled', adminNotes: 'Order cancelled: Customer changed their mind' });
      expect(inv.cancelledAt).not.toBeNull();
      expect((await ds.getRepository(InvoiceItem).findBy({ invoiceId: o.invoiceId })).map((l) => l.billingKey)).toEqual([null, null, null, null]);
      expect((await ds.getRepository(Promotion).findOneByOrFail({ id: id['promo:KEEP'] })).uses).toBe(usesBefore);
      expect(await ds.getRepository(PromotionUsage).countBy({ orderId: o.orderId })).toBe(0);
      expect(await history(o.orderId)).toEqual([[null, 'pending', null], ['pending', 'cancelled', staffId]]);
      const last = await ds.getRepository(OrderStatusHistory).findOneOrFail({ where: { orderId: o.orderId, newStatus: 'cancelled' } });
      expect(last.note).toBe('Order cancelled: Customer changed their mind');

      expect(await orders.cancelOrder({ orderId: o.orderId })).toMatchObject({ ok: false, error: 'not_pending' });
      expect(await orders.markFraud({ orderId: o.orderId })).toMatchObject({ ok: false, error: 'not_pending' });
      expect(await orders.acceptOrder({ orderId: o.orderId, provision: false })).toMatchObject({ ok: false, error: 'not_pending' });
      expect(await history(o.orderId)).toHaveLength(2);
    });

    it('refuses to cancel an order whose invoice has a payment, and changes nothing', async () => {
      const o = await placed({ items: [hosting()], promoCode: 'KEEP' });
      await pay(o.invoiceId, 100);
      const uses = (await ds.getRepository(Promotion).findOneByOrFail({ id: id['promo:KEEP'] })).uses;
      const before = await written();
      for (const verb of ['cancelOrder', 'markFraud'] as const) {
        expect(await orders[verb]({ orderId: o.orderId, reason: 'x' })).toMatchObject({ ok: false, error: 'has_payments' });
      }
      expect(await written()).toEqual(before);
      expect(await order(o.orderId)).toMatchObject({ status: 'pending' });
      expect(await invoice(o.invoiceId)).toMatchObject({ status: 'unpaid', amountPaid: 100 });
      expect((await services(o.orderId)).map((s) => s.status)).toEqual(['pending']);
      expect((await ds.getRepository(Promotion).findOneByOrFail({ id: id['promo:KEEP'] })).uses).toBe(uses);
      expect((await ds.getRepository(InvoiceItem).findBy({ invoiceId: o.invoiceId, itemType: 'service' }))[0].billingKey).toMatch(/^service:/);
    });

    it('refuses to cancel an accepted order', async () => {
      const o = await placed({ items: [manual()] });
      await pay(o.invoiceId);
      expect((await order(o.orderId)).status).toBe('active');
      expect(await orders.cancelOrder({ orderId: o.orderId })).toMatchObject({ ok: false, error: 'not_pending' });
      expect((await services(o.orderId)).map((s) => s.status)).toEqual(['active']);
      expect(await invoice(o.invoiceId)).toMatchObject({ status: 'paid' });
    });

    it('marks an order as fraud: services fraud, addons and the invoice cancelled', async () => {
      const o = await placed({ items: [hosting({ addonIds: [id['addon:ip']] })] });
      const out = await orders.markFraud({ orderId: o.orderId, adminId: staffId });
      expect(out).toMatchObject({ ok: true, invoiceCancelled: true, servicesClosed: 1 });
      expect((await order(o.orderId)).status).toBe('fraud');
      expect((await services(o.orderId)).map((s) => s.status)).toEqual(['fraud']);
      expect((await addons(o.orderId)).map((a) => a.status)).toEqual(['cancelled']);
      expect(await invoice(o.invoiceId)).toMatchObject({ status: 'cancelled' });
      expect(await history(o.orderId)).toEqual([[null, 'pending', null], ['pending', 'fraud', staffId]]);
      // A fraud order's invoice cannot be paid afterwards.
      expect(await payments.recordPayment({ invoiceId: o.invoiceId, amount: o.total, gateway: 'manual' })).toMatchObject({ ok: false, error: 'invoice_not_payable' });
    });

    it('refuses an unknown order and an over-long reason', async () => {
      expect(await orders.cancelOrder({ orderId: 987654 })).toMatchObject({ ok: false, error: 'order_not_found' });
      const o = await placed({ items: [manual()] });
      expect(await orders.cancelOrder({ orderId: o.orderId, reason: 'x'.repeat(2001) })).toMatchObject({ ok: false, error: 'reason_too_long' });
      expect((await order(o.orderId)).status).toBe('pending');
    });
  });

  // Last: the billing runs below also process every other test's services and invoices.
  describe('the first period against the renewal run', () => {
    it('never bills the period the order invoice already billed, and bills the next one once', async () => {
      const clientId = await newClient();
      const o = await placed({ clientId, items: [hosting({ addonIds: [id['addon:ip']] })] });
      await pay(o.invoiceId);
      const [svc] = await services(o.orderId);
      const [addon] = await addons(o.orderId);
      expect([svc.status, addon.status]).toEqual(['active', 'active']);
      const run = new BillingRunService(ds, clock, 'UTC', { payments });
      const invoicesOf = async () => ds.getRepository(Invoice).find({ where: { clientId }, order: { id: 'ASC' } });

      // A day inside the first period's invoice window: nothing is due for this client.
      const day1 = await run.run({ date: '2027-03-16' });
      if (!day1.ok) throw new Error(day1.message);
      expect(await invoicesOf()).toHaveLength(1);

      // Even when the next invoice date points back at the first period (an import, a staff edit), its billing key
      // stops the run from invoicing it a second time; the dates move on past it.
      await ds.getRepository(Service).update({ id: svc.id }, { nextInvoiceDate: TODAY });
      await ds.getRepository(ServiceAddon).update({ id: addon.id }, { nextInvoiceDate: TODAY });
      const rerun = await run.run({ date: '2027-03-16' });
      if (!rerun.ok) throw new Error(rerun.message);
      expect(rerun.report.counts.alreadyBilled).toBeGreaterThanOrEqual(2);
      expect(rerun.report.renewals.plan.filter((p) => p.clientId === clientId)).toEqual([]);
      expect(await invoicesOf()).toHaveLength(1);
      expect((await ds.getRepository(Service).findOneByOrFail({ id: svc.id })).nextInvoiceDate).toBe('2027-04-15');
      expect((await ds.getRepository(ServiceAddon).findOneByOrFail({ id: addon.id })).nextInvoiceDate).toBe('2027-04-15');

      // 14 days before the next due date the second period is invoiced, once.
      for (let i = 0; i < 2; i++) {
        const out = await run.run({ date: '2027-04-01' });
        if (!out.ok) throw new Error(out.message);
      }
      const all = await invoicesOf();
      expect(all).toHaveLength(2);
      const renewal = await ds.getRepository(InvoiceItem).find({ where: { invoiceId: all[1].id }, order: { sortOrder: 'ASC' } });
      expect(renewal.map((l) => [l.itemType, l.amount, l.billingKey])).toEqual([
        ['service', 1200, `service:${svc.id}:2027-04-15`],
        ['addon', 300, `addon:${addon.id}:2027-04-15`],
      ]);
      expect(all[1]).toMatchObject({ total: 1500, dueDate: '2027-04-15' });
    });
  });
});
