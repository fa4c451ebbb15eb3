import { startTestApp, createStaff, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/auth.js';
import { testEngine } from '../helpers/db.js';
import * as fx from '../helpers/billing-fixtures.js';
import { startFakeLogicBoxes, type FakeLogicBoxes } from '../fakes/logicboxes-server.js';
import { sellTld, useFakeRegistrar } from '../helpers/domains.js';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server.js';
import { businessDate } from '../../src/domain/shared/clock.js';
import { addYears } from '../../src/domain/domains/manual-registrar.js';

type Row = Record<string, any>;
type Agent = ReturnType<TestApp['agent']>;

/**
 * The staff side of domains in the admin over HTTP, against the real app and the LogicBoxes fake on loopback:
 * Register and Transfer of pending domains, Renew, nameservers, the EPP code (shown once, never in the audit log),
 * lock and ID protection, Sync, Mark registered, bulk Renew and Sync with one domain failing, and who may use them.
 */
describe(`domain actions in the admin on ${testEngine()}`, () => {
  let t: TestApp;
  let lb: FakeLogicBoxes;
  let smtp: FakeSmtp;
  let admin: Agent;
  let billing: Agent;
  let support: Agent;
  let currencyId: number;
  let clientId: number;
  let clientEmail: string;
  let today: string;

  const url = (id: number, action: string) => `/admin/api/resources/Domain/records/${id}/${action}`;
  const bulkUrl = (ids: number[], action: string) => `/admin/api/resources/Domain/bulk/${action}?recordIds=${ids.join(',')}`;
  const post = (agent: Agent, path: string, form: Record<string, string> = {}) => agent.post(path).type('form').send(form);
  const fromAdminPage = { 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'cors' };
  const domain = async (id: number) => (await t.ds.getRepository('Domain').findOneByOrFail({ id })) as Row;
  const atRegistry = (name: string) => lb.state.orders.get(name)!;
  const day = (epoch: number | null) => (epoch === null ? null : new Date(epoch * 1000).toISOString().slice(0, 10));
  const actionsShown = async (id: number) => ((await admin.get(url(id, 'show'))).body.record.recordActions as Row[]).map((a) => a.name);

  /** A domain row of the client, as the order workflow leaves it (pending) unless `over` says otherwise. */
  const newDomain = async (name: string, over: Row = {}) => {
    const repo = t.ds.getRepository('Domain');
    const saved = (await repo.save(repo.create({ clientId, currencyId, domainName: name, tld: '.com', registrationPeriod: 1, status: 'pending', registrationType: 'register', recurringAmount: 1400, ...over }))) as Row;
    return saved.id as number;
  };
  /** A domain registered with us at the fake and active here, billed from its expiry. */
  const activeDomain = async (name: string, expiry: string, o: { locked?: boolean; privacy?: boolean } = {}) => {
    const order = lb.own(name, { expiry, customerEmail: clientEmail, locked: o.locked ?? true, privacy: o.privacy });
    return newDomain(name, {
      status: 'active', registrar: 'logicboxes', registrarRef: order.orderId, registrationDate: addYears(today, -1), expiryDate: expiry, nextDueDate: expiry,
      nextInvoiceDate: expiry, nameservers: order.ns, registrarLock: order.locked, idProtection: order.privacy,
    });
  };
  /** Every audit row as text, to search for something that must never be written there. */
  const auditText = async () => JSON.stringify(await t.ds.getRepository('AuditLog').find());
  const waitForAudit = async (action: string, id: number | string) => {
    const where = { event: 'action', auditableType: 'Domain', auditableId: String(id) };
    for (let i = 0; i < 100; i++) {
      const rows = (await t.ds.getRepository('AuditLog').find({ where })) as Row[];
      const found = rows.find((r) => String(r.description).startsWith(`${action}:`));
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no audit row for ${action} on domain #${id}`);
  };

  beforeAll(async () => {
    smtp = await startFakeSmtp();
    lb = await startFakeLogicBoxes();
    t = await startTestApp({ SMTP_URL: smtp.url }, { domains: { apiBases: { logicboxes: lb.url }, timeoutMs: 2000 } });
    today = businessDate(new Date(), 'UTC');
    await useFakeRegistrar(t, lb);
    currencyId = await fx.currency(t.ds);
    await sellTld(t, '.com', { currencyId, register: 1200, renew: 1400, transfer: 1000, graceFee: 500, redemptionFee: 8000 });
    clientEmail = `grace-${Date.now()}@example.org`;
    clientId = await fx.client(t.ds, { firstName: 'Grace', lastName: 'Hopper', email: clientEmail, phone: '+1 212 555 0142', address1: '1 Compiler Way', city: 'New York', state: 'NY', postcode: '10001', country: 'US' });

    await createStaff(t.ds, { email: 'root@domains.local', password: 'full admin person 1', role: 'Full Administrator' });
    await createStaff(t.ds, { email: 'bill@domains.local', password: 'billing person 1', role: 'Billing' });
    await createStaff(t.ds, { email: 'help@domains.local', password: 'support person 1', role: 'Support' });
    [admin, billing, support] = [t.agent(), t.agent(), t.agent()];
    await loginAs(admin, 'root@domains.local', 'full admin person 1');
    await loginAs(billing, 'bill@domains.local', 'billing person 1');
    await loginAs(support, 'help@domains.local', 'support person 1');
  });

  afterAll(async () => {
    await t?.close();
    await lb?.close();
    await smtp?.close();
  });

  describe('Register and Transfer', () => {
    it('registers a pending domain at the registrar for its years and nameservers, and records it active', async () => {
      const id = await newDomain('hopper-compilers.com', { registrationPeriod: 2, nameservers: ['ns1.hostco.net', 'ns2.hostco.net'] });
      expect(await actionsShown(id)).toEqual(expect.arrayContaining(['registerDomain', 'transferDomain', 'markRegistered']));
      expect(await actionsShown(id)).not.toContain('renewDomain');
      expect(await actionsShown(id)).not.toContain('syncDomain');

      // A confirm-guard action: a GET that is not from the admin's own page changes nothing.
      const forged = await admin.get(url(id, 'registerDomain'));
      expect(forged.status).toBe(200);
      expect(forged.body.notice).toBeUndefined();
      expect(lb.callsTo('domains/register')).toHaveLength(0);

      const res = await admin.get(url(id, 'registerDomain')).set(fromAdminPage);
      const expiry = addYears(today, 2);
      expect(res.body.notice).toEqual({ type: 'success', message: `Registered; it expires on ${expiry}.` });
      const calls = lb.callsTo('domains/register');
      expect(calls).toHaveLength(1);
      expect(calls[0].params).toMatchObject({ 'domain-name': 'hopper-compilers.com', years: '2', ns: ['ns1.hostco.net', 'ns2.hostco.net'] });
      const order = atRegistry('hopper-compilers.com');
      expect([order.years, day(order.expiry), order.ns]).toEqual([2, expiry, ['ns1.hostco.net', 'ns2.hostco.net']]);
      expect(await domain(id)).toMatchObject({ status: 'active', registrar: 'logicboxes', registrarRef: order.orderId, expiryDate: expiry, nextDueDate: expiry, registrationDate: today });
      expect(res.body.record.params.status).toBe('active');
      expect((await waitForAudit('registerDomain', id)).description).toContain('success');
    });

    it('shows the registrar’s refusal of a wrong EPP code, cancels the domain, and never writes the code down', async () => {
      lb.registered('moving-house.com', { authCode: 'Right#Code-77' });
      const id = await newDomain('moving-house.com', { registrationType: 'transfer' });
      const res = await post(admin, url(id, 'transferDomain'), { eppCode: 'Wrong#Code-42' });
      expect(res.body.notice.type).toBe('error');
      expect(res.body.notice.message).toContain('Invalid Auth Code');
      expect(lb.callsTo('domains/transfer').at(-1)!.params['auth-code']).toBe('Wrong#Code-42');
      expect(await domain(id)).toMatchObject({ status: 'cancelled', notes: expect.stringContaining('Invalid Auth Code') });
      await waitForAudit('transferDomain', id);
      expect(await auditText()).not.toContain('Wrong#Code-42');
      expect(res.text).not.toContain('Wrong#Code-42');
    });

    it('submits a transfer with the right code, and refuses one without a code for a domain ordered as a registration', async () => {
      const code = lb.registered('arriving.com');
      const bare = await newDomain('arriving.com');
      const refused = await post(admin, url(bare, 'transferDomain'), { eppCode: ' ' });
      expect(refused.body.notice).toEqual({ type: 'error', message: 'Give the EPP (transfer) code from the current registrar to transfer this domain.' });
      expect(lb.callsTo('domains/transfer').filter((c) => c.params['domain-name'] === 'arriving.com')).toHaveLength(0);

      const res = await post(admin, url(bare, 'transferDomain'), { eppCode: code });
      expect(res.body.notice.type).toBe('success');
      expect(res.body.notice.message).toMatch(/^Transfer submitted/);
      expect(await domain(bare)).toMatchObject({ status: 'pending_transfer', registrationType: 'transfer', registrar: 'logicboxes', registrarRef: atRegistry('arriving.com').orderId });
      await waitForAudit('transferDomain', bare);
      expect(await auditText()).not.toContain(code);

      // A transfer ordered with its code: staff submit it with the code the client gave.
      const ordered = lb.registered('ordered-in.com');
      const withCode = await newDomain('ordered-in.com', { registrationType: 'transfer', eppCode: ordered });
      const submitted = await post(admin, url(withCode, 'transferDomain'));
      expect(submitted.body.notice.message).toMatch(/^Transfer submitted/);
      expect(lb.callsTo('domains/transfer').at(-1)!.params).toMatchObject({ 'domain-name': 'ordered-in.com', 'auth-code': ordered });
      expect((await domain(withCode)).status).toBe('pending_transfer');
    });
  });

  describe('Renew', () => {
    it('renews at the registrar for the years chosen and moves the expiry and billing dates here', async () => {
      const expiry = addYears(today, 1);
      const id = await activeDomain('renew-me.com', expiry);
      const form = await admin.get(url(id, 'renewDomain'));
      expect(JSON.parse(form.body.record.params.renewValues)).toEqual({ years: '1' });
      expect(form.body.notice).toBeUndefined();

      const res = await post(admin, url(id, 'renewDomain'), { years: '3' });
      const renewed = addYears(expiry, 3);
      expect(res.body.notice).toEqual({ type: 'success', message: `Renewed; it expires on ${renewed}.` });
      expect(lb.callsTo('domains/renew').at(-1)!.params).toMatchObject({ 'order-id': atRegistry('renew-me.com').orderId, years: '3' });
      expect(day(atRegistry('renew-me.com').expiry)).toBe(renewed);
      expect(await domain(id)).toMatchObject({ status: 'active', expiryDate: renewed, nextDueDate: renewed, nextInvoiceDate: renewed });
    });

    it('refuses a term outside 1–10 years without asking the registrar', async () => {
      const id = await activeDomain('too-long.com', addYears(today, 1));
      const before = lb.callsTo('domains/renew').length;
      const res = await post(admin, url(id, 'renewDomain'), { years: '11' });
      expect(res.body.notice).toEqual({ type: 'error', message: 'Renew for 1 to 10 years.' });
      expect(lb.callsTo('domains/renew')).toHaveLength(before);
      expect((await domain(id)).expiryDate).toBe(addYears(today, 1));
    });
  });

  describe('Nameservers', () => {
    it('starts from the current nameservers, refuses invalid ones with a clear message, and sets valid ones at the registrar', async () => {
      const id = await activeDomain('name-servers.com', addYears(today, 1));
      const form = await admin.get(url(id, 'updateNameservers'));
      expect(JSON.parse(form.body.record.params.nameserverValues)).toEqual({ nameservers: 'ns1.example.net\nns2.example.net' });

      const bad = await post(admin, url(id, 'updateNameservers'), { nameservers: 'ns1.hostco.net\nnot a host!' });
      expect(bad.body.notice).toEqual({ type: 'error', message: '“not” is not a host name (e.g. ns1.example.net).' });
      const one = await post(admin, url(id, 'updateNameservers'), { nameservers: 'ns1.hostco.net' });
      expect(one.body.notice).toEqual({ type: 'error', message: 'Give at least two nameservers, such as ns1.example.net and ns2.example.net.' });
      expect(lb.callsTo('domains/modify-ns')).toHaveLength(0);
      expect((await domain(id)).nameservers).toEqual(['ns1.example.net', 'ns2.example.net']);

      const ok = await post(admin, url(id, 'updateNameservers'), { nameservers: 'NS1.HostCo.net\r\nns2.hostco.net.\n' });
      expect(ok.body.notice).toEqual({ type: 'success', message: 'Nameservers of name-servers.com set to ns1.hostco.net, ns2.hostco.net.' });
      expect(atRegistry('name-servers.com').ns).toEqual(['ns1.hostco.net', 'ns2.hostco.net']);
      expect((await domain(id)).nameservers).toEqual(['ns1.hostco.net', 'ns2.hostco.net']);
    });
  });

  describe('EPP code, lock and ID protection', () => {
    it('shows the EPP code once, outside the notice, and never in the audit log', async () => {
      const id = await activeDomain('epp-code.com', addYears(today, 1));
      const code = atRegistry('epp-code.com').authCode;
      const form = await admin.get(url(id, 'getEppCode'));
      expect(form.body.shownOnce).toBeUndefined();

      const res = await post(admin, url(id, 'getEppCode'));
      expect(res.body.shownOnce).toEqual({ label: 'EPP code', value: code });
      expect(res.body.notice).toEqual({ type: 'success', message: 'EPP code of epp-code.com is shown below, once.' });
      expect(JSON.stringify(res.body.record)).not.toContain(code);
      await waitForAudit('getEppCode', id);
      expect(await auditText()).not.toContain(code);
      // Nothing kept: the domain row still has no code.
      expect((await domain(id)).eppCode).toBeNull();
    });

    it('unlocks and locks at the registrar, each offered by the current lock', async () => {
      const id = await activeDomain('lock-step.com', addYears(today, 1), { locked: true });
      expect(await actionsShown(id)).toContain('unlockDomain');
      expect(await actionsShown(id)).not.toContain('lockDomain');

      const unlocked = await admin.get(url(id, 'unlockDomain')).set(fromAdminPage);
      expect(unlocked.body.notice).toEqual({ type: 'success', message: 'lock-step.com is unlocked: it can be transferred away with its EPP code.' });
      expect(atRegistry('lock-step.com').locked).toBe(false);
      expect((await domain(id)).registrarLock).toBe(false);
      expect(await actionsShown(id)).toContain('lockDomain');
      expect(await actionsShown(id)).not.toContain('unlockDomain');

      const locked = await post(admin, url(id, 'lockDomain'));
      expect(locked.body.notice).toEqual({ type: 'success', message: 'lock-step.com is locked: it cannot be transferred away.' });
      expect(atRegistry('lock-step.com').locked).toBe(true);
      expect((await domain(id)).registrarLock).toBe(true);
    });

    it('turns ID protection off and on at the registrar', async () => {
      const id = await activeDomain('private-eye.com', addYears(today, 1), { privacy: true });
      expect(await actionsShown(id)).toContain('disableIdProtection');
      const off = await post(admin, url(id, 'disableIdProtection'));
      expect(off.body.notice).toEqual({ type: 'success', message: 'ID protection is off for private-eye.com.' });
      expect(atRegistry('private-eye.com').privacy).toBe(false);
      expect((await domain(id)).idProtection).toBe(false);
      const on = await post(admin, url(id, 'enableIdProtection'));
      expect(on.body.notice).toEqual({ type: 'success', message: 'ID protection is on for private-eye.com.' });
      expect(atRegistry('private-eye.com').privacy).toBe(true);
      expect((await domain(id)).idProtection).toBe(true);
    });
  });

  describe('Sync and Mark registered', () => {
    it('corrects an expiry changed at the registrar', async () => {
      const expiry = addYears(today, 1);
      const id = await activeDomain('synced-up.com', expiry);
      const moved = addYears(today, 3);
      lb.setExpiry('synced-up.com', moved);
      const res = await post(admin, url(id, 'syncDomain'));
      expect(res.body.notice).toEqual({ type: 'success', message: `Synced: expiry ${expiry} → ${moved}.` });
      expect(await domain(id)).toMatchObject({ expiryDate: moved, nextDueDate: moved, nextInvoiceDate: moved, status: 'active' });
      const again = await post(admin, url(id, 'syncDomain'));
      expect(again.body.notice).toEqual({ type: 'success', message: 'synced-up.com agrees with the registrar.' });
    });

    it('marks a pending domain registered by hand, with today plus its period or the date given, without calling the registrar', async () => {
      const before = lb.calls.length;
      const a = await newDomain('by-hand.com', { registrationPeriod: 2 });
      const res = await post(admin, url(a, 'markRegistered'), { expiryDate: '' });
      expect(res.body.notice).toEqual({ type: 'success', message: `by-hand.com is active until ${addYears(today, 2)}.` });
      expect(await domain(a)).toMatchObject({ status: 'active', expiryDate: addYears(today, 2), nextDueDate: addYears(today, 2), registrationDate: today });

      const b = await newDomain('by-hand-transfer.com', { status: 'pending_transfer', registrationType: 'transfer' });
      const wrong = await post(admin, url(b, 'markRegistered'), { expiryDate: '2001-01-01' });
      expect(wrong.body.notice).toEqual({ type: 'error', message: 'The expiry date must be in the future.' });
      const given = addYears(today, 4);
      const ok = await post(admin, url(b, 'markRegistered'), { expiryDate: given });
      expect(ok.body.notice).toEqual({ type: 'success', message: `by-hand-transfer.com is active until ${given}.` });
      expect(await domain(b)).toMatchObject({ status: 'active', expiryDate: given });
      expect(lb.calls.length).toBe(before);
    });
  });

  describe('bulk', () => {
    it('renews each selected domain, one by one, listing the one the registrar refused', async () => {
      const e1 = addYears(today, 1);
      const ids = [await activeDomain('bulk-one.com', e1), await newDomain('bulk-ghost.com', { status: 'active', registrar: 'logicboxes', expiryDate: e1, nextDueDate: e1, nextInvoiceDate: e1 }), await activeDomain('bulk-two.com', e1)];
      const form = await admin.get(bulkUrl(ids, 'bulkRenewDomains'));
      expect(form.body.notice).toBeUndefined();
      expect(form.body.records).toHaveLength(3);

      const res = await post(admin, bulkUrl(ids, 'bulkRenewDomains'), { years: '2' });
      expect(res.body.notice.type).toBe('info');
      expect(res.body.notice.message).toMatch(/^2 renewed; bulk-ghost\.com: Failed: bulk-ghost\.com is not in this .* account/);
      const renewed = addYears(e1, 2);
      for (const name of ['bulk-one.com', 'bulk-two.com']) expect(day(atRegistry(name).expiry)).toBe(renewed);
      expect((await domain(ids[0])).expiryDate).toBe(renewed);
      expect((await domain(ids[2])).expiryDate).toBe(renewed);
      expect((await domain(ids[1])).expiryDate).toBe(e1);
      // One audit row for the bulk action, naming every domain it went over.
      expect((await waitForAudit('bulkRenewDomains', ids.join(','))).description).toContain('2 renewed; bulk-ghost.com');
    });

    it('renews for one year when no term is chosen', async () => {
      const e1 = addYears(today, 1);
      const id = await activeDomain('bulk-default.com', e1);
      const res = await post(admin, bulkUrl([id], 'bulkRenewDomains'));
      expect(res.body.notice).toEqual({ type: 'success', message: '1 renewed' });
      expect(day(atRegistry('bulk-default.com').expiry)).toBe(addYears(e1, 1));
    });

    it('syncs each selected domain, one by one, listing the one the registrar does not know', async () => {
      const e1 = addYears(today, 1);
      const ids = [await activeDomain('sync-one.com', e1), await newDomain('sync-ghost.com', { status: 'active', registrar: 'logicboxes', expiryDate: e1 }), await activeDomain('sync-two.com', e1)];
      lb.setExpiry('sync-one.com', addYears(today, 2));
      lb.setExpiry('sync-two.com', addYears(today, 5));
      const forged = await admin.get(bulkUrl(ids, 'bulkSyncDomains'));
      expect(forged.body.notice).toBeUndefined();
      expect((await domain(ids[0])).expiryDate).toBe(e1);

      const res = await admin.get(bulkUrl(ids, 'bulkSyncDomains')).set(fromAdminPage);
      expect(res.body.notice.type).toBe('info');
      expect(res.body.notice.message).toMatch(/^2 synced; sync-ghost\.com: sync-ghost\.com is not in this .* account/);
      expect((await domain(ids[0])).expiryDate).toBe(addYears(today, 2));
      expect((await domain(ids[2])).expiryDate).toBe(addYears(today, 5));
      expect((await domain(ids[1])).expiryDate).toBe(e1);
    });
  });

  describe('who may', () => {
    it('lets Billing manage domains and refuses Support with 403, before anything reaches the registrar', async () => {
      const expiry = addYears(today, 1);
      const id = await activeDomain('guarded.com', expiry);
      const before = lb.calls.length;
      for (const [path, form] of [[url(id, 'renewDomain'), { years: '1' }], [url(id, 'getEppCode'), {}], [url(id, 'unlockDomain'), {}], [bulkUrl([id], 'bulkRenewDomains'), { years: '1' }]] as const) {
        const res = await post(support, path, form);
        expect(res.status).toBe(403);
        expect(res.body.error).toBe('forbidden');
      }
      expect(lb.calls.length).toBe(before);
      expect(await domain(id)).toMatchObject({ expiryDate: expiry, registrarLock: true });

      const res = await post(billing, url(id, 'renewDomain'), { years: '1' });
      expect(res.body.notice).toEqual({ type: 'success', message: `Renewed; it expires on ${addYears(expiry, 1)}.` });
    });
  });
});
