import { createStaff, startTestApp, type TestApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import { loginAs, type Agent } from '../helpers/auth.js';
import { currency } from '../helpers/billing-fixtures.js';
import { FixedClock } from '../../src/domain/shared/clock.js';
import { runReport } from '../../src/domain/reports/catalogue.js';
import { toCsv, reportToCsv } from '../../src/domain/reports/csv.js';
import { dashboardHandler } from '../../src/admin/dashboard.js';

type Row = Record<string, any>;

/**
 * Reports and dashboard figures against rows this test writes itself, in a business timezone with daylight saving
 * (New York, March 2026: clocks go forward on the 8th), so instants near midnight UTC must land on the right
 * business day. Every expected figure is computed here from the rows, not read back from the code under test.
 */
const TZ = 'America/New_York';
const RANGE = { from: '2026-03-01', to: '2026-03-31' };
const bizFormat = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' });
const biz = (iso: string) => bizFormat.format(new Date(iso));
const inRange = (date: string, from = RANGE.from, to = RANGE.to) => date >= from && date <= to;
const utc = (iso: string) => new Date(iso).toISOString().slice(0, 19).replace('T', ' ');
const sumBy = <T>(xs: T[], f: (x: T) => number) => xs.reduce((s, x) => s + f(x), 0);

describe(`reports and dashboard on ${testEngine()}`, () => {
  let t: TestApp;
  let admin: Agent;
  let desk: Agent;
  let anonymous: Agent;
  let adminId: number;
  const ids: Record<string, number> = {};

  // ---------------------------------------------------------------- the rows
  const clients = [
    { key: 'c1', name: 'Acme, Inc.', createdAt: '2026-03-02T04:30:00Z', status: 'active', cur: 'USD' }, // Mar 1 in New York
    { key: 'c2', name: 'Bravo Ltd', createdAt: '2026-03-15T12:00:00Z', status: 'active', cur: 'USD' },
    { key: 'c3', name: 'Closed Co', createdAt: '2026-03-31T23:00:00Z', status: 'closed', cur: 'USD' },
    { key: 'c4', name: 'Late Night LLC', createdAt: '2026-04-01T03:30:00Z', status: 'active', cur: 'USD' }, // Mar 31
    { key: 'c5', name: 'February Folk', createdAt: '2026-03-01T04:59:00Z', status: 'active', cur: 'USD' }, // Feb 28
    { key: 'c6', name: 'Euro GmbH', createdAt: '2026-02-10T10:00:00Z', status: 'active', cur: 'EUR' },
  ];
  const txns = [
    { key: 't1', client: 'c1', cur: 'USD', type: 'payment', status: 'completed', in: 10000, out: 0, fees: 300, date: '2026-03-02T04:30:00Z', desc: 'Invoice payment' },
    { key: 't2', client: 'c2', cur: 'USD', type: 'payment', status: 'completed', in: 2550, out: 0, fees: 0, date: '2026-03-10T15:00:00Z', desc: '=HYPERLINK("http://evil.example","x")' },
    { key: 't3', client: 'c2', cur: 'USD', type: 'refund', status: 'completed', in: 0, out: 1000, fees: 0, date: '2026-03-12T16:00:00Z', desc: 'Refund' },
    { key: 't4', client: 'c6', cur: 'EUR', type: 'payment', status: 'completed', in: 5000, out: 0, fees: 150, date: '2026-03-20T10:00:00Z', desc: 'line one\nline two' },
    { key: 't5', client: 'c1', cur: 'USD', type: 'payment', status: 'pending', in: 700, out: 0, fees: 0, date: '2026-03-11T10:00:00Z', desc: 'Pending' },
    { key: 't6', client: 'c5', cur: 'USD', type: 'payment', status: 'completed', in: 999, out: 0, fees: 0, date: '2026-03-01T04:00:00Z', desc: 'Feb 28 late' },
    { key: 't7', client: 'c4', cur: 'USD', type: 'payment', status: 'completed', in: 1234, out: 0, fees: 0, date: '2026-04-01T03:59:00Z', desc: 'Mar 31 late' },
    { key: 't8', client: 'c1', cur: 'USD', type: 'payment', status: 'completed', in: 500, out: 0, fees: 0, date: '2026-03-30T18:00:00Z', desc: '-1 day' },
  ];
  type Item = { amount: number; taxable: boolean; type: string; service?: string };
  const invoices: Array<{ key: string; client: string; cur: string; status: string; issue: string; due: string; paidAt?: string; subtotal: number; tax1: number; tax2: number; total: number; paid: number; credit: number; name1?: string; rate1?: string; name2?: string; rate2?: string; inclusive?: boolean; items: Item[] }> = [
    { key: 'i1', client: 'c1', cur: 'USD', status: 'paid', issue: '2026-03-01', due: '2026-03-15', paidAt: '2026-03-02T04:30:00Z', subtotal: 10000, tax1: 1900, tax2: 0, total: 11900, paid: 11900, credit: 0, name1: 'VAT', rate1: '20', items: [{ amount: 8000, taxable: true, type: 'service', service: 's1' }, { amount: 1500, taxable: true, type: 'domain' }, { amount: 500, taxable: false, type: 'other' }] },
    { key: 'i2', client: 'c2', cur: 'USD', status: 'paid', issue: '2026-03-10', due: '2026-03-10', paidAt: '2026-03-10T15:00:00Z', subtotal: 10000, tax1: 500, tax2: 735, total: 11235, paid: 11235, credit: 0, name1: 'GST', rate1: '5', name2: 'PST', rate2: '7', items: [{ amount: 10000, taxable: true, type: 'service', service: 's5' }] },
    { key: 'i3', client: 'c2', cur: 'USD', status: 'unpaid', issue: '2026-03-12', due: '2026-03-20', subtotal: 5000, tax1: 1000, tax2: 0, total: 6000, paid: 1000, credit: 500, name1: 'VAT', rate1: '20', items: [{ amount: 5000, taxable: true, type: 'other' }] },
    { key: 'i4', client: 'c6', cur: 'EUR', status: 'paid', issue: '2026-03-20', due: '2026-03-27', paidAt: '2026-03-20T10:00:00Z', subtotal: 5000, tax1: 1000, tax2: 0, total: 6000, paid: 6000, credit: 0, name1: 'VAT', rate1: '20', inclusive: true, items: [{ amount: 6000, taxable: true, type: 'service', service: 's7' }] },
    { key: 'i5', client: 'c1', cur: 'USD', status: 'cancelled', issue: '2026-03-05', due: '2026-03-12', subtotal: 3000, tax1: 0, tax2: 0, total: 3000, paid: 0, credit: 0, items: [{ amount: 3000, taxable: false, type: 'other' }] },
    { key: 'i6', client: 'c1', cur: 'USD', status: 'draft', issue: '2026-03-06', due: '2026-03-13', subtotal: 999, tax1: 0, tax2: 0, total: 999, paid: 0, credit: 0, items: [{ amount: 999, taxable: false, type: 'other' }] },
    { key: 'i7', client: 'c5', cur: 'USD', status: 'paid', issue: '2026-02-20', due: '2026-02-27', paidAt: '2026-02-25T12:00:00Z', subtotal: 1000, tax1: 200, tax2: 0, total: 1200, paid: 1200, credit: 0, name1: 'VAT', rate1: '20', items: [{ amount: 1000, taxable: true, type: 'other' }] },
    { key: 'i8', client: 'c4', cur: 'USD', status: 'paid', issue: '2026-03-25', due: '2026-04-01', paidAt: '2026-04-01T03:59:00Z', subtotal: 1000, tax1: 200, tax2: 0, total: 1200, paid: 1200, credit: 0, name1: 'VAT', rate1: '20', items: [{ amount: 1000, taxable: true, type: 'other' }] },
    { key: 'i9', client: 'c1', cur: 'USD', status: 'unpaid', issue: '2026-04-01', due: '2026-04-10', subtotal: 800, tax1: 0, tax2: 0, total: 800, paid: 0, credit: 0, items: [{ amount: 800, taxable: false, type: 'other' }] },
  ];
  const creditNotes = [
    { invoice: 'i2', issue: '2026-03-15', tax: 120, status: 'issued' },
    { invoice: 'i1', issue: '2026-03-16', tax: 300, status: 'void' },
  ];
  const products = [
    { key: 'p1', name: 'Shared Basic', type: 'shared' },
    { key: 'p2', name: 'Cloud VPS', type: 'vps' },
  ];
  const servers = [
    { key: 'sv1', name: 'web01', max: 10 },
    { key: 'sv2', name: 'vps01', max: 4 },
  ];
  const services = [
    { key: 's1', product: 'p1', cur: 'USD', cycle: 'monthly', amount: 1000, status: 'active', reg: '2026-03-05', next: '2026-04-05', server: 'sv1' },
    { key: 's2', product: 'p1', cur: 'USD', cycle: 'annually', amount: 12000, status: 'active', reg: '2025-06-01', next: '2026-06-01', server: 'sv1' },
    { key: 's3', product: 'p1', cur: 'USD', cycle: 'quarterly', amount: 2999, status: 'active', reg: '2026-03-20', next: '2026-04-14', server: null },
    { key: 's4', product: 'p1', cur: 'USD', cycle: 'monthly', amount: 1000, status: 'suspended', reg: '2026-01-02', next: '2026-04-02', server: 'sv1' },
    { key: 's5', product: 'p2', cur: 'USD', cycle: 'semiannually', amount: 6001, status: 'active', reg: '2026-03-31', next: '2026-04-15', server: 'sv2' },
    { key: 's6', product: 'p2', cur: 'USD', cycle: 'monthly', amount: 5000, status: 'terminated', reg: '2025-01-01', next: '2025-12-01', server: 'sv2' },
    { key: 's7', product: 'p2', cur: 'EUR', cycle: 'biennially', amount: 2400, status: 'active', reg: '2026-02-01', next: '2028-02-01', server: null },
    { key: 's8', product: 'p1', cur: 'USD', cycle: 'onetime', amount: 5000, status: 'active', reg: '2026-03-03', next: '2026-04-01', server: null },
    { key: 's9', product: 'p1', cur: 'USD', cycle: 'triennially', amount: 3600, status: 'active', reg: '2026-03-03', next: '2029-03-03', server: null, deleted: true },
  ];
  const departments = [{ key: 'd1', name: 'Sales' }, { key: 'd2', name: 'Technical' }];
  type Reply = { by: 'client' | 'staff'; at: string; note?: boolean };
  const tickets: Array<{ key: string; dept: string; status: string; source: string; at: string; replies: Reply[] }> = [
    { key: 'k1', dept: 'd1', status: 'answered', source: 'web', at: '2026-03-03T10:00:00Z', replies: [{ by: 'client', at: '2026-03-03T10:00:00Z' }, { by: 'staff', at: '2026-03-03T10:05:00Z', note: true }, { by: 'staff', at: '2026-03-03T10:30:00Z' }, { by: 'staff', at: '2026-03-03T11:00:00Z' }] },
    { key: 'k2', dept: 'd1', status: 'open', source: 'email', at: '2026-03-04T09:00:00Z', replies: [{ by: 'client', at: '2026-03-04T09:00:00Z' }, { by: 'staff', at: '2026-03-04T11:00:00Z' }] },
    { key: 'k3', dept: 'd1', status: 'customer_reply', source: 'web', at: '2026-03-05T09:00:00Z', replies: [{ by: 'client', at: '2026-03-05T09:00:00Z' }, { by: 'client', at: '2026-03-05T09:10:00Z' }, { by: 'staff', at: '2026-03-05T09:20:00Z' }] },
    { key: 'k4', dept: 'd2', status: 'open', source: 'web', at: '2026-03-06T00:00:00Z', replies: [{ by: 'client', at: '2026-03-06T00:00:00Z' }] },
    { key: 'k5', dept: 'd2', status: 'closed', source: 'web', at: '2026-03-07T12:00:00Z', replies: [{ by: 'client', at: '2026-03-07T12:00:00Z' }, { by: 'staff', at: '2026-03-07T12:01:00Z' }] },
    { key: 'k6', dept: 'd2', status: 'in_progress', source: 'admin', at: '2026-03-08T12:00:00Z', replies: [{ by: 'staff', at: '2026-03-08T12:00:00Z' }, { by: 'staff', at: '2026-03-08T15:00:00Z' }] },
    { key: 'k7', dept: 'd1', status: 'closed', source: 'web', at: '2026-02-20T12:00:00Z', replies: [{ by: 'client', at: '2026-02-20T12:00:00Z' }, { by: 'staff', at: '2026-02-20T12:10:00Z' }] },
  ];
  const domains = [
    { name: 'acme.com', tld: '.com', status: 'active' },
    { name: 'bravo.com', tld: '.com', status: 'active' },
    { name: 'bravo.net', tld: '.net', status: 'active' },
    { name: 'old.com', tld: '.com', status: 'expired' },
  ];

  beforeAll(async () => {
    t = await startTestApp({ APP_TIMEZONE: TZ });
    const ds = t.ds;
    const ins = async (entity: string, data: Row) => (await ds.getRepository(entity).insert(data)).identifiers[0].id as number;
    const cur: Record<string, number> = { USD: await currency(ds, 'USD'), EUR: await currency(ds, 'EUR') };
    for (const c of clients) {
      ids[c.key] = await ins('Client', { firstName: c.name, lastName: 'X', displayName: c.name, email: `${c.key}@reports.example`, country: 'US', currencyId: cur[c.cur], status: c.status });
      await ds.query('UPDATE clients SET created_at = ? WHERE id = ?', [utc(c.createdAt), ids[c.key]]);
    }
    const cat = await ins('ProductCategory', { name: 'Plans', slug: 'plans-reports' });
    for (const p of products) ids[p.key] = await ins('Product', { categoryId: cat, name: p.name, slug: `${p.key}-reports`, type: p.type });
    for (const s of servers) ids[s.key] = await ins('Server', { name: s.name, hostname: `${s.name}.example.net`, ipAddress: '192.0.2.10', type: 'cpanel', maxAccounts: s.max });
    for (const s of services) {
      ids[s.key] = await ins('Service', { clientId: ids.c1, productId: ids[s.product], currencyId: cur[s.cur], billingCycle: s.cycle, recurringAmount: s.amount, status: s.status, registrationDate: s.reg, nextDueDate: s.next, serverId: s.server ? ids[s.server] : null, username: `u${s.key}`, domain: `${s.key}.example.org` });
      if (s.deleted) await ds.query('UPDATE services SET deleted_at = ? WHERE id = ?', [utc('2026-03-20T00:00:00Z'), ids[s.key]]);
    }
    for (const x of txns) {
      ids[x.key] = await ins('Transaction', { clientId: ids[x.client], currencyId: cur[x.cur], gateway: 'manual', transactionId: `rep-${x.key}`, type: x.type, status: x.status, amountIn: x.in, amountOut: x.out, fees: x.fees, description: x.desc, date: new Date(x.date) });
    }
    for (const i of invoices) {
      ids[i.key] = await ins('Invoice', {
        invoiceNumber: `REP-${i.key}`, clientId: ids[i.client], currencyId: cur[i.cur], status: i.status, issueDate: i.issue, dueDate: i.due, paidAt: i.paidAt ? new Date(i.paidAt) : null,
        subtotal: i.subtotal, tax1: i.tax1, tax2: i.tax2, total: i.total, amountPaid: i.paid, credit: i.credit, taxName1: i.name1 ?? null, taxRate1: i.rate1 ?? '0', taxName2: i.name2 ?? null, taxRate2: i.rate2 ?? '0', taxInclusive: Boolean(i.inclusive),
      });
      for (const it of i.items) {
        await ins('InvoiceItem', { invoiceId: ids[i.key], itemType: it.type, description: `${it.type} line`, quantity: 1, unitPrice: it.amount, amount: it.amount, taxable: it.taxable, serviceId: it.service ? ids[it.service] : null });
      }
    }
    let n = 0;
    for (const cn of creditNotes) {
      const inv = invoices.find((i) => i.key === cn.invoice)!;
      await ins('CreditNote', { creditNoteNumber: `CN-REP-${++n}`, clientId: ids[inv.client], invoiceId: ids[inv.key], currencyId: cur[inv.cur], issueDate: cn.issue, subtotal: 1000 - cn.tax, tax: cn.tax, total: 1000, status: cn.status });
    }
    for (const d of departments) ids[d.key] = await ins('TicketDepartment', { name: d.name });
    for (const k of tickets) {
      ids[k.key] = await ins('SupportTicket', { ticketNumber: `TKT-${k.key}`, clientId: ids.c1, departmentId: ids[k.dept], subject: `Ticket ${k.key}`, status: k.status, source: k.source });
      await ds.query('UPDATE support_tickets SET created_at = ? WHERE id = ?', [utc(k.at), ids[k.key]]);
      for (const r of k.replies) {
        const id = await ins('TicketReply', { ticketId: ids[k.key], authorType: r.by, authorName: r.by, message: 'hello', isInternalNote: Boolean(r.note) });
        await ds.query('UPDATE ticket_replies SET created_at = ? WHERE id = ?', [utc(r.at), id]);
      }
    }
    for (const d of domains) await ins('Domain', { clientId: ids.c1, domainName: d.name, tld: d.tld, currencyId: cur.USD, status: d.status });

    adminId = await createStaff(ds, { email: 'owner@reports.test', password: 'owner password 123', role: 'Full Administrator' });
    // A role that sees only the support desk: no Transactions, Invoices, Clients or Services.
    const role = await ins('Role', { name: 'Desk only', displayName: 'Desk only' });
    const perm = (await ds.getRepository('Permission').findOneByOrFail({ name: 'SupportTicket.view' })) as Row;
    await ins('PermissionRole', { roleId: role, permissionId: perm.id });
    await createStaff(ds, { email: 'desk@reports.test', password: 'desk password 123', role: 'Desk only' });
    admin = t.agent();
    desk = t.agent();
    anonymous = t.agent();
    await loginAs(admin, 'owner@reports.test', 'owner password 123');
    await loginAs(desk, 'desk@reports.test', 'desk password 123');
  });
  afterAll(async () => {
    await t?.close();
  });

  const run = async (id: string, q: Row = {}) => {
    const out = await runReport(t.ds, id, { ...RANGE, ...q }, TZ);
    if (!out.ok) throw new Error(out.message);
    return out.report;
  };
  const clientName = (key: string) => clients.find((c) => c.key === key)!.name;

  it('income by day: payments in less refunds out per business day and currency', async () => {
    const report = await run('income', { period: 'day' });
    const expected = new Map<string, Row>();
    for (const x of txns.filter((x) => x.status === 'completed' && inRange(biz(x.date)))) {
      const k = `${biz(x.date)}|${x.cur}`;
      const e = expected.get(k) ?? { period: biz(x.date), currency: x.cur, transactions: 0, moneyIn: 0, moneyOut: 0, fees: 0, net: 0 };
      e.transactions++;
      e.moneyIn += x.in;
      e.moneyOut += x.out;
      e.fees += x.fees;
      e.net += x.in - x.out;
      expected.set(k, e);
    }
    const want = [...expected.values()].sort((a, b) => a.period.localeCompare(b.period) || a.currency.localeCompare(b.currency));
    expect(report.rows.map(({ exponent, ...r }) => r)).toEqual(want);
    for (const code of ['USD', 'EUR']) {
      const mine = want.filter((w) => w.currency === code);
      expect(report.totals.find((r) => r.currency === code)).toMatchObject({ moneyIn: sumBy(mine, (w) => w.moneyIn), moneyOut: sumBy(mine, (w) => w.moneyOut), net: sumBy(mine, (w) => w.net) });
    }
    // By month: one row per currency, the same totals.
    const monthly = await run('income', { period: 'month' });
    expect(monthly.rows.map((r) => [r.period, r.currency, r.net])).toEqual([...new Set(want.map((w) => w.currency))].sort().map((c) => ['2026-03', c, sumBy(want.filter((w) => w.currency === c), (w) => w.net)]));
  });

  it('transactions: the list with filters and totals', async () => {
    const report = await run('transactions');
    const listed = txns.filter((x) => inRange(biz(x.date))).sort((a, b) => a.date.localeCompare(b.date));
    expect(report.rows.map((r) => r.id)).toEqual(listed.map((x) => ids[x.key]));
    expect(report.rows.find((r) => r.id === ids.t1)).toMatchObject({ client: 'Acme, Inc.', moneyIn: 10000, fees: 300, currency: 'USD', status: 'completed' });
    const usd = listed.filter((x) => x.cur === 'USD');
    expect(report.totals.find((r) => r.currency === 'USD')).toMatchObject({ id: usd.length, moneyIn: sumBy(usd, (x) => x.in), moneyOut: sumBy(usd, (x) => x.out), fees: sumBy(usd, (x) => x.fees) });
    const refunds = await run('transactions', { type: 'refund' });
    expect(refunds.rows.map((r) => r.id)).toEqual(listed.filter((x) => x.type === 'refund').map((x) => ids[x.key]));
    const pending = await run('transactions', { status: 'pending', clientId: String(ids.c1) });
    expect(pending.rows.map((r) => r.id)).toEqual([ids.t5]);
    const euro = await run('transactions', { currency: 'eur' });
    expect(euro.rows.map((r) => r.id)).toEqual(listed.filter((x) => x.cur === 'EUR').map((x) => ids[x.key]));
    const bad = await runReport(t.ds, 'transactions', { ...RANGE, clientId: '1 OR 1=1' }, TZ);
    expect(bad).toMatchObject({ ok: false, error: 'invalid_client' });
  });

  it('invoices: counts and totals by status and currency, drafts left out, cancelled not added in', async () => {
    const report = await run('invoices');
    const issued = invoices.filter((i) => i.status !== 'draft' && inRange(i.issue));
    const groups = new Map<string, Row>();
    for (const i of issued) {
      const k = `${i.cur}|${i.status}`;
      const g = groups.get(k) ?? { status: i.status, currency: i.cur, invoices: 0, subtotal: 0, tax: 0, total: 0, paid: 0, credit: 0, balance: 0 };
      g.invoices++;
      g.subtotal += i.subtotal;
      g.tax += i.tax1 + i.tax2;
      g.total += i.total;
      g.paid += i.paid;
      g.credit += i.credit;
      if (i.status === 'unpaid') g.balance += i.total - i.paid - i.credit;
      groups.set(k, g);
    }
    const want = [...groups.values()].sort((a, b) => a.currency.localeCompare(b.currency) || a.status.localeCompare(b.status));
    expect(report.rows.map(({ exponent, ...r }) => r)).toEqual(want);
    const usdOwed = issued.filter((i) => i.cur === 'USD' && i.status !== 'cancelled');
    expect(report.totals.find((r) => r.currency === 'USD')).toMatchObject({ invoices: usdOwed.length, total: sumBy(usdOwed, (i) => i.total), balance: sumBy(usdOwed.filter((i) => i.status === 'unpaid'), (i) => i.total - i.paid - i.credit) });
  });

  it('tax collected by rate: paid invoices in the range, refunds from credit notes shared between levels', async () => {
    const report = await run('tax');
    const want = new Map<string, Row>();
    const add = (cur: string, level: number, name: string, rate: string, f: Partial<Row>) => {
      const k = `${cur}|${level}|${name}|${Number(rate).toFixed(4)}`;
      const r = want.get(k) ?? { currency: cur, level, name, rate: Number(rate).toFixed(4), invoices: 0, base: 0, collected: 0, refunded: 0 };
      for (const [key, v] of Object.entries(f)) r[key] += v as number;
      want.set(k, r);
    };
    for (const i of invoices.filter((i) => ['paid', 'refunded'].includes(i.status) && i.paidAt && inRange(biz(i.paidAt)) && i.tax1 + i.tax2 > 0)) {
      const base = sumBy(i.items.filter((it) => it.taxable), (it) => it.amount) - (i.inclusive ? i.tax1 + i.tax2 : 0);
      if (i.tax1) add(i.cur, 1, i.name1!, i.rate1!, { invoices: 1, base, collected: i.tax1 });
      if (i.tax2) add(i.cur, 2, i.name2!, i.rate2!, { invoices: 1, base, collected: i.tax2 });
    }
    for (const cn of creditNotes.filter((c) => c.status !== 'void' && inRange(c.issue))) {
      const i = invoices.find((x) => x.key === cn.invoice)!;
      const level2 = Math.round((cn.tax * i.tax2) / (i.tax1 + i.tax2));
      add(i.cur, 1, i.name1!, i.rate1!, { refunded: cn.tax - level2 });
      if (level2) add(i.cur, 2, i.name2!, i.rate2!, { refunded: level2 });
    }
    const expected = [...want.values()].map((r): Row => ({ ...r, net: r.collected - r.refunded }));
    const got = report.rows.map(({ exponent, ...r }) => r);
    expect(got).toHaveLength(expected.length);
    expect(got).toEqual(expect.arrayContaining(expected));
    expect(report.totals.find((r) => r.currency === 'Total USD')).toMatchObject({ collected: sumBy(expected.filter((e) => e.currency === 'USD'), (e) => e.collected), refunded: sumBy(expected.filter((e) => e.currency === 'USD'), (e) => e.refunded) });
  });

  it('clients: new clients per business day, still active, and the all-time counts', async () => {
    const report = await run('clients', { period: 'day' });
    const byDay = new Map<string, Row>();
    for (const c of clients.filter((c) => inRange(biz(c.createdAt)))) {
      const d = biz(c.createdAt);
      const r = byDay.get(d) ?? { period: d, newClients: 0, stillActive: 0 };
      r.newClients++;
      if (c.status === 'active') r.stillActive++;
      byDay.set(d, r);
    }
    expect(report.rows).toEqual([...byDay.values()].sort((a, b) => a.period.localeCompare(b.period)));
    expect(report.totals[0]).toMatchObject({ newClients: sumBy([...byDay.values()], (r) => r.newClients) });
    const summary = Object.fromEntries(report.summary!.map((s) => [s.label, s.value]));
    expect(summary['Clients (all)']).toBe(clients.length);
    expect(summary['Active clients']).toBe(clients.filter((c) => c.status === 'active').length);
    expect(summary['Clients with an active service']).toBe(1);
  });

  it('services by product: counts by status and monthly recurring revenue per cycle', async () => {
    const report = await run('services');
    const months: Record<string, number> = { monthly: 1, quarterly: 3, semiannually: 6, annually: 12, biennially: 24, triennially: 36 };
    const live = services.filter((s) => !s.deleted);
    const expected = new Map<string, Row>();
    for (const s of live) {
      const p = products.find((x) => x.key === s.product)!;
      const k = `${p.key}|${s.cur}`;
      const r = expected.get(k) ?? { product: p.name, type: p.type, currency: s.cur, newInRange: 0, active: 0, suspended: 0, terminated: 0, other: 0, mrr: 0, perCycle: {} as Record<string, number> };
      if (inRange(s.reg)) r.newInRange++;
      if (['active', 'suspended', 'terminated'].includes(s.status)) r[s.status]++;
      else r.other++;
      if (s.status === 'active' && months[s.cycle]) r.perCycle[s.cycle] = (r.perCycle[s.cycle] ?? 0) + s.amount;
      expected.set(k, r);
    }
    const want = [...expected.values()].map(({ perCycle, ...r }): Row => ({ ...r, mrr: sumBy(Object.entries(perCycle as Record<string, number>), ([c, a]) => Math.round(a / months[c])) }));
    expect(report.rows.map(({ exponent, ...r }) => r)).toEqual(expect.arrayContaining(want));
    expect(report.rows).toHaveLength(want.length);
    expect(report.totals.find((r) => r.currency === 'USD')!.mrr).toBe(sumBy(want.filter((w) => w.currency === 'USD'), (w) => w.mrr));
  });

  /** First staff reply the client saw, per ticket opened in [from, to], tickets staff opened left out. */
  const expectedWaits = (from: string, to: string) =>
    tickets
      .filter((k) => inRange(biz(k.at), from, to) && k.source !== 'admin')
      .map((k) => {
        const first = k.replies.slice(1).find((r) => r.by === 'staff' && !r.note);
        return { dept: k.dept, wait: first ? (Date.parse(first.at) - Date.parse(k.at)) / 1000 : null };
      });
  const stats = (waits: Array<number | null>) => {
    const w = waits.filter((x): x is number => x !== null).sort((a, b) => a - b);
    const n = w.length;
    return {
      tickets: waits.length,
      responded: n,
      awaiting: waits.length - n,
      averageSeconds: n ? Math.round(sumBy(w, (x) => x) / n) : null,
      medianSeconds: n ? (n % 2 ? w[(n - 1) / 2] : Math.round((w[n / 2 - 1] + w[n / 2]) / 2)) : null,
    };
  };

  it('ticket response times: average and median first staff response per department', async () => {
    const report = await run('ticket-response');
    const waits = expectedWaits(RANGE.from, RANGE.to);
    for (const d of departments) {
      expect(report.rows.find((r) => r.department === d.name)).toEqual({ department: d.name, ...stats(waits.filter((w) => w.dept === d.key).map((w) => w.wait)) });
    }
    expect(report.totals[0]).toEqual({ department: 'Total', ...stats(waits.map((w) => w.wait)) });
  });

  it('refuses bad ranges and unknown reports with a reason', async () => {
    expect(await runReport(t.ds, 'income', { from: '2026-02-30', to: '2026-03-01' }, TZ)).toMatchObject({ ok: false, error: 'invalid_from' });
    expect(await runReport(t.ds, 'income', { from: '2026-03-10', to: '2026-03-01' }, TZ)).toMatchObject({ ok: false, error: 'invalid_range' });
    expect(await runReport(t.ds, 'income', { from: '2024-01-01', to: '2026-03-01', period: 'day' }, TZ)).toMatchObject({ ok: false, error: 'too_many_days' });
    expect(await runReport(t.ds, 'nope', RANGE, TZ)).toMatchObject({ ok: false, error: 'unknown_report' });
  });

  it('writes RFC 4180 CSV and neutralises spreadsheet formulas in text, not in its own numbers', async () => {
    expect(toCsv(['name', 'amount'], [['Acme, Inc.', 5], ['say "hi"', -3], ['two\nlines', { decimal: '-12.50' }], ['=SUM(A1:A2)', null], ['+1', 0], ['-cmd', 1], ['@x', 2], ['\tTab', 3]])).toBe(
      'name,amount\r\n"Acme, Inc.",5\r\n"say ""hi""",-3\r\n"two\nlines",-12.50\r\n\'=SUM(A1:A2),\r\n\'+1,0\r\n\'-cmd,1\r\n\'@x,2\r\n\'\tTab,3\r\n',
    );
    const csv = reportToCsv(await run('transactions'));
    expect(csv.split('\r\n')[0]).toBe('Date (UTC),Transaction,Client,Invoice,Gateway,Gateway reference,Type,Status,Currency,In,Out,Fees,Description');
    expect(csv).toContain(`,"Acme, Inc.",`);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(csv).toContain(`"line one\nline two"`);
    expect(csv).toContain(',100.00,0.00,3.00,Invoice payment\r\n');
    // A day with only a refund: its negative net income stays a number.
    const income = reportToCsv(await run('income', { period: 'day' }));
    const refundDay = biz(txns.find((x) => x.key === 't3')!.date);
    expect(income).toContain(`${refundDay},USD,1,0.00,10.00,0.00,-10.00\r\n`);
  });

  it('serves the CSV to staff who may see the report, refuses the others and anyone signed out', async () => {
    const q = `from=${RANGE.from}&to=${RANGE.to}&period=month`;
    const ok = await admin.get(`/admin/reports/income.csv?${q}`).expect(200);
    expect(ok.headers['content-type']).toMatch(/^text\/csv/);
    expect(ok.headers['content-disposition']).toContain('attachment; filename="income-2026-03-01-to-2026-03-31.csv"');
    expect(ok.text).toBe(reportToCsv(await run('income', { period: 'month' })));

    const refused = await desk.get(`/admin/reports/income.csv?${q}`);
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain('USD');
    expect(await desk.get(`/admin/reports/tax.csv?${q}`).then((r) => r.status)).toBe(403);
    const audit = (await t.ds.query(`SELECT description FROM audit_logs WHERE event = 'forbidden' AND description LIKE ?`, ['%report income%'])) as Row[];
    expect(audit.length).toBeGreaterThan(0);
    // The desk role may see its own screen's report.
    expect((await desk.get(`/admin/reports/ticket-response.csv?${q}`).expect(200)).text).toContain('Sales');

    const out = await anonymous.get(`/admin/reports/income.csv?${q}`);
    expect([302, 401]).toContain(out.status);
    if (out.status === 302) expect(out.headers.location).toContain('/admin/login');
    expect(out.text).not.toContain('USD');

    expect((await admin.get(`/admin/reports/income.csv?from=bad&to=${RANGE.to}`)).status).toBe(400);
    expect((await admin.get(`/admin/reports/nothing.csv?${q}`)).status).toBe(404);
  });

  it('the Reports page lists only permitted reports and returns the same rows', async () => {
    const headers = { 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'cors' };
    const list = await admin.get('/admin/api/pages/Reports').set(headers).expect(200);
    expect(list.body.reports.map((r: Row) => r.id)).toEqual(['income', 'transactions', 'invoices', 'tax', 'clients', 'services', 'ticket-response']);
    const page = await admin.get(`/admin/api/pages/Reports?report=invoices&from=${RANGE.from}&to=${RANGE.to}`).set(headers).expect(200);
    expect(page.body.report.rows).toEqual((await run('invoices')).rows);
    const deskList = await desk.get('/admin/api/pages/Reports').set(headers).expect(200);
    expect(deskList.body.reports.map((r: Row) => r.id)).toEqual(['ticket-response']);
    const deskIncome = await desk.get(`/admin/api/pages/Reports?report=income&from=${RANGE.from}&to=${RANGE.to}`).set(headers).expect(200);
    expect(deskIncome.body.report).toBeUndefined();
    expect(deskIncome.body.error).toMatch(/permission/);
  });

  it('dashboard figures equal sums of the rows, for a fixed business day', async () => {
    const now = '2026-03-31T16:00:00Z';
    const today = biz(now);
    const permissions = await t.rbac.permissionsOf(adminId);
    const currentAdmin = Object.assign({ id: adminId, email: 'owner@reports.test' }, {});
    Object.defineProperty(currentAdmin, 'permissions', { value: permissions, enumerable: false });
    const handler = dashboardHandler(t.ds, t.built.billing, TZ, new FixedClock(new Date(now)));
    const data = (await handler(undefined, undefined, { currentAdmin: currentAdmin as never })) as Row;

    const net = (cur: string, from: string, to: string) => sumBy(txns.filter((x) => x.status === 'completed' && x.cur === cur && inRange(biz(x.date), from, to)), (x) => x.in - x.out);
    const usd = data.revenue.find((r: Row) => r.currency === 'USD');
    expect(usd).toMatchObject({ today: net('USD', today, today), yesterday: net('USD', '2026-03-30', '2026-03-30'), month: net('USD', '2026-03-01', today), previousMonth: net('USD', '2026-02-01', '2026-02-28') });
    expect(data.revenue.find((r: Row) => r.currency === 'EUR')).toMatchObject({ month: net('EUR', '2026-03-01', today) });
    expect(data.revenue[0].currency).toBe('USD');

    const byType = new Map<string, number>();
    for (const i of invoices.filter((i) => i.status === 'paid' && i.paidAt && inRange(biz(i.paidAt), '2026-03-01', today))) {
      for (const it of i.items) {
        const s = services.find((x) => x.key === it.service);
        const type = s ? products.find((p) => p.key === s.product)!.type : it.type === 'domain' ? 'domain' : 'other';
        byType.set(`${type}|${i.cur}`, (byType.get(`${type}|${i.cur}`) ?? 0) + it.amount);
      }
    }
    expect(Object.fromEntries(data.revenueByProductType.map((r: Row) => [`${r.type}|${r.currency}`, r.amountCents]))).toEqual(Object.fromEntries(byType));

    const unpaid = invoices.filter((i) => i.status === 'unpaid' && i.cur === 'USD');
    expect(data.outstanding).toEqual([{ currency: 'USD', exponent: 2, invoices: unpaid.length, overdue: unpaid.filter((i) => i.due < today).length, balanceCents: sumBy(unpaid, (i) => i.total - i.paid - i.credit) }]);
    expect(data.overdueInvoices.map((i: Row) => [i.number, i.daysOverdue, i.balanceCents])).toEqual(unpaid.filter((i) => i.due < today).map((i) => [`REP-${i.key}`, Math.round((Date.parse(today) - Date.parse(i.due)) / 86_400_000), i.total - i.paid - i.credit]));

    expect(data.newClients).toHaveLength(12);
    expect(data.newClients[11].month).toBe('2026-03');
    for (const m of data.newClients) expect(m.clients).toBe(clients.filter((c) => biz(c.createdAt).startsWith(m.month)).length);

    expect(data.services.active).toBe(services.filter((s) => !s.deleted && s.status === 'active').length);
    const soon = services.filter((s) => !s.deleted && s.status === 'active' && !['free', 'onetime'].includes(s.cycle) && s.next >= today && s.next <= '2026-04-14');
    expect(data.expiringServices.map((s: Row) => s.id)).toEqual(soon.sort((a, b) => a.next.localeCompare(b.next)).map((s) => ids[s.key]));

    const open = tickets.filter((k) => k.status !== 'closed');
    expect(data.tickets.open).toBe(open.length);
    expect(Object.fromEntries(data.tickets.byDepartment.map((d: Row) => [d.department, d.open]))).toEqual(Object.fromEntries(departments.map((d) => [d.name, open.filter((k) => k.dept === d.key).length]).filter(([, n]) => n)));
    const waits = expectedWaits('2026-03-02', today);
    expect(data.tickets.last30Days).toEqual(stats(waits.map((w) => w.wait)));

    for (const sv of servers) {
      const accounts = services.filter((s) => !s.deleted && s.server === sv.key && ['active', 'suspended'].includes(s.status)).length;
      expect(data.servers.find((x: Row) => x.name === sv.name)).toMatchObject({ accounts, maxAccounts: sv.max, percentUsed: Math.round((accounts * 100) / sv.max) });
    }
    const tlds = new Map<string, number>();
    for (const d of domains.filter((d) => d.status === 'active')) tlds.set(d.tld, (tlds.get(d.tld) ?? 0) + 1);
    expect(Object.fromEntries(data.domainsByTld.map((d: Row) => [d.tld, d.domains]))).toEqual(Object.fromEntries(tlds));

    const perClient = new Map<string, number>();
    for (const x of txns.filter((x) => x.status === 'completed' && inRange(biz(x.date), '2025-04-01', today))) perClient.set(`${clientName(x.client)}|${x.cur}`, (perClient.get(`${clientName(x.client)}|${x.cur}`) ?? 0) + x.in - x.out);
    const top = [...perClient.entries()].sort((a, b) => b[1] - a[1]);
    expect(data.topClients.map((c: Row) => [`${c.client}|${c.currency}`, c.netCents])).toEqual(top);
  });

  it('the dashboard API shows each figure only to staff who may view its screen', async () => {
    const headers = { 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'cors' };
    const full = await admin.get('/admin/api/dashboard').set(headers).expect(200);
    expect(Object.keys(full.body)).toEqual(expect.arrayContaining(['revenue', 'outstanding', 'newClients', 'tickets', 'servers', 'domainsByTld', 'topClients', 'overdueInvoices', 'expiringServices']));
    expect(full.body.tickets.open).toBe(tickets.filter((k) => k.status !== 'closed').length);
    const limited = await desk.get('/admin/api/dashboard').set(headers).expect(200);
    expect(limited.body.tickets.open).toBe(tickets.filter((k) => k.status !== 'closed').length);
    for (const hidden of ['revenue', 'outstanding', 'topClients', 'overdueInvoices', 'newClients', 'servers', 'domainsByTld', 'revenueByProductType']) expect(limited.body[hidden]).toBeUndefined();
  });
});
