import bcrypt from 'bcryptjs';
import type { EntityTarget, ObjectLiteral } from 'typeorm';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import { csrfFrom, csrfOf, type Agent } from '../helpers/auth.js';
import { createClientUser, loginClient } from '../helpers/client.js';
import { currency } from '../helpers/billing-fixtures.js';
import { ProductCategory } from '../../src/entities/catalog/product-category.entity.js';
import { Product } from '../../src/entities/catalog/product.entity.js';
import { ProductPrice } from '../../src/entities/catalog/product-price.entity.js';
import { ConfigOptionGroup } from '../../src/entities/catalog/config-option-group.entity.js';
import { ProductConfigGroup } from '../../src/entities/catalog/product-config-group.entity.js';
import { ConfigOption } from '../../src/entities/catalog/config-option.entity.js';
import { ConfigOptionChoice } from '../../src/entities/catalog/config-option-choice.entity.js';
import { Addon } from '../../src/entities/catalog/addon.entity.js';
import { Promotion } from '../../src/entities/marketing/promotion.entity.js';
import { Order } from '../../src/entities/orders/order.entity.js';
import { Service } from '../../src/entities/hosting/service.entity.js';
import { Invoice } from '../../src/entities/billing/invoice.entity.js';
import { ClientContact } from '../../src/entities/clients/client-contact.entity.js';

/**
 * Ordering in the client area, end to end: the store in the buyer's currency, configuring a product, the cart priced
 * by the server only, promotion codes, and checkout creating the order and its invoice — with the refusals (foreign
 * options, tampered prices, bad input, no CSRF token, no login, no permission) leaving nothing behind.
 */
describe(`client area ordering on ${testEngine()}`, () => {
  let t: TestApp;
  const id: Record<string, number> = {};

  async function save<T extends ObjectLiteral>(target: EntityTarget<T>, data: Partial<T>): Promise<T> {
    const repo = t.ds.getRepository(target);
    return repo.save(repo.create(data as T));
  }
  const price = (owner: Partial<ProductPrice>, cycle: ProductPrice['cycle'], amount: number, setupFee = 0, currencyId = id.usd) =>
    save(ProductPrice, { productId: null, addonId: null, configOptionChoiceId: null, ...owner, currencyId, cycle, price: amount, setupFee, enabled: true });
  const count = (e: EntityTarget<ObjectLiteral>) => t.ds.getRepository(e).count();

  /** The configure form of Starter as a person fills it in; `over` changes or adds fields. */
  const starterForm = (over: Record<string, string | string[]> = {}) => ({
    productId: String(id.starter),
    cycle: 'monthly',
    [`option_${id.ram}`]: String(id.ram2),
    [`option_${id.ips}`]: '2',
    [`option_${id.backups}`]: String(id.backupsYes),
    addon: String(id.ipAddon),
    domain: 'Example.com',
    intent: 'add',
    ...over,
  });
  /** Posts the configure form with the session's CSRF token. */
  async function addToCart(agent: Agent, form: Record<string, string | string[]>) {
    const csrf = await csrfOf(agent, '/cart');
    return agent.post('/cart/add').type('form').send({ ...form, _csrf: csrf });
  }
  async function post(agent: Agent, path: string, form: Record<string, string>, from = '/cart') {
    const csrf = await csrfOf(agent, from);
    return agent.post(path).type('form').send({ ...form, _csrf: csrf });
  }
  async function signedIn(over: Record<string, unknown> = {}) {
    const agent = t.agent();
    const user = await createClientUser(t.ds, { over });
    await loginClient(agent, user.email, user.password);
    return { agent, ...user };
  }

  beforeAll(async () => {
    t = await startTestApp();
    id.usd = await currency(t.ds, 'USD');
    id.eur = await currency(t.ds, 'EUR');
    const hosting = await save(ProductCategory, { name: 'Web Hosting', slug: 'hosting', sortOrder: 1 });
    const vps = await save(ProductCategory, { name: 'Virtual Servers', slug: 'vps', sortOrder: 2 });
    const hidden = await save(ProductCategory, { name: 'Staff Plans', slug: 'private', hidden: true });
    const product = async (key: string, categoryId: number, data: Partial<Product>) =>
      (id[key] = (await save(Product, { categoryId, name: key, slug: key.toLowerCase(), paymentType: 'recurring', taxable: true, module: 'none', autoSetup: 'never', requireDomain: false, ...data })).id);
    await product('Starter', hosting.id, { requireDomain: true, features: ['10 GB SSD', 'Free SSL'], sortOrder: 1 });
    await product('Secret', hosting.id, { hidden: true });
    await product('Legacy', hosting.id, { retired: true });
    await product('Cloud', vps.id, {});
    await product('Internal', hidden.id, {});
    await price({ productId: id.Starter }, 'monthly', 1000, 500);
    await price({ productId: id.Starter }, 'annually', 10000);
    await price({ productId: id.Starter }, 'monthly', 900, 0, id.eur);
    await price({ productId: id.Secret }, 'monthly', 100);
    await price({ productId: id.Legacy }, 'monthly', 100);
    await price({ productId: id.Cloud }, 'monthly', 2000);
    await price({ productId: id.Internal }, 'monthly', 100);
    id.starter = id.Starter;

    const resources = await save(ConfigOptionGroup, { name: 'Resources' });
    const gpus = await save(ConfigOptionGroup, { name: 'GPU' });
    await save(ProductConfigGroup, { productId: id.Starter, groupId: resources.id });
    await save(ProductConfigGroup, { productId: id.Cloud, groupId: gpus.id });
    const option = async (key: string, data: Partial<ConfigOption>) => (id[key] = (await save(ConfigOption, { optionType: 'dropdown', minQuantity: 0, maxQuantity: 0, hidden: false, ...data })).id);
    const choice = async (key: string, optionKey: string, name: string, sortOrder: number, monthly: number) => {
      id[key] = (await save(ConfigOptionChoice, { optionId: id[optionKey], name, sortOrder, hidden: false })).id;
      await price({ configOptionChoiceId: id[key] }, 'monthly', monthly);
      await price({ configOptionChoiceId: id[key] }, 'annually', monthly * 10);
      await price({ configOptionChoiceId: id[key] }, 'monthly', monthly, 0, id.eur);
    };
    await option('ram', { groupId: resources.id, name: 'RAM', sortOrder: 1 });
    await option('ips', { groupId: resources.id, name: 'Extra IPs', optionType: 'quantity', minQuantity: 0, maxQuantity: 4, sortOrder: 2 });
    await option('backups', { groupId: resources.id, name: 'Backups', optionType: 'yesno', sortOrder: 3 });
    await option('gpu', { groupId: gpus.id, name: 'GPU', optionType: 'radio' });
    await choice('ram1', 'ram', '1 GB', 1, 0);
    await choice('ram2', 'ram', '2 GB', 2, 500);
    await choice('ip', 'ips', 'IPv4', 1, 200);
    await choice('backupsYes', 'backups', 'Yes', 1, 150);
    await choice('noGpu', 'gpu', 'None', 1, 0);
    await choice('a100', 'gpu', 'A100', 2, 10000);
    id.ipAddon = (await save(Addon, { name: 'Dedicated IP', paymentType: 'recurring', taxable: true, applicableProductIds: [id.Starter] })).id;
    id.sslAddon = (await save(Addon, { name: 'SSL Certificate', paymentType: 'recurring', taxable: true, applicableProductIds: [id.Cloud] })).id;
    await price({ addonId: id.ipAddon }, 'monthly', 300);
    await price({ addonId: id.ipAddon }, 'monthly', 300, 0, id.eur);
    await price({ addonId: id.sslAddon }, 'monthly', 999);

    const promo = (code: string, data: Partial<Promotion>) => save(Promotion, { code, type: 'percent', percentValue: '10.0000', recurring: false, enabled: true, uses: 0, maxUses: null, ...data });
    await promo('SAVE10', {});
    await promo('OLDCODE', { expiresAt: '2020-01-31' });
    await promo('CLOUDFREE', { percentValue: '100.0000', appliesToProductIds: [id.Cloud] });
  });
  afterAll(async () => t?.close());

  // Starter monthly with 2 GB RAM, 2 extra IPs, backups and a dedicated IP, priced from the catalogue:
  // 1000 + 500 setup + 500 + 2 × 200 + 150 + 300 = 2850.
  const STARTER_TOTAL = '$28.50';

  describe('the store', () => {
    it('lists the visible products of listed categories with "from" prices in the default currency', async () => {
      const page = await t.agent().get('/store').expect(200);
      expect(page.text).toContain('Web Hosting');
      expect(page.text).toContain('From $10.00 monthly');
      expect(page.text).toContain('From $20.00 monthly');
      expect(page.text).toContain('10 GB SSD');
      for (const hidden of ['Secret', 'Legacy', 'Internal', 'Staff Plans']) expect(page.text).not.toContain(hidden);
      expect(page.text).toContain(`href="/store/product/${id.Starter}"`);
    });

    it('lets a visitor switch currency, listing only what is priced in it', async () => {
      const agent = t.agent();
      const page = await agent.get('/store?currency=EUR').expect(200);
      expect(page.text).toContain('From 9.00 EUR monthly');
      expect(page.text).not.toContain('Cloud');
      // The choice sticks for the visitor's session.
      expect((await agent.get('/store').expect(200)).text).toContain('From 9.00 EUR monthly');
    });

    it("shows a signed-in client their own currency's prices, with no switch", async () => {
      const { agent } = await signedIn({ currencyId: id.eur });
      const page = await agent.get('/store?currency=USD').expect(200);
      expect(page.text).toContain('From 9.00 EUR monthly');
      expect(page.text).not.toContain('$10.00');
      expect(page.text).not.toContain('?currency=USD');
    });

    it('shows a category page, a hidden product by direct link, and 404 for retired or unknown ones', async () => {
      const agent = t.agent();
      const category = await agent.get('/store/hosting').expect(200);
      expect(category.text).toContain('Starter');
      expect(category.text).not.toContain('Cloud');
      await agent.get('/store/no-such-category').expect(404);
      expect((await agent.get(`/store/product/${id.Secret}`).expect(200)).text).toContain('Configure Secret');
      await agent.get(`/store/product/${id.Legacy}`).expect(404);
      await agent.get('/store/product/99999999').expect(404);
      await agent.get('/store/product/abc').expect(404);
    });

    it('shows the configure page with cycles, options, addons and a server-computed summary', async () => {
      const page = await t.agent().get(`/store/product/${id.Starter}`).expect(200);
      expect(page.text).toContain('Monthly: $10.00 monthly + $5.00 setup');
      expect(page.text).toContain('Annually: $100.00 annually');
      expect(page.text).toContain(`name="option_${id.ram}"`);
      expect(page.text).toContain(`name="option_${id.backups}" value="${id.backupsYes}"`);
      expect(page.text).toContain(`name="addon" value="${id.ipAddon}"`);
      expect(page.text).toContain('Dedicated IP ($3.00 monthly)');
      expect(page.text).not.toContain('SSL Certificate');
      // Defaults: 1 GB RAM, no IPs, no backups → the product with its setup fee.
      expect(page.text).toMatch(/Due today<\/th><td class="num"><strong>\$15\.00<\/strong>/);
    });
  });

  describe('configuring and the cart', () => {
    it('adds a configured product and shows the cart priced by the server, ignoring posted prices', async () => {
      const agent = t.agent();
      const res = await addToCart(agent, starterForm({ price: '0.01', amount: '0', total: '0', unitPrice: '1', firstPayment: '0' }));
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/cart');
      const cart = await agent.get('/cart').expect(200);
      expect(cart.text).toContain('Starter added to your cart.');
      expect(cart.text).toContain('example.com');
      expect(cart.text).toContain('RAM: 2 GB: $5.00');
      expect(cart.text).toContain('Extra IPs × 2: $4.00');
      expect(cart.text).toContain('Dedicated IP: $3.00');
      expect(cart.text).toMatch(new RegExp(`Total due today</th><td class="num"><strong>\\${STARTER_TOTAL}</strong>`));
      expect(cart.text).not.toContain('$0.01');
    });

    it('"Update price" shows the price of the selection without touching the cart', async () => {
      const agent = t.agent();
      const res = await addToCart(agent, starterForm({ intent: 'quote' }));
      expect(res.status).toBe(200);
      expect(res.text).toMatch(new RegExp(`Due today</th><td class="num"><strong>\\${STARTER_TOTAL}</strong>`));
      expect(res.text).toContain('value="Example.com"');
      expect((await agent.get('/cart').expect(200)).text).toContain('Your cart is empty');
    });

    it('refuses an option or addon of another product (422), keeping the values, adding nothing', async () => {
      const agent = t.agent();
      const option = await addToCart(agent, starterForm({ [`option_${id.gpu}`]: String(id.a100) }));
      expect(option.status).toBe(422);
      expect(option.text).toContain(`Option ${id.gpu} is not an option of Starter.`);
      expect(option.text).toContain('value="Example.com"');
      const choice = await addToCart(agent, starterForm({ [`option_${id.ram}`]: String(id.a100) }));
      expect(choice.status).toBe(422);
      expect(choice.text).toContain('That is not a choice of RAM.');
      expect(choice.text).toMatch(new RegExp(`id="option_${id.ram}" name="option_${id.ram}" aria-invalid="true"`));
      const addon = await addToCart(agent, starterForm({ addon: [String(id.ipAddon), String(id.sslAddon)] }));
      expect(addon.status).toBe(422);
      expect(addon.text).toContain(`Addon ${id.sslAddon} is not offered with Starter.`);
      expect((await agent.get('/cart').expect(200)).text).toContain('Your cart is empty');
    });

    it('answers bad input with 422 and the field error, never 500, and saves nothing', async () => {
      const agent = t.agent();
      const unknown = await addToCart(agent, { ...starterForm(), productId: '99999999' });
      expect(unknown.status).toBe(422);
      expect(unknown.text).toContain('That product is not for sale.');
      const retired = await addToCart(agent, { ...starterForm(), productId: String(id.Legacy) });
      expect(retired.status).toBe(422);
      const notSold = await addToCart(agent, starterForm({ cycle: 'quarterly' }));
      expect(notSold.status).toBe(422);
      expect(notSold.text).toContain('Starter is not offered for that billing cycle and currency.');
      expect(notSold.text).toContain('id="cycle" name="cycle" aria-invalid="true"');
      const noCycle = await addToCart(agent, starterForm({ cycle: 'weekly' }));
      expect(noCycle.status).toBe(422);
      expect(noCycle.text).toContain('Choose a billing cycle.');
      const noDomain = await addToCart(agent, starterForm({ domain: '' }));
      expect(noDomain.status).toBe(422);
      expect(noDomain.text).toContain('Starter needs a domain name');
      expect(noDomain.text).toContain('aria-describedby="domain-error"');
      const tooMany = await addToCart(agent, starterForm({ [`option_${id.ips}`]: '9' }));
      expect(tooMany.status).toBe(422);
      expect(tooMany.text).toContain('Extra IPs: choose a whole number from 0 to 4.');
      const notNumber = await addToCart(agent, starterForm({ [`option_${id.ips}`]: '-1' }));
      expect(notNumber.status).toBe(422);
      expect((await agent.get('/cart').expect(200)).text).toContain('Your cart is empty');
      expect(await count(Order)).toBe(0);
    });

    it('shows a domain with markup in it as text', async () => {
      const res = await addToCart(t.agent(), starterForm({ domain: '<script>alert(1)</script>' }));
      expect(res.status).toBe(422);
      expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(res.text).not.toContain('<script>alert(1)');
    });

    it('refuses a form post without the CSRF token (403) and adds nothing', async () => {
      const agent = t.agent();
      await agent.get('/store').expect(200);
      const res = await agent.post('/cart/add').type('form').send(starterForm());
      expect(res.status).toBe(403);
      expect((await agent.get('/cart').expect(200)).text).toContain('Your cart is empty');
    });

    it('changes and removes a line', async () => {
      const agent = t.agent();
      await addToCart(agent, starterForm());
      const cart = await agent.get('/cart').expect(200);
      const line = /name="line" value="([0-9a-f]+)"/.exec(cart.text)![1];
      const edit = await agent.get(`/store/product/${id.Starter}?line=${line}`).expect(200);
      expect(edit.text).toContain('Change Starter');
      expect(edit.text).toContain('value="example.com"');
      const changed = await agent.post('/cart/add').type('form').send({ ...starterForm({ cycle: 'annually', line }), _csrf: csrfFrom(edit.text) });
      expect(changed.status).toBe(303);
      const after = await agent.get('/cart').expect(200);
      expect(after.text).toContain('Annually');
      expect(after.text.match(/name="line" value=/g)).toHaveLength(1);
      const removed = await post(agent, '/cart/remove', { line });
      expect(removed.status).toBe(303);
      expect((await agent.get('/cart').expect(200)).text).toContain('Your cart is empty');
    });
  });

  describe('promotion codes', () => {
    it('applies a valid code, refuses unknown, expired and inapplicable ones with their reason, and removes a code', async () => {
      const agent = t.agent();
      await addToCart(agent, starterForm());
      const applied = await post(agent, '/cart/promo', { promoCode: ' save10 ' });
      expect(applied.status).toBe(303);
      let cart = await agent.get('/cart').expect(200);
      expect(cart.text).toContain('Promotion code SAVE10 applied.');
      // 10% of every component, setup fees included: 2850 − 285.
      expect(cart.text).toContain('Promotion SAVE10</th><td class="num">-$2.85');
      expect(cart.text).toMatch(/Total due today<\/th><td class="num"><strong>\$25\.65<\/strong>/);

      const unknown = await post(agent, '/cart/promo', { promoCode: 'NOPE' });
      expect(unknown.status).toBe(422);
      expect(unknown.text).toContain('There is no promotion code &quot;NOPE&quot;.');
      expect(unknown.text).toContain('value="NOPE"');
      const expired = await post(agent, '/cart/promo', { promoCode: 'oldcode' });
      expect(expired.status).toBe(422);
      expect(expired.text).toContain('The code OLDCODE expired on 2020-01-31.');
      const elsewhere = await post(agent, '/cart/promo', { promoCode: 'CLOUDFREE' });
      expect(elsewhere.status).toBe(422);
      expect(elsewhere.text).toContain('The code CLOUDFREE does not apply to this order.');
      const empty = await post(agent, '/cart/promo', { promoCode: '' });
      expect(empty.status).toBe(422);
      expect(empty.text).toContain('Enter a promotion code.');
      // The refused codes did not replace the good one.
      expect((await agent.get('/cart').expect(200)).text).toContain('The code <strong>SAVE10</strong> is applied.');

      expect((await post(agent, '/cart/promo', { action: 'remove' })).status).toBe(303);
      cart = await agent.get('/cart').expect(200);
      expect(cart.text).not.toContain('Promotion SAVE10');
      expect(cart.text).toMatch(new RegExp(`Total due today</th><td class="num"><strong>\\${STARTER_TOTAL}</strong>`));
    });
  });

  describe('checkout', () => {
    it('sends a visitor to log in first, keeping the cart for after the login', async () => {
      const agent = t.agent();
      await addToCart(agent, starterForm());
      const res = await agent.get('/checkout');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/login?next=%2Fcheckout');
      const user = await createClientUser(t.ds);
      const form = await agent.get('/login?next=%2Fcheckout').expect(200);
      const login = await agent.post('/login').type('form').send({ email: user.email, password: user.password, next: '/checkout', _csrf: csrfFrom(form.text) });
      expect(login.status).toBe(303);
      expect(login.headers.location).toBe('/checkout');
      const checkout = await agent.get('/checkout').expect(200);
      expect(checkout.text).toContain('example.com');
      expect(checkout.text).toContain(STARTER_TOTAL);
    });

    it('places the order: order, services and invoice with the right total, then to the invoice', async () => {
      const { agent, clientId } = await signedIn();
      await addToCart(agent, starterForm());
      await post(agent, '/cart/promo', { promoCode: 'SAVE10' });
      const page = await agent.get('/checkout').expect(200);
      expect(page.text).toContain('$25.65');

      const unticked = await agent.post('/checkout').type('form').send({ _csrf: csrfFrom(page.text), total: '0' });
      expect(unticked.status).toBe(422);
      expect(unticked.text).toContain('accept the terms of service');
      expect(await t.ds.getRepository(Order).countBy({ clientId })).toBe(0);

      const res = await agent.post('/checkout').type('form').send({ _csrf: csrfFrom(page.text), acceptTerms: '1', total: '0', price: '0' });
      expect(res.status).toBe(303);
      const order = await t.ds.getRepository(Order).findOneByOrFail({ clientId });
      expect(res.headers.location).toBe(`/invoices/${order.invoiceId}`);
      expect(order).toMatchObject({ status: 'pending', promoCode: 'SAVE10', subtotal: 2850, discount: 285, total: 2565 });
      const invoice = await t.ds.getRepository(Invoice).findOneByOrFail({ id: order.invoiceId! });
      expect(invoice).toMatchObject({ clientId, status: 'unpaid', total: 2565 });
      const [service] = await t.ds.getRepository(Service).findBy({ orderId: order.id });
      expect(service).toMatchObject({ clientId, productId: id.Starter, domain: 'example.com', billingCycle: 'monthly', status: 'pending' });
      // The flash travels with the session to the next page, and the cart is empty.
      const cart = await agent.get('/cart').expect(200);
      expect(cart.text).toContain(`Order ${order.orderNumber} placed.`);
      expect(cart.text).toContain('Your cart is empty');
    });

    it('with nothing to pay (a 100% code) marks the invoice paid and goes to the services', async () => {
      const { agent, clientId } = await signedIn();
      const configure = await agent.get(`/store/product/${id.Cloud}`).expect(200);
      expect(configure.text).toContain(`<input type="radio" name="option_${id.gpu}" value="${id.noGpu}" checked> None`);
      expect(configure.text).toContain(`<input type="radio" name="option_${id.gpu}" value="${id.a100}" > A100 (+ $100.00)`);
      expect((await addToCart(agent, { productId: String(id.Cloud), cycle: 'monthly', [`option_${id.gpu}`]: String(id.noGpu), intent: 'add' })).status).toBe(303);
      expect((await post(agent, '/cart/promo', { promoCode: 'CLOUDFREE' })).status).toBe(303);
      const res = await post(agent, '/checkout', { acceptTerms: '1' }, '/checkout');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/services');
      const order = await t.ds.getRepository(Order).findOneByOrFail({ clientId });
      expect(order.total).toBe(0);
      expect(await t.ds.getRepository(Invoice).findOneByOrFail({ id: order.invoiceId! })).toMatchObject({ status: 'paid', total: 0 });
    });

    it('refuses an empty cart, and a post without the CSRF token, creating nothing', async () => {
      const { agent, clientId } = await signedIn();
      expect((await agent.get('/checkout')).status).toBe(303);
      const empty = await post(agent, '/checkout', { acceptTerms: '1' }, '/cart');
      expect(empty.status).toBe(422);
      expect(empty.text).toContain('Your cart is empty');

      await addToCart(agent, starterForm());
      const forged = await agent.post('/checkout').type('form').send({ acceptTerms: '1' });
      expect(forged.status).toBe(403);
      expect(await t.ds.getRepository(Order).countBy({ clientId })).toBe(0);
    });

    it('shows a checkout refusal from the order service on the page (422), with nothing written', async () => {
      const { agent, clientId } = await signedIn();
      await addToCart(agent, starterForm());
      // Staff retire the product while it sits in the cart.
      const secretLine = await addToCart(agent, { productId: String(id.Secret), cycle: 'monthly', intent: 'add' });
      expect(secretLine.status).toBe(303);
      await t.ds.getRepository(Product).update({ id: id.Secret }, { retired: true });
      try {
        const res = await post(agent, '/checkout', { acceptTerms: '1' }, '/cart');
        expect(res.status).toBe(422);
        expect(res.text).toContain('Secret is no longer sold.');
        expect(await t.ds.getRepository(Order).countBy({ clientId })).toBe(0);
      } finally {
        await t.ds.getRepository(Product).update({ id: id.Secret }, { retired: false });
      }
    });

    it('is refused to a contact without the orders permission', async () => {
      const owner = await createClientUser(t.ds);
      const email = `contact-${Date.now()}@client.example`;
      const user = await t.ds.getRepository('User').insert({ userType: 'client', email, firstName: 'Sub', lastName: 'User', displayName: 'Sub User', passwordHash: await bcrypt.hash('contact password 1', 4), status: 'active', emailVerifiedAt: new Date() });
      await save(ClientContact, { clientId: owner.clientId, firstName: 'Sub', lastName: 'User', email, userId: user.identifiers[0].id as number, permissions: ['support'] });
      const agent = t.agent();
      await loginClient(agent, email, 'contact password 1');
      await addToCart(agent, starterForm());
      expect((await agent.get('/checkout')).status).toBe(403);
      const res = await post(agent, '/checkout', { acceptTerms: '1' });
      expect(res.status).toBe(403);
      expect(await t.ds.getRepository(Order).countBy({ clientId: owner.clientId })).toBe(0);
    });
  });
});
