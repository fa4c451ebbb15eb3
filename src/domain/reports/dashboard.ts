/**
 * The dashboard's figures, each computed in the database and shown only to staff who may see the screen it comes
 * from (`allowed(resourceId)`). "Today" and "this month" are business dates in APP_TIMEZONE taken from the clock.
 */
import type { DataSource } from 'typeorm';
import { addDays, businessDate, daysBetween, type Clock } from '../shared/clock.js';
import { firstResponses, responseTimes } from './tickets.js';
import { instantBounds, periodsOf, periodTable, toCents, toInt, toInstant, type Period } from './range.js';

type Raw = Array<Record<string, unknown>>;

export interface DashboardDeps {
  ds: DataSource;
  clock: Clock;
  timeZone: string;
  /** Whether the staff member may view a resource's list (resource id such as 'Invoice'). */
  allowed: (resource: string) => boolean;
}

const monthStart = (date: string) => `${date.slice(0, 7)}-01`;
const previousMonthStart = (date: string) => {
  const [y, m] = date.split('-').map(Number);
  return m === 1 ? `${y - 1}-12-01` : `${y}-${String(m - 1).padStart(2, '0')}-01`;
};

/** Revenue (completed transactions, in − out) today vs yesterday and this month to date vs the same days of last month. */
async function revenue(ds: DataSource, today: string, timeZone: string) {
  const lastMonthStart = previousMonthStart(today);
  const thisMonthStart = monthStart(today);
  // Last month up to the same day of the month (clipped to last month's length), for a like-for-like trend.
  const sameDayLastMonth = addDays(lastMonthStart, Math.min(daysBetween(thisMonthStart, today), daysBetween(lastMonthStart, thisMonthStart) - 1));
  const bounds = [
    { from: today, to: today },
    { from: addDays(today, -1), to: addDays(today, -1) },
    { from: thisMonthStart, to: today },
    { from: lastMonthStart, to: sameDayLastMonth },
  ].map((r, i) => ({ label: String(i), fromDate: r.from, toDate: r.to, ...instantBounds(r, timeZone) }) as Period);
  const table = periodTable(bounds, 'instant');
  const raw = (await ds.query(
    `SELECT p.k AS k, c.code AS currency, c.exponent, c.is_default, COALESCE(SUM(t.amount_in), 0) - COALESCE(SUM(t.amount_out), 0) AS net
       FROM ${table.sql} p JOIN transactions t ON t.date >= p.s AND t.date < p.e JOIN currencies c ON c.id = t.currency_id
      WHERE t.status = 'completed'
      GROUP BY p.k, c.code, c.exponent, c.is_default`,
    table.params,
  )) as Raw;
  const byCurrency = new Map<string, { currency: string; exponent: number; isDefault: boolean; today: number; yesterday: number; month: number; previousMonth: number }>();
  const keys = ['today', 'yesterday', 'month', 'previousMonth'] as const;
  for (const r of raw) {
    const code = String(r.currency);
    let c = byCurrency.get(code);
    if (!c) byCurrency.set(code, (c = { currency: code, exponent: toInt(r.exponent), isDefault: Boolean(Number(r.is_default)), today: 0, yesterday: 0, month: 0, previousMonth: 0 }));
    c[keys[toInt(r.k)]] = toCents(r.net);
  }
  return [...byCurrency.values()].sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.currency.localeCompare(b.currency));
}

export async function dashboardFigures({ ds, clock, timeZone, allowed }: DashboardDeps): Promise<Record<string, unknown>> {
  const now = clock.now();
  const today = businessDate(now, timeZone);
  const month = instantBounds({ from: monthStart(today), to: today }, timeZone);
  const out: Record<string, unknown> = { today };

  if (allowed('Transaction')) {
    out.revenue = await revenue(ds, today, timeZone);
    const year = instantBounds({ from: addDays(today, -364), to: today }, timeZone);
    const top = (await ds.query(
      `SELECT cl.id, cl.display_name AS client, c.code AS currency, c.exponent, COALESCE(SUM(t.amount_in), 0) - COALESCE(SUM(t.amount_out), 0) AS net
         FROM transactions t JOIN clients cl ON cl.id = t.client_id JOIN currencies c ON c.id = t.currency_id
        WHERE t.status = 'completed' AND t.date >= ? AND t.date < ?
        GROUP BY cl.id, cl.display_name, c.code, c.exponent
        ORDER BY net DESC, cl.id LIMIT 10`,
      [year.start, year.end],
    )) as Raw;
    out.topClients = top.map((r) => ({ clientId: toInt(r.id), client: String(r.client), currency: String(r.currency), exponent: toInt(r.exponent), netCents: toCents(r.net) }));
  }

  if (allowed('Invoice')) {
    const byType = (await ds.query(
      `SELECT COALESCE(p.type, CASE WHEN it.item_type = 'domain' THEN 'domain' ELSE 'other' END) AS kind, c.code AS currency, c.exponent, COALESCE(SUM(it.amount), 0) AS amount
         FROM invoice_items it JOIN invoices i ON i.id = it.invoice_id JOIN currencies c ON c.id = i.currency_id
         LEFT JOIN services s ON s.id = it.service_id LEFT JOIN products p ON p.id = s.product_id
        WHERE i.status = 'paid' AND i.paid_at >= ? AND i.paid_at < ?
        GROUP BY COALESCE(p.type, CASE WHEN it.item_type = 'domain' THEN 'domain' ELSE 'other' END), c.code, c.exponent
        ORDER BY c.code, amount DESC`,
      [month.start, month.end],
    )) as Raw;
    out.revenueByProductType = byType.map((r) => ({ type: String(r.kind), currency: String(r.currency), exponent: toInt(r.exponent), amountCents: toCents(r.amount) }));
    const outstanding = (await ds.query(
      `SELECT c.code AS currency, c.exponent, COUNT(*) AS n, COALESCE(SUM(i.total - i.amount_paid - i.credit), 0) AS balance,
              SUM(CASE WHEN i.due_date < ? THEN 1 ELSE 0 END) AS overdue
         FROM invoices i JOIN currencies c ON c.id = i.currency_id WHERE i.status = 'unpaid'
        GROUP BY c.code, c.exponent ORDER BY c.code`,
      [today],
    )) as Raw;
    out.outstanding = outstanding.map((r) => ({ currency: String(r.currency), exponent: toInt(r.exponent), invoices: toInt(r.n), overdue: toInt(r.overdue), balanceCents: toCents(r.balance) }));
    const overdue = (await ds.query(
      `SELECT i.id, i.invoice_number, cl.display_name AS client, i.due_date, c.code AS currency, c.exponent, i.total - i.amount_paid - i.credit AS balance
         FROM invoices i JOIN clients cl ON cl.id = i.client_id JOIN currencies c ON c.id = i.currency_id
        WHERE i.status = 'unpaid' AND i.due_date < ?
        ORDER BY i.due_date, i.id LIMIT 10`,
      [today],
    )) as Raw;
    out.overdueInvoices = overdue.map((r) => ({ id: toInt(r.id), number: r.invoice_number ?? `#${r.id}`, client: String(r.client), dueDate: String(r.due_date), daysOverdue: daysBetween(String(r.due_date), today), currency: String(r.currency), exponent: toInt(r.exponent), balanceCents: toCents(r.balance) }));
  }

  if (allowed('Client')) {
    let first = monthStart(today);
    for (let i = 0; i < 11; i++) first = previousMonthStart(first);
    const p = periodsOf({ from: first, to: today }, 'month', timeZone);
    const periods = p.ok ? p.periods : [];
    const table = periodTable(periods, 'instant');
    const raw = periods.length
      ? ((await ds.query(`SELECT p.k AS k, COUNT(*) AS n FROM ${table.sql} p JOIN clients cl ON cl.created_at >= p.s AND cl.created_at < p.e WHERE cl.deleted_at IS NULL GROUP BY p.k`, table.params)) as Raw)
      : [];
    const counts = new Map(raw.map((r) => [toInt(r.k), toInt(r.n)]));
    out.newClients = periods.map((per, i) => ({ month: per.label, clients: counts.get(i) ?? 0 }));
  }

  if (allowed('Service')) {
    const soon = (await ds.query(
      `SELECT s.id, s.domain, p.name AS product, cl.display_name AS client, s.next_due_date, s.billing_cycle
         FROM services s JOIN products p ON p.id = s.product_id JOIN clients cl ON cl.id = s.client_id
        WHERE s.deleted_at IS NULL AND s.status = 'active' AND s.billing_cycle NOT IN ('free', 'onetime')
          AND s.next_due_date >= ? AND s.next_due_date <= ?
        ORDER BY s.next_due_date, s.id LIMIT 10`,
      [today, addDays(today, 14)],
    )) as Raw;
    out.expiringServices = soon.map((r) => ({ id: toInt(r.id), domain: r.domain ?? null, product: String(r.product), client: String(r.client), nextDueDate: String(r.next_due_date), cycle: String(r.billing_cycle) }));
  }

  if (allowed('SupportTicket')) {
    const [open] = (await ds.query(`SELECT COUNT(*) AS n FROM support_tickets WHERE status <> 'closed'`)) as Raw;
    const byDept = (await ds.query(
      `SELECT d.name AS department, COUNT(t.id) AS n FROM ticket_departments d
         JOIN support_tickets t ON t.department_id = d.id AND t.status <> 'closed'
        GROUP BY d.id, d.name ORDER BY n DESC, d.name`,
    )) as Raw;
    const last30 = instantBounds({ from: addDays(today, -29), to: today }, timeZone);
    const counted = (await firstResponses(ds, last30.start, last30.end)).filter((t) => t.counted);
    const times = responseTimes(counted.flatMap((t) => (t.waitSeconds === null ? [] : [t.waitSeconds])), counted.length);
    out.tickets = { open: toInt(open?.n), byDepartment: byDept.map((r) => ({ department: String(r.department), open: toInt(r.n) })), last30Days: times };
  }

  if (allowed('Server')) {
    const raw = (await ds.query(
      `SELECT sv.id, sv.name, sv.hostname, sv.status, sv.max_accounts, sv.last_check_ok, sv.last_check_at, COUNT(s.id) AS accounts
         FROM servers sv LEFT JOIN services s ON s.server_id = sv.id AND s.deleted_at IS NULL AND s.status IN ('active', 'suspended')
        GROUP BY sv.id, sv.name, sv.hostname, sv.status, sv.max_accounts, sv.last_check_ok, sv.last_check_at
        ORDER BY sv.name, sv.id`,
    )) as Raw;
    out.servers = raw.map((r) => {
      const accounts = toInt(r.accounts);
      const max = toInt(r.max_accounts);
      return {
        id: toInt(r.id),
        name: String(r.name),
        hostname: String(r.hostname),
        status: String(r.status),
        accounts,
        maxAccounts: max,
        percentUsed: max > 0 ? Math.round((accounts * 100) / max) : null,
        lastCheckOk: r.last_check_ok === null || r.last_check_ok === undefined ? null : Boolean(Number(r.last_check_ok)),
        lastCheckAt: toInstant(r.last_check_at)?.toISOString() ?? null,
      };
    });
  }

  if (allowed('Domain')) {
    const raw = (await ds.query(`SELECT tld, COUNT(*) AS n FROM domains WHERE status = 'active' GROUP BY tld ORDER BY n DESC, tld`)) as Raw;
    out.domainsByTld = raw.map((r) => ({ tld: String(r.tld), domains: toInt(r.n) }));
  }
  return out;
}
