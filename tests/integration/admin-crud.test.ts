import { startTestApp, createStaff, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/auth.js';
import { testEngine } from '../helpers/db.js';
import { seedDemoData } from '../../src/demo/seed.js';
import { allResources } from '../../resources/index.js';

/**
 * The back office as an administrator uses it, through the same JSON API the AdminJS front end calls:
 * every screen lists and shows, bad input gets field errors and saves nothing, deletes are soft where the data
 * model says so and can be undone.
 */
describe(`admin CRUD on ${testEngine()}`, () => {
  let t: TestApp;
  let admin: ReturnType<TestApp['agent']>;
  beforeAll(async () => {
    t = await startTestApp();
    await seedDemoData(t.ds, { timezone: 'UTC', today: '2026-11-22' });
    await createStaff(t.ds, { email: 'root@test.local', password: 'correct horse battery', role: 'Full Administrator' });
    admin = t.agent();
    await loginAs(admin, 'root@test.local', 'correct horse battery');
    // One row in each table the demo company leaves empty, so every screen's show page is exercised.
    const m = t.ds.manager;
    const one = async (entity: string) => ((await m.getRepository(entity).findOne({ where: {}, order: { id: 'ASC' } })) as { id: number }).id;
    const [clientId, userId, ticketId, serviceId] = [await one('Client'), await one('User'), await one('SupportTicket'), await one('Service')];
    await m.insert('ApiToken', { userId, name: 'Monitoring', tokenHash: 'a'.repeat(64), tokenPrefix: 'mrd_1234' });
    await m.insert('LoginThrottle', { key: 'ip:203.0.113.9', attempts: 3, windowStartedAt: new Date() });
    await m.insert('EmailLog', { clientId, toAddress: 'someone@example.org', subject: 'Invoice created', status: 'sent', sentAt: new Date() });
    await m.insert('TaskRun', { task: 'billing.daily', status: 'succeeded', startedAt: new Date(), finishedAt: new Date(), counts: { invoices: 3 } });
    await m.getRepository('PaymentMethod').save({ clientId, gateway: 'stripe', type: 'card', gatewayToken: 'pm_test_123', lastFour: '4242', brand: 'visa', expMonth: 12, expYear: 2030 });
    await m.insert('GatewayLog', { gateway: 'stripe', direction: 'inbound', eventId: 'evt_1', result: 'success', request: { id: 'evt_1' } });
    await m.insert('License', { licenseKey: 'LIC-DEMO-0001', serviceId, clientId, product: 'Softaculous Premium' });
    await m.insert('WhoisLog', { domain: 'example.org', clientId, result: 'registered' });
    await m.insert('JobLock', { name: 'billing.daily', holder: null, lockedUntil: null });
    await m.insert('DomainReminder', { domainId: await one('Domain'), expiryDate: '2027-01-31', daysBefore: 30, sentAt: new Date() });
    await m.insert('TicketAttachment', { ticketId, fileName: 'screenshot.png', contentType: 'image/png', sizeBytes: 2048, storagePath: 'attachments/1/screenshot.png' });
  });
  afterAll(async () => t.close());

  it('lists and shows every resource', async () => {
    const failures: string[] = [];
    let shown = 0;
    for (const spec of allResources) {
      const id = spec.resource.name;
      const list = await admin.get(`/admin/api/resources/${id}/actions/list?perPage=5`);
      if (list.status !== 200 || !Array.isArray(list.body.records)) {
        failures.push(`${id} list → ${list.status} ${JSON.stringify(list.body).slice(0, 200)}`);
        continue;
      }
      const first = list.body.records[0];
      if (!first) continue;
      const show = await admin.get(`/admin/api/resources/${id}/records/${first.id}/show`);
      if (show.status !== 200 || show.body.record?.id !== first.id) failures.push(`${id} show → ${show.status}`);
      else shown++;
    }
    expect(failures).toEqual([]);
    expect(shown).toBe(allResources.length);
  });

  it('shows money as decimal amounts and gives records human titles', async () => {
    const res = await admin.get('/admin/api/resources/Invoice/actions/list?perPage=3&sortBy=id&direction=asc');
    const inv = res.body.records[0];
    expect(inv.params.total).toMatch(/^-?\d+\.\d{2}$/);
    const client = await admin.get(`/admin/api/resources/Client/records/${inv.params.clientId}/show`);
    expect(client.body.record.title).not.toMatch(/^\d+$/);
  });

  it('creates a client from valid input, with the amount parsed exactly', async () => {
    const before = await t.ds.getRepository('Client').count();
    const currency = (await t.ds.getRepository('Currency').findOneByOrFail({ code: 'USD' })) as { id: number };
    const res = await admin.post('/admin/api/resources/Client/actions/new').type('form').send({
      firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.org', country: 'GB', currencyId: String(currency.id), creditBalance: '10.10',
    });
    expect(res.status).toBe(200);
    expect(res.body.notice?.type).toBe('success');
    expect(await t.ds.getRepository('Client').count()).toBe(before + 1);
    const saved = (await t.ds.getRepository('Client').findOneByOrFail({ email: 'ada@example.org' })) as { creditBalance: number; displayName: string };
    expect(saved.creditBalance).toBe(1010);
    expect(saved.displayName).toBe('Ada Lovelace');
  });

  it.each([
    ['an invalid email', { email: 'not-an-email' }, 'email'],
    ['a negative amount', { creditBalance: '-5.00' }, 'creditBalance'],
    ['a non-numeric amount', { creditBalance: 'ten' }, 'creditBalance'],
    ['too many decimals', { creditBalance: '1.001' }, 'creditBalance'],
    ['a missing required field', { lastName: '' }, 'lastName'],
    ['an unknown foreign key', { groupId: '999999' }, 'groupId'],
    ['an unknown status', { status: 'bogus' }, 'status'],
  ])('refuses %s with a field error and saves nothing', async (_label, override, field) => {
    const currency = (await t.ds.getRepository('Currency').findOneByOrFail({ code: 'USD' })) as { id: number };
    const before = await t.ds.getRepository('Client').count({ withDeleted: true });
    const res = await admin.post('/admin/api/resources/Client/actions/new').type('form').send({
      firstName: 'Bad', lastName: 'Input', email: `bad${Date.now()}@example.org`, country: 'US', currencyId: String(currency.id), ...override,
    });
    expect(res.body.record?.errors?.[field]?.message).toEqual(expect.any(String));
    expect(res.body.notice?.type).toBe('error');
    expect(await t.ds.getRepository('Client').count({ withDeleted: true })).toBe(before);
  });

  it('refuses a bad edit and leaves the record as it was', async () => {
    const client = (await t.ds.getRepository('Client').findOne({ where: {}, order: { id: 'ASC' } })) as { id: number; email: string };
    const res = await admin.post(`/admin/api/resources/Client/records/${client.id}/edit`).type('form').send({ email: 'broken' });
    expect(res.body.record?.errors?.email).toBeDefined();
    expect(((await t.ds.getRepository('Client').findOneByOrFail({ id: client.id })) as { email: string }).email).toBe(client.email);
  });

  it('soft-deletes a client, hides it, lists it under a deletion filter, and restores it', async () => {
    const currency = (await t.ds.getRepository('Currency').findOneByOrFail({ code: 'USD' })) as { id: number };
    const created = await admin.post('/admin/api/resources/Client/actions/new').type('form').send({
      firstName: 'Temp', lastName: 'Client', email: 'temp@example.org', country: 'US', currencyId: String(currency.id),
    });
    const id = created.body.record.id;
    const del = await admin.post(`/admin/api/resources/Client/records/${id}/delete`);
    expect(del.body.notice?.type).toBe('success');
    const row = (await t.ds.getRepository('Client').findOne({ where: { id }, withDeleted: true })) as { deletedAt: Date | null };
    expect(row.deletedAt).not.toBeNull();
    const visible = await admin.get('/admin/api/resources/Client/actions/list?filters.email=temp@example.org');
    expect(visible.body.records).toHaveLength(0);
    const trash = await admin.get('/admin/api/resources/Client/actions/list?filters.email=temp@example.org&filters.deletedAt~~from=2000-01-01');
    expect(trash.body.records.map((r: { id: string | number }) => String(r.id))).toEqual([String(id)]);
    const restore = await admin.post(`/admin/api/resources/Client/records/${id}/restore`);
    expect(restore.body.notice?.type).toBe('success');
    expect(((await t.ds.getRepository('Client').findOneByOrFail({ id })) as { deletedAt: Date | null }).deletedAt).toBeNull();
  });

  it('explains a delete that would break history instead of failing silently', async () => {
    const currency = (await t.ds.getRepository('Currency').findOneByOrFail({ code: 'USD' })) as { id: number };
    const res = await admin.post(`/admin/api/resources/Currency/records/${currency.id}/delete`);
    expect(res.body.notice?.type).toBe('error');
    expect(await t.ds.getRepository('Currency').count({ where: { id: currency.id } })).toBe(1);
  });

  it('treats filter text as text, not SQL or wildcards', async () => {
    const res = await admin.get(`/admin/api/resources/Client/actions/list?filters.email=${encodeURIComponent("%' OR 1=1 --")}`);
    expect(res.status).toBe(200);
    expect(res.body.records).toHaveLength(0);
    const all = await admin.get('/admin/api/resources/Client/actions/list?filters.email=%25');
    expect(all.body.records).toHaveLength(0);
  });
});
