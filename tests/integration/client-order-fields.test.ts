import { startTestApp, type TestApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import { records } from '../helpers/records.js';
import { csrfOf, type Agent } from '../helpers/auth.js';
import { createClientUser, loginClient } from '../helpers/client.js';

type Row = Record<string, any>;

/**
 * A product's custom fields on its order form: shown when staff ask for them on the order (never staff-only ones),
 * checked when the product goes into the cart and again at checkout, and saved on the service the order creates.
 */
describe(`order-form custom fields on ${testEngine()}`, () => {
  let t: TestApp;
  let agent: Agent;
  let clientId: number;
  const ids: Record<string, number> = {};
  const { save } = records(() => t.ds);
  const field = (data: Row) => save('CustomField', { appliesTo: 'product', productId: ids.product, description: null, options: null, required: false, showOnOrder: true, showOnInvoice: false, adminOnly: false, sortOrder: 0, validationRegex: null, fieldType: 'text', ...data });
  const add = async (form: Record<string, string>) => {
    const csrf = await csrfOf(agent, '/cart');
    return agent.post('/cart/add').type('form').send({ productId: String(ids.product), cycle: 'monthly', intent: 'add', _csrf: csrf, ...form });
  };

  beforeAll(async () => {
    t = await startTestApp();
    const user = await createClientUser(t.ds);
    clientId = user.clientId;
    agent = t.agent();
    await loginClient(agent, user.email, user.password);
    const currencyId = ((await t.ds.getRepository('Client').findOneByOrFail({ id: clientId })) as Row).currencyId;
    const cat = (await save('ProductCategory', { name: 'Hosting', slug: 'hosting' })).id;
    ids.product = (await save('Product', { categoryId: cat, name: 'Shop Plan', slug: 'shop-plan', module: 'none', autoSetup: 'never', paymentType: 'recurring', requireDomain: false, taxable: false })).id;
    await save('ProductPrice', { productId: ids.product, addonId: null, configOptionChoiceId: null, currencyId, cycle: 'monthly', price: 900, setupFee: 0, enabled: true });
    ids.purpose = (await field({ name: 'What the shop sells', required: true, sortOrder: 1 })).id;
    ids.theme = (await field({ name: 'Theme', fieldType: 'dropdown', options: ['Light', 'Dark'], sortOrder: 2 })).id;
    ids.staff = (await field({ name: 'Fraud score', adminOnly: true })).id;
    ids.later = (await field({ name: 'Internal tag', showOnOrder: false })).id;
  });
  afterAll(async () => t?.close());

  it('asks for them on the order form, refuses the product until they are right, and saves them on the service', async () => {
    const page = await agent.get(`/store/product/${ids.product}`);
    expect(page.text).toContain('What the shop sells');
    expect(page.text).toContain('Theme');
    for (const hidden of ['Fraud score', 'Internal tag']) expect(page.text).not.toContain(hidden);

    const missing = await add({ [`cf_${ids.theme}`]: 'Neon' });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('Enter What the shop sells');
    expect(missing.text).toContain('Choose one of the options for Theme');
    expect((await agent.get('/cart')).text).not.toContain('Shop Plan');

    expect((await add({ [`cf_${ids.purpose}`]: 'Handmade soap', [`cf_${ids.theme}`]: 'Dark', [`cf_${ids.staff}`]: 'zero' })).status).toBe(303);

    // Staff add a required question after the product went into the cart: checkout sends the client back to it.
    ids.newer = (await field({ name: 'Company registration number', required: true, sortOrder: 3 })).id;
    const checkoutPage = await agent.get('/checkout');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(checkoutPage.text)![1];
    const refused = await agent.post('/checkout').type('form').send({ _csrf: csrf, acceptTerms: '1' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Some details this product needs are missing');
    expect(await t.ds.getRepository('Order').count({ where: { clientId } })).toBe(0);

    const cart = await agent.get('/cart');
    const line = /\/store\/product\/\d+\?line=([0-9a-f]+)/.exec(cart.text)![1];
    const edit = await agent.get(`/store/product/${ids.product}?line=${line}`);
    expect(edit.text).toContain('value="Handmade soap"');
    expect((await add({ line, [`cf_${ids.purpose}`]: 'Handmade soap', [`cf_${ids.theme}`]: 'Dark', [`cf_${ids.newer}`]: 'SC123456' })).status).toBe(303);

    const again = await agent.get('/checkout');
    const placed = await agent.post('/checkout').type('form').send({ _csrf: /name="_csrf" value="([^"]+)"/.exec(again.text)![1], acceptTerms: '1' });
    expect(placed.status).toBe(303);
    const service = (await t.ds.getRepository('Service').findOneByOrFail({ clientId })) as Row;
    const values = (await t.ds.getRepository('CustomFieldValue').find({ where: { ownerKey: `service:${service.id}` } })) as Row[];
    expect(Object.fromEntries(values.map((v) => [v.fieldId, v.value]))).toEqual({ [ids.purpose]: 'Handmade soap', [ids.theme]: 'Dark', [ids.newer]: 'SC123456' });
  });
});
