import { openTestDb, testEngine, type TestDb } from '../helpers/db.js';
import * as fx from '../helpers/billing-fixtures.js';
import { PaymentService, ledgerDiscrepancies } from '../../src/domain/billing/payments.js';
import { claimNumber } from '../../src/domain/billing/numbering.js';
import { inTransaction } from '../../src/db/transaction.js';
import { FixedClock } from '../../src/domain/shared/clock.js';

type Row = Record<string, any>;

describe(`payments and credit on ${testEngine()}`, () => {
  let db: TestDb;
  let payments: PaymentService;
  const paidHookCalls: number[] = [];
  const clock = new FixedClock(new Date('2026-11-20T10:00:00Z'));
  const inv = async (id: number) => (await db.ds.getRepository('Invoice').findOneByOrFail({ id })) as Row;
  const cli = async (id: number) => (await db.ds.getRepository('Client').findOneByOrFail({ id })) as Row;
  const snapshot = async () => Promise.all(['Transaction', 'CreditEntry', 'Invoice', 'Client'].map(async (e) => JSON.stringify(await db.ds.getRepository(e).find({ order: { id: 'ASC' } }))));

  beforeAll(async () => {
    db = await openTestDb();
    payments = new PaymentService(db.ds, clock);
    payments.onInvoicePaid(async (_m, invoice) => {
      paidHookCalls.push(invoice.id);
    });
  });
  afterEach(async () => expect(await ledgerDiscrepancies(db.ds)).toEqual([]));
  afterAll(async () => db.close());

  it('takes a full payment: paid, dated, one transaction, hook run once', async () => {
    const c = await fx.client(db.ds);
    const i = await fx.invoice(db.ds, c, 2999);
    const r = await payments.recordPayment({ invoiceId: i, amount: 2999, gateway: 'banktransfer', transactionId: 'BT-1' });
    expect(r).toMatchObject({ ok: true, applied: 2999, toCredit: 0, invoiceStatus: 'paid', duplicate: false });
    expect(await inv(i)).toMatchObject({ status: 'paid', amountPaid: 2999 });
    expect((await inv(i)).paidAt).toEqual(new Date('2026-11-20T10:00:00Z'));
    expect(paidHookCalls.filter((x) => x === i)).toHaveLength(1);
  });

  it('takes partial payments until the invoice is paid', async () => {
    const c = await fx.client(db.ds);
    const i = await fx.invoice(db.ds, c, 10000);
    expect(await payments.recordPayment({ invoiceId: i, amount: 2500, gateway: 'manual' })).toMatchObject({ ok: true, invoiceStatus: 'unpaid' });
    expect(await payments.recordPayment({ invoiceId: i, amount: 7499, gateway: 'manual' })).toMatchObject({ ok: true, invoiceStatus: 'unpaid' });
    expect(await inv(i)).toMatchObject({ status: 'unpaid', amountPaid: 9999 });
    expect(await payments.recordPayment({ invoiceId: i, amount: 1, gateway: 'manual' })).toMatchObject({ ok: true, invoiceStatus: 'paid' });
  });

  it('turns an overpayment into account credit, recorded as its own transaction', async () => {
    const c = await fx.client(db.ds);
    const i = await fx.invoice(db.ds, c, 1000);
    const r = await payments.recordPayment({ invoiceId: i, amount: 1550, gateway: 'stripe', transactionId: 'ch_over' });
    expect(r).toMatchObject({ ok: true, applied: 1000, toCredit: 550, invoiceStatus: 'paid' });
    expect((await cli(c)).creditBalance).toBe(550);
    const txns = (await db.ds.getRepository('Transaction').find({ where: { clientId: c }, order: { id: 'ASC' } })) as Row[];
    expect(txns.map((t) => [t.invoiceId, t.amountIn, t.transactionId])).toEqual([[i, 1000, 'ch_over'], [null, 550, null]]);
    const ledger = (await db.ds.getRepository('CreditEntry').find({ where: { clientId: c } })) as Row[];
    expect(ledger.map((e) => [e.source, e.amount, e.balanceAfter])).toEqual([['overpayment', 550, 550]]);
  });

  it('recognises a repeated gateway notification and records nothing the second time', async () => {
    const c = await fx.client(db.ds);
    const i = await fx.invoice(db.ds, c, 500);
    await payments.recordPayment({ invoiceId: i, amount: 500, gateway: 'paypal', transactionId: 'PAY-42' });
    const before = await snapshot();
    const again = await payments.recordPayment({ invoiceId: i, amount: 500, gateway: 'paypal', transactionId: 'PAY-42' });
    expect(again).toMatchObject({ ok: true, duplicate: true });
    expect(await snapshot()).toEqual(before);
    const other = await fx.invoice(db.ds, c, 500);
    expect(await payments.recordPayment({ invoiceId: other, amount: 500, gateway: 'paypal', transactionId: 'PAY-42' })).toMatchObject({ ok: false, error: 'duplicate_transaction' });
  });

  it('applies a payment to an already paid invoice as credit (a late or double payment is never refused)', async () => {
    const c = await fx.client(db.ds);
    const i = await fx.invoice(db.ds, c, 800);
    await payments.recordPayment({ invoiceId: i, amount: 800, gateway: 'manual' });
    expect(await payments.recordPayment({ invoiceId: i, amount: 800, gateway: 'stripe', transactionId: 'ch_twice' })).toMatchObject({ ok: true, applied: 0, toCredit: 800 });
    expect((await cli(c)).creditBalance).toBe(800);
  });

  it.each([
    ['a negative amount', { amount: -100 }, 'invalid_amount'],
    ['a zero amount', { amount: 0 }, 'invalid_amount'],
    ['a fractional amount', { amount: 10.5 }, 'invalid_amount'],
    ['fees above the amount', { amount: 100, fees: 200 }, 'invalid_fees'],
    ['no payment method', { gateway: '' }, 'invalid_gateway'],
    ['an unknown invoice', { invoiceId: 99999999 }, 'invoice_not_found'],
    ['an invalid date', { date: new Date('nope') }, 'invalid_date'],
  ])('refuses %s and changes nothing', async (_l, over, code) => {
    const c = await fx.client(db.ds);
    const i = await fx.invoice(db.ds, c, 1000);
    const before = await snapshot();
    const r = await payments.recordPayment({ invoiceId: i, amount: 100, gateway: 'manual', ...over } as never);
    expect(r).toMatchObject({ ok: false, error: code });
    expect(await snapshot()).toEqual(before);
  });

  it.each(['cancelled', 'draft', 'refunded'])('refuses a payment on a %s invoice', async (status) => {
    const c = await fx.client(db.ds);
    const i = await fx.invoice(db.ds, c, 1000, { status });
    expect(await payments.recordPayment({ invoiceId: i, amount: 1000, gateway: 'manual' })).toMatchObject({ ok: false, error: 'invoice_not_payable' });
  });

  it('refunds part of a payment (invoice stays paid), then the rest (refunded), never more', async () => {
    const c = await fx.client(db.ds);
    const i = await fx.invoice(db.ds, c, 5000);
    const p = await payments.recordPayment({ invoiceId: i, amount: 5000, gateway: 'stripe', transactionId: 'ch_ref' });
    if (!p.ok) throw new Error(p.message);
    const txn = p.transactionIds[0];
    expect(await payments.refund({ transactionId: txn, amount: 2000, toCredit: false, gatewayRefundId: 're_1' })).toMatchObject({ ok: true, invoiceStatus: 'paid' });
    expect((await inv(i)).amountPaid).toBe(3000);
    const before = await snapshot();
    expect(await payments.refund({ transactionId: txn, amount: 3001, toCredit: false })).toMatchObject({ ok: false, error: 'amount_exceeds_refundable' });
    expect(await payments.refund({ transactionId: txn, amount: -5, toCredit: false })).toMatchObject({ ok: false, error: 'invalid_amount' });
    expect(await payments.refund({ transactionId: 99999999, amount: 5, toCredit: false })).toMatchObject({ ok: false, error: 'transaction_not_found' });
    expect(await snapshot()).toEqual(before);
    expect(await payments.refund({ transactionId: txn, amount: 3000, toCredit: true })).toMatchObject({ ok: true, invoiceStatus: 'refunded' });
    expect(await inv(i)).toMatchObject({ status: 'refunded', amountPaid: 0 });
    expect((await cli(c)).creditBalance).toBe(3000);
  });

  it('issues a numbered credit note for a refund, with the invoice’s share of tax', async () => {
    const c = await fx.client(db.ds);
    const i = await fx.invoice(db.ds, c, 1200, { subtotal: 1000, tax1: 200 });
    const p = await payments.recordPayment({ invoiceId: i, amount: 1200, gateway: 'stripe', transactionId: 'ch_cn' });
    if (!p.ok) throw new Error(p.message);
    const r = await payments.refund({ transactionId: p.transactionIds[0], amount: 600, toCredit: false, reason: 'Downgrade' });
    expect(r).toMatchObject({ ok: true, creditNoteNumber: expect.stringMatching(/^CN-2026-\d{5}$/) });
    const note = (await db.ds.getRepository('CreditNote').findOneByOrFail({ invoiceId: i })) as Row;
    expect(note).toMatchObject({ clientId: c, total: 600, tax: 100, subtotal: 500, status: 'issued', issueDate: '2026-11-20' });
  });

  it('spreads one payment over several invoices oldest first, the rest to credit, once', async () => {
    const c = await fx.client(db.ds);
    const a = await fx.invoice(db.ds, c, 1000, { dueDate: '2026-11-10' });
    const b = await fx.invoice(db.ds, c, 2000, { dueDate: '2026-11-01' });
    const r = await payments.recordMassPayment({ invoiceIds: [a, b], amount: 3500, gateway: 'banktransfer', transactionId: 'WIRE-9' });
    expect(r).toMatchObject({ ok: true, toCredit: 0 });
    expect(await inv(b)).toMatchObject({ status: 'paid', amountPaid: 2000 });
    expect(await inv(a)).toMatchObject({ status: 'paid', amountPaid: 1000 });
    expect((await cli(c)).creditBalance).toBe(500);
    const refs = ((await db.ds.getRepository('Transaction').find({ where: { clientId: c }, order: { id: 'ASC' } })) as Row[]).map((t) => [t.invoiceId, t.transactionId, t.amountIn]);
    expect(refs).toEqual([[b, 'WIRE-9', 2000], [a, 'WIRE-9#2', 1000], [null, null, 500]]);
    const before = await snapshot();
    expect(await payments.recordMassPayment({ invoiceIds: [a, b], amount: 3500, gateway: 'banktransfer', transactionId: 'WIRE-9' })).toMatchObject({ ok: true, paid: [] });
    expect(await snapshot()).toEqual(before);
    const other = await fx.invoice(db.ds, await fx.client(db.ds), 100);
    expect(await payments.recordMassPayment({ invoiceIds: [a, other], amount: 100, gateway: 'manual' })).toMatchObject({ ok: false, error: 'several_clients' });
    expect(await payments.recordMassPayment({ invoiceIds: [], amount: 100, gateway: 'manual' })).toMatchObject({ ok: false, error: 'no_invoices' });
  });

  it('pays an invoice from credit, never beyond the credit or the balance', async () => {
    const c = await fx.client(db.ds);
    expect(await payments.addCredit({ clientId: c, amount: 1500, description: 'Goodwill' })).toMatchObject({ ok: true, balanceAfter: 1500 });
    const i = await fx.invoice(db.ds, c, 1000);
    expect(await payments.applyCredit({ invoiceId: i, amount: 1001 })).toMatchObject({ ok: false, error: 'amount_exceeds_balance' });
    expect(await payments.applyCredit({ invoiceId: i, amount: 400 })).toMatchObject({ ok: true, applied: 400, invoiceStatus: 'unpaid' });
    expect(await payments.applyCredit({ invoiceId: i })).toMatchObject({ ok: true, applied: 600, invoiceStatus: 'paid' });
    expect(await inv(i)).toMatchObject({ status: 'paid', credit: 1000, amountPaid: 0 });
    expect((await cli(c)).creditBalance).toBe(500);
    const j = await fx.invoice(db.ds, c, 2000);
    expect(await payments.applyCredit({ invoiceId: j, amount: 600 })).toMatchObject({ ok: false, error: 'insufficient_credit' });
    expect(await payments.addCredit({ clientId: c, amount: -501, description: 'Correction' })).toMatchObject({ ok: false, error: 'insufficient_credit' });
    const ledger = (await db.ds.getRepository('CreditEntry').find({ where: { clientId: c }, order: { id: 'ASC' } })) as Row[];
    expect(ledger.map((e) => e.balanceAfter)).toEqual([1500, 1100, 500]);
  });

  it('takes 50 payments on one invoice at once: exactly the total applied, the rest to credit, paid hook once', async () => {
    const c = await fx.client(db.ds);
    const i = await fx.invoice(db.ds, c, 3000);
    const results = await Promise.all(Array.from({ length: 50 }, (_, n) => payments.recordPayment({ invoiceId: i, amount: 100, gateway: 'stripe', transactionId: `ch_conc_${n}` })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await inv(i)).toMatchObject({ status: 'paid', amountPaid: 3000 });
    expect((await cli(c)).creditBalance).toBe(2000);
    expect(paidHookCalls.filter((x) => x === i)).toHaveLength(1);
    const cash = (await db.ds.getRepository('Transaction').find({ where: { clientId: c } })) as Row[];
    expect(cash.reduce((s, t) => s + t.amountIn, 0)).toBe(5000);
  });

  it('takes 50 payments on 50 invoices at once, each exactly once, while numbers are claimed', async () => {
    const c = await fx.client(db.ds);
    const ids = await Promise.all(Array.from({ length: 50 }, () => fx.invoice(db.ds, c, 1234)));
    const [results, numbers] = await Promise.all([
      Promise.all(ids.map((id, n) => payments.recordPayment({ invoiceId: id, amount: 1234, gateway: 'stripe', transactionId: `ch_many_${n}` }))),
      Promise.all(Array.from({ length: 50 }, () => inTransaction(db.ds, (m) => claimNumber(m, "invoice", "2026-11-20")))),
    ]);
    expect(results.every((r) => r.ok && r.invoiceStatus === 'paid')).toBe(true);
    expect(new Set(numbers).size).toBe(50);
    expect(numbers.slice().sort()[0]).toBe('INV-2026-00001');
    expect(numbers.slice().sort()[49]).toBe('INV-2026-00050');
  });
});
