import { startTestApp, type TestApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import { startFakeWhm, type FakeWhm } from '../fakes/whm-server.js';
import { addDays, addMonthsAnchored, dayOfMonth, daysBetween } from '../../src/domain/billing/periods.js';
import { prorateUpgrade } from '../../src/domain/orders/upgrades.js';
import { invoice, postForm, product, save, service, signedInCustomer, today, type Customer } from './client-billing-fixtures.js';

type Row = Record<string, any>;

/** Half-up division of whole numbers, written out independently of the code under test. */
const halfUp = (n: number, d: number) => Math.floor((2 * n + d) / (2 * d));

/**
 * Upgrade and downgrade from the client area: the pro-rata invoice to the cent, the move when it is paid (and only
 * once), the immediate downgrade without refund, refusals, and the package change queued for the panel.
 */
describe(`client area: upgrades on ${testEngine()}`, () => {
  let t: TestApp;
  let whm: FakeWhm;
  let alice: Customer;
  const ids: Record<string, number> = {};
  const serviceRow = async (id: number) => (await t.ds.getRepository('Service').findOneByOrFail({ id })) as Row;
  const invoicesOf = (clientId: number) => t.ds.getRepository('Invoice').count({ where: { clientId } });
  /** A monthly service paid until 10 days from today, on its anchor day. */
  const paidUntil = () => {
    const due = addDays(today(), 10);
    const registered = addMonthsAnchored(due, -1, dayOfMonth(due));
    return { nextDueDate: due, registrationDate: registered, periodDays: daysBetween(registered, due) };
  };

  beforeAll(async () => {
    whm = await startFakeWhm();
    t = await startTestApp({}, { provisioning: { timeouts: { timeoutMs: 1500, createTimeoutMs: 1500 } } });
    alice = await signedInCustomer(t);
    ids.a = await product(t.ds, { name: 'Plan A', price: 1000 });
    ids.b = await product(t.ds, { name: 'Plan B', price: 2500 });
    ids.c = await product(t.ds, { name: 'Plan C', price: 500 });
    ids.hidden = await product(t.ds, { name: 'Plan Hidden', price: 9000, over: { hidden: true } });
    const group = (await save(t.ds, 'ServerGroup', { name: 'Shared', fillMethod: 'least_used' })).id;
    ids.server = (await save(t.ds, 'Server', { name: 'whm1', hostname: '127.0.0.1', ipAddress: '127.0.0.1', port: whm.port, secure: false, type: 'cpanel', username: whm.user, apiToken: whm.token, serverGroupId: group, maxAccounts: 100 })).id;
    ids.starter = await product(t.ds, { name: 'cPanel Starter', price: 1500, module: 'cpanel', over: { serverGroupId: group, moduleConfig: { package: 'starter' } } });
    ids.business = await product(t.ds, { name: 'cPanel Business', price: 2500, module: 'cpanel', over: { serverGroupId: group, moduleConfig: { package: 'business' } } });
  });
  afterAll(async () => {
    await t.close();
    await whm.close();
  });

  it('prorates by the periods of the service: unused days of the old price against the new price, to the cent', () => {
    // Period 2026-02-25 .. 2026-03-24 (28 days); 15 days left on 2026-03-10.
    const p = prorateUpgrade({ today: '2026-03-10', nextDueDate: '2026-03-25', cycle: 'monthly', anchorDay: 25, oldPrice: 1500, newPrice: 2500 });
    expect(p).toEqual({ periodStart: '2026-02-25', periodEnd: '2026-03-24', periodDays: 28, remainingDays: 15, periodsAhead: 0, credit: 804, charge: 1339, difference: 535 });
    // Paid one period ahead: that whole period counts at both prices.
    const ahead = prorateUpgrade({ today: '2026-03-10', nextDueDate: '2026-04-25', cycle: 'monthly', anchorDay: 25, oldPrice: 1500, newPrice: 2500 });
    expect([ahead.periodsAhead, ahead.credit, ahead.charge, ahead.difference]).toEqual([1, 2304, 3839, 1535]);
    // Month-end anchor: Jan 31 .. Feb 27 (2027), due Feb 28.
    const end = prorateUpgrade({ today: '2027-02-20', nextDueDate: '2027-02-28', cycle: 'monthly', anchorDay: 31, oldPrice: 3100, newPrice: 6200 });
    expect([end.periodStart, end.periodDays, end.remainingDays, end.credit, end.charge, end.difference]).toEqual(['2027-01-31', 28, 8, 886, 1771, 885]);
  });

  it('offers the products of the same module with their price; invoices the pro-rata difference; moves the service once paid', async () => {
    const when = paidUntil();
    const id = await service(t.ds, alice.clientId, ids.a, { recurringAmount: 1000, domain: 'up.example', nextDueDate: when.nextDueDate, registrationDate: when.registrationDate });
    const expected = halfUp(2500 * 10, when.periodDays) - halfUp(1000 * 10, when.periodDays);

    const page = await alice.agent.get(`/services/${id}/upgrade`).expect(200);
    expect(page.text).toContain('Plan B');
    expect(page.text).toContain('$25.00');
    expect(page.text).toContain(`$${(expected / 100).toFixed(2)}`);
    expect(page.text).toContain('Plan C');
    for (const absent of ['Plan Hidden', 'cPanel Starter', `value="${ids.a}"`]) expect(page.text).not.toContain(absent);

    const res = await postForm(alice.agent, `/services/${id}/upgrade`, { productId: String(ids.b) });
    expect(res.status).toBe(303);
    const invoiceId = Number(/^\/invoices\/(\d+)$/.exec(res.headers.location)![1]);
    const inv = (await t.ds.getRepository('Invoice').findOneByOrFail({ id: invoiceId })) as Row;
    expect([inv.clientId, inv.status, inv.total, inv.dueDate]).toEqual([alice.clientId, 'unpaid', expected, today()]);
    const items = (await t.ds.getRepository('InvoiceItem').find({ where: { invoiceId }, order: { sortOrder: 'ASC' } })) as Row[];
    expect(items.map((i) => [i.serviceId, i.amount, i.billingKey])).toEqual([
      [id, halfUp(2500 * 10, when.periodDays), `upgrade:${id}:${ids.b}:${today()}`],
      [id, -halfUp(1000 * 10, when.periodDays), `upgrade:${id}:${ids.b}:${today()}:unused`],
    ]);
    expect((await serviceRow(id)).productId).toBe(ids.a);
    expect((await alice.agent.get(`/invoices/${invoiceId}`)).text).toContain('Upgrade to Plan B - up.example');

    // While that invoice is open, no other change can be chosen.
    const again = await postForm(alice.agent, `/services/${id}/upgrade`, { productId: String(ids.c) });
    expect([again.status, again.headers.location]).toEqual([303, `/services/${id}/upgrade`]);
    expect((await alice.agent.get(`/services/${id}/upgrade`)).text).toContain('waiting for payment');
    expect((await serviceRow(id)).productId).toBe(ids.a);

    const paid = await t.built.payments.recordPayment({ invoiceId, amount: expected, gateway: 'banktransfer', transactionId: `UP-${invoiceId}` });
    expect(paid.ok && paid.invoiceStatus).toBe('paid');
    const moved = await serviceRow(id);
    expect([moved.productId, moved.recurringAmount, moved.nextDueDate]).toEqual([ids.b, 2500, when.nextDueDate]);
    // Paying again (an overpayment) goes to credit and never moves the service a second time.
    const twice = await t.built.payments.recordPayment({ invoiceId, amount: expected, gateway: 'banktransfer', transactionId: `UP-${invoiceId}-again` });
    expect(twice.ok && twice.toCredit).toBe(expected);
    expect((await serviceRow(id)).productId).toBe(ids.b);
  });

  it('downgrades at once without an invoice or refund; the lower price applies from the next renewal', async () => {
    const when = paidUntil();
    const id = await service(t.ds, alice.clientId, ids.b, { recurringAmount: 2500, nextDueDate: when.nextDueDate, registrationDate: when.registrationDate });
    const before = await invoicesOf(alice.clientId);
    const credit = ((await t.ds.getRepository('Client').findOneByOrFail({ id: alice.clientId })) as Row).creditBalance;
    const res = await postForm(alice.agent, `/services/${id}/upgrade`, { productId: String(ids.c) });
    expect([res.status, res.headers.location]).toEqual([303, `/services/${id}`]);
    const s = await serviceRow(id);
    expect([s.productId, s.recurringAmount, s.nextDueDate]).toEqual([ids.c, 500, when.nextDueDate]);
    expect(await invoicesOf(alice.clientId)).toBe(before);
    expect(((await t.ds.getRepository('Client').findOneByOrFail({ id: alice.clientId })) as Row).creditBalance).toBe(credit);
    expect((await alice.agent.get(`/services/${id}`)).text).toContain('Your service is now on Plan C');
  });

  it('refuses bad choices with 422 and states that block a change, creating nothing', async () => {
    const when = paidUntil();
    const id = await service(t.ds, alice.clientId, ids.a, { nextDueDate: when.nextDueDate, registrationDate: when.registrationDate });
    const before = await invoicesOf(alice.clientId);
    for (const productId of ['abc', '', String(ids.a), String(ids.hidden), String(ids.business), '99999999']) {
      const res = await postForm(alice.agent, `/services/${id}/upgrade`, { productId });
      expect(res.status).toBe(422);
      expect(res.text).toContain('Choose one of the products listed.');
    }
    expect(await invoicesOf(alice.clientId)).toBe(before);
    expect((await serviceRow(id)).productId).toBe(ids.a);

    const renewalDue = await service(t.ds, alice.clientId, ids.a, { nextDueDate: when.nextDueDate, registrationDate: when.registrationDate });
    const renewal = await invoice(t.ds, alice.clientId, 1000);
    await t.ds.getRepository('InvoiceItem').update({ invoiceId: renewal }, { itemType: 'service', serviceId: renewalDue });
    const lapsed = await service(t.ds, alice.clientId, ids.a, { nextDueDate: today(), registrationDate: addMonthsAnchored(today(), -1, dayOfMonth(today())) });
    const suspended = await service(t.ds, alice.clientId, ids.a, { status: 'suspended', nextDueDate: when.nextDueDate });
    const cancelling = await service(t.ds, alice.clientId, ids.a, { nextDueDate: when.nextDueDate, registrationDate: when.registrationDate });
    await save(t.ds, 'CancellationRequest', { serviceId: cancelling, clientId: alice.clientId, type: 'end_of_period', reason: 'Leaving', status: 'pending' });
    const count = await invoicesOf(alice.clientId);
    for (const [sid, why] of [[renewalDue, 'unpaid renewal invoice'], [lapsed, 'renewal is due'], [suspended, 'only an active service'], [cancelling, 'cancellation of this service']] as const) {
      expect((await alice.agent.get(`/services/${sid}/upgrade`).expect(200)).text).toContain(why);
      const res = await postForm(alice.agent, `/services/${sid}/upgrade`, { productId: String(ids.b) });
      expect([res.status, res.headers.location]).toEqual([303, `/services/${sid}/upgrade`]);
      expect((await serviceRow(sid)).productId).toBe(ids.a);
    }
    expect(await invoicesOf(alice.clientId)).toBe(count);
    const noToken = await alice.agent.post(`/services/${id}/upgrade`).type('form').send({ productId: String(ids.b) });
    expect(noToken.status).toBe(403);
    expect(await invoicesOf(alice.clientId)).toBe(count);
  });

  it('queues the package change on the panel when a cPanel upgrade is paid', async () => {
    const when = paidUntil();
    whm.addAccount({ user: 'upgrader', domain: 'upgrader.example', plan: 'starter' });
    const id = await service(t.ds, alice.clientId, ids.starter, { recurringAmount: 1500, serverId: ids.server, username: 'upgrader', providerRef: 'upgrader', domain: 'upgrader.example', nextDueDate: when.nextDueDate, registrationDate: when.registrationDate });
    const res = await postForm(alice.agent, `/services/${id}/upgrade`, { productId: String(ids.business) });
    const invoiceId = Number(/^\/invoices\/(\d+)$/.exec(res.headers.location)![1]);
    const inv = (await t.ds.getRepository('Invoice').findOneByOrFail({ id: invoiceId })) as Row;
    expect(inv.total).toBe(halfUp(2500 * 10, when.periodDays) - halfUp(1500 * 10, when.periodDays));
    await t.built.payments.recordPayment({ invoiceId, amount: inv.total, gateway: 'banktransfer', transactionId: `CP-${invoiceId}` });
    expect((await serviceRow(id)).productId).toBe(ids.business);
    const jobs = (await t.ds.getRepository('ProvisioningJob').find({ where: { serviceId: id } })) as Row[];
    expect(jobs.map((j) => [j.action, j.status, j.params])).toEqual([['change_package', 'queued', { plan: 'business' }]]);
    expect(whm.accounts.get('upgrader')!.plan).toBe('starter');
    const ran = await t.built.provisioning.worker.runDue();
    expect(ran.map((r) => r.status)).toEqual(['succeeded']);
    expect(whm.accounts.get('upgrader')!.plan).toBe('business');
  });
});
