import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { openTestDb, testEngine, type TestDb } from '../helpers/db.js';
import { FixedClock, addDays, businessDate } from '../../src/domain/shared/clock.js';
import { OrderService } from '../../src/domain/orders/order-service.js';
import { PaymentService, ledgerDiscrepancies } from '../../src/domain/billing/payments.js';
import { applyPaidInvoice } from '../../src/domain/billing/on-paid.js';
import { ensureSequences } from '../../src/domain/billing/numbering.js';
import { BillingRunService } from '../../src/domain/billing/run/billing-run.js';

type Row = Record<string, any>;

/**
 * A year of a small hosting company, day by day (Lago style): orders with a group discount and a first-payment
 * promotion, renewals, US / UK VAT / Québec compound tax, a client who pays on time, one who pays in two halves,
 * one who always pays late (late fee, suspension, unsuspension), one with a promotion on three renewals and account
 * credit that pays his invoices as they are issued — on each engine, to the cent.
 */
describe(`a year of billing on ${testEngine()}`, () => {
  let db: TestDb;
  let ds: DataSource;
  beforeAll(async () => {
    db = await openTestDb();
    ds = db.ds;
    await ensureSequences(ds.manager);
  });
  afterAll(async () => db.close());

  async function save<T extends ObjectLiteral>(target: EntityTarget<T>, data: Record<string, unknown>): Promise<Row> {
    const repo = ds.getRepository(target);
    return (await repo.save(repo.create(data as never))) as Row;
  }

  it('comes out right to the cent', async () => {
    for (const [key, value] of Object.entries({ 'billing.lateFeeEnabled': 'true', 'billing.lateFeeAmount': '5%', 'billing.lateFeeDays': '7', 'billing.suspendAfterDays': '10', 'billing.terminateAfterDays': '60', 'billing.paymentTermsDays': '7' })) {
      await save('Setting', { key, value, type: 'string' });
    }
    const usd = (await save('Currency', { code: 'USD', prefix: '$', isDefault: true, exchangeRate: '1' })).id;
    await save('TaxRate', { name: 'VAT', country: 'GB', rate: '20', level: 1, priority: 1 });
    await save('TaxRate', { name: 'GST', country: 'CA', rate: '5', level: 1, priority: 1 });
    await save('TaxRate', { name: 'QST', country: 'CA', state: 'QC', rate: '9.975', level: 2, priority: 1 });
    const vip = (await save('ClientGroup', { name: 'VIP', discountPercent: '10' })).id;
    const cat = (await save('ProductCategory', { name: 'Hosting', slug: 'hosting' })).id;
    const shared = (await save('Product', { categoryId: cat, name: 'Shared', slug: 'shared', type: 'shared', module: 'none', autoSetup: 'payment', taxable: true })).id;
    for (const [cycle, price] of [['monthly', 1000], ['quarterly', 2700], ['annually', 9999]] as const) {
      await save('ProductPrice', { productId: shared, addonId: null, configOptionChoiceId: null, currencyId: usd, cycle, price, setupFee: 0, enabled: true });
    }
    await save('Promotion', { code: 'SAVE20', type: 'percent', percentValue: '20', recurring: false, enabled: true, uses: 0 });
    await save('Promotion', { code: 'THREE15', type: 'percent', percentValue: '15', recurring: true, recurFor: 3, enabled: true, uses: 0 });
    const alice = (await save('Client', { firstName: 'Alice', lastName: 'Ontime', email: 'alice@y.test', country: 'US', currencyId: usd, groupId: vip })).id;
    const bob = (await save('Client', { firstName: 'Bob', lastName: 'Halves', email: 'bob@y.test', country: 'GB', currencyId: usd })).id;
    const chloe = (await save('Client', { firstName: 'Chloé', lastName: 'Late', email: 'chloe@y.test', country: 'CA', state: 'QC', currencyId: usd })).id;
    const dan = (await save('Client', { firstName: 'Dan', lastName: 'Credit', email: 'dan@y.test', country: 'US', currencyId: usd })).id;

    const clock = new FixedClock(new Date('2026-01-29T10:00:00Z'));
    const today = () => businessDate(clock.now(), 'UTC');
    const payments = new PaymentService(ds, clock, 'UTC');
    const orders = new OrderService(ds, clock, 'UTC');
    payments.onInvoicePaid((m, inv) => applyPaidInvoice(m, inv, today(), clock.now()));
    payments.onInvoicePaid((m, inv) => orders.onInvoicePaid(m, inv));
    const notices: string[] = [];
    const runs = new BillingRunService(ds, clock, 'UTC', { payments, notify: async (n) => (notices.push(`${n.invoiceId}:${n.kind}`), { ok: true }) });

    const order = async (clientId: number, cycle: string, promoCode?: string) => {
      const out = await orders.placeOrder({ clientId, items: [{ productId: shared, cycle, domain: `c${clientId}.example` }] as never, promoCode });
      if (!out.ok) throw new Error(out.message);
      return out;
    };
    const payInFull = async (invoiceId: number, ref: string) => {
      const inv = (await ds.getRepository('Invoice').findOneByOrFail({ id: invoiceId })) as Row;
      const out = await payments.recordPayment({ invoiceId, amount: inv.total - inv.amountPaid - inv.credit, gateway: 'stripe', transactionId: ref });
      if (!out.ok) throw new Error(out.message);
    };

    // Orders: Alice (VIP, SAVE20) monthly, Bob quarterly in the UK, Chloé monthly in Québec.
    const a = await order(alice, 'monthly', 'SAVE20');
    expect(a.total).toBe(720); // 10.00 − 10 % group − 20 % promotion, no US tax
    await payInFull(a.invoiceId, 'ord-a');
    clock.set('2026-01-30T10:00:00Z');
    const b = await order(bob, 'quarterly');
    expect(b.total).toBe(2700 + 540); // 20 % VAT
    await payInFull(b.invoiceId, 'ord-b');
    clock.set('2026-01-31T10:00:00Z');
    const c = await order(chloe, 'monthly');
    expect(c.total).toBe(1000 + 50 + 105); // GST 5 % = 0.50; QST 9.975 % on 10.50 = 1.047… → 1.05
    await payInFull(c.invoiceId, 'ord-c');
    // Dan: a code taking 15 % off the first payment and the next three renewals, and $25.00 of account credit that
    // pays his renewals as they are issued until it runs out.
    const d = await order(dan, 'monthly', 'THREE15');
    expect(d.total).toBe(850);
    await payInFull(d.invoiceId, 'ord-d');
    expect((await payments.addCredit({ clientId: dan, amount: 2500, description: 'Goodwill credit' })).ok).toBe(true);
    for (const o of [a, b, c, d]) expect(((await ds.getRepository('Order').findOneByOrFail({ id: o.orderId })) as Row).status).toBe('active');

    const seen = new Set<number>([a.invoiceId, b.invoiceId, c.invoiceId, d.invoiceId]);
    const chloePayDay = new Map<number, string>();
    const bobHalf = new Map<number, string>();
    for (let day = '2026-02-01'; day <= '2026-12-31'; day = addDays(day, 1)) {
      clock.set(`${day}T10:00:00Z`);
      const r = await runs.run();
      if (!r.ok || r.report.errors.length) throw new Error(`${day}: ${JSON.stringify(r.ok ? r.report.errors : r)}`);
      const unpaid = (await ds.getRepository('Invoice').find({ where: { status: 'unpaid' }, order: { id: 'ASC' } })) as Row[];
      for (const inv of unpaid) {
        if (!seen.has(inv.id)) {
          seen.add(inv.id);
          if (inv.clientId === chloe) chloePayDay.set(inv.id, addDays(inv.dueDate, 12));
        }
        if ((inv.clientId === alice || inv.clientId === dan) && day === inv.dueDate) await payInFull(inv.id, `a-${inv.id}`);
        if (inv.clientId === bob && day === inv.dueDate) {
          const half = Math.floor(inv.total / 2);
          const out = await payments.recordPayment({ invoiceId: inv.id, amount: half, gateway: 'banktransfer', transactionId: `b1-${inv.id}` });
          if (!out.ok) throw new Error(out.message);
          bobHalf.set(inv.id, addDays(day, 2));
        }
        if (inv.clientId === bob && bobHalf.get(inv.id) === day) await payInFull(inv.id, `b2-${inv.id}`);
        if (inv.clientId === chloe && chloePayDay.get(inv.id) === day) {
          expect(((await ds.getRepository('Service').findOneByOrFail({ id: c.serviceIds[0] })) as Row).status).toBe('suspended');
          await payInFull(inv.id, `c-${inv.id}`);
          expect(((await ds.getRepository('Service').findOneByOrFail({ id: c.serviceIds[0] })) as Row).status).toBe('active');
        }
      }
    }

    const invoicesOf = async (clientId: number) => (await ds.getRepository('Invoice').find({ where: { clientId }, order: { id: 'ASC' } })) as Row[];
    // Alice: the order plus a renewal every month from March (issued 14 days ahead) — at 9.00, the group discount
    // stays and the first-payment promotion does not.
    const ai = await invoicesOf(alice);
    expect(ai.map((i) => i.total)).toEqual([720, ...Array(ai.length - 1).fill(900)]);
    expect(ai.map((i) => i.dueDate).slice(1)).toEqual(['2026-02-28', '2026-03-29', '2026-04-29', '2026-05-29', '2026-06-29', '2026-07-29', '2026-08-29', '2026-09-29', '2026-10-29', '2026-11-29', '2026-12-29', '2027-01-29'].filter((d) => addDays(d, -14) <= '2026-12-31'));
    // Bob: quarterly with VAT, each paid in two halves.
    const bi = await invoicesOf(bob);
    expect(bi.map((i) => [i.dueDate, i.total, i.status])).toEqual([
      [bi[0].dueDate, 3240, 'paid'], ['2026-04-30', 3240, 'paid'], ['2026-07-30', 3240, 'paid'], ['2026-10-30', 3240, 'paid'],
    ]);
    expect(await ds.getRepository('Transaction').count({ where: { clientId: bob } })).toBe(1 + 3 * 2);
    // Chloé: every renewal paid 12 days late — a 5 % late fee (not taxed) on each, suspension after 10 days,
    // unsuspension on payment; one suspend and one unsuspend request per invoice, never more.
    const ci = (await invoicesOf(chloe)).slice(1);
    const lateOnes = ci.filter((i) => i.status === 'paid');
    expect(lateOnes.length).toBeGreaterThanOrEqual(10);
    for (const inv of lateOnes) expect(inv.total).toBe(1155 + 58); // 5 % of 11.55 = 0.5775 → 0.58
    const jobs = ((await ds.getRepository('ProvisioningJob').find({ where: { serviceId: c.serviceIds[0] } })) as Row[]).map((j) => j.action);
    expect(jobs.filter((j) => j === 'suspend').length).toBe(lateOnes.length);
    expect(jobs.filter((j) => j === 'unsuspend').length).toBe(lateOnes.length);
    // Dan (ordered on the 31st): three renewals at 8.50, then the full 10.00 from the period starting 31 May; credit
    // covers the first two
    // renewals in full and 8.00 of the third, and he pays the rest on the due date.
    const di = await invoicesOf(dan);
    expect(di.slice(0, 7).map((i) => [i.dueDate, i.total, i.credit])).toEqual([
      [di[0].dueDate, 850, 0], ['2026-02-28', 850, 850], ['2026-03-31', 850, 850], ['2026-04-30', 850, 800],
      ['2026-05-31', 1000, 0], ['2026-06-30', 1000, 0], ['2026-07-31', 1000, 0],
    ]);
    const ds0 = (await ds.getRepository('Service').findOneByOrFail({ id: d.serviceIds[0] })) as Row;
    expect([ds0.recurringAmount, ds0.regularAmount, ds0.promotionEndsOn]).toEqual([1000, null, null]);
    // Every notice once; the books agree; nothing owed but what is not yet due; no account credit created.
    expect(notices.length).toBe(new Set(notices).size);
    expect(await ledgerDiscrepancies(ds)).toEqual([]);
    const open = (await ds.getRepository('Invoice').find({ where: { status: 'unpaid' } })) as Row[];
    for (const inv of open) expect(inv.dueDate >= '2026-12-20').toBe(true);
    for (const id of [alice, bob, chloe, dan]) expect(((await ds.getRepository('Client').findOneByOrFail({ id })) as Row).creditBalance).toBe(0);
  });
});
