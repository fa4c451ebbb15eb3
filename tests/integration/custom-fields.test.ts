import { createStaff, startTestApp, type TestApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import { records } from '../helpers/records.js';
import { csrfOf, loginAs, type Agent } from '../helpers/auth.js';
import { createClientUser, loginClient } from '../helpers/client.js';

type Row = Record<string, any>;

/**
 * Custom fields in the forms that use them: staff fill a client's and a service's fields in the admin (staff-only
 * ones included, passwords never shown back); the client fills their own profile fields in the client area, with
 * each rule checked on the server, errors beside the field, nothing saved when one is wrong, and no way to reach a
 * staff-only field.
 */
describe(`custom fields on ${testEngine()}`, () => {
  let t: TestApp;
  let admin: Agent;
  let client: Agent;
  let clientId: number;
  const f: Record<string, number> = {};
  const { save } = records(() => t.ds);
  const url = (resource: string, id: number, action: string) => `/admin/api/resources/${resource}/records/${id}/${action}`;
  const valueOf = async (fieldId: number, ownerKey: string) => ((await t.ds.getRepository('CustomFieldValue').findOne({ where: { fieldId, ownerKey } })) as Row | null);

  beforeAll(async () => {
    t = await startTestApp();
    await createStaff(t.ds, { email: 'owner@shop.test', password: 'owner password 123', role: 'Full Administrator' });
    admin = t.agent();
    await loginAs(admin, 'owner@shop.test', 'owner password 123');
    const user = await createClientUser(t.ds);
    clientId = user.clientId;
    client = t.agent();
    await loginClient(client, user.email, user.password);
    const field = async (key: string, data: Row) => (f[key] = (await save('CustomField', { appliesTo: 'client', description: null, options: null, required: false, showOnOrder: false, showOnInvoice: false, adminOnly: false, sortOrder: Object.keys(f).length, validationRegex: null, ...data })).id);
    await field('vat', { name: 'Billing contact', fieldType: 'text', required: true });
    await field('industry', { name: 'Industry', fieldType: 'dropdown', options: ['Retail', 'Technology'] });
    await field('newsletter', { name: 'Send me the newsletter', fieldType: 'checkbox' });
    await field('website', { name: 'Website', fieldType: 'link' });
    await field('pin', { name: 'Support PIN', fieldType: 'password', validationRegex: '^[0-9]{4,8}$' });
    await field('risk', { name: 'Risk score', fieldType: 'text', adminOnly: true });
    const cat = (await save('ProductCategory', { name: 'Hosting', slug: 'hosting' })).id;
    const product = (await save('Product', { categoryId: cat, name: 'Plan', slug: 'plan', module: 'none', autoSetup: 'never', paymentType: 'recurring', requireDomain: false, taxable: false })).id;
    await field('purpose', { appliesTo: 'product', productId: product, name: 'What the site is for', fieldType: 'textarea', required: true });
    const currencyId = ((await t.ds.getRepository('Client').findOneByOrFail({ id: clientId })) as Row).currencyId;
    f.service = (await t.ds.getRepository('Service').insert({ clientId, productId: product, currencyId, status: 'active', domain: 'fields.example.test' })).identifiers[0].id as number;
  });
  afterAll(async () => t?.close());

  it('staff fill a client’s fields, staff-only ones included, and a password is never shown back', async () => {
    const form = await admin.get(url('Client', clientId, 'customFields')).set({ 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'cors' });
    const fields = JSON.parse(form.body.record.params.customFieldForm) as Row[];
    expect(fields.map((x) => x.name)).toEqual([`cf_${f.vat}`, `cf_${f.industry}`, `cf_${f.newsletter}`, `cf_${f.website}`, `cf_${f.pin}`, `cf_${f.risk}`]);
    expect(fields.find((x) => x.name === `cf_${f.industry}`)).toMatchObject({ type: 'select', options: [{ value: 'Retail', label: 'Retail' }, { value: 'Technology', label: 'Technology' }] });

    const bad = await admin.post(url('Client', clientId, 'customFields')).type('form').send({ [`cf_${f.vat}`]: '', [`cf_${f.industry}`]: 'Farming' });
    expect(bad.body.notice).toMatchObject({ type: 'error', message: expect.stringContaining('Enter Billing contact') });
    expect(await valueOf(f.industry, `client:${clientId}`)).toBeNull();

    const ok = await admin.post(url('Client', clientId, 'customFields')).type('form').send({ [`cf_${f.vat}`]: 'Ada Lovelace', [`cf_${f.industry}`]: 'Retail', [`cf_${f.pin}`]: '4321', [`cf_${f.risk}`]: 'low', [`cf_${f.newsletter}`]: 'true' });
    expect(ok.body.notice.type).toBe('success');
    expect((await valueOf(f.risk, `client:${clientId}`))!.value).toBe('low');
    expect((await valueOf(f.pin, `client:${clientId}`))!.secretValue).toBe('4321');
    const raw = (await t.ds.query('SELECT secret_value FROM custom_field_values WHERE field_id = ?', [f.pin])) as Row[];
    expect(String(raw[0].secret_value)).not.toContain('4321');
    const again = await admin.get(url('Client', clientId, 'customFields')).set({ 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'cors' });
    expect(JSON.parse(again.body.record.params.customFieldValues)).toMatchObject({ [`cf_${f.vat}`]: 'Ada Lovelace', [`cf_${f.pin}`]: '', [`cf_${f.newsletter}`]: 'true' });
    expect(again.text).not.toContain('4321');
  });

  it('staff fill a service’s product fields', async () => {
    const form = await admin.get(url('Service', f.service, 'customFields')).set({ 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'cors' });
    expect(JSON.parse(form.body.record.params.customFieldForm).map((x: Row) => x.label)).toEqual(['What the site is for']);
    const res = await admin.post(url('Service', f.service, 'customFields')).type('form').send({ [`cf_${f.purpose}`]: 'A bakery shop' });
    expect(res.body.notice.type).toBe('success');
    expect((await valueOf(f.purpose, `service:${f.service}`))!).toMatchObject({ value: 'A bakery shop', clientId });
  });

  it('the client fills their own fields, with errors beside each field, and cannot reach a staff-only one', async () => {
    const page = await client.get('/account');
    expect(page.text).toContain('Billing contact');
    expect(page.text).toContain('Ada Lovelace');
    expect(page.text).not.toContain('Risk score');
    expect(page.text).not.toContain('4321');
    const profile = Object.fromEntries([...page.text.matchAll(/<input type="text" id="(\w+)" name="\w+" value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const base = { ...profile, country: 'US', _csrf: await csrfOf(client, '/account') };
    const nameBefore = ((await t.ds.getRepository('Client').findOneByOrFail({ id: clientId })) as Row).firstName;

    const wrong = await client.post('/account').type('form').send({ ...base, firstName: 'Changed', [`cf_${f.vat}`]: 'Grace Hopper', [`cf_${f.website}`]: 'not a link', [`cf_${f.pin}`]: '12', [`cf_${f.industry}`]: 'Technology' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('must be a web address');
    expect(wrong.text).toContain('Support PIN is not in the expected format');
    expect(wrong.text).toContain('value="Grace Hopper"');
    expect(((await t.ds.getRepository('Client').findOneByOrFail({ id: clientId })) as Row).firstName).toBe(nameBefore);
    expect((await valueOf(f.vat, `client:${clientId}`))!.value).toBe('Ada Lovelace');

    const good = await client.post('/account').type('form').send({ ...base, [`cf_${f.vat}`]: 'Grace Hopper', [`cf_${f.website}`]: 'https://grace.example', [`cf_${f.industry}`]: 'Technology', [`cf_${f.risk}`]: 'none' });
    expect(good.status).toBe(303);
    expect((await valueOf(f.vat, `client:${clientId}`))!.value).toBe('Grace Hopper');
    expect((await valueOf(f.industry, `client:${clientId}`))!.value).toBe('Technology');
    expect((await valueOf(f.newsletter, `client:${clientId}`))!.value).toBeNull();
    expect((await valueOf(f.pin, `client:${clientId}`))!.secretValue).toBe('4321');
    expect((await valueOf(f.risk, `client:${clientId}`))!.value).toBe('low');
  });
});
