import { startTestApp, type TestApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import { csrfFrom } from '../helpers/auth.js';
import { loginClient } from '../helpers/client.js';
import bcrypt from 'bcryptjs';
import { startFakeWhm, type FakeWhm } from '../fakes/whm-server.js';
import { addDays } from '../../src/domain/billing/periods.js';
import { invoice, postForm, product, save, service, signedInCustomer, today, type Customer } from './client-billing-fixtures.js';

/**
 * Client area, the customer's own records: public home and dashboard figures, services (list, detail, control
 * panel login against the fake WHM, cancellation requests) and domains — each record reached only by its owner.
 */
describe(`client area: dashboard, services, domains on ${testEngine()}`, () => {
  let t: TestApp;
  let whm: FakeWhm;
  let alice: Customer;
  let bob: Customer;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    whm = await startFakeWhm();
    t = await startTestApp({}, { provisioning: { timeouts: { timeoutMs: 1500, createTimeoutMs: 1500 } } });
    await save(t.ds, 'Setting', { key: 'company.name', value: 'Acme <Hosting>', type: 'string' });
    alice = await signedInCustomer(t);
    bob = await signedInCustomer(t);
    ids.basic = await product(t.ds, { name: 'Basic Hosting', price: 1000 });
    const group = (await save(t.ds, 'ServerGroup', { name: 'Shared', fillMethod: 'least_used' })).id;
    ids.server = (await save(t.ds, 'Server', { name: 'whm1', hostname: '127.0.0.1', ipAddress: '127.0.0.1', port: whm.port, secure: false, type: 'cpanel', username: whm.user, apiToken: whm.token, serverGroupId: group, maxAccounts: 100 })).id;
    ids.cpanel = await product(t.ds, { name: 'cPanel Starter', price: 1500, module: 'cpanel', over: { serverGroupId: group, moduleConfig: { package: 'starter' } } });
  });
  afterAll(async () => {
    await t.close();
    await whm.close();
  });

  it('shows visitors a public home: company, published announcements (escaped), store and login links', async () => {
    await save(t.ds, 'Announcement', { title: 'New <script>alert(1)</script> data centre', body: '<p>We opened a <b>new</b> site.</p>', published: true, publishedAt: new Date(Date.now() - 3600_000) });
    await save(t.ds, 'Announcement', { title: 'Draft news nobody may see', body: 'x', published: false, publishedAt: null });
    await save(t.ds, 'Announcement', { title: 'Scheduled news of tomorrow', body: 'x', published: true, publishedAt: new Date(Date.now() + 86_400_000) });
    const res = await t.agent().get('/').expect(200);
    expect(res.text).toContain('Acme &lt;Hosting&gt;');
    expect(res.text).toContain('New &lt;script&gt;alert(1)&lt;/script&gt; data centre');
    expect(res.text).not.toContain('<script>alert(1)');
    expect(res.text).toContain('We opened a new site.');
    expect(res.text).not.toContain('Draft news nobody may see');
    expect(res.text).not.toContain('Scheduled news of tomorrow');
    for (const href of ['/store', '/login', '/register']) expect(res.text).toContain(`href="${href}"`);
  });

  it('shows the signed-in client their figures: active services, unpaid and overdue totals, tickets, credit', async () => {
    const c = await signedInCustomer(t, { creditBalance: 1234 });
    await service(t.ds, c.clientId, ids.basic);
    await service(t.ds, c.clientId, ids.basic);
    await service(t.ds, c.clientId, ids.basic, { status: 'suspended' });
    await invoice(t.ds, c.clientId, 1000, { dueDate: addDays(today(), 5) });
    await invoice(t.ds, c.clientId, 2500, { dueDate: addDays(today(), -3), amountPaid: 500 });
    await invoice(t.ds, c.clientId, 7700, { status: 'paid' });
    await invoice(t.ds, c.clientId, 8800, { status: 'cancelled' });
    await invoice(t.ds, c.clientId, 9900, { status: 'draft', invoiceNumber: null });
    await invoice(t.ds, bob.clientId, 4400, { dueDate: addDays(today(), -3) });
    const dept = (await save(t.ds, 'TicketDepartment', { name: `Support ${Date.now()}` })).id;
    for (const [n, status] of [[1, 'open'], [2, 'customer_reply'], [3, 'closed']] as const) {
      await save(t.ds, 'SupportTicket', { ticketNumber: `TKT-${c.clientId}-${n}`, clientId: c.clientId, departmentId: dept, subject: `Ticket ${n}`, status });
    }
    const res = await c.agent.get('/').expect(200);
    const text = res.text.replace(/\s+/g, ' ');
    expect(text).toMatch(/<div class="value">2<\/div> <div class="muted">Active services/);
    expect(text).toMatch(/<div class="value">2<\/div> <div class="muted">Unpaid invoices · due \$30\.00/);
    expect(text).toMatch(/<div class="value">1<\/div> <div class="muted">Overdue invoices · \$20\.00 past due/);
    expect(text).toMatch(/<div class="value">2<\/div> <div class="muted">Open support tickets/);
    expect(text).toContain('<div class="value">$12.34</div>');
    expect(text).toContain('New &lt;script&gt;alert(1)&lt;/script&gt; data centre');
    expect(text).not.toContain('$44.00');
  });

  it('lists the client’s services with product, domain, status, cycle, amount and next due date, page by page', async () => {
    const c = await signedInCustomer(t);
    for (let i = 0; i < 21; i++) await service(t.ds, c.clientId, ids.basic, { domain: `site${i}.example`, recurringAmount: 1000 + i, nextDueDate: '2026-12-05', billingCycle: i % 2 ? 'monthly' : 'annually' });
    await service(t.ds, bob.clientId, ids.basic, { domain: 'bobs-secret.example' });
    const first = await c.agent.get('/services').expect(200);
    expect(first.text).toContain('site20.example');
    expect(first.text).toContain('Basic Hosting');
    expect(first.text).toContain('$10.20');
    expect(first.text).toContain('Annually');
    expect(first.text).toContain('2026-12-05');
    expect(first.text).toContain('Page 1 of 2');
    expect(first.text).not.toContain('bobs-secret.example');
    const second = await c.agent.get('/services?page=2').expect(200);
    expect(second.text).toContain('site0.example');
    expect(second.text).not.toContain('site20.example');
    await c.agent.get('/services?page=abc').expect(200);
  });

  it('shows a service’s details with its server, username, IP and addons, but never its password', async () => {
    const id = await service(t.ds, alice.clientId, ids.cpanel, { domain: 'alice-shop.example', serverId: ids.server, username: 'aliceshp', password: 'Sup3r-Secret-Pw!', dedicatedIp: '203.0.113.7', providerRef: 'aliceshp' });
    const addonId = (await save(t.ds, 'Addon', { name: 'Daily <b>backups</b>' })).id;
    await save(t.ds, 'ServiceAddon', { serviceId: id, addonId, clientId: alice.clientId, name: 'Daily <b>backups</b>', billingCycle: 'monthly', recurringAmount: 300, status: 'active', nextDueDate: '2026-12-05' });
    const res = await alice.agent.get(`/services/${id}`).expect(200);
    for (const s of ['cPanel Starter', 'alice-shop.example', '127.0.0.1', 'aliceshp', '203.0.113.7', 'Daily &lt;b&gt;backups&lt;/b&gt;', '$3.00', 'Log in to control panel']) expect(res.text).toContain(s);
    expect(res.text).not.toContain('Sup3r-Secret-Pw!');
    await alice.agent.get('/services/999999').expect(404);
    await alice.agent.get('/services/abc').expect(404);
  });

  it('logs into the control panel with a one-time link (303 to the panel) only for an active service with an account', async () => {
    whm.addAccount({ user: 'alicesso', domain: 'alice-sso.example', plan: 'starter' });
    const active = await service(t.ds, alice.clientId, ids.cpanel, { serverId: ids.server, username: 'alicesso', providerRef: 'alicesso', domain: 'alice-sso.example' });
    const res = await postForm(alice.agent, `/services/${active}/login`, {});
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^https:\/\/localhost:2083\/cpsess\d+\/login\/\?session=alicesso/);
    expect(whm.callsTo('create_user_session')).toHaveLength(1);

    const noAccount = await service(t.ds, alice.clientId, ids.cpanel, { domain: 'not-yet.example' });
    const refused = await postForm(alice.agent, `/services/${noAccount}/login`, {});
    expect([refused.status, refused.headers.location]).toEqual([303, `/services/${noAccount}`]);
    expect((await alice.agent.get(`/services/${noAccount}`)).text).toContain('has no control panel account yet');

    const suspended = await service(t.ds, alice.clientId, ids.cpanel, { status: 'suspended', serverId: ids.server, username: 'alicesus', providerRef: 'alicesus' });
    const no = await postForm(alice.agent, `/services/${suspended}/login`, {});
    expect(no.headers.location).toBe(`/services/${suspended}`);
    expect((await alice.agent.get(`/services/${suspended}`)).text).toContain('only while it is active');
    expect(whm.callsTo('create_user_session')).toHaveLength(1);

    // Another client's service: 404, and the panel is never asked.
    expect((await postForm(bob.agent, `/services/${active}/login`, {}, '/services')).status).toBe(404);
    expect(whm.callsTo('create_user_session')).toHaveLength(1);
  });

  it('records a cancellation request with its reason, refuses bad input (422) and a second open request', async () => {
    const id = await service(t.ds, alice.clientId, ids.basic, { domain: 'cancel-me.example' });
    const requests = () => t.ds.getRepository('CancellationRequest').find({ where: { serviceId: id } }) as Promise<Array<Record<string, any>>>;

    const blank = await postForm(alice.agent, `/services/${id}/cancel`, { type: 'immediate', reason: '   ' });
    expect(blank.status).toBe(422);
    expect(blank.text).toContain('Tell us why you are cancelling.');
    expect(blank.text).toContain('aria-invalid="true"');
    const badType = await postForm(alice.agent, `/services/${id}/cancel`, { type: 'yesterday', reason: 'Kept <b>typed</b> text' });
    expect(badType.status).toBe(422);
    expect(badType.text).toContain('Choose when the service should end.');
    expect(badType.text).toContain('Kept &lt;b&gt;typed&lt;/b&gt; text');
    expect(await requests()).toHaveLength(0);

    const ok = await postForm(alice.agent, `/services/${id}/cancel`, { type: 'end_of_period', reason: 'Moving to a bigger plan elsewhere' });
    expect([ok.status, ok.headers.location]).toEqual([303, `/services/${id}`]);
    expect((await requests()).map((r) => [r.type, r.reason, r.status, r.clientId])).toEqual([['end_of_period', 'Moving to a bigger plan elsewhere', 'pending', alice.clientId]]);
    expect((await alice.agent.get(`/services/${id}`)).text).toContain('A cancellation was requested');

    const again = await alice.agent.post(`/services/${id}/cancel`).type('form').send({ type: 'immediate', reason: 'Again', _csrf: csrfFrom((await alice.agent.get('/services')).text) });
    expect(again.status).toBe(303);
    expect((await alice.agent.get(`/services/${id}`)).text).toContain('already open');
    expect(await requests()).toHaveLength(1);

    // Another client, and a form without its CSRF token: refused, nothing recorded.
    const other = await service(t.ds, alice.clientId, ids.basic);
    expect((await postForm(bob.agent, `/services/${other}/cancel`, { type: 'immediate', reason: 'Not mine' }, '/services')).status).toBe(404);
    expect((await alice.agent.post(`/services/${other}/cancel`).type('form').send({ type: 'immediate', reason: 'No token' })).status).toBe(403);
    expect(await t.ds.getRepository('CancellationRequest').count({ where: { serviceId: other } })).toBe(0);
  });

  it('keeps another client’s service out of reach: detail, upgrade page and upgrade post answer 404', async () => {
    const id = await service(t.ds, alice.clientId, ids.basic, { domain: 'alice-only.example' });
    const detail = await bob.agent.get(`/services/${id}`);
    expect(detail.status).toBe(404);
    expect(detail.text).not.toContain('alice-only.example');
    expect((await bob.agent.get(`/services/${id}/upgrade`)).status).toBe(404);
    const upgraded = await postForm(bob.agent, `/services/${id}/upgrade`, { productId: String(ids.cpanel) }, '/services');
    expect(upgraded.status).toBe(404);
    expect((await t.ds.getRepository('Service').findOneByOrFail({ id }) as { productId: number }).productId).toBe(ids.basic);
  });

  it('lets a contact see only the parts of the account it was given: no billing means no invoices and no money figures', async () => {
    const email = `helpdesk-${Date.now()}@client.example`;
    const user = await t.ds.getRepository('User').insert({ userType: 'client', email, firstName: 'Hal', lastName: 'Desk', displayName: 'Hal Desk', passwordHash: await bcrypt.hash('contact password 123', 4), status: 'active', emailVerifiedAt: new Date() });
    await save(t.ds, 'ClientContact', { clientId: alice.clientId, userId: user.identifiers[0].id, firstName: 'Hal', lastName: 'Desk', email, permissions: ['support', 'services'] });
    const agent = t.agent();
    await loginClient(agent, email, 'contact password 123');
    const unpaid = await invoice(t.ds, alice.clientId, 6100);
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('Active services');
    expect(home.text).not.toContain('Unpaid invoices');
    expect(home.text).not.toContain('Account credit');
    expect((await agent.get('/invoices')).status).toBe(403);
    expect((await agent.get(`/invoices/${unpaid}`)).status).toBe(403);
    expect((await agent.get(`/invoices/${unpaid}/pdf`)).status).toBe(403);
    expect((await agent.get('/domains')).status).toBe(403);
    await agent.get('/services').expect(200);
  });

  it('lists the client’s domains with status, expiry and auto-renew, and sends visitors to log in', async () => {
    await save(t.ds, 'Domain', { clientId: alice.clientId, domainName: 'alice-domain.example', tld: 'example', status: 'active', expiryDate: '2027-03-01', autoRenew: true, currencyId: (await t.ds.getRepository('Currency').findOneByOrFail({ code: 'USD' }) as { id: number }).id });
    await save(t.ds, 'Domain', { clientId: bob.clientId, domainName: 'bob-domain.example', tld: 'example', status: 'active', expiryDate: '2027-04-01', autoRenew: false, currencyId: (await t.ds.getRepository('Currency').findOneByOrFail({ code: 'USD' }) as { id: number }).id });
    const res = await alice.agent.get('/domains').expect(200);
    expect(res.text).toContain('alice-domain.example');
    expect(res.text).toContain('2027-03-01');
    expect(res.text).toContain('On');
    expect(res.text).not.toContain('bob-domain.example');
    for (const path of ['/domains', '/services', '/invoices']) {
      const anon = await t.agent().get(path);
      expect([anon.status, anon.headers.location]).toEqual([303, `/login?next=${encodeURIComponent(path)}`]);
    }
  });
});
