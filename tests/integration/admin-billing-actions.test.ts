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
