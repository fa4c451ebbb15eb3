import { startTestApp, type TestApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import { csrfFrom, csrfOf, type Agent } from '../helpers/auth.js';
import { createClientUser, loginClient } from '../helpers/client.js';
import * as fx from '../helpers/billing-fixtures.js';
import { startFakeLogicBoxes, type FakeLogicBoxes } from '../fakes/logicboxes-server.js';
import { startFakeWhois, type FakeWhois } from '../fakes/whois-server.js';
import { payInFull, runDueJobs, sellTld, useFakeRegistrar } from '../helpers/domains.js';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server.js';
import { businessDate } from '../../src/domain/shared/clock.js';
import { addYears } from '../../src/domain/domains/manual-registrar.js';
import { DOMAIN_SEARCH_LIMIT } from '../../src/domain/domains/search.js';
import { readCart } from '../../src/domain/cart/cart.js';

type Row = Record<string, any>;

/**
 * Domains in the client area, over HTTP against the real app with a WHOIS registry and the LogicBoxes API faked on
 * loopback: the search page (statuses, prices, refusals, the per-address limit), domains in the cart and through
 * checkout on the same order and invoice as hosting, registration and transfer once paid, and the domain page's
 * management — nameservers, lock, EPP code, auto-renew, renewal through an invoice — limited to the client's own.
 */
describe(`client area domains on ${testEngine()}`, () => {
  let t: TestApp;
  let lb: FakeLogicBoxes;
  let whois: FakeWhois;
  let smtp: FakeSmtp;
  let usd: number;
  let today: string;
  let hostingId: number;

  const day = (epoch: number | null) => (epoch === null ? null : new Date(epoch * 1000).toISOString().slice(0, 10));
  const domain = async (where: Row) => (await t.ds.getRepository('Domain').findOneByOrFail(where)) as Row;
  const profile = { phone: '+1 212 555 0142', address1: '1 Compiler Way', city: 'New York', state: 'NY', postcode: '10001', country: 'US' };

  async function signedIn() {
    const agent = t.agent();
    const user = await createClientUser(t.ds, { over: profile });
    await loginClient(agent, user.email, user.password);
    return { agent, ...user };
  }
  async function post(agent: Agent, path: string, form: Record<string, string>, from = '/cart') {
    const csrf = await csrfOf(agent, from);
    return agent.post(path).type('form').send({ ...form, _csrf: csrf });
  }
  async function checkout(agent: Agent) {
    const res = await post(agent, '/checkout', { acceptTerms: '1' }, '/checkout');
    expect(res.status).toBe(303);
    const invoiceId = Number(/^\/invoices\/(\d+)$/.exec(res.headers.location)![1]);
    return invoiceId;
  }
  const pay = (invoiceId: number) => payInFull(t, invoiceId);
  const runJobs = () => runDueJobs(t);
  /** Searches count against the address's limit; tests other than the limit's start from a clean slate. */
  const resetSearchLimit = () => t.ds.getRepository('LoginThrottle').clear();

  beforeAll(async () => {
    smtp = await startFakeSmtp();
    lb = await startFakeLogicBoxes();
    whois = await startFakeWhois();
    const registry = { host: whois.host, port: whois.port, available: /^No match for "/im };
    t = await startTestApp({ SMTP_URL: smtp.url }, { domains: { apiBases: { logicboxes: lb.url }, timeoutMs: 2000, whois: { servers: { com: registry, net: registry }, rdapServers: {}, timeoutMs: 2000 } } });
    today = businessDate(new Date(), 'UTC');
    await useFakeRegistrar(t, lb);
    usd = await fx.currency(t.ds, 'USD');
    await sellTld(t, '.com', { currencyId: usd, sortOrder: 1, register: 1200, renew: 1400, transfer: 1000, transferYears: [1] });
    await sellTld(t, '.net', { currencyId: usd, sortOrder: 2, register: 1500, renew: 1600, transfer: 1100, transferYears: [1] });

    const category = (await t.ds.getRepository('ProductCategory').save(t.ds.getRepository('ProductCategory').create({ name: 'Web Hosting', slug: 'hosting' }))) as Row;
    const hosting = (await t.ds.getRepository('Product').save(t.ds.getRepository('Product').create({ categoryId: category.id, name: 'Starter', slug: 'starter', paymentType: 'recurring', taxable: true, module: 'none', autoSetup: 'never', requireDomain: true }))) as Row;
    hostingId = hosting.id;
    await t.ds.getRepository('ProductPrice').save(t.ds.getRepository('ProductPrice').create({ productId: hostingId, addonId: null, configOptionChoiceId: null, currencyId: usd, cycle: 'monthly', price: 1000, setupFee: 0, enabled: true }));
  });

  afterAll(async () => {
    await t?.close();
    await lb?.close();
    await whois?.close();
    await smtp?.close();
  });

  beforeEach(() => resetSearchLimit());

  it('registers a searched name for two years with its nameservers, then manages and renews it from its page', async () => {
    const { agent, clientId } = await signedIn();
    const search = await agent.get('/domains/search?q=Meridian-Flow.com').expect(200);
    expect(search.text).toContain('<strong>meridian-flow.com</strong>');
    expect(search.text).toContain('Available');
    expect(search.text).toContain('<option value="2" >2 years: $24.00</option>');
    // Suggestions under the other ending sold, and the price list below the form.
    expect(search.text).toContain('meridian-flow.net');
    expect(search.text).toMatch(/<strong>\.com<\/strong><\/td><td data-label="Register" class="num">\$12\.00<\/td><td data-label="Renew" class="num">\$14\.00<\/td><td data-label="Transfer" class="num">\$10\.00/);

    const add = await agent.post('/cart/domain').type('form').send({ _csrf: csrfFrom(search.text), domain: 'meridian-flow.com', action: 'register', years: '2', nameservers: 'NS1.Flow-DNS.example\nns2.flow-dns.example', price: '1' });
    expect([add.status, add.headers.location]).toEqual([303, '/cart']);
    const cart = await agent.get('/cart').expect(200);
    expect(cart.text).toContain('meridian-flow.com (registration, 2 years) is in your cart.');
    expect(cart.text).toContain('Domain registration');
    expect(cart.text).toContain('ns1.flow-dns.example\nns2.flow-dns.example');
    expect(cart.text).toMatch(/Total due today<\/th><td class="num"><strong>\$24\.00<\/strong>/);
    const page = await agent.get('/checkout').expect(200);
    expect(page.text).toContain('Nameservers: ns1.flow-dns.example');

    const invoiceId = await checkout(agent);
    const invoice = (await t.ds.getRepository('Invoice').findOneByOrFail({ id: invoiceId })) as Row;
    expect([invoice.clientId, invoice.status, invoice.total]).toEqual([clientId, 'unpaid', 2400]);
    const pending = await domain({ domainName: 'meridian-flow.com' });
    expect([pending.clientId, pending.status, pending.registrationPeriod, pending.nameservers]).toEqual([clientId, 'pending', 2, ['ns1.flow-dns.example', 'ns2.flow-dns.example']]);
    expect((await agent.get('/cart').expect(200)).text).toContain('Your cart is empty');

    await pay(invoiceId);
    await runJobs();
    const order = lb.state.orders.get('meridian-flow.com')!;
    expect([order.years, order.ns]).toEqual([2, ['ns1.flow-dns.example', 'ns2.flow-dns.example']]);
    const expiry = day(order.expiry)!;
    expect(expiry).toBe(addYears(today, 2));
    const active = await domain({ id: pending.id });
    expect([active.status, active.expiryDate]).toEqual(['active', expiry]);

    const list = await agent.get('/domains').expect(200);
    expect(list.text).toContain(`<a href="/domains/${active.id}">meridian-flow.com</a>`);
    expect(list.text).toContain(`<a href="/domains/${active.id}#renew-heading">Renew</a>`);
    let show = await agent.get(`/domains/${active.id}`).expect(200);
    expect(show.text).toContain('<span class="badge active">Active</span>');
    expect(show.text).toContain(`<tr><th scope="row">Expires</th><td>${expiry}</td></tr>`);

    // Nameservers reach the registrar.
    let res = await agent.post(`/domains/${active.id}/nameservers`).type('form').send({ _csrf: csrfFrom(show.text), nameservers: 'ns1.newhost.example\nns2.newhost.example\nns3.newhost.example' });
    expect([res.status, res.headers.location]).toEqual([303, `/domains/${active.id}`]);
    expect(lb.state.orders.get('meridian-flow.com')!.ns).toEqual(['ns1.newhost.example', 'ns2.newhost.example', 'ns3.newhost.example']);
    show = await agent.get(`/domains/${active.id}`).expect(200);
    expect(show.text).toContain('Nameservers of meridian-flow.com set to ns1.newhost.example, ns2.newhost.example, ns3.newhost.example.');
    const bad = await agent.post(`/domains/${active.id}/nameservers`).type('form').send({ _csrf: csrfFrom(show.text), nameservers: 'only-one.example' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Give at least two nameservers');
    expect(bad.text).toContain('only-one.example</textarea>');

    // The lock, both ways.
    const lockedBefore = lb.state.orders.get('meridian-flow.com')!.locked;
    res = await agent.post(`/domains/${active.id}/lock`).type('form').send({ _csrf: csrfFrom(show.text), locked: lockedBefore ? 'off' : 'on' });
    expect(res.status).toBe(303);
    expect(lb.state.orders.get('meridian-flow.com')!.locked).toBe(!lockedBefore);
    expect((await domain({ id: active.id })).registrarLock).toBe(!lockedBefore);
    res = await agent.post(`/domains/${active.id}/lock`).type('form').send({ _csrf: csrfFrom(show.text), locked: 'on' });
    expect(res.status).toBe(303);
    expect(lb.state.orders.get('meridian-flow.com')!.locked).toBe(true);
    show = await agent.get(`/domains/${active.id}`).expect(200);
    expect(show.text).toContain('meridian-flow.com is locked: it cannot be transferred away.');
    expect(show.text).toContain('Unlock for transfer');

    // The EPP code: on the answer to the POST only.
    const authCode = lb.state.orders.get('meridian-flow.com')!.authCode;
    const epp = await agent.post(`/domains/${active.id}/epp`).type('form').send({ _csrf: csrfFrom(show.text) });
    expect(epp.status).toBe(200);
    expect(epp.text).toContain(authCode);
    expect(epp.headers.location).toBeUndefined();
    const again = await agent.get(`/domains/${active.id}`).expect(200);
    expect(again.text).not.toContain(authCode);
    const sessions = JSON.stringify(await t.ds.getRepository('Session').find());
    expect(sessions).not.toContain(authCode);

    // ID protection on.
    res = await agent.post(`/domains/${active.id}/id-protection`).type('form').send({ _csrf: csrfFrom(again.text), enabled: 'on' });
    expect(res.status).toBe(303);
    expect(lb.state.orders.get('meridian-flow.com')!.privacy).toBe(true);
    expect((await domain({ id: active.id })).idProtection).toBe(true);

    // A changed profile sent to the registry as the registrant.
    await t.ds.getRepository('Client').update({ id: clientId }, { address1: '77 New Street' });
    res = await agent.post(`/domains/${active.id}/contact`).type('form').send({ _csrf: csrfFrom(again.text) });
    expect(res.status).toBe(303);
    expect(lb.state.contacts.get(order.contacts.reg)!.address1).toBe('77 New Street');

    // Auto-renew off.
    res = await agent.post(`/domains/${active.id}/auto-renew`).type('form').send({ _csrf: csrfFrom(again.text), autoRenew: 'off' });
    expect(res.status).toBe(303);
    expect((await domain({ id: active.id })).autoRenew).toBe(false);
    expect((await agent.get(`/domains/${active.id}`).expect(200)).text).toContain('Auto-renew is off: renew it yourself before it expires for meridian-flow.com.');

    // Renew one year: an invoice, paid, then the registrar.
    show = await agent.get(`/domains/${active.id}`).expect(200);
    expect(show.text).toContain('<option value="1">1 year: $14.00</option>');
    res = await agent.post(`/domains/${active.id}/renew`).type('form').send({ _csrf: csrfFrom(show.text), years: '1' });
    expect(res.status).toBe(303);
    const renewalId = Number(/^\/invoices\/(\d+)$/.exec(res.headers.location)![1]);
    expect(renewalId).not.toBe(invoiceId);
    const renewal = (await t.ds.getRepository('Invoice').findOneByOrFail({ id: renewalId })) as Row;
    expect([renewal.clientId, renewal.total, renewal.status]).toEqual([clientId, 1400, 'unpaid']);
    expect((await agent.get(res.headers.location).expect(200)).text).toContain('The domain is renewed as soon as it is paid.');
    await pay(renewalId);
    await runJobs();
    expect(day(lb.state.orders.get('meridian-flow.com')!.expiry)).toBe(addYears(expiry, 1));
    expect((await domain({ id: active.id })).expiryDate).toBe(addYears(expiry, 1));
  });

  it('puts hosting and the registration of its domain on one order and one invoice, the domain linked to the service', async () => {
    const { agent, clientId } = await signedIn();
    const form = await agent.get(`/store/product/${hostingId}`).expect(200);
    expect(form.text).toContain('name="domainOption" value="register"');
    expect(form.text).toContain('I will use a domain I own');
    const add = await agent.post('/cart/add').type('form').send({ _csrf: csrfFrom(form.text), productId: String(hostingId), cycle: 'monthly', domain: 'hosted-shop.com', domainOption: 'register', intent: 'add' });
    expect([add.status, add.headers.location]).toEqual([303, '/cart']);
    const cart = await agent.get('/cart').expect(200);
    expect(cart.text).toContain('Starter and the registration of hosted-shop.com added to your cart.');
    expect(cart.text).toMatch(/Total due today<\/th><td class="num"><strong>\$22\.00<\/strong>/);

    const invoiceId = await checkout(agent);
    expect(await t.ds.getRepository('Invoice').countBy({ clientId })).toBe(1);
    const invoice = (await t.ds.getRepository('Invoice').findOneByOrFail({ id: invoiceId })) as Row;
    expect(invoice.total).toBe(2200);
    const items = (await t.ds.getRepository('InvoiceItem').find({ where: { invoiceId } })) as Row[];
    expect(items.map((i) => i.itemType).sort()).toEqual(['domain', 'service']);
    const service = (await t.ds.getRepository('Service').findOneByOrFail({ clientId })) as Row;
    const d = await domain({ domainName: 'hosted-shop.com' });
    expect([d.clientId, d.serviceId, d.orderId, service.domain]).toEqual([clientId, service.id, service.orderId, 'hosted-shop.com']);

    // A name already registered elsewhere is refused for registration on the same form, and nothing is added.
    whois.registered.add('taken-shop.com');
    const other = await signedIn();
    const refused = await post(other.agent, '/cart/add', { productId: String(hostingId), cycle: 'monthly', domain: 'taken-shop.com', domainOption: 'register', intent: 'add' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('taken-shop.com is already registered. If it is yours, transfer it to us instead.');
    expect(refused.text).toContain('name="domainOption" value="register" checked');
    expect((await other.agent.get('/cart').expect(200)).text).toContain('Your cart is empty');
  });

  it('orders a transfer with its EPP code and submits it to the registrar once paid', async () => {
    const authCode = lb.registered('moving-in.com', { authCode: 'Xfer#Code-42' });
    whois.registered.add('moving-in.com');
    const { agent, clientId } = await signedIn();
    const search = await agent.get('/domains/search?q=moving-in.com').expect(200);
    expect(search.text).toContain('Registered');
    expect(search.text).toContain('Transfer: $10.00');
    expect(search.text).toContain('href="/domains/transfer?domain=moving-in.com"');
    expect(search.text).not.toMatch(/name="domain" value="moving-in\.com"/);

    const form = await agent.get('/domains/transfer?domain=moving-in.com').expect(200);
    expect(form.text).toContain('EPP (auth) code');
    expect(form.text).toContain('1 year: $10.00');
    const noCode = await agent.post('/cart/domain').type('form').send({ _csrf: csrfFrom(form.text), domain: 'moving-in.com', action: 'transfer', years: '1' });
    expect(noCode.status).toBe(422);
    expect(noCode.text).toContain('A transfer of moving-in.com needs the EPP (auth) code from its current registrar.');
    const free = await agent.post('/cart/domain').type('form').send({ _csrf: csrfFrom(form.text), domain: 'nobody-has-this.com', action: 'transfer', years: '1', eppCode: 'x' });
    expect(free.status).toBe(422);
    expect(free.text).toContain('nobody-has-this.com is not registered yet, so there is nothing to transfer: register it instead.');
    const twoYears = await agent.post('/cart/domain').type('form').send({ _csrf: csrfFrom(form.text), domain: 'moving-in.com', action: 'transfer', years: '2', eppCode: authCode });
    expect(twoYears.status).toBe(422);
    expect(twoYears.text).toContain('Transfer of .com is not offered for 2 years in USD.');

    const add = await agent.post('/cart/domain').type('form').send({ _csrf: csrfFrom(form.text), domain: 'moving-in.com', action: 'transfer', years: '1', eppCode: authCode });
    expect(add.status).toBe(303);
    const cart = await agent.get('/cart').expect(200);
    expect(cart.text).toContain('Domain transfer');
    expect(cart.text).toContain('EPP code given.');
    expect(cart.text).not.toContain(authCode);

    const invoiceId = await checkout(agent);
    expect(((await t.ds.getRepository('Invoice').findOneByOrFail({ id: invoiceId })) as Row).total).toBe(1000);
    const d = await domain({ domainName: 'moving-in.com' });
    expect([d.clientId, d.registrationType, d.status, d.eppCode]).toEqual([clientId, 'transfer', 'pending', authCode]);
    await pay(invoiceId);
    await runJobs();
    expect(lb.callsTo('domains/transfer')).toHaveLength(1);
    expect(lb.state.orders.get('moving-in.com')?.transfer?.status).toBe('pending');
    expect((await domain({ id: d.id })).status).toBe('pending_transfer');
    const page = await agent.get(`/domains/${d.id}`).expect(200);
    expect(page.text).toContain('The transfer is waiting for the current registrar');
    expect(page.text).not.toContain('/epp"');
  });

  it('changes the term and nameservers of a domain in the cart, and removes it', async () => {
    const agent = t.agent();
    const search = await agent.get('/domains/search?q=cart-change.net').expect(200);
    expect((await agent.post('/cart/domain').type('form').send({ _csrf: csrfFrom(search.text), domain: 'cart-change.net', action: 'register', years: '1' })).status).toBe(303);
    let cart = await agent.get('/cart').expect(200);
    const line = /name="line" value="([0-9a-f]+)"/.exec(cart.text)![1];
    expect(cart.text).toMatch(/Total due today<\/th><td class="num"><strong>\$15\.00<\/strong>/);
    expect((await agent.post('/cart/domain/update').type('form').send({ _csrf: csrfFrom(cart.text), line, years: '3', nameservers: 'ns1.a.example ns2.a.example', amount: '1' })).status).toBe(303);
    cart = await agent.get('/cart').expect(200);
    expect(cart.text).toContain('<option value="3" selected>3 years: $45.00</option>');
    expect(cart.text).toMatch(/Total due today<\/th><td class="num"><strong>\$45\.00<\/strong>/);
    expect(cart.text).toContain('ns1.a.example\nns2.a.example</textarea>');
    expect((await agent.post('/cart/domain/update').type('form').send({ _csrf: csrfFrom(cart.text), line, years: '7' })).status).toBe(303);
    cart = await agent.get('/cart').expect(200);
    expect(cart.text).toContain('cart-change.net: Registration of .net is not offered for 7 years in USD.');
    expect(cart.text).toContain('<option value="3" selected>');
    expect((await agent.post('/cart/domain/remove').type('form').send({ _csrf: csrfFrom(cart.text), line })).status).toBe(303);
    expect((await agent.get('/cart').expect(200)).text).toContain('Your cart is empty');
  });

  it('shows the order service’s refusal of a domain line on that line at checkout, writing nothing', async () => {
    const holder = await createClientUser(t.ds, { over: profile });
    await t.ds.getRepository('Domain').save(t.ds.getRepository('Domain').create({ clientId: holder.clientId, currencyId: usd, domainName: 'already-ours.com', tld: '.com', status: 'active', registrationType: 'register', registrationPeriod: 1 }));
    const { agent, clientId } = await signedIn();
    expect((await post(agent, '/cart/add', { productId: String(hostingId), cycle: 'monthly', domain: 'my-site.com', domainOption: 'own', intent: 'add' })).status).toBe(303);
    expect((await post(agent, '/cart/domain', { domain: 'already-ours.com', action: 'register', years: '1' })).status).toBe(303);
    const res = await post(agent, '/checkout', { acceptTerms: '1' }, '/checkout');
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/<span class="muted">already-ours\.com<\/span>\s*<p class="field-error" role="alert">Line 2: already-ours\.com is already registered with us\./);
    expect(await t.ds.getRepository('Order').countBy({ clientId })).toBe(0);
  });

  it('reads a tampered session cart defensively, keeping only well-formed domain lines', () => {
    const cart = readCart({
      lines: [],
      domains: [
        { id: 'a1', domain: 'good.com', action: 'register', years: 2, eppCode: 'leak', nameservers: ['ns1.x.example', 'ns2.x.example'], price: 1 },
        { id: 'a2', domain: 'good.com', action: 'register', years: 1 },
        { id: 'a3', domain: 'bad name.com', action: 'register', years: 1 },
        { id: 'a4', domain: 'x.com', action: 'steal', years: 1 },
        { id: 'a5', domain: 'y.com', action: 'transfer', years: 11 },
        { id: 'a6', domain: 'z.com', action: 'transfer', years: 1, eppCode: 'abc', nameservers: ['only.one.example'] },
        'junk',
      ],
    });
    expect(cart.domains).toEqual([
      { id: 'a1', domain: 'good.com', action: 'register', years: 2, eppCode: null, nameservers: ['ns1.x.example', 'ns2.x.example'] },
      { id: 'a6', domain: 'z.com', action: 'transfer', years: 1, eppCode: 'abc', nameservers: null },
    ]);
    expect(readCart(undefined).domains).toEqual([]);
  });

  it('explains invalid names, endings not sold and shows IDNs in Unicode, escaping what was typed', async () => {
    const agent = t.agent();
    const invalid = await agent.get(`/domains/search?q=${encodeURIComponent('-bad-.com')}`);
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain('Each part of a domain name uses letters, digits and hyphens, and cannot start or end with a hyphen.');
    const unsold = await agent.get('/domains/search?q=example.xyz');
    expect(unsold.status).toBe(422);
    expect(unsold.text).toContain('We do not sell domains ending in .xyz. Choose another ending.');
    const markup = await agent.get(`/domains/search?q=${encodeURIComponent('<script>x</script>.com')}`);
    expect(markup.status).toBe(422);
    expect(markup.text).not.toContain('<script>x');
    expect(markup.text).toContain('&lt;script&gt;');

    const word = await agent.get('/domains/search?q=newbrand').expect(200);
    expect(word.text).toContain('Names for “newbrand”');
    expect(word.text).toContain('name="domain" value="newbrand.com"');
    expect(word.text).toContain('name="domain" value="newbrand.net"');

    const idn = await agent.get(`/domains/search?q=${encodeURIComponent('Bücher.com')}`).expect(200);
    expect(idn.text).toContain('<strong>bücher.com</strong>');
    expect(idn.text).toContain('name="domain" value="xn--bcher-kva.com"');
    expect(whois.queries).toContain('xn--bcher-kva.com');
    // Into the cart and through to the order in registry form, shown in Unicode.
    expect((await agent.post('/cart/domain').type('form').send({ _csrf: csrfFrom(idn.text), domain: 'xn--bcher-kva.com', action: 'register', years: '1' })).status).toBe(303);
    expect((await agent.get('/cart').expect(200)).text).toContain('<span class="muted">bücher.com</span>');

    const noName = await agent.post('/cart/domain').type('form').send({ _csrf: csrfFrom(idn.text), domain: 'not a name', action: 'register', years: '1' });
    expect(noName.status).toBe(422);
    expect(noName.text).toContain('is not a domain name');
  });

  it('shows another client’s domain as missing and lets no one change it', async () => {
    const owner = await signedIn();
    const stranger = await signedIn();
    lb.own('owned-elsewhere.com', { expiry: addYears(today, 1), locked: true });
    const saved = (await t.ds.getRepository('Domain').save(t.ds.getRepository('Domain').create({
      clientId: owner.clientId, currencyId: usd, domainName: 'owned-elsewhere.com', tld: '.com', registrar: 'logicboxes', registrarRef: lb.state.orders.get('owned-elsewhere.com')!.orderId,
      status: 'active', registrationType: 'register', registrationPeriod: 1, expiryDate: addYears(today, 1), nextDueDate: addYears(today, 1), nextInvoiceDate: addYears(today, 1), registrarLock: true, autoRenew: true,
    }))) as Row;
    await owner.agent.get(`/domains/${saved.id}`).expect(200);
    await stranger.agent.get(`/domains/${saved.id}`).expect(404);
    const csrf = await csrfOf(stranger.agent, '/domains');
    for (const [path, form] of [['lock', { locked: 'off' }], ['auto-renew', { autoRenew: 'off' }], ['epp', {}], ['renew', { years: '1' }], ['nameservers', { nameservers: 'ns1.evil.example\nns2.evil.example' }]] as const) {
      expect((await stranger.agent.post(`/domains/${saved.id}/${path}`).type('form').send({ ...form, _csrf: csrf })).status).toBe(404);
    }
    const after = await domain({ id: saved.id });
    expect([after.registrarLock, after.autoRenew]).toEqual([true, true]);
    expect(lb.state.orders.get('owned-elsewhere.com')!.locked).toBe(true);
    expect(await t.ds.getRepository('Invoice').countBy({ clientId: stranger.clientId })).toBe(0);
    await t.agent().get(`/domains/${saved.id}`).expect(303);
    await owner.agent.get('/domains/999999').expect(404);

    // Without the CSRF token: refused, nothing changed.
    const forged = await owner.agent.post(`/domains/${saved.id}/auto-renew`).type('form').send({ autoRenew: 'off' });
    expect(forged.status).toBe(403);
    expect((await domain({ id: saved.id })).autoRenew).toBe(true);
    const forgedLock = await owner.agent.post(`/domains/${saved.id}/lock`).type('form').send({ locked: 'off', _csrf: 'not-the-token' });
    expect(forgedLock.status).toBe(403);
    expect(lb.state.orders.get('owned-elsewhere.com')!.locked).toBe(true);
    const forgedCart = await owner.agent.post('/cart/domain').type('form').send({ domain: 'forged.com', action: 'register', years: '1' });
    expect(forgedCart.status).toBe(403);
    expect((await owner.agent.get('/cart').expect(200)).text).toContain('Your cart is empty');
  });

  it('limits searches per address, answering 429 with a clear message', async () => {
    const agent = t.agent();
    for (let i = 0; i < DOMAIN_SEARCH_LIMIT.max; i++) await agent.get(`/domains/search?q=limit-${i % 3}.com`).expect(200);
    const asked = whois.queries.length;
    const refused = await agent.get('/domains/search?q=limit-9.com');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.text).toContain(`You have searched ${DOMAIN_SEARCH_LIMIT.max} times in a short while. Please wait`);
    expect(whois.queries.length).toBe(asked);
    // The form and the price list alone are not searches.
    await agent.get('/domains/search').expect(200);
    // Past the allowance, adding a name to the cart asks no registry: the registrar has the last word.
    whois.registered.add('limit-taken.com');
    const add = await post(agent, '/cart/domain', { domain: 'limit-taken.com', action: 'register', years: '1' });
    expect(add.status).toBe(303);
    expect(whois.queries.length).toBe(asked);
  });
});
