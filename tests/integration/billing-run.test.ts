import { openTestDb, testEngine, type TestDb } from '../helpers/db.js';
import * as fx from '../helpers/billing-fixtures.js';
import { BillingRunService } from '../../src/domain/billing/run/billing-run.js';
import { runRenewals } from '../../src/domain/billing/run/renewals.js';
import { billingSettings } from '../../src/domain/settings.js';
import { FixedClock, addDays } from '../../src/domain/shared/clock.js';
import { ensureSequences } from '../../src/domain/billing/numbering.js';
import { PaymentService } from '../../src/domain/billing/payments.js';
import { applyPaidInvoice } from '../../src/domain/billing/on-paid.js';
import { businessDate } from '../../src/domain/shared/clock.js';

type Row = Record<string, any>;

async function product(db: TestDb, name: string, taxable = true): Promise<number> {
  const cat = (await db.ds.getRepository('ProductCategory').findOne({ where: {} })) as Row | null;
  const categoryId = cat?.id ?? (await db.ds.getRepository('ProductCategory').insert({ name: 'Hosting', slug: 'hosting' })).identifiers[0].id;
  const res = await db.ds.getRepository('Product').insert({ categoryId, name, slug: `${name.toLowerCase().replace(/\W+/g, '-')}-${Math.random().toString(36).slice(2, 6)}`, type: 'shared', taxable });
  return res.identifiers[0].id as number;
}

async function service(db: TestDb, clientId: number, productId: number, cycle: string, registered: string, nextInvoiceDate: string, amount: number): Promise<number> {
  const res = await db.ds.getRepository('Service').insert({
    clientId, productId, currencyId: await fx.currency(db.ds), billingCycle: cycle, recurringAmount: amount, firstPaymentAmount: amount,
    registrationDate: registered, nextDueDate: nextInvoiceDate, nextInvoiceDate, status: 'active', domain: `s${Math.random().toString(36).slice(2, 8)}.example`,
  });
  return res.identifiers[0].id as number;
}

const periodsOf = async (db: TestDb, serviceId: number) =>
  ((await db.ds.getRepository('InvoiceItem').find({ where: { serviceId }, order: { periodStart: 'ASC' } })) as Row[]).map((i) => `${i.periodStart}..${i.periodEnd}`);

describe(`the billing run on ${testEngine()}`, () => {
  let db: TestDb;
  beforeEach(async () => {
    db = await openTestDb();
    await ensureSequences(db.ds.manager);
  });
  afterEach(async () => db.close());

  it('bills a year of monthly, quarterly and annual services day by day, month-end anchored, each period once', async () => {
    // Nobody pays in this year; with suspension and termination off the services keep renewing.
    await db.ds.getRepository('Setting').insert([{ key: 'billing.suspendAfterDays', value: '0' }, { key: 'billing.terminateAfterDays', value: '0' }]);
    const clock = new FixedClock(new Date('2026-01-01T09:00:00Z'));
    const runs = new BillingRunService(db.ds, clock, 'UTC');
    const vat = await db.ds.getRepository('TaxRate').insert({ name: 'VAT', country: 'GB', rate: '20', level: 1, priority: 1 });
    expect(vat.identifiers[0].id).toBeDefined();
    const us = await fx.client(db.ds, { country: 'US' });
    const gb = await fx.client(db.ds, { country: 'GB' });
    const p = await product(db, 'Shared Starter');
    const m31 = await service(db, us, p, 'monthly', '2025-12-31', '2026-01-31', 1000);
    const m30 = await service(db, us, p, 'monthly', '2025-12-30', '2026-01-30', 1000);
    const m29 = await service(db, gb, p, 'monthly', '2025-12-29', '2026-01-29', 1000);
    const q31 = await service(db, us, p, 'quarterly', '2025-10-31', '2026-01-31', 2700);
    const a15 = await service(db, gb, p, 'annually', '2025-03-15', '2026-03-15', 9999);
    for (let day = '2026-01-01'; day <= '2026-12-31'; day = addDays(day, 1)) {
      clock.set(`${day}T09:00:00Z`);
      const first = await runs.run();
      if (!first.ok) throw new Error(first.message);
      expect(first.report.errors).toEqual([]);
      const again = await runs.run();
      if (!again.ok || again.report.counts.invoices !== 0) throw new Error(`second run on ${day} created invoices`);
    }
    expect(await periodsOf(db, m31)).toEqual([
      '2026-01-31..2026-02-27', '2026-02-28..2026-03-30', '2026-03-31..2026-04-29', '2026-04-30..2026-05-30', '2026-05-31..2026-06-29', '2026-06-30..2026-07-30',
      '2026-07-31..2026-08-30', '2026-08-31..2026-09-29', '2026-09-30..2026-10-30', '2026-10-31..2026-11-29', '2026-11-30..2026-12-30', '2026-12-31..2027-01-30',
    ]);
    expect((await periodsOf(db, m30)).map((x) => x.slice(0, 10))).toEqual(['2026-01-30', '2026-02-28', '2026-03-30', '2026-04-30', '2026-05-30', '2026-06-30', '2026-07-30', '2026-08-30', '2026-09-30', '2026-10-30', '2026-11-30', '2026-12-30']);
    expect((await periodsOf(db, m29)).map((x) => x.slice(0, 10))).toEqual(['2026-01-29', '2026-02-28', '2026-03-29', '2026-04-29', '2026-05-29', '2026-06-29', '2026-07-29', '2026-08-29', '2026-09-29', '2026-10-29', '2026-11-29', '2026-12-29']);
    expect(await periodsOf(db, q31)).toEqual(['2026-01-31..2026-04-29', '2026-04-30..2026-07-30', '2026-07-31..2026-10-30', '2026-10-31..2027-01-30']);
    expect(await periodsOf(db, a15)).toEqual(['2026-03-15..2027-03-14']);
    // Created 14 days ahead, due on the period's first day, taxed by the client's country, numbered uniquely.
    const first31 = (await db.ds.getRepository('InvoiceItem').findOneByOrFail({ serviceId: m31, periodStart: '2026-01-31' })) as Row;
    expect(await db.ds.getRepository('Invoice').findOneByOrFail({ id: first31.invoiceId })).toMatchObject({ issueDate: '2026-01-17', dueDate: '2026-01-31', total: 1000 + 2700, tax1: 0, status: 'unpaid' });
    const gbInvoice = (await db.ds.getRepository('InvoiceItem').findOneByOrFail({ serviceId: m29, periodStart: '2026-02-28' })) as Row;
    expect(await db.ds.getRepository('Invoice').findOneByOrFail({ id: gbInvoice.invoiceId })).toMatchObject({ subtotal: 1000, tax1: 200, total: 1200, taxName1: 'VAT' });
    const numbers = ((await db.ds.getRepository('Invoice').find()) as Row[]).map((i) => i.invoiceNumber);
    expect(new Set(numbers).size).toBe(numbers.length);
    // One invoice per client per due date: the US client's three services fall due on 19 distinct days
    // (m31's 12, m30's 7 others; q31 always shares a day with m31), the GB client's two on 13.
    expect(numbers.length).toBe(19 + 13);
    expect(await db.ds.getRepository('TaskRun').count({ where: { status: 'succeeded' } })).toBe(365 * 2);
  });

  it('previews in a dry run exactly what the real run then does, changing nothing', async () => {
    const clock = new FixedClock(new Date('2026-05-10T09:00:00Z'));
    const runs = new BillingRunService(db.ds, clock, 'UTC');
    const c = await fx.client(db.ds);
    const p = await product(db, 'VPS 2G');
    for (let i = 0; i < 5; i++) await service(db, c, p, 'monthly', '2026-04-20', '2026-05-20', 1500 + i);
    const snapshot = async () => JSON.stringify([await db.ds.getRepository('Invoice').count(), await db.ds.getRepository('Service').find({ order: { id: 'ASC' } }), await db.ds.getRepository('NumberSequence').find({ order: { id: 'ASC' } })]);
    const before = await snapshot();
    const dry = await runs.run({ dryRun: true });
    if (!dry.ok) throw new Error(dry.message);
    expect(dry.report.counts).toMatchObject({ invoices: 1, lines: 5 });
    expect(await snapshot()).toEqual(before);
    const real = await runs.run();
    if (!real.ok) throw new Error(real.message);
    expect(real.report.renewals.plan).toEqual(dry.report.renewals.plan);
    expect(((await db.ds.getRepository('Invoice').findOneByOrFail({ clientId: c })) as Row).total).toBe(1500 + 1501 + 1502 + 1503 + 1504);
  });

  it('lets only one of two simultaneous runs work; together they bill each period once', async () => {
    const clock = new FixedClock(new Date('2026-05-10T09:00:00Z'));
    const a = new BillingRunService(db.ds, clock, 'UTC');
    const b = new BillingRunService(db.ds, clock, 'UTC');
    const p = await product(db, 'Shared Pro');
    for (let i = 0; i < 30; i++) await service(db, await fx.client(db.ds), p, 'monthly', '2026-04-15', '2026-05-15', 999);
    const [ra, rb] = await Promise.all([a.run(), b.run()]);
    const outcomes = [ra, rb].map((r) => (r.ok ? `ok:${r.report.counts.invoices}` : r.error)).sort();
    expect(outcomes).toEqual(['already_running', 'ok:30']);
    expect(await db.ds.getRepository('Invoice').count()).toBe(30);
    const again = await a.run();
    expect(again.ok && again.report.counts.invoices).toBe(0);
  });

  it.each([1, 2])('picks up after a run killed part-way (%i batches at a time), with no duplicate and nothing missed', async (parallel) => {
    const p = await product(db, `Reseller ${parallel}`);
    const ids: number[] = [];
    const before = await db.ds.getRepository('Invoice').count();
    for (let i = 0; i < 12; i++) ids.push(await service(db, await fx.client(db.ds), p, 'monthly', '2026-04-15', '2026-05-15', 2500));
    const settings = await billingSettings(db.ds);
    let batches = 0;
    await expect(
      runRenewals(db.ds, {
        today: '2026-05-10', settings, dryRun: false, batchSize: 5, parallel,
        onBatch: () => {
          if (++batches === 2) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const killedAt = (await db.ds.getRepository('Invoice').count()) - before;
    // One at a time, the kill lands after the second batch; two at a time, a third may have been under way.
    if (parallel === 1) expect(killedAt).toBe(10);
    else expect(killedAt).toBeGreaterThanOrEqual(10);
    const resumed = await new BillingRunService(db.ds, new FixedClock(new Date('2026-05-10T09:00:00Z')), 'UTC').run();
    expect(resumed.ok && resumed.report.counts.invoices).toBe(12 - killedAt);
    for (const id of ids) expect(await periodsOf(db, id)).toEqual(['2026-05-15..2026-06-14']);
  });

  it('sends each notice once, adds one late fee, suspends when overdue, unsuspends on late payment, terminates later', async () => {
    for (const [key, value] of Object.entries({ 'billing.lateFeeEnabled': 'true', 'billing.lateFeeAmount': '10%', 'billing.lateFeeDays': '3', 'billing.suspendAfterDays': '5', 'billing.terminateAfterDays': '20' })) {
      await db.ds.getRepository('Setting').insert({ key, value, type: 'string' });
    }
    const clock = new FixedClock(new Date('2026-03-01T09:00:00Z'));
    const sent: string[] = [];
    const payments = new PaymentService(db.ds, clock);
    payments.onInvoicePaid((m, inv) => applyPaidInvoice(m, inv, businessDate(clock.now(), 'UTC'), clock.now()));
    const runs = new BillingRunService(db.ds, clock, 'UTC', { payments, notify: async (n) => (sent.push(`${n.invoiceId}:${n.kind}`), { ok: true }) });
    const c = await fx.client(db.ds);
    const p = await product(db, 'Business');
    const late = await service(db, c, p, 'monthly', '2026-02-10', '2026-03-10', 2000);
    const never = await service(db, await fx.client(db.ds), p, 'monthly', '2026-02-12', '2026-03-12', 3000);
    await db.ds.getRepository('ServiceAddon').insert({ serviceId: never, addonId: (await db.ds.getRepository('Addon').insert({ name: 'Backups' })).identifiers[0].id, clientId: (await db.ds.getRepository('Service').findOneByOrFail({ id: never }) as Row).clientId, name: 'Backups', billingCycle: 'monthly', recurringAmount: 500, status: 'active', nextInvoiceDate: '2026-03-12', registrationDate: '2026-02-12' });
    const svc = async (id: number) => (await db.ds.getRepository('Service').findOneByOrFail({ id })) as Row;
    let lateInvoice = 0;
    for (let day = '2026-03-01'; day <= '2026-04-05'; day = addDays(day, 1)) {
      clock.set(`${day}T09:00:00Z`);
      for (let i = 0; i < 2; i++) {
        const r = await runs.run();
        if (!r.ok || r.report.errors.length) throw new Error(`${day}: ${JSON.stringify(r)}`);
      }
      if (day === '2026-03-14') expect(await svc(late)).toMatchObject({ status: 'active' }); // 4 days overdue: not yet
      if (day === '2026-03-16') {
        expect(await svc(late)).toMatchObject({ status: 'suspended', overdueSuspended: true });
        lateInvoice = ((await db.ds.getRepository('InvoiceItem').findOneByOrFail({ serviceId: late, periodStart: '2026-03-10' })) as Row).invoiceId;
        const inv = (await db.ds.getRepository('Invoice').findOneByOrFail({ id: lateInvoice })) as Row;
        expect(inv.total).toBe(2000 + 200); // one 10% late fee, three days after the due date
        const paid = await payments.recordPayment({ invoiceId: lateInvoice, amount: inv.total, gateway: 'stripe', transactionId: 'ch_late' });
        expect(paid).toMatchObject({ ok: true, invoiceStatus: 'paid' });
        expect(await svc(late)).toMatchObject({ status: 'active', overdueSuspended: false, nextDueDate: '2026-04-10' });
      }
    }
    const jobs = ((await db.ds.getRepository('ProvisioningJob').find({ order: { id: 'ASC' } })) as Row[]).map((j) => `${j.serviceId}:${j.action}`);
    expect(jobs).toEqual([`${late}:suspend`, `${late}:unsuspend`, `${never}:suspend`, `${never}:terminate`]);
    expect(await svc(never)).toMatchObject({ status: 'terminated', terminationDate: '2026-04-01' });
    expect(((await db.ds.getRepository('ServiceAddon').findOneByOrFail({ serviceId: never })) as Row).status).toBe('terminated');
    // Each notice exactly once per invoice, however many runs there were.
    expect(sent.length).toBe(new Set(sent).size);
    const neverInvoice = ((await db.ds.getRepository('InvoiceItem').findOneByOrFail({ serviceId: never, periodStart: '2026-03-12' })) as Row).invoiceId;
    expect(sent.filter((s) => s.startsWith(`${neverInvoice}:`)).map((s) => s.split(':')[1])).toEqual(['created', 'due_soon', 'overdue_1', 'overdue_2', 'overdue_3']);
    expect(await db.ds.getRepository('InvoiceItem').count({ where: { invoiceId: neverInvoice, itemType: 'late_fee' } })).toBe(1);
  });

  it('refuses a run for a date that is not a date', async () => {
    const r = await new BillingRunService(db.ds, new FixedClock(new Date()), 'UTC').run({ date: '2026-02-30' });
    expect(r).toMatchObject({ ok: false, error: 'invalid_date' });
  });
});
