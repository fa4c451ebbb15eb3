import { startTestApp, createStaff, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/auth.js';
import { testEngine } from '../helpers/db.js';
import * as fx from '../helpers/billing-fixtures.js';
import { ledgerDiscrepancies } from '../../src/domain/billing/payments.js';

type Row = Record<string, any>;

/** Billing workflows as staff run them from the admin: thin actions over the payment services. */
describe(`billing actions in the admin on ${testEngine()}`, () => {
  let t: TestApp;
  let billing: ReturnType<TestApp['agent']>;
  let support: ReturnType<TestApp['agent']>;
  const invoice = async (id: number) => (await t.ds.getRepository('Invoice').findOneByOrFail({ id })) as Row;
  const counts = async () => Promise.all(['Transaction', 'CreditEntry'].map((e) => t.ds.getRepository(e).count()));

  beforeAll(async () => {
    t = await startTestApp();
    await createStaff(t.ds, { email: 'bill@test.local', password: 'billing person 1', role: 'Billing' });
    await createStaff(t.ds, { email: 'help@test.local', password: 'support person 1', role: 'Support' });
    billing = t.agent();
    await loginAs(billing, 'bill@test.local', 'billing person 1');
    support = t.agent();
    await loginAs(support, 'help@test.local', 'support person 1');
  });
  afterEach(async () => expect(await ledgerDiscrepancies(t.ds)).toEqual([]));
  afterAll(async () => t.close());

  it('records a payment from the Record Payment form and audits the action', async () => {
    const c = await fx.client(t.ds);
    const i = await fx.invoice(t.ds, c, 4995);
    const form = await billing.get(`/admin/api/resources/Invoice/records/${i}/recordPayment`);
    expect(form.status).toBe(200);
    const res = await billing.post(`/admin/api/resources/Invoice/records/${i}/recordPayment`).type('form').send({ amount: '49.95', gateway: 'banktransfer', transactionId: 'BANK-778', date: '2026-11-19' });
    expect(res.body.notice).toMatchObject({ type: 'success' });
    expect(await invoice(i)).toMatchObject({ status: 'paid', amountPaid: 4995 });
    expect(res.body.record.params.amountPaid).toBe('49.95');
    for (let n = 0; n < 50 && !(await t.ds.getRepository('AuditLog').count({ where: { event: 'action', auditableType: 'Invoice', auditableId: String(i) } })); n++) await new Promise((r) => setTimeout(r, 20));
    expect(await t.ds.getRepository('AuditLog').count({ where: { event: 'action', auditableType: 'Invoice', auditableId: String(i) } })).toBe(1);
  });

  it.each([
    ['a negative amount', { amount: '-5.00', gateway: 'manual' }, /more than zero/],
    ['text instead of an amount', { amount: 'ten', gateway: 'manual' }, /not an amount/],
    ['too many decimals', { amount: '1.999', gateway: 'manual' }, /decimal places/],
    ['no amount', { gateway: 'manual' }, /Enter an amount/],
    ['no payment method', { amount: '5.00' }, /payment method/],
    ['fees above the amount', { amount: '5.00', gateway: 'manual', fees: '6.00' }, /Fees/],
  ])('refuses %s with a clear message and changes nothing', async (_l, form, message) => {
    const c = await fx.client(t.ds);
    const i = await fx.invoice(t.ds, c, 1000);
    const before = await counts();
    const res = await billing.post(`/admin/api/resources/Invoice/records/${i}/recordPayment`).type('form').send(form);
    expect(res.body.notice.type).toBe('error');
    expect(res.body.notice.message).toMatch(message);
    expect(await counts()).toEqual(before);
    expect(await invoice(i)).toMatchObject({ status: 'unpaid', amountPaid: 0 });
  });

  it('refuses a Support user Record Payment with 403 and records nothing', async () => {
    const c = await fx.client(t.ds);
    const i = await fx.invoice(t.ds, c, 1000);
    const before = await counts();
    const res = await support.post(`/admin/api/resources/Invoice/records/${i}/recordPayment`).type('form').send({ amount: '10.00', gateway: 'manual' });
    expect(res.status).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('adds credit to a client, applies it to an invoice, refunds a payment to credit', async () => {
    const c = await fx.client(t.ds);
    const add = await billing.post(`/admin/api/resources/Client/records/${c}/addCredit`).type('form').send({ amount: '20.00', description: 'Apology for downtime' });
    expect(add.body.notice).toMatchObject({ type: 'success', message: 'Credit balance is now 20.00.' });
    const i = await fx.invoice(t.ds, c, 1500);
    const apply = await billing.post(`/admin/api/resources/Invoice/records/${i}/applyCredit`).type('form').send({});
    expect(apply.body.notice).toMatchObject({ type: 'success' });
    expect(await invoice(i)).toMatchObject({ status: 'paid', credit: 1500 });
    const j = await fx.invoice(t.ds, c, 3000);
    await billing.post(`/admin/api/resources/Invoice/records/${j}/recordPayment`).type('form').send({ amount: '30.00', gateway: 'stripe', transactionId: 'ch_admin' });
    const txn = (await t.ds.getRepository('Transaction').findOneByOrFail({ transactionId: 'ch_admin' })) as Row;
    const tooMuch = await billing.post(`/admin/api/resources/Transaction/records/${txn.id}/refund`).type('form').send({ amount: '30.01', toCredit: 'true' });
    expect(tooMuch.body.notice).toMatchObject({ type: 'error' });
    const refund = await billing.post(`/admin/api/resources/Transaction/records/${txn.id}/refund`).type('form').send({ amount: '30.00', toCredit: 'true' });
    expect(refund.body.notice).toMatchObject({ type: 'success' });
    expect(await invoice(j)).toMatchObject({ status: 'refunded', amountPaid: 0 });
    expect(((await t.ds.getRepository('Client').findOneByOrFail({ id: c })) as Row).creditBalance).toBe(500 + 3000);
  });

  it('marks several invoices paid in bulk, reporting the ones it could not', async () => {
    const c = await fx.client(t.ds);
    const a = await fx.invoice(t.ds, c, 1234);
    const b = await fx.invoice(t.ds, c, 999, { status: 'cancelled' });
    const res = await billing.post(`/admin/api/resources/Invoice/bulk/markPaid?recordIds=${a},${b}`).type('form').send({});
    expect(res.body.notice.message).toMatch(/^1 marked paid; 1 not: .*cancelled/);
    expect(await invoice(a)).toMatchObject({ status: 'paid', amountPaid: 1234 });
    expect(await invoice(b)).toMatchObject({ status: 'cancelled', amountPaid: 0 });
    expect((await support.post(`/admin/api/resources/Invoice/bulk/markPaid?recordIds=${a}`).type('form').send({})).status).toBe(403);
  });

  it('takes one payment for several invoices from the bulk form, and refuses a bad amount', async () => {
    const c = await fx.client(t.ds);
    const a = await fx.invoice(t.ds, c, 1000);
    const b = await fx.invoice(t.ds, c, 500);
    const bad = await billing.post(`/admin/api/resources/Invoice/bulk/massPayment?recordIds=${a},${b}`).type('form').send({ amount: '15.001', gateway: 'manual' });
    expect(bad.body.notice).toMatchObject({ type: 'error' });
    expect(await invoice(a)).toMatchObject({ status: 'unpaid' });
    const ok = await billing.post(`/admin/api/resources/Invoice/bulk/massPayment?recordIds=${a},${b}`).type('form').send({ amount: '15.00', gateway: 'banktransfer', transactionId: 'WIRE-ADMIN' });
    expect(ok.body.notice).toMatchObject({ type: 'success' });
    expect(await invoice(a)).toMatchObject({ status: 'paid' });
    expect(await invoice(b)).toMatchObject({ status: 'paid' });
  });

  it('shows an invoice’s lines, totals and payments on one page', async () => {
    const c = await fx.client(t.ds);
    const i = await fx.invoice(t.ds, c, 2500);
    await billing.post(`/admin/api/resources/Invoice/records/${i}/recordPayment`).type('form').send({ amount: '10.00', gateway: 'banktransfer', transactionId: 'DET-1' });
    const res = await billing.get(`/admin/api/resources/Invoice/records/${i}/details`);
    const d = JSON.parse(res.body.record.params.__details);
    expect(d).toMatchObject({ status: 'unpaid', balance: '$15.00', lines: [{ description: 'Test line', amount: '$25.00' }] });
    expect(d.transactions).toEqual([expect.objectContaining({ gateway: 'banktransfer', reference: 'DET-1', amount: '$10.00' })]);
  });

  it('shows the billing health and money figures on the dashboard, and runs billing from the admin', async () => {
    const before = await billing.get('/admin/api/dashboard');
    expect(before.body).toMatchObject({ billingStale: true, invoices: expect.objectContaining({ unpaid: expect.any(Number) }) });
    const run = await billing.post('/admin/api/resources/Invoice/actions/runBillingNow').type('form').send({});
    expect(run.body.notice.message).toMatch(/Billing run created \d+ invoices/);
    const after = await billing.get('/admin/api/dashboard');
    expect(after.body.billingStale).toBe(false);
    expect(after.body.lastRuns.map((r: { task: string }) => r.task)).toContain('billing.daily');
    const quick = await billing.get('/admin/api/resources/Invoice/actions/overdue');
    expect(quick.body.redirectUrl).toMatch(/filters\.status=unpaid&filters\.dueDate~~to=\d{4}-\d{2}-\d{2}/);
  });

  it('generates a service invoice now, which the daily run then never bills again', async () => {
    const c = await fx.client(t.ds);
    const cat = await t.ds.getRepository('ProductCategory').insert({ name: 'Hosting', slug: `h-${Date.now()}` });
    const p = await t.ds.getRepository('Product').insert({ categoryId: cat.identifiers[0].id, name: 'Starter', slug: `starter-${Date.now()}`, type: 'shared' });
    const s = await t.ds.getRepository('Service').insert({ clientId: c, productId: p.identifiers[0].id, currencyId: await fx.currency(t.ds), billingCycle: 'monthly', recurringAmount: 1500, registrationDate: '2030-01-31', nextDueDate: '2030-02-28', nextInvoiceDate: '2030-02-28', status: 'active', domain: 'now.example' });
    const sid = s.identifiers[0].id as number;
    const res = await billing.post(`/admin/api/resources/Service/records/${sid}/generateInvoiceNow`).type('form').send({});
    expect(res.body.notice).toMatchObject({ type: 'success', message: expect.stringContaining('period from 2030-02-28') });
    const item = (await t.ds.getRepository('InvoiceItem').findOneByOrFail({ serviceId: sid })) as Row;
    expect(item).toMatchObject({ periodStart: '2030-02-28', periodEnd: '2030-03-30', amount: 1500, billingKey: `service:${sid}:2030-02-28` });
    const run = await t.built.billing.run({ date: '2030-02-20' });
    expect(run.ok && (await t.ds.getRepository('InvoiceItem').count({ where: { serviceId: sid } }))).toBe(1);
  });

  it('cancels an unpaid invoice and refuses to cancel one with payments', async () => {
    const c = await fx.client(t.ds);
    const i = await fx.invoice(t.ds, c, 1000);
    const ok = await billing.post(`/admin/api/resources/Invoice/records/${i}/cancelInvoice`).type('form').send({ reason: 'Ordered by mistake' });
    expect(ok.body.notice).toMatchObject({ type: 'success' });
    expect(await invoice(i)).toMatchObject({ status: 'cancelled' });
    const j = await fx.invoice(t.ds, c, 1000);
    await billing.post(`/admin/api/resources/Invoice/records/${j}/recordPayment`).type('form').send({ amount: '1.00', gateway: 'manual' });
    const no = await billing.post(`/admin/api/resources/Invoice/records/${j}/cancelInvoice`).type('form').send({});
    expect(no.body.notice).toMatchObject({ type: 'error', message: expect.stringMatching(/refund them first/) });
    expect(await invoice(j)).toMatchObject({ status: 'unpaid' });
  });
});
