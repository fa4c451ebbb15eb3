import { startTestApp, createStaff, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/auth.js';
import { testEngine } from '../helpers/db.js';
import * as fx from '../helpers/billing-fixtures.js';
import { startFakeWhm, type FakeWhm } from '../fakes/whm-server.js';
import { startFakeVirtualizor, type FakeVirtualizor } from '../fakes/virtualizor-server.js';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server.js';

type Row = Record<string, any>;
type Agent = ReturnType<TestApp['agent']>;

/**
 * The provisioning actions of the admin over HTTP, against the real app and the fake WHM and Virtualizor on
 * loopback: Test connection, Sync accounts, the account actions on services (one and in bulk), Retry / Cancel of
 * failed jobs, who may use them, and that server credentials never come back in any admin answer.
 */
describe(`provisioning actions in the admin on ${testEngine()}`, () => {
  let t: TestApp;
  let whm: FakeWhm;
  let virt: FakeVirtualizor;
  let smtp: FakeSmtp;
  let admin: Agent;
  let billing: Agent;
  let readOnly: Agent;
  let support: Agent;
  let currencyId: number;
  let clientId: number;
  let clientEmail: string;
  let whmServerId: number;
  let vpsServerId: number;
  let hostingProductId: number;
  let vpsProductId: number;
  let seq = 0;
  const SERVER_PASSWORD = 'Root-Pass-Of-Whm1-0042';
  /** Every admin answer of this file, searched for credentials at the end. */
  const answers: string[] = [];

  const url = (resource: string, id: number | string, action: string) => `/admin/api/resources/${resource}/records/${id}/${action}`;
  const bulkUrl = (resource: string, ids: number[], action: string) => `/admin/api/resources/${resource}/bulk/${action}?recordIds=${ids.join(',')}`;
  const keep = <R extends { text: string }>(res: R) => (answers.push(res.text), res);
  const post = async (agent: Agent, path: string, form: Record<string, string> = {}) => keep(await agent.post(path).type('form').send(form));
  const get = async (agent: Agent, path: string, headers: Record<string, string> = {}) => keep(await agent.get(path).set(headers));
  const fromAdminPage = { 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'cors' };

  const service = async (id: number) => (await t.ds.getRepository('Service').findOneByOrFail({ id })) as Row;
  const jobsOf = async (serviceId: number) => (await t.ds.getRepository('ProvisioningJob').find({ where: { serviceId }, order: { id: 'ASC' } })) as Row[];
  const job = async (id: number) => (await t.ds.getRepository('ProvisioningJob').findOneByOrFail({ id })) as Row;
  const server = async (id: number) => (await t.ds.getRepository('Server').findOneByOrFail({ id })) as Row;
  /** The first mail to `address` (the welcome emails of earlier provisioning in a test arrive too). */
  const mailTo = async (address: string) => {
    for (let i = 0; i < 250; i++) {
      const found = smtp.received.find((m) => m.envelope.to.includes(address));
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no mail to ${address}`);
  };
  const onWhm = (domain: string) => [...whm.accounts.values()].find((a) => a.domain === domain);
  const newService = async (productId: number, over: Row = {}) => {
    const domain = `shop${++seq}.example.test`;
    const id = (await t.ds.getRepository('Service').insert({ clientId, productId, currencyId, status: 'active', domain, ...over })).identifiers[0].id as number;
    return { id, domain: (over.domain as string | undefined) ?? domain };
  };
  /** A service with its account created on the fake through the admin. */
  const provisioned = async (productId = hostingProductId) => {
    const s = await newService(productId);
    const res = await post(admin, url('Service', s.id, 'createAccount'));
    expect(res.body.notice).toEqual({ type: 'success', message: 'Account created.' });
    return s;
  };

  beforeAll(async () => {
    smtp = await startFakeSmtp();
    whm = await startFakeWhm();
    virt = await startFakeVirtualizor();
    t = await startTestApp({ SMTP_URL: smtp.url }, { provisioning: { timeouts: { timeoutMs: 1500, createTimeoutMs: 3000 } } });
    const setting = (key: string, value: string) => ({ key, value, type: 'string', groupName: 'General', description: null, isPublic: false, secretValue: null });
    await t.ds.getRepository('Setting').insert([setting('mail.fromEmail', 'noreply@meridian.test'), setting('provisioning.alertEmail', 'ops@meridian.test')]);
    // hosting_welcome, vps_welcome and provisioning_failed are standard templates, installed at start-up.

    await createStaff(t.ds, { email: 'root@prov.local', password: 'full admin person 1', role: 'Full Administrator' });
    await createStaff(t.ds, { email: 'bill@prov.local', password: 'billing person 1', role: 'Billing' });
    await createStaff(t.ds, { email: 'look@prov.local', password: 'read only person 1', role: 'Read-only' });
    await createStaff(t.ds, { email: 'help@prov.local', password: 'support person 1', role: 'Support' });
    [admin, billing, readOnly, support] = [t.agent(), t.agent(), t.agent(), t.agent()];
    await loginAs(admin, 'root@prov.local', 'full admin person 1');
    await loginAs(billing, 'bill@prov.local', 'billing person 1');
    await loginAs(readOnly, 'look@prov.local', 'read only person 1');
    await loginAs(support, 'help@prov.local', 'support person 1');

    currencyId = await fx.currency(t.ds);
    clientId = await fx.client(t.ds);
    clientEmail = ((await t.ds.getRepository('Client').findOneByOrFail({ id: clientId })) as Row).email;
    const repo = (e: string) => t.ds.getRepository(e);
    const sharedGroup = (await repo('ServerGroup').insert({ name: 'Shared', fillMethod: 'least_used' })).identifiers[0].id as number;
    const vpsGroup = (await repo('ServerGroup').insert({ name: 'VPS', fillMethod: 'least_used' })).identifiers[0].id as number;
    whmServerId = (await repo('Server').insert({
      name: 'whm1', hostname: '127.0.0.1', ipAddress: '127.0.0.1', type: 'cpanel', port: whm.port, secure: false, verifyTls: false,
      username: whm.user, apiToken: whm.token, password: SERVER_PASSWORD, serverGroupId: sharedGroup, status: 'active', maxAccounts: 100,
    })).identifiers[0].id as number;
    vpsServerId = (await repo('Server').insert({
      name: 'virt1', hostname: '127.0.0.1', ipAddress: '127.0.0.1', type: 'virtualizor', port: virt.port, secure: false, verifyTls: false,
      apiKey: virt.apiKey, apiPass: virt.apiPass, serverGroupId: vpsGroup, status: 'active', maxAccounts: 100,
    })).identifiers[0].id as number;
    const hostingPackageId = (await repo('HostingPackage').insert({ name: 'starter' })).identifiers[0].id as number;
    const categoryId = (await repo('ProductCategory').insert({ name: 'Hosting', slug: 'hosting' })).identifiers[0].id as number;
    hostingProductId = (await repo('Product').insert({
      categoryId, name: 'Starter Hosting', slug: 'starter-hosting', type: 'shared', module: 'cpanel', serverGroupId: sharedGroup, hostingPackageId,
    })).identifiers[0].id as number;
    vpsProductId = (await repo('Product').insert({
      categoryId, name: 'VPS 1G', slug: 'vps-1g', type: 'vps', module: 'virtualizor', serverGroupId: vpsGroup, moduleConfig: { planId: '1', osTemplate: '100', virtType: 'kvm' },
    })).identifiers[0].id as number;
  });
  afterEach(() => smtp.clear());
  afterAll(async () => {
    await t?.close();
    await whm?.close();
    await virt?.close();
    await smtp?.close();
  });

  describe('Test connection', () => {
    const test = async (serverId: number) => (await post(admin, url('Server', serverId, 'testConnection'))).body.notice;

    it('shows the version and latency for a good token, and stores the result for the server list', async () => {
      expect(await test(whmServerId)).toEqual({ type: 'success', message: expect.stringMatching(/^Connected to 127\.0\.0\.1: WHM 11\.120\.0\.9, \d+ ms\.$/) });
      expect(await server(whmServerId)).toMatchObject({ lastCheckOk: true, lastCheckResult: expect.stringMatching(/WHM 11\.120\.0\.9/) });
      expect(await test(vpsServerId)).toEqual({ type: 'success', message: expect.stringMatching(/Virtualizor 3\.1\.4, \d+ ms\.$/) });
      const list = await get(admin, '/admin/api/resources/Server/actions/list');
      const row = list.body.records.find((r: Row) => Number(r.id) === whmServerId);
      expect(row.params).toMatchObject({ lastCheckOk: true, lastCheckResult: expect.stringMatching(/WHM 11\.120\.0\.9/) });
    });

    it('gives the exact reason for a bad token, a refused port, a timeout and a TLS error', async () => {
      await t.ds.getRepository('Server').update({ id: whmServerId }, { apiToken: 'WRONGTOKEN0000' });
      try {
        expect(await test(whmServerId)).toEqual({ type: 'error', message: expect.stringMatching(/^WHM at 127\.0\.0\.1:\d+ rejected the API token \(HTTP 403\)/) });
        expect(await server(whmServerId)).toMatchObject({ lastCheckOk: false, lastCheckResult: expect.stringMatching(/rejected the API token/) });
      } finally {
        await t.ds.getRepository('Server').update({ id: whmServerId }, { apiToken: whm.token });
      }

      await whm.refuse();
      try {
        expect(await test(whmServerId)).toEqual({ type: 'error', message: expect.stringMatching(/refused the connection/) });
      } finally {
        await whm.accept();
      }

      whm.set({ hang: true });
      try {
        expect(await test(whmServerId)).toEqual({ type: 'error', message: expect.stringMatching(/did not answer in time \(timeout\)/) });
      } finally {
        whm.set({ hang: false });
      }

      const tls = await startFakeWhm({ tls: true });
      try {
        const id = (await t.ds.getRepository('Server').insert({
          name: 'whm-tls', hostname: '127.0.0.1', ipAddress: '127.0.0.1', type: 'cpanel', port: tls.port, secure: true, verifyTls: true, username: tls.user, apiToken: tls.token, status: 'inactive',
        })).identifiers[0].id as number;
        expect(await test(id)).toEqual({ type: 'error', message: expect.stringMatching(/TLS error/) });
      } finally {
        await tls.close();
      }

      await t.ds.getRepository('Server').update({ id: vpsServerId }, { apiPass: 'not-the-pass-0000' });
      try {
        expect(await test(vpsServerId)).toEqual({ type: 'error', message: expect.stringMatching(/Virtualizor \(127\.0\.0\.1:\d+\).*(credentials|API key)/) });
      } finally {
        await t.ds.getRepository('Server').update({ id: vpsServerId }, { apiPass: virt.apiPass });
      }
      expect(await test(whmServerId)).toMatchObject({ type: 'success' });
    });
  });

  describe('account actions on a service', () => {
    it('Create account makes the account on the fake WHM with the package, domain and contact email, and sends the welcome email', async () => {
      const s = await newService(hostingProductId);
      const res = await post(admin, url('Service', s.id, 'createAccount'));
      expect(res.body.notice).toEqual({ type: 'success', message: 'Account created.' });
      const row = await service(s.id);
      expect(row).toMatchObject({ serverId: whmServerId, providerRef: expect.any(String), status: 'active' });
      expect(res.body.record.params.providerRef).toBe(row.providerRef);
      expect(res.body.record.params.password).toBeUndefined();
      expect(onWhm(s.domain)).toMatchObject({ user: row.providerRef, plan: 'starter', email: clientEmail, suspended: false });
      const mail = await mailTo(clientEmail);
      expect(mail.subject).toBe(`Your hosting account for ${s.domain} is ready`);
      expect(mail.text).toContain(`Username: ${row.providerRef}`);

      const again = await post(admin, url('Service', s.id, 'createAccount'));
      expect(again.body.notice).toEqual({ type: 'error', message: `The service already has an account (${row.providerRef}).` });
      expect([...whm.accounts.values()].filter((a) => a.domain === s.domain)).toHaveLength(1);
      expect(await jobsOf(s.id)).toHaveLength(1);
    });

    it('Create account on a Virtualizor product makes the VPS from the plan and OS template', async () => {
      const s = await newService(vpsProductId);
      const res = await post(admin, url('Service', s.id, 'createAccount'));
      expect(res.body.notice).toEqual({ type: 'success', message: 'Account created.' });
      const row = await service(s.id);
      const vps = virt.findVps((v) => v.hostname === s.domain);
      expect(vps).toHaveLength(1);
      expect(vps[0]).toMatchObject({ plid: 1, osid: 100, virt: 'kvm', suspended: false });
      expect(virt.userOf(vps[0])?.email).toBe(clientEmail);
      expect(row).toMatchObject({ serverId: vpsServerId, providerRef: String(vps[0].vpsid) });
      expect((await mailTo(clientEmail)).subject).toBe(`Your VPS ${s.domain} is online`);

      const stop = await post(admin, url('Service', s.id, 'vpsPower'), { action: 'stop' });
      expect(stop.body.notice).toEqual({ type: 'success', message: `VPS ${s.domain}: sent the shutdown signal.` });
      expect(virt.vps.get(vps[0].vpsid)?.running).toBe(false);
      expect((await post(admin, url('Service', s.id, 'vpsPower'), { action: 'start' })).body.notice.type).toBe('success');
      expect(virt.vps.get(vps[0].vpsid)?.running).toBe(true);
      expect((await post(admin, url('Service', s.id, 'vpsPower'), { action: 'explode' })).body.notice).toEqual({ type: 'error', message: 'Choose start, stop, restart or power off.' });
      const cpanel = await provisioned();
      expect((await post(admin, url('Service', cpanel.id, 'vpsPower'), { action: 'restart' })).body.notice).toEqual({ type: 'error', message: 'Server “whm1” is a cpanel server; only VPSs have power controls.' });

      const suspend = await post(admin, url('Service', s.id, 'suspendAccount'), { reason: 'Outbound spam' });
      expect(suspend.body.notice).toEqual({ type: 'success', message: 'Suspended.' });
      expect(virt.vps.get(vps[0].vpsid)?.suspended).toBe(true);
      const terminate = await post(admin, url('Service', s.id, 'terminateAccount'));
      expect(terminate.body.notice).toEqual({ type: 'success', message: 'Terminated.' });
      expect(virt.vps.has(vps[0].vpsid)).toBe(false);
    });

    it('shows each action only where it makes sense', async () => {
      const actionsOf = async (id: number) => ((await get(admin, url('Service', id, 'show'))).body.record.recordActions as Row[]).map((a) => a.name);
      const fresh = await newService(hostingProductId);
      expect(await actionsOf(fresh.id)).toEqual(expect.arrayContaining(['createAccount', 'suspendAccount', 'terminateAccount']));
      expect(await actionsOf(fresh.id)).not.toEqual(expect.arrayContaining(['changePassword']));
      const live = await provisioned();
      const active = await actionsOf(live.id);
      expect(active).toEqual(expect.arrayContaining(['suspendAccount', 'terminateAccount', 'changePackage', 'changePassword', 'loginToPanel']));
      expect(active).not.toContain('createAccount');
      expect(active).not.toContain('unsuspendAccount');
      await post(admin, url('Service', live.id, 'suspendAccount'), { reason: 'Checking visibility' });
      const suspended = await actionsOf(live.id);
      expect(suspended).toContain('unsuspendAccount');
      expect(suspended).not.toContain('suspendAccount');
      expect(suspended).not.toContain('loginToPanel');
    });

    it('Suspend with a reason suspends on the fake; Unsuspend brings it back', async () => {
      const s = await provisioned();
      const res = await post(admin, url('Service', s.id, 'suspendAccount'), { reason: 'Abuse report #42' });
      expect(res.body.notice).toEqual({ type: 'success', message: 'Suspended.' });
      expect(res.body.record.params.status).toBe('suspended');
      expect(await service(s.id)).toMatchObject({ status: 'suspended', suspensionReason: 'Abuse report #42' });
      expect(onWhm(s.domain)).toMatchObject({ suspended: true, suspendreason: 'Abuse report #42' });

      const un = await post(admin, url('Service', s.id, 'unsuspendAccount'));
      expect(un.body.notice).toEqual({ type: 'success', message: 'Unsuspended.' });
      expect(await service(s.id)).toMatchObject({ status: 'active', suspensionReason: null });
      expect(onWhm(s.domain)?.suspended).toBe(false);
    });

    it('refuses bad input with a clear notice and changes nothing', async () => {
      const s = await provisioned();
      const calls = whm.calls.length;
      const noReason = await post(admin, url('Service', s.id, 'suspendAccount'), { reason: '   ' });
      expect(noReason.body.notice).toEqual({ type: 'error', message: 'Give a reason for the suspension (the client sees it).' });
      const noPlan = await post(admin, url('Service', s.id, 'changePackage'), {});
      expect(noPlan.body.notice).toEqual({ type: 'error', message: 'Choose the package (cPanel) or plan id (Virtualizor) to move the account to.' });
      const shortPassword = await post(admin, url('Service', s.id, 'changePassword'), { password: 'short' });
      expect(shortPassword.body.notice).toEqual({ type: 'error', message: 'The password must be 8 to 64 characters.' });
      const notSuspended = await post(admin, url('Service', s.id, 'unsuspendAccount'));
      expect(notSuspended.body.notice).toEqual({ type: 'error', message: 'The service is active, not suspended.' });
      const missing = await post(admin, url('Service', 987654, 'suspendAccount'), { reason: 'Nobody' });
      expect(missing.body.notice).toEqual({ type: 'error', message: 'Record with given id: "987654" cannot be found in resource "Service"' });
      expect(await service(s.id)).toMatchObject({ status: 'active', suspensionReason: null });
      expect(await jobsOf(s.id)).toHaveLength(1);
      expect(whm.calls.length).toBe(calls);
      expect(onWhm(s.domain)).toMatchObject({ suspended: false, plan: 'starter' });
    });

    it('a confirm-guard action acts on POST, or on GET only from the admin’s own page', async () => {
      const s = await provisioned();
      for (const headers of [{} as Record<string, string>, { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate' }, { 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'navigate' }]) {
        const res = await get(admin, url('Service', s.id, 'terminateAccount'), headers);
        expect(res.status).toBe(200);
        expect(res.body.notice).toBeUndefined();
      }
      expect(onWhm(s.domain)).toBeDefined();
      expect((await service(s.id)).status).toBe('active');
      const fromAdmin = await get(admin, url('Service', s.id, 'terminateAccount'), fromAdminPage);
      expect(fromAdmin.body.notice).toEqual({ type: 'success', message: 'Terminated.' });
      expect(onWhm(s.domain)).toBeUndefined();
      expect(await service(s.id)).toMatchObject({ status: 'terminated' });
    });

    it('Change package moves the account on the fake', async () => {
      const s = await provisioned();
      const res = await post(admin, url('Service', s.id, 'changePackage'), { plan: 'business' });
      expect(res.body.notice).toEqual({ type: 'success', message: 'Package changed to business.' });
      expect(onWhm(s.domain)?.plan).toBe('business');
    });

    it('Change product offers the products of the same module and moves service, price and package', async () => {
      const repo = (e: string) => t.ds.getRepository(e);
      const product = (await repo('Product').findOneByOrFail({ id: hostingProductId })) as Row;
      const pkg = (await repo('HostingPackage').insert({ name: 'business' })).identifiers[0].id as number;
      const bigger = (await repo('Product').insert({ categoryId: product.categoryId, name: 'Business Hosting', slug: `business-${Date.now()}`, type: 'shared', module: 'cpanel', serverGroupId: product.serverGroupId, hostingPackageId: pkg })).identifiers[0].id as number;
      await repo('ProductPrice').save(repo('ProductPrice').create({ productId: bigger, addonId: null, configOptionChoiceId: null, currencyId, cycle: 'monthly', price: 2500, setupFee: 0, enabled: true }));
      const s = await newService(hostingProductId, { billingCycle: 'monthly' });
      expect((await post(admin, url('Service', s.id, 'createAccount'))).body.notice.type).toBe('success');
      const form = await get(admin, url('Service', s.id, 'changeProduct'));
      const choices = JSON.parse(form.body.record.params.productChoices) as Array<{ value: string; label: string }>;
      expect(choices).toContainEqual({ value: String(bigger), label: 'Business Hosting' });
      expect(choices.map((c) => c.label)).not.toContain('VPS 1G');
      const res = await post(admin, url('Service', s.id, 'changeProduct'), { productId: String(bigger) });
      expect(res.body.notice).toEqual({ type: 'success', message: 'Moved to Business Hosting (package business).' });
      expect(onWhm(s.domain)?.plan).toBe('business');
      expect((await repo('Service').findOneByOrFail({ id: s.id })) as Row).toMatchObject({ productId: bigger, recurringAmount: 2500 });
      const bad = await post(admin, url('Service', s.id, 'changeProduct'), { productId: String(vpsProductId) });
      expect(bad.body.notice.type).toBe('error');
    });

    it('Change password sets the given password, or generates one shown once and kept out of the notice and audit log', async () => {
      const s = await provisioned();
      const given = await post(admin, url('Service', s.id, 'changePassword'), { password: 'N3w-Secret_Pass' });
      expect(given.body.notice).toEqual({ type: 'success', message: 'Password changed.' });
      expect(given.body.shownOnce).toBeUndefined();
      expect(given.text).not.toContain('N3w-Secret_Pass');
      expect(onWhm(s.domain)?.password).toBe('N3w-Secret_Pass');

      const generated = await post(admin, url('Service', s.id, 'changePassword'), { password: '' });
      expect(generated.body.notice).toEqual({ type: 'success', message: 'Password changed. The generated password is shown once.' });
      const password = onWhm(s.domain)!.password;
      expect(password).not.toBe('N3w-Secret_Pass');
      expect(generated.body.shownOnce).toEqual({ label: 'New password', value: password });
      expect((await service(s.id)).password).toBe(password);
      const audit = (await t.ds.getRepository('AuditLog').find({ where: { auditableType: 'Service', auditableId: String(s.id) } })) as Row[];
      expect(audit.some((a) => String(a.description).startsWith('changePassword: success'))).toBe(true);
      expect(JSON.stringify(audit)).not.toContain(password);
      expect(JSON.stringify(audit)).not.toContain('N3w-Secret_Pass');
    });

    it('Log in to panel opens a one-time session on POST only, and the link stays out of notices and the audit log', async () => {
      const s = await provisioned();
      const before = whm.callsTo('create_user_session').length;
      const form = await get(admin, url('Service', s.id, 'loginToPanel'), fromAdminPage);
      expect(form.status).toBe(200);
      expect(form.body.notice).toBeUndefined();
      expect(whm.callsTo('create_user_session')).toHaveLength(before);

      const res = await post(admin, url('Service', s.id, 'loginToPanel'));
      expect(res.body.notice).toEqual({ type: 'success', message: 'Login session created; the panel opens in a new tab.' });
      expect(res.body.openUrl).toMatch(/^https:\/\/localhost:2083\/cpsess\d{10}\/login\/\?session=/);
      expect(whm.callsTo('create_user_session')).toHaveLength(before + 1);
      const audit = (await t.ds.getRepository('AuditLog').find({ where: { auditableType: 'Service', auditableId: String(s.id) } })) as Row[];
      expect(JSON.stringify(audit)).not.toContain('cpsess');

      await post(admin, url('Service', s.id, 'suspendAccount'), { reason: 'No logins' });
      const refused = await post(admin, url('Service', s.id, 'loginToPanel'));
      expect(refused.body.notice).toEqual({ type: 'error', message: expect.stringMatching(/because they are currently suspended/) });
      expect(refused.body.openUrl).toBeUndefined();
    });
  });

  describe('failed jobs', () => {
    it('a permanent failure fails the job with the panel’s reason and alerts staff; Retry after the fix runs it', async () => {
      const s = await provisioned();
      const res = await post(admin, url('Service', s.id, 'changePackage'), { plan: 'gold' });
      expect(res.body.notice).toEqual({ type: 'error', message: expect.stringMatching(/^Failed: WHM could not .*Specified package does not exist/) });
      const failed = (await jobsOf(s.id)).at(-1)!;
      expect(failed).toMatchObject({ action: 'change_package', status: 'failed', lastError: expect.stringMatching(/Specified package does not exist/) });
      const alert = await mailTo('ops@meridian.test');
      expect(alert.subject).toBe(`Provisioning failed: change package for service #${s.id}`);

      const dashboard = (await get(admin, '/admin/api/dashboard')).body;
      expect(dashboard.provisioning.failed).toBeGreaterThanOrEqual(1);
      const screen = await get(admin, '/admin/api/resources/ProvisioningJob/actions/failedJobs', fromAdminPage);
      expect(screen.body.redirectUrl).toBe('/admin/resources/ProvisioningJob?filters.status=failed&sortBy=createdAt&direction=desc');
      const list = await get(admin, '/admin/api/resources/ProvisioningJob/actions/list?filters.status=failed&perPage=50');
      expect(list.body.records.map((r: Row) => Number(r.id))).toContain(failed.id);
      expect(list.body.records.every((r: Row) => r.params.status === 'failed')).toBe(true);
      const shown = (await get(admin, url('ProvisioningJob', failed.id, 'show'))).body.record.recordActions.map((a: Row) => a.name);
      expect(shown).toEqual(expect.arrayContaining(['retryJob', 'cancelJob']));

      whm.packages.set('gold', { name: 'gold', quotaMb: 20480, bwlimitMb: null });
      const retry = await post(admin, url('ProvisioningJob', failed.id, 'retryJob'));
      expect(retry.body.notice).toEqual({ type: 'success', message: `Job #${failed.id} run again: Done.` });
      expect(await job(failed.id)).toMatchObject({ status: 'succeeded', attempts: 1 });
      expect(onWhm(s.domain)?.plan).toBe('gold');
      const twice = await post(admin, url('ProvisioningJob', failed.id, 'retryJob'));
      expect(twice.body.notice).toEqual({ type: 'error', message: `Job #${failed.id} is succeeded; it cannot be retried.` });
    });

    it('Cancel stops a failed job, and a job left queued after the server failed to answer', async () => {
      const s = await provisioned();
      await post(admin, url('Service', s.id, 'changePackage'), { plan: 'platinum' });
      const failed = (await jobsOf(s.id)).at(-1)!;
      expect(failed.status).toBe('failed');
      const cancel = await post(admin, url('ProvisioningJob', failed.id, 'cancelJob'));
      expect(cancel.body.notice).toEqual({ type: 'success', message: `Job #${failed.id} cancelled; nothing more will be sent to the server for it.` });
      expect(cancel.body.record.params.status).toBe('cancelled');
      const again = await post(admin, url('ProvisioningJob', failed.id, 'cancelJob'));
      expect(again.body.notice).toEqual({ type: 'error', message: `Job #${failed.id} is cancelled; it cannot be cancelled.` });

      whm.failNext(1, { status: 503 });
      const queued = await post(admin, url('Service', s.id, 'changePackage'), { plan: 'business' });
      expect(queued.body.notice).toEqual({ type: 'info', message: expect.stringMatching(/^The server did not take it yet \(.*HTTP 503.*\); it will be retried automatically\.$/) });
      const waiting = (await jobsOf(s.id)).at(-1)!;
      expect(waiting).toMatchObject({ status: 'queued', attempts: 1 });
      const stop = await post(admin, url('ProvisioningJob', waiting.id, 'cancelJob'));
      expect(stop.body.notice).toMatchObject({ type: 'success' });
      expect(await job(waiting.id)).toMatchObject({ status: 'cancelled' });
      expect(onWhm(s.domain)?.plan).toBe('starter');
    });

    it('retries and cancels the selected jobs in bulk', async () => {
      const a = await provisioned();
      const b = await provisioned();
      await post(admin, url('Service', a.id, 'changePackage'), { plan: 'silver' });
      await post(admin, url('Service', b.id, 'changePackage'), { plan: 'silver' });
      const ids = [(await jobsOf(a.id)).at(-1)!.id, (await jobsOf(b.id)).at(-1)!.id] as number[];
      for (const id of ids) expect((await job(id)).status).toBe('failed');

      const preview = await get(admin, bulkUrl('ProvisioningJob', ids, 'bulkRetryJobs'));
      expect(preview.body.records).toHaveLength(2);
      expect(preview.body.notice).toBeUndefined();
      whm.packages.set('silver', { name: 'silver', quotaMb: 5120, bwlimitMb: null });
      const retried = await post(admin, bulkUrl('ProvisioningJob', ids, 'bulkRetryJobs'));
      expect(retried.body.notice).toEqual({ type: 'success', message: '2 retried' });
      expect(onWhm(a.domain)?.plan).toBe('silver');
      expect(onWhm(b.domain)?.plan).toBe('silver');
      const cancelled = await post(admin, bulkUrl('ProvisioningJob', ids, 'bulkCancelJobs'));
      expect(cancelled.body.notice).toEqual({ type: 'error', message: `0 cancelled; Job #${ids[0]} (change package): Job #${ids[0]} is succeeded; it cannot be cancelled.; Job #${ids[1]} (change package): Job #${ids[1]} is succeeded; it cannot be cancelled.` });
    });
  });

  describe('bulk account actions', () => {
    it('suspends two services with one reason (as Billing staff), reports the one that could not be, and unsuspends them', async () => {
      const a = await provisioned();
      const b = await provisioned();
      const c = await provisioned();
      await post(admin, url('Service', c.id, 'suspendAccount'), { reason: 'Already' });
      const ids = [a.id, b.id, c.id];

      const noReason = await post(billing, bulkUrl('Service', ids, 'bulkSuspendAccounts'), { reason: '' });
      expect(noReason.body.notice).toEqual({ type: 'error', message: 'None suspended: Give a reason for the suspension (the client sees it).' });
      expect(onWhm(a.domain)?.suspended).toBe(false);

      const res = await post(billing, bulkUrl('Service', ids, 'bulkSuspendAccounts'), { reason: 'Chargeback' });
      expect(res.body.notice).toEqual({ type: 'info', message: `2 suspended; ${c.domain}: Only an active service can be suspended; this one is suspended.` });
      for (const s of [a, b]) {
        expect(onWhm(s.domain)).toMatchObject({ suspended: true, suspendreason: 'Chargeback' });
        expect(await service(s.id)).toMatchObject({ status: 'suspended', suspensionReason: 'Chargeback' });
      }
      expect(res.body.records.map((r: Row) => r.params.status)).toEqual(['suspended', 'suspended', 'suspended']);

      const un = await post(billing, bulkUrl('Service', ids, 'bulkUnsuspendAccounts'));
      expect(un.body.notice).toEqual({ type: 'success', message: '3 unsuspended' });
      for (const s of [a, b, c]) expect(onWhm(s.domain)?.suspended).toBe(false);
    });

    it('creates and terminates in bulk', async () => {
      const a = await newService(hostingProductId);
      const b = await newService(hostingProductId);
      const created = await post(admin, bulkUrl('Service', [a.id, b.id], 'bulkCreateAccounts'));
      expect(created.body.notice).toEqual({ type: 'success', message: '2 created' });
      expect(onWhm(a.domain)).toBeDefined();
      expect(onWhm(b.domain)).toBeDefined();
      const gone = await post(admin, bulkUrl('Service', [a.id, b.id], 'bulkTerminateAccounts'));
      expect(gone.body.notice).toEqual({ type: 'success', message: '2 terminated' });
      expect(onWhm(a.domain)).toBeUndefined();
      expect(onWhm(b.domain)).toBeUndefined();
    });
  });

  it('Sync accounts links the panel’s accounts to services and reports the ones Meridian does not know', async () => {
    const s = await provisioned();
    const handMade = await newService(hostingProductId, { serverId: whmServerId, username: 'handmade' });
    whm.addAccount({ user: 'handmade', domain: handMade.domain, plan: 'starter', diskUsedMb: 321 });
    whm.addAccount({ user: 'stranger', domain: 'stranger.example.test', plan: 'starter' });
    const res = await post(admin, url('Server', whmServerId, 'syncAccounts'));
    expect(res.body.notice).toEqual({ type: 'success', message: expect.stringMatching(/accounts on whm1; \d+ matched to services \(1 newly linked\), usage updated\. Not in Meridian: .*stranger \(stranger\.example\.test\)/) });
    expect(await service(handMade.id)).toMatchObject({ providerRef: 'handmade', diskUsageMb: 321 });
    expect((await service(s.id)).lastUsageSyncAt).not.toBeNull();
    expect((await server(whmServerId)).activeAccounts).toBe(whm.accounts.size);
  });

  it('refuses Read-only and Support staff these actions with 403 and changes nothing', async () => {
    const s = await provisioned();
    await post(admin, url('Service', s.id, 'changePackage'), { plan: 'bronze' });
    const failed = (await jobsOf(s.id)).at(-1)!;
    const calls = whm.calls.length;
    const record: Array<[string, number, string]> = [
      ...['createAccount', 'suspendAccount', 'unsuspendAccount', 'terminateAccount', 'changePackage', 'changePassword', 'loginToPanel'].map((a) => ['Service', s.id, a] as [string, number, string]),
      ['Server', whmServerId, 'testConnection'], ['Server', whmServerId, 'syncAccounts'],
      ['ProvisioningJob', failed.id, 'retryJob'], ['ProvisioningJob', failed.id, 'cancelJob'],
    ];
    for (const agent of [readOnly, support]) {
      for (const [resource, id, action] of record) {
        expect([action, (await post(agent, url(resource, id, action), { reason: 'x', plan: 'business', password: 'Another-Pass-1' })).status]).toEqual([action, 403]);
      }
      for (const action of ['bulkSuspendAccounts', 'bulkUnsuspendAccounts', 'bulkTerminateAccounts', 'bulkCreateAccounts']) {
        expect([action, (await post(agent, bulkUrl('Service', [s.id], action), { reason: 'x' })).status]).toEqual([action, 403]);
      }
      for (const action of ['bulkRetryJobs', 'bulkCancelJobs']) {
        expect([action, (await post(agent, bulkUrl('ProvisioningJob', [failed.id], action))).status]).toEqual([action, 403]);
      }
      expect((await get(agent, '/admin/api/resources/ProvisioningJob/actions/failedJobs', fromAdminPage)).status).toBe(403);
    }
    // Billing runs services' accounts but not the servers or the job queue (Products/Services is read-only for it).
    expect((await post(billing, url('Server', whmServerId, 'testConnection'))).status).toBe(403);
    expect((await post(billing, url('ProvisioningJob', failed.id, 'retryJob'))).status).toBe(403);
    expect(whm.calls.length).toBe(calls);
    expect(await service(s.id)).toMatchObject({ status: 'active' });
    expect(onWhm(s.domain)).toMatchObject({ suspended: false, plan: 'starter' });
    expect(await job(failed.id)).toMatchObject({ status: 'failed' });
  });

  it('never returns server credentials in any admin answer', async () => {
    for (const id of [whmServerId, vpsServerId]) {
      await get(admin, url('Server', id, 'show'));
      await get(admin, url('Server', id, 'edit'));
      await post(admin, url('Server', id, 'testConnection'));
    }
    await get(admin, '/admin/api/resources/Server/actions/list');
    await get(admin, '/admin/api/resources/Server/actions/search/whm');
    await get(admin, '/admin/api/resources/HostingPackage/actions/list');
    await get(readOnly, '/admin/api/resources/Server/actions/list');
    const s = await provisioned();
    await get(admin, url('Service', s.id, 'show'));
    await get(admin, '/admin/api/resources/ProvisioningJob/actions/list');
    expect(answers.length).toBeGreaterThan(50);
    expect(answers.some((a) => a.includes('"name":"whm1"'))).toBe(true);
    const secrets = [whm.token, SERVER_PASSWORD, virt.apiKey, virt.apiPass];
    for (const secret of secrets) {
      const leaks = answers.filter((a) => a.includes(secret));
      expect([secret, leaks.length]).toEqual([secret, 0]);
    }
    // Stored encrypted, not as typed.
    const raw = (await t.ds.query('SELECT api_token, password, api_key, api_pass FROM servers WHERE id IN (?, ?)', [whmServerId, vpsServerId])) as Row[];
    expect(JSON.stringify(raw)).not.toContain(whm.token);
    expect(JSON.stringify(raw)).not.toContain(virt.apiPass);
  });
});
