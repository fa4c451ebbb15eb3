import type { Registrar, RegistrarContact } from '../../src/domain/domains/registrar.js';
import { recordingAnswers } from '../helpers/recording.js';
import { logicBoxesRegistrar } from '../../src/integrations/domains/logicboxes.js';
import { splitPhone } from '../../src/integrations/domains/logicboxes-phone.js';
import { startFakeLogicBoxes, type FakeLogicBoxes } from '../fakes/logicboxes-server.js';

/**
 * The ResellerClub / LogicBoxes module against a fake of the HTTP API on loopback: availability, registration with
 * one customer and contact per client, renewals guarded by the current expiry, transfers with right and wrong codes
 * and their polling, the state mapping of info(), the management calls, and failures (credentials, HTTP errors, a
 * registrar that answers too late). No database is involved; the file still runs under both test engines.
 */
const ada = (over: Partial<RegistrarContact> = {}): RegistrarContact => ({
  firstName: 'Ada', lastName: 'Lovelace', companyName: null, email: 'ada@example.org', phone: '+44 20 7123 4567',
  address1: '12 Analytical Row', address2: null, city: 'London', state: '', postcode: 'N1 9GU', country: 'GB', ...over,
});

const day = (epoch: number | null) => (epoch === null ? null : new Date(epoch * 1000).toISOString().slice(0, 10));

describe('ResellerClub / LogicBoxes registrar module', () => {
  let lb: FakeLogicBoxes;
  let reg: Registrar;
  /** Every failure message any call produced: none may carry the API key. */
  const messages: string[] = [];

  /** The registrar, with every answer's message noted for the API-key check at the end. */
  const watched = (r: Registrar): Registrar => recordingAnswers(r, (out) => {
    const message = (out as { message?: unknown }).message;
    if (typeof message === 'string') messages.push(message);
  });

  beforeAll(async () => {
    lb = await startFakeLogicBoxes();
    reg = watched(logicBoxesRegistrar({ resellerId: lb.resellerId, apiKey: lb.apiKey, testMode: true, apiBase: lb.url, timeoutMs: 2000 }));
  });
  afterAll(async () => {
    await lb.close();
  });

  it('describes itself and tests the connection with the credentials', async () => {
    expect([reg.code, reg.label, reg.manual]).toEqual(['logicboxes', 'ResellerClub / LogicBoxes', false]);
    const ok = await reg.testConnection();
    expect(ok.ok && ok.message).toContain(`as reseller ${lb.resellerId}`);
    const wrong = watched(logicBoxesRegistrar({ resellerId: lb.resellerId, apiKey: 'not-the-key-123', testMode: true, apiBase: lb.url }));
    const refused = await wrong.testConnection();
    expect(refused).toEqual({ ok: false, failure: 'auth', transient: false, message: 'Invalid credentials, or your User account maybe Inactive or Suspended' });
    expect(lb.calls.at(-1)).toMatchObject({ path: 'customers/search', method: 'GET' });
  });

  it('checks availability per ending, with names held elsewhere, in the account, premium or not sold', async () => {
    lb.registered('taken.com');
    lb.own('mine.net', { expiry: '2027-05-01' });
    lb.state.premium.add('gold.com');
    const r = await reg.checkAvailability(['free-one.com', 'taken.com', 'gold.com', 'mine.net', 'free-two.net']);
    expect(r.ok && r.results).toEqual([
      { domain: 'free-one.com', available: true },
      { domain: 'taken.com', available: false },
      { domain: 'gold.com', available: true, premium: true },
      { domain: 'mine.net', available: false },
      { domain: 'free-two.net', available: true },
    ]);
    const asked = lb.callsTo('domains/available').slice(-2).map((c) => [c.params['domain-name'], c.params.tlds]);
    expect(asked).toEqual([[['free-one', 'taken', 'gold'], 'com'], [['mine', 'free-two'], 'net']]);
  });

  it('registers with one customer and one contact per client, the years and nameservers asked, and reads the expiry back', async () => {
    const first = await reg.register({ domain: 'ada-first.com', years: 2, nameservers: ['NS1.Host.example', 'ns2.host.example'], contact: ada(), idProtection: true, clientId: 7 });
    const second = await reg.register({ domain: 'ada-second.org', years: 1, nameservers: ['ns1.host.example', 'ns2.host.example'], contact: ada(), idProtection: false, clientId: 7 });
    const o1 = lb.state.orders.get('ada-first.com')!;
    const o2 = lb.state.orders.get('ada-second.org')!;
    expect(first).toEqual({ ok: true, registrarRef: o1.orderId, expiryDate: day(o1.expiry) });
    expect(second).toEqual({ ok: true, registrarRef: o2.orderId, expiryDate: day(o2.expiry) });
    expect([o1.years, o1.ns, o1.privacy, o2.years, o2.privacy]).toEqual([2, ['ns1.host.example', 'ns2.host.example'], true, 1, false]);
    expect(day(o1.expiry)!.slice(0, 4)).toBe(String(new Date().getUTCFullYear() + 2));
    expect(lb.callsTo('customers/signup')).toHaveLength(1);
    expect(lb.callsTo('contacts/add')).toHaveLength(1);
    expect(o1.customerId).toBe(o2.customerId);
    expect(Object.values(o1.contacts)).toEqual(Array(4).fill(o1.contacts.reg));
    const contact = lb.state.contacts.get(o1.contacts.reg)!;
    expect([contact.name, contact.company, contact.phoneCc, contact.phone, contact.state]).toEqual(['Ada Lovelace', 'N/A', '44', '2071234567', 'Not Applicable']);
    const order = lb.callsTo('domains/register')[0];
    expect([order.method, order.params['invoice-option'], order.params.ns, order.params.years]).toEqual(['POST', 'NoInvoice', ['ns1.host.example', 'ns2.host.example'], '2']);
    expect(lb.callsTo('customers/signup')[0].params.username).toBe('ada@example.org');
  });

  it('refuses a name held by someone else with the registrar’s words, and a contact it cannot send without calling at all', async () => {
    lb.registered('someone-elses.com');
    const taken = await reg.register({ domain: 'someone-elses.com', years: 1, nameservers: [], contact: ada(), idProtection: false, clientId: 7 });
    expect(taken).toEqual({ ok: false, failure: 'rejected', transient: false, message: 'Domain someone-elses.com already registered' });

    const before = lb.calls.length;
    const noPhone = await reg.register({ domain: 'no-phone.com', years: 1, nameservers: [], contact: ada({ phone: 'call me' }), idProtection: false, clientId: 8 });
    const noCountry = await reg.register({ domain: 'no-country.com', years: 1, nameservers: [], contact: ada({ country: '' }), idProtection: false, clientId: 8 });
    expect(noPhone.ok || [noPhone.failure, noPhone.transient]).toEqual(['rejected', false]);
    expect(!noPhone.ok && noPhone.message).toContain("phone number 'call me' cannot be used");
    expect(!noCountry.ok && noCountry.message).toContain('two-letter country code');
    expect(lb.calls.length).toBe(before);
  });

  it('reads phone numbers as people type them', () => {
    expect(splitPhone('+44 20 7123 4567', 'GB')).toEqual({ cc: '44', number: '2071234567' });
    expect(splitPhone('+1.5551234567', 'US')).toEqual({ cc: '1', number: '5551234567' });
    expect(splitPhone('+44 (0)20 7123 4567', 'GB')).toEqual({ cc: '44', number: '2071234567' });
    expect(splitPhone('0044 20 7123 4567', 'FR')).toEqual({ cc: '44', number: '2071234567' });
    expect(splitPhone('+4920123456', 'DE')).toEqual({ cc: '49', number: '20123456' });
    expect(splitPhone('020 7123 4567', 'GB')).toEqual({ cc: '44', number: '2071234567' });
    expect(splitPhone('06 1234 5678', 'IT')).toEqual({ cc: '39', number: '0612345678' });
    expect(splitPhone('(555) 123-4567 ext 12', 'US')).toEqual({ cc: '1', number: '5551234567' });
    expect(splitPhone('12', 'GB')).toBeNull();
    expect(splitPhone('', 'GB')).toBeNull();
    expect(splitPhone('555 1234', 'ZZ')).toBeNull();
  });

  it('answers "unreachable" when the registrar is too slow, and the retry finds the registration that went through', async () => {
    const impatient = watched(logicBoxesRegistrar({ resellerId: lb.resellerId, apiKey: lb.apiKey, testMode: true, apiBase: lb.url, timeoutMs: 250 }));
    lb.delayNext('domains/register', 1200);
    const request = { domain: 'slow-answer.com', years: 1, nameservers: ['ns1.host.example'], contact: ada(), idProtection: false, clientId: 7 };
    const first = await impatient.register(request);
    expect(first.ok || [first.failure, first.transient]).toEqual(['unreachable', true]);
    expect(!first.ok && first.message).toContain('did not answer within 0.3 s');
    const retry = await impatient.register(request);
    const order = lb.state.orders.get('slow-answer.com')!;
    expect(retry).toEqual({ ok: true, registrarRef: order.orderId, expiryDate: day(order.expiry) });
    expect([...lb.state.orders.values()].filter((o) => o.domain === 'slow-answer.com')).toHaveLength(1);
  });

  it('renews by the years asked, and a repeat with the old expiry is refused instead of renewing twice', async () => {
    const order = lb.own('renew-me.com', { expiry: '2027-03-01', customerEmail: 'renewals@example.org' });
    const renewed = await reg.renew({ domain: 'renew-me.com', registrarRef: order.orderId, years: 2, currentExpiry: '2027-03-01' });
    expect(renewed).toEqual({ ok: true, expiryDate: '2029-03-01' });
    expect(lb.callsTo('domains/renew').at(-1)!.params).toMatchObject({ 'order-id': order.orderId, years: '2', 'exp-date': String(Date.parse('2027-03-01T10:30:00Z') / 1000), 'invoice-option': 'NoInvoice' });

    const replay = await reg.renew({ domain: 'renew-me.com', registrarRef: order.orderId, years: 2, currentExpiry: '2027-03-01' });
    expect(replay.ok || [replay.failure, replay.transient]).toEqual(['rejected', false]);
    expect(!replay.ok && replay.message).toContain('does not match the current expiry date of renew-me.com');
    expect(day(lb.state.orders.get('renew-me.com')!.expiry)).toBe('2029-03-01');

    // Without an order id the module looks it up by name first.
    const byName = await reg.renew({ domain: 'renew-me.com', registrarRef: null, years: 1, currentExpiry: '2029-03-01' });
    expect(byName).toEqual({ ok: true, expiryDate: '2030-03-01' });
    expect(lb.callsTo('domains/orderid').at(-1)!.params['domain-name']).toBe('renew-me.com');
    const missing = await reg.renew({ domain: 'never-here.com', registrarRef: null, years: 1, currentExpiry: '2027-01-01' });
    expect(missing.ok || missing.failure).toBe('not_found');
  });

  it('transfers in with the right code, refuses a wrong one with the registrar’s message, and follows the transfer', async () => {
    const code = lb.registered('move-me.com', { expiry: '2027-08-15' });
    const wrong = await reg.transfer({ domain: 'move-me.com', eppCode: 'guess', years: 1, nameservers: [], contact: ada(), idProtection: false, clientId: 7 });
    expect(wrong).toEqual({ ok: false, failure: 'rejected', transient: false, message: 'Invalid Auth Code' });
    const placed = await reg.transfer({ domain: 'move-me.com', eppCode: code, years: 1, nameservers: [], contact: ada(), idProtection: false, clientId: 7 });
    const order = lb.state.orders.get('move-me.com')!;
    expect(placed).toEqual({ ok: true, registrarRef: order.orderId });
    expect(lb.callsTo('domains/transfer').at(-1)!.params['auth-code']).toBe(code);

    // A retried transfer finds the order its first attempt placed.
    const again = await reg.transfer({ domain: 'move-me.com', eppCode: code, years: 1, nameservers: [], contact: ada(), idProtection: false, clientId: 7 });
    expect(again).toEqual({ ok: true, registrarRef: order.orderId });

    const pending = await reg.info('move-me.com', order.orderId);
    expect(pending.ok && [pending.info.status, pending.info.expiryDate, pending.info.message]).toEqual(['pending_transfer', null, 'Transfer waiting for Losing Registrar Approval']);
    lb.completeTransfer('move-me.com');
    const done = await reg.info('move-me.com', null);
    expect(done.ok && [done.info.status, done.info.expiryDate, done.info.locked]).toEqual(['active', '2028-08-15', true]);

    lb.registered('refused.com');
    const code2 = lb.state.elsewhere.get('refused.com')!.authCode;
    const t2 = await reg.transfer({ domain: 'refused.com', eppCode: code2, years: 1, nameservers: [], contact: ada(), idProtection: false, clientId: 7 });
    expect(t2.ok).toBe(true);
    lb.failTransfer('refused.com', 'Transfer rejected by the losing registrar: domain is locked');
    const failed = await reg.info('refused.com', null);
    expect(failed.ok && [failed.info.status, failed.info.message]).toEqual(['transfer_failed', 'Transfer rejected by the losing registrar: domain is locked']);
  });

  it('maps the order to Meridian’s view: dates, nameservers, lock, privacy, expiry, leaving', async () => {
    const o = lb.own('mapped.com', { expiry: '2028-01-20', registered: '2020-01-20', ns: ['ns1.a.example', 'ns2.a.example', 'ns3.a.example'], locked: false, privacy: true });
    const r = await reg.info('mapped.com', null);
    expect(r).toEqual({ ok: true, info: {
      domain: 'mapped.com', registrarRef: o.orderId, status: 'active', expiryDate: '2028-01-20', registrationDate: '2020-01-20',
      nameservers: ['ns1.a.example', 'ns2.a.example', 'ns3.a.example'], locked: false, idProtection: true, message: null,
    } });
    expect(lb.callsTo('domains/details-by-name').at(-1)!.params.options).toBe('All');

    lb.own('lapsed.com', { expiry: '2020-02-01', customerEmail: 'ada@example.org' });
    lb.own('redemption.com', { expiry: '2020-02-01', status: 'Pending Delete Restorable' });
    lb.own('leaving.com', { expiry: '2030-02-01' });
    lb.transferAway('leaving.com');
    const statuses = await Promise.all(['lapsed.com', 'redemption.com', 'leaving.com'].map((d) => reg.info(d, null)));
    expect(statuses.map((s) => s.ok && s.info.status)).toEqual(['expired', 'expired', 'transferred_away']);

    // Renewed elsewhere (by staff in the LogicBoxes panel): the next sync sees the new date.
    lb.setExpiry('mapped.com', '2031-01-20');
    const synced = await reg.info('mapped.com', o.orderId);
    expect(synced.ok && synced.info.expiryDate).toBe('2031-01-20');

    const unknown = await reg.info('nobody.com', null);
    expect(unknown.ok || [unknown.failure, unknown.transient]).toEqual(['not_found', false]);
    expect(!unknown.ok && unknown.message).toContain("Website doesn't exist for nobody.com");
    const badRef = await reg.info('nobody.com', '999');
    expect(badRef.ok || badRef.failure).toBe('not_found');
  });

  it('sets nameservers and the lock, reads the EPP code, and switches privacy', async () => {
    const o = lb.own('manage.com', { expiry: '2028-06-01', authCode: 'Epp-Code-42', privacy: false });
    expect(await reg.setNameservers('manage.com', o.orderId, ['NS1.New.example', 'ns2.new.example'])).toEqual({ ok: true });
    expect(o.ns).toEqual(['ns1.new.example', 'ns2.new.example']);
    // LogicBoxes refuses "no change"; for Meridian that is done.
    expect(await reg.setNameservers('manage.com', o.orderId, ['ns1.new.example', 'ns2.new.example'])).toEqual({ ok: true });

    expect(await reg.setLock('manage.com', null, false)).toEqual({ ok: true });
    expect(o.locked).toBe(false);
    expect(await reg.setLock('manage.com', o.orderId, true)).toEqual({ ok: true });
    expect(o.locked).toBe(true);

    expect(await reg.getEppCode('manage.com', o.orderId)).toEqual({ ok: true, eppCode: 'Epp-Code-42' });

    expect(await reg.setIdProtection('manage.com', o.orderId, true)).toEqual({ ok: true });
    expect([o.privacy, lb.callsTo('domains/purchase-privacy')]).toEqual([true, [expect.objectContaining({ method: 'POST' })]]);
    expect(await reg.setIdProtection('manage.com', o.orderId, false)).toEqual({ ok: true });
    expect(o.privacy).toBe(false);
    expect(lb.callsTo('domains/modify-privacy-protection').at(-1)!.params).toMatchObject({ 'protect-privacy': 'false' });

    lb.own('private.co.uk', { expiry: '2028-06-01' });
    const uk = await reg.setIdProtection('private.co.uk', null, true);
    expect(uk.ok || uk.failure).toBe('unsupported');
    const gone = await reg.setNameservers('gone.com', null, ['ns1.x.example']);
    expect(gone.ok || gone.failure).toBe('not_found');
  });

  it('reads the registrant and points one domain at new contact details without touching the client’s other domains', async () => {
    await reg.register({ domain: 'contact-a.com', years: 1, nameservers: [], contact: ada({ email: 'grace@example.org', firstName: 'Grace', lastName: 'Hopper', companyName: 'Navy Labs', phone: '+1.5551234567', country: 'US', state: 'VA' }), idProtection: false, clientId: 9 });
    await reg.register({ domain: 'contact-b.com', years: 1, nameservers: [], contact: ada({ email: 'grace@example.org', firstName: 'Grace', lastName: 'Hopper', companyName: 'Navy Labs', phone: '+1.5551234567', country: 'US', state: 'VA' }), idProtection: false, clientId: 9 });
    const got = await reg.getContact('contact-a.com', null);
    expect(got.ok && got.contact).toEqual({
      firstName: 'Grace', lastName: 'Hopper', companyName: 'Navy Labs', email: 'grace@example.org', phone: '+1.5551234567',
      address1: '12 Analytical Row', address2: null, city: 'London', state: 'VA', postcode: 'N1 9GU', country: 'US',
    });
    const a = lb.state.orders.get('contact-a.com')!;
    const b = lb.state.orders.get('contact-b.com')!;
    expect(a.contacts.reg).toBe(b.contacts.reg);

    const moved = ada({ email: 'grace@example.org', firstName: 'Grace', lastName: 'Hopper', companyName: 'Navy Labs', phone: '+1 (555) 765-4321', country: 'US', state: 'VA', address1: '1 New Street' });
    expect(await reg.setContact('contact-a.com', a.orderId, moved)).toEqual({ ok: true });
    expect(a.contacts.reg).not.toBe(b.contacts.reg);
    expect(Object.values(a.contacts)).toEqual(Array(4).fill(a.contacts.reg));
    expect(lb.state.contacts.get(a.contacts.reg)).toMatchObject({ address1: '1 New Street', phoneCc: '1', phone: '5557654321' });
    expect(lb.state.contacts.get(b.contacts.reg)).toMatchObject({ address1: '12 Analytical Row' });
    // Saving the same details again is not an error.
    expect(await reg.setContact('contact-a.com', a.orderId, moved)).toEqual({ ok: true });
    const bad = await reg.setContact('contact-a.com', a.orderId, { ...moved, phone: '' });
    expect(bad.ok || bad.failure).toBe('rejected');
  });

  it('tells server errors (retry) from refusals (final), whatever HTTP status the error comes with', async () => {
    lb.own('flaky.com', { expiry: '2028-01-01' });
    lb.failNext('domains/details-by-name', { status: 503 });
    const down = await reg.info('flaky.com', null);
    expect(down).toEqual({ ok: false, failure: 'unreachable', transient: true, message: 'ResellerClub / LogicBoxes answered HTTP 503 (server error); try again later.' });
    lb.failNext('domains/details-by-name', { status: 500, message: 'Order is currently locked for processing' });
    const refused = await reg.info('flaky.com', null);
    expect(refused).toEqual({ ok: false, failure: 'rejected', transient: false, message: 'Order is currently locked for processing' });
    lb.failNext('domains/details-by-name', { status: 200, message: 'System is under maintenance, please try again later' });
    const later = await reg.info('flaky.com', null);
    expect(later.ok || [later.failure, later.transient]).toEqual(['rejected', true]);

    lb.failNext('domains/register', { status: 200, as: 'failed-action', message: 'Insufficient funds in the reseller account' });
    const broke = await reg.register({ domain: 'no-funds.com', years: 1, nameservers: [], contact: ada(), idProtection: false, clientId: 7 });
    expect(broke).toEqual({ ok: false, failure: 'rejected', transient: false, message: 'Insufficient funds in the reseller account' });
    expect(lb.state.orders.has('no-funds.com')).toBe(false);

    const quiet = await startFakeLogicBoxes({ errorStatus: 200 });
    try {
      const r = logicBoxesRegistrar({ resellerId: quiet.resellerId, apiKey: quiet.apiKey, testMode: true, apiBase: quiet.url });
      const nf = await r.info('absent.com', null);
      expect(nf.ok || nf.failure).toBe('not_found');
      const closed = logicBoxesRegistrar({ resellerId: '1', apiKey: 'abcdef', testMode: false, apiBase: 'http://127.0.0.1:1/api', timeoutMs: 500 });
      const refusedConn = await closed.testConnection();
      expect(refusedConn.ok || [refusedConn.failure, refusedConn.transient]).toEqual(['unreachable', true]);
    } finally {
      await quiet.close();
    }
  });

  it('never lets the API key into a message', () => {
    expect(messages.length).toBeGreaterThan(10);
    for (const m of messages) expect(m).not.toContain(lb.apiKey);
    // Writes carry the key in the form body, never in the URL; reads can only carry it in the query string.
    const posts = lb.calls.filter((x) => x.method === 'POST');
    expect(posts.length).toBeGreaterThan(10);
    for (const c of posts) expect([c.params['api-key'], c.queryKeys.includes('api-key')]).toEqual([lb.apiKey, false]);
  });
});
