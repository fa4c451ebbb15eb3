import type { DataSource } from 'typeorm';
import { openTestDb, testEngine, type TestDb } from '../helpers/db.js';
import { startFakeWhm, type FakeWhm } from '../fakes/whm-server.js';
import { startFakeVirtualizor, type FakeVirtualizor } from '../fakes/virtualizor-server.js';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server.js';
import { DEMO_EMAIL_TEMPLATES } from '../../src/demo/content-text.js';
import { FixedClock, businessDate } from '../../src/domain/shared/clock.js';
import { ensureSequences } from '../../src/domain/billing/numbering.js';
import { OrderService } from '../../src/domain/orders/order-service.js';
import { PaymentService } from '../../src/domain/billing/payments.js';
import { applyPaidInvoice } from '../../src/domain/billing/on-paid.js';
import { BillingRunService } from '../../src/domain/billing/run/billing-run.js';
import { EmailService } from '../../src/domain/notifications/email-service.js';
import { createMailer, type Mailer } from '../../src/integrations/mail/mailer.js';
import { providerFor } from '../../src/integrations/provisioning/index.js';
import { ProvisioningWorker } from '../../src/domain/provisioning/worker.js';
import { ProvisioningService } from '../../src/domain/provisioning/provisioning-service.js';
import { ServerTools } from '../../src/domain/provisioning/server-tools.js';
import type { ProvisioningDeps } from '../../src/domain/provisioning/context.js';

type Row = Record<string, any>;

/**
 * The whole road from an order to an account on a panel and back, against the fake WHM and Virtualizor over real
 * HTTP, with mail over real SMTP: paid order → create; overdue → suspend; paid → unsuspend; later → terminate; and
 * the failures the incumbents get wrong — a createacct that times out but creates, 5xx then success, a permanent
 * refusal, a payment racing a suspension, two workers on one queue.
 */
describe(`provisioning on ${testEngine()}`, () => {
  let db: TestDb;
  let ds: DataSource;
  let whm: FakeWhm;
  let vz: FakeVirtualizor;
  let smtp: FakeSmtp;
  let mailer: Mailer;
  const clock = new FixedClock(new Date('2026-03-10T10:00:00Z'));
  const today = () => businessDate(clock.now(), 'UTC');
  let deps: ProvisioningDeps;
  let worker: ProvisioningWorker;
  let orders: OrderService;
  let payments: PaymentService;
  let staff: ProvisioningService;
  const ids: Record<string, number> = {};

  const save = async (entity: string, data: Row) => (await ds.getRepository(entity).save(ds.getRepository(entity).create(data))) as Row;
  const service = async (id: number) => (await ds.getRepository('Service').findOneByOrFail({ id })) as Row;
  const jobsOf = async (serviceId: number) => (await ds.getRepository('ProvisioningJob').find({ where: { serviceId }, order: { id: 'ASC' } })) as Row[];
  let seq = 0;
  const newClient = async () => (await save('Client', { firstName: 'Pat', lastName: `Buyer ${++seq}`, email: `pat${seq}@buyer.example`, country: 'US', currencyId: ids.usd })).id as number;

  /** Places and pays an order for one product; answers the new service id. */
  async function buyAndPay(productId: number, domain: string): Promise<number> {
    const placed = await orders.placeOrder({ clientId: await newClient(), items: [{ productId, cycle: 'monthly', domain }] as never });
    if (!placed.ok) throw new Error(placed.message);
    const inv = (await ds.getRepository('Invoice').findOneByOrFail({ id: placed.invoiceId })) as Row;
    const paid = await payments.recordPayment({ invoiceId: inv.id, amount: inv.total, gateway: 'banktransfer', transactionId: `order-${placed.orderId}` });
    if (!paid.ok) throw new Error(paid.message);
    return placed.serviceIds[0];
  }

  beforeAll(async () => {
    db = await openTestDb();
    ds = db.ds;
    await ensureSequences(ds.manager);
    [whm, vz, smtp] = await Promise.all([startFakeWhm(), startFakeVirtualizor(), startFakeSmtp()]);
    mailer = createMailer({ SMTP_URL: smtp.url }, { connectionTimeout: 2000, greetingTimeout: 2000, socketTimeout: 4000 } as never);
    const email = new EmailService({ ds, mailer, clock, timeZone: 'UTC', appUrl: 'https://billing.example.test' });
    for (const name of ['hosting_welcome', 'vps_welcome', 'provisioning_failed']) {
      const t = DEMO_EMAIL_TEMPLATES.find((x) => x.name === name)!;
      await save('EmailTemplate', { ...t, language: 'en', enabled: true, isSystem: true });
    }
    await save('Setting', { key: 'company.email', value: 'ops@host.example', type: 'string' });
    ids.usd = (await save('Currency', { code: 'USD', prefix: '$', isDefault: true, exchangeRate: '1' })).id;
    const cat = (await save('ProductCategory', { name: 'Hosting', slug: 'hosting' })).id;
    const sharedGroup = (await save('ServerGroup', { name: 'Shared', fillMethod: 'least_used' })).id;
    const vpsGroup = (await save('ServerGroup', { name: 'VPS', fillMethod: 'fill_first' })).id;
    ids.whmServer = (await save('Server', { name: 'whm1', hostname: '127.0.0.1', ipAddress: '127.0.0.1', port: whm.port, secure: false, type: 'cpanel', username: whm.user, apiToken: whm.token, serverGroupId: sharedGroup, maxAccounts: 100, nameserver1: 'ns1.host.example', nameserver2: 'ns2.host.example' })).id;
    ids.vzServer = (await save('Server', { name: 'vz1', hostname: '127.0.0.1', ipAddress: '127.0.0.1', port: vz.port, secure: false, type: 'virtualizor', apiKey: vz.apiKey, apiPass: vz.apiPass, serverGroupId: vpsGroup, maxAccounts: 50 })).id;
    const pkg = (await save('HostingPackage', { serverId: ids.whmServer, name: 'starter' })).id;
    ids.shared = (await save('Product', { categoryId: cat, name: 'Shared Starter', slug: 'shared-starter', type: 'shared', module: 'cpanel', serverGroupId: sharedGroup, hostingPackageId: pkg, autoSetup: 'payment', taxable: false })).id;
    ids.vps = (await save('Product', { categoryId: cat, name: 'VPS 1G', slug: 'vps-1g', type: 'vps', module: 'virtualizor', serverGroupId: vpsGroup, moduleConfig: { planId: '1', osTemplate: '100', virtType: 'kvm' }, autoSetup: 'payment', taxable: false })).id;
    const business = (await save('HostingPackage', { serverId: ids.whmServer, name: 'business' })).id;
    ids.business = (await save('Product', { categoryId: cat, name: 'Shared Business', slug: 'shared-business', type: 'shared', module: 'cpanel', serverGroupId: sharedGroup, hostingPackageId: business, autoSetup: 'payment', taxable: false })).id;
    ids.broken = (await save('Product', { categoryId: cat, name: 'Broken Plan', slug: 'broken', type: 'shared', module: 'cpanel', serverGroupId: sharedGroup, moduleConfig: { package: 'no-such-package' }, autoSetup: 'payment', taxable: false })).id;
    for (const productId of [ids.shared, ids.vps, ids.broken, ids.business]) {
      await save('ProductPrice', { productId, addonId: null, configOptionChoiceId: null, currencyId: ids.usd, cycle: 'monthly', price: productId === ids.business ? 2500 : 1500, setupFee: 0, enabled: true });
    }
    deps = { ds, clock, email, providers: providerFor, timeouts: { timeoutMs: 1500, createTimeoutMs: 1500 } };
    worker = new ProvisioningWorker({ ...deps, alertEmail: async () => 'ops@host.example' });
    staff = new ProvisioningService({ ...deps, timeZone: 'UTC' }, worker);
    orders = new OrderService(ds, clock, 'UTC');
    payments = new PaymentService(ds, clock, 'UTC');
    payments.onInvoicePaid((m, inv) => applyPaidInvoice(m, inv, today(), clock.now()));
    payments.onInvoicePaid((m, inv) => orders.onInvoicePaid(m, inv));
  });
  afterEach(() => {
    whm.reset();
    smtp.clear();
  });
  afterAll(async () => {
    mailer.close?.();
    await Promise.all([whm.close(), vz.close(), smtp.close()]);
    await db.close();
  });

  it('creates the cPanel account of a paid order, with its package, domain and contact email, and sends the welcome', async () => {
    const id = await buyAndPay(ids.shared, 'shop-one.example');
    expect((await jobsOf(id)).map((j) => [j.action, j.status])).toEqual([['create', 'queued']]);
    const ran = await worker.runDue();
    expect(ran.map((r) => r.status)).toEqual(['succeeded']);
    const s = await service(id);
    const account = whm.accounts.get(s.username)!;
    expect(account).toMatchObject({ domain: 'shop-one.example', plan: 'starter', email: expect.stringMatching(/@buyer\.example$/) });
    expect(account.password).toBe(s.password);
    expect([s.status, s.providerRef, s.serverId]).toEqual(['active', s.username, ids.whmServer]);
    const [mail] = await smtp.waitFor(1);
    expect(mail.envelope.to).toEqual([account.email]);
    expect(mail.html).toContain(s.username);
    expect(await worker.runDue()).toEqual([]);
  });

  it('creates a VPS from the plan and OS template on Virtualizor', async () => {
    const id = await buyAndPay(ids.vps, 'vps-one.example');
    expect((await worker.runDue()).map((r) => r.status)).toEqual(['succeeded']);
    const s = await service(id);
    const [vps] = vz.findVps((v) => v.hostname === 'vps-one.example');
    expect(vps).toMatchObject({ plid: 1, osid: 100 });
    expect(vz.userOf(vps)?.email).toMatch(/@buyer\.example$/);
    expect([s.providerRef, s.dedicatedIp]).toEqual([String(vps.vpsid), vps.ips[0].ip]);
    const [mail] = await smtp.waitFor(1);
    expect(mail.subject).toContain('vps-one.example');
  });

  it('adopts the account a timed-out createacct made anyway: exactly one account', async () => {
    whm.set({ createTimesOutButCreates: true, createHoldMs: 2500 });
    const id = await buyAndPay(ids.shared, 'slow-create.example');
    const first = await worker.runDue();
    // The lookup right after the timeout already finds the account the panel made and adopts it.
    expect(first.map((r) => r.status)).toEqual(['succeeded']);
    const s = await service(id);
    expect([...whm.accounts.values()].filter((a) => a.domain === 'slow-create.example')).toHaveLength(1);
    expect(whm.callsTo('createacct')).toHaveLength(1);
    expect(s.providerRef).toBe(s.username);
    expect((await jobsOf(id))[0].result).toMatchObject({ adopted: true });
  });

  it('retries 5xx answers with backoff and ends with one account and the attempts recorded', async () => {
    const id = await buyAndPay(ids.shared, 'flaky.example');
    whm.failNext(2, { status: 503, fn: 'createacct' });
    expect((await worker.runDue())[0]).toMatchObject({ status: 'queued', message: expect.stringContaining('503') });
    expect(await worker.runDue()).toEqual([]); // not due yet: backoff
    for (let i = 0; i < 2; i++) {
      clock.set(new Date(clock.now().getTime() + 60 * 60_000));
      await worker.runDue();
    }
    const [job] = await jobsOf(id);
    expect([job.status, job.attempts]).toEqual(['succeeded', 3]);
    expect([...whm.accounts.values()].filter((a) => a.domain === 'flaky.example')).toHaveLength(1);
  });

  it('stops at once on a permanent refusal, keeps the message and emails staff', async () => {
    const id = await buyAndPay(ids.broken, 'broken.example');
    const [out] = await worker.runDue();
    expect(out.status).toBe('failed');
    const [job] = await jobsOf(id);
    expect([job.status, job.attempts]).toEqual(['failed', 1]);
    expect(job.lastError).toContain('not a valid pacakge name');
    const alert = (await smtp.waitFor(1)).find((m) => m.envelope.to.includes('ops@host.example'))!;
    expect(alert.subject).toContain(`service #${id}`);
    expect(alert.html).toContain('pacakge');
    expect((await service(id)).providerRef).toBeNull();
  });

  it('suspends when overdue, unsuspends when paid, terminates when the time comes — on the panel', async () => {
    await ds.getRepository('Setting').save([
      { key: 'billing.suspendAfterDays', value: '3', type: 'string' },
      { key: 'billing.terminateAfterDays', value: '20', type: 'string' },
    ]);
    const id = await buyAndPay(ids.shared, 'overdue.example');
    await worker.runDue();
    const user = (await service(id)).username;
    const billing = new BillingRunService(ds, clock, 'UTC', { payments });
    // Run billing each day until the renewal invoice is 3 days overdue.
    const renewalDue = (await service(id)).nextDueDate as string;
    clock.set(`${renewalDue}T10:00:00Z`);
    clock.advanceDays(4);
    for (let i = 0; i < 20 && !(await service(id)).overdueSuspended; i++) {
      expect((await billing.run()).ok).toBe(true);
      clock.advanceDays(1);
    }
    expect((await service(id)).status).toBe('suspended');
    await worker.runDue();
    expect(whm.accounts.get(user)).toMatchObject({ suspended: true, suspendreason: expect.stringContaining('Overdue') });

    const unpaid = (await ds.getRepository('Invoice').findOneByOrFail({ clientId: (await service(id)).clientId, status: 'unpaid' })) as Row;
    expect((await payments.recordPayment({ invoiceId: unpaid.id, amount: unpaid.total, gateway: 'banktransfer', transactionId: `late-${unpaid.id}` })).ok).toBe(true);
    await worker.runDue();
    expect(whm.accounts.get(user)?.suspended).toBe(false);
    expect((await service(id)).status).toBe('active');

    expect((await staff.terminate({ serviceId: id })).ok).toBe(true);
    expect(whm.accounts.has(user)).toBe(false);
    // Terminating again asks the panel for nothing; a terminate job retried after the account is gone still succeeds.
    expect((await staff.terminate({ serviceId: id })).ok).toBe(false);
  });

  it('terminates on the termination date staff set, and removes the account', async () => {
    const id = await buyAndPay(ids.shared, 'leaving.example');
    await worker.runDue();
    const user = (await service(id)).username;
    await ds.getRepository('Service').update({ id }, { terminationDate: today() });
    const run = await new BillingRunService(ds, clock, 'UTC', { payments }).run();
    expect(run.ok && run.report.counts.terminations).toBe(1);
    expect((await service(id)).status).toBe('terminated');
    expect((await worker.runDue()).map((r) => [r.action, r.status])).toEqual([['terminate', 'succeeded']]);
    expect(whm.accounts.has(user)).toBe(false);
  });

  it('syncs accounts: usage copied, an account of a known client and package imported, strangers reported', async () => {
    const id = await buyAndPay(ids.shared, 'synced.example');
    await worker.runDue();
    const s = await service(id);
    whm.accounts.get(s.username)!.diskUsedMb = 321;
    const owner = (await ds.getRepository('Client').findOneByOrFail({ id: s.clientId })) as Row;
    whm.addAccount({ user: 'handmade', domain: 'handmade.example', plan: 'starter', email: owner.email });
    whm.addAccount({ user: 'stranger', domain: 'stranger.example', plan: 'starter', email: 'nobody@else.example' });
    const tools = new ServerTools(deps);
    const out = await tools.syncAccounts(ids.whmServer, { importUnknown: true });
    if (!out.ok) throw new Error(out.message);
    expect([out.matched, out.imported, out.unknown]).toEqual([1, 1, ['stranger (stranger.example)']]);
    expect((await service(id)).diskUsageMb).toBe(321);
    const imported = (await ds.getRepository('Service').findOneByOrFail({ providerRef: 'handmade' })) as Row;
    expect([imported.clientId, imported.productId, imported.status, imported.nextDueDate]).toEqual([owner.id, ids.shared, 'active', null]);
  });

  it('moves a service to another product: new renewal price, account moved to the new package', async () => {
    const id = await buyAndPay(ids.shared, 'upgrade.example');
    await worker.runDue();
    const out = await staff.changeProduct({ serviceId: id, productId: ids.business });
    expect(out).toMatchObject({ ok: true, job: { status: 'succeeded' } });
    const s = await service(id);
    expect([s.productId, s.recurringAmount]).toEqual([ids.business, 2500]);
    expect(whm.accounts.get(s.username)?.plan).toBe('business');
    // Nothing changes for a move across modules, or to the same product.
    expect(await staff.changeProduct({ serviceId: id, productId: ids.vps })).toMatchObject({ ok: false, error: 'module_differs' });
    expect(await staff.changeProduct({ serviceId: id, productId: ids.business })).toMatchObject({ ok: false, error: 'same_product' });
    expect(whm.callsTo('changepackage')).toHaveLength(1);
  });

  it('ends active when a payment arrives while the suspension is still queued', async () => {
    const id = await buyAndPay(ids.shared, 'race.example');
    await worker.runDue();
    const user = (await service(id)).username;
    // Overdue suspension queued (as the billing run does it) …
    await ds.getRepository('Service').update({ id }, { status: 'suspended', overdueSuspended: true, suspensionReason: 'Overdue on payment' });
    const { requestProvisioning } = await import('../../src/domain/provisioning/requests.js');
    await requestProvisioning(ds.manager, { serviceId: id, action: 'suspend', key: `${id}:race`, reason: 'Overdue on payment', now: clock.now() });
    // … and the payment lands before the worker runs: the service is active again and an unsuspend is queued.
    await ds.getRepository('Service').update({ id }, { status: 'active', overdueSuspended: false, suspensionReason: null });
    await requestProvisioning(ds.manager, { serviceId: id, action: 'unsuspend', key: `${id}:race-paid`, reason: 'Paid', now: clock.now() });
    const ran = await worker.runDue();
    expect(ran.map((r) => [r.action, r.status])).toEqual([['suspend', 'succeeded'], ['unsuspend', 'succeeded']]);
    expect(whm.accounts.get(user)?.suspended).toBe(false);
    expect(whm.callsTo('suspendacct')).toHaveLength(0);
  });

  it('never lets two workers run one job twice', async () => {
    const services = await Promise.all(Array.from({ length: 6 }, (_, i) => buyAndPay(ids.shared, `pair-${i}.example`)));
    const other = new ProvisioningWorker({ ...deps });
    const [a, b] = await Promise.all([worker.runDue(), other.runDue()]);
    const ran = [...a, ...b].map((r) => r.jobId);
    expect(new Set(ran).size).toBe(ran.length);
    expect(ran).toHaveLength(6);
    expect(whm.callsTo('createacct')).toHaveLength(6);
    for (const id of services) expect((await jobsOf(id))[0]).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  it('undoes the account when the welcome email cannot be sent, and the retry makes exactly one', async () => {
    await ds.getRepository('EmailTemplate').update({ name: 'hosting_welcome' }, { name: 'hosting_welcome_off' });
    const id = await buyAndPay(ids.shared, 'no-mail.example');
    const [out] = await worker.runDue();
    expect(out).toMatchObject({ status: 'failed', message: expect.stringContaining('removed again') });
    expect([...whm.accounts.values()].filter((a) => a.domain === 'no-mail.example')).toHaveLength(0);
    expect((await service(id)).providerRef).toBeNull();
    await ds.getRepository('EmailTemplate').update({ name: 'hosting_welcome_off' }, { name: 'hosting_welcome' });
    const [job] = await jobsOf(id);
    expect((await staff.retryJob(job.id)).ok).toBe(true);
    expect((await jobsOf(id))[0].status).toBe('succeeded');
    expect([...whm.accounts.values()].filter((a) => a.domain === 'no-mail.example')).toHaveLength(1);
  });
});
