/**
 * Client and service reports: new clients per day or month, and services by product with their monthly recurring
 * revenue. A service's recurringAmount is what one billing cycle costs (services.billing_cycle), so it is brought
 * to a month by dividing by the cycle's months — summed per cycle in the database, divided once per cycle here.
 */
import type { DataSource } from 'typeorm';
import { succeed, type Outcome } from '../shared/outcome.js';
import { divideRounded } from '../shared/money.js';
import { periodsOf, periodTable, toCents, toInt, type DateRange, type Granularity } from './range.js';
import { totalsByCurrency, type ReportResult, type ReportRow } from './types.js';

/** Months in each billing cycle that renews; 'free' and 'onetime' bring no recurring revenue. */
export const CYCLE_MONTHS: Record<string, number> = { monthly: 1, quarterly: 3, semiannually: 6, annually: 12, biennially: 24, triennially: 36 };

export async function clientsReport(ds: DataSource, range: DateRange, granularity: Granularity, timeZone: string): Promise<Outcome<{ report: ReportResult }>> {
  const p = periodsOf(range, granularity, timeZone);
  if (!p.ok) return p;
  const table = periodTable(p.periods, 'instant');
  const raw = (await ds.query(
    `SELECT p.k AS k, COUNT(*) AS n, SUM(CASE WHEN cl.status = 'active' THEN 1 ELSE 0 END) AS active
       FROM ${table.sql} p JOIN clients cl ON cl.created_at >= p.s AND cl.created_at < p.e
      WHERE cl.deleted_at IS NULL
      GROUP BY p.k ORDER BY p.k`,
    table.params,
  )) as Array<Record<string, unknown>>;
  const rows: ReportRow[] = raw.map((r) => ({ period: p.periods[toInt(r.k)].label, newClients: toInt(r.n), stillActive: toInt(r.active) }));
  const [all] = (await ds.query(
    `SELECT COUNT(*) AS n, SUM(CASE WHEN status = 'active' THEN 1 ELSE 0 END) AS active FROM clients WHERE deleted_at IS NULL`,
  )) as Array<Record<string, unknown>>;
  const [withService] = (await ds.query(
    `SELECT COUNT(DISTINCT client_id) AS n FROM services WHERE status = 'active' AND deleted_at IS NULL`,
  )) as Array<Record<string, unknown>>;
  const total = { period: 'Total', newClients: 0, stillActive: 0 };
  for (const r of rows) {
    total.newClients += r.newClients as number;
    total.stillActive += r.stillActive as number;
  }
  return succeed({
    report: {
      columns: [
        { key: 'period', label: granularity === 'day' ? 'Day' : 'Month', kind: 'text' },
        { key: 'newClients', label: 'New clients', kind: 'int' },
        { key: 'stillActive', label: 'Of which active now', kind: 'int' },
      ],
      rows,
      totals: [total],
      summary: [
        { label: 'Clients (all)', value: toInt(all?.n) },
        { label: 'Active clients', value: toInt(all?.active) },
        { label: 'Clients with an active service', value: toInt(withService?.n) },
      ],
      note: 'New clients by the day their account was created; closed accounts count as new when they were created.',
    },
  });
}

export async function servicesReport(ds: DataSource, range: DateRange): Promise<Outcome<{ report: ReportResult }>> {
  const raw = (await ds.query(
    `SELECT p.id AS product_id, p.name AS product, p.type, c.code AS currency, c.exponent, s.billing_cycle,
            SUM(CASE WHEN s.registration_date >= ? AND s.registration_date <= ? THEN 1 ELSE 0 END) AS new_in_range,
            SUM(CASE WHEN s.status = 'active' THEN 1 ELSE 0 END) AS n_active,
            SUM(CASE WHEN s.status = 'suspended' THEN 1 ELSE 0 END) AS n_suspended,
            SUM(CASE WHEN s.status = 'terminated' THEN 1 ELSE 0 END) AS n_terminated,
            SUM(CASE WHEN s.status NOT IN ('active', 'suspended', 'terminated') THEN 1 ELSE 0 END) AS n_other,
            COALESCE(SUM(CASE WHEN s.status = 'active' THEN s.recurring_amount ELSE 0 END), 0) AS recurring
       FROM services s JOIN products p ON p.id = s.product_id JOIN currencies c ON c.id = s.currency_id
      WHERE s.deleted_at IS NULL
      GROUP BY p.id, p.name, p.type, c.code, c.exponent, s.billing_cycle
      ORDER BY p.name, p.id, c.code`,
    [range.from, range.to],
  )) as Array<Record<string, unknown>>;
  const byProduct = new Map<string, ReportRow>();
  for (const r of raw) {
    const key = `${r.product_id}|${r.currency}`;
    let row = byProduct.get(key);
    if (!row) {
      row = { product: String(r.product), type: String(r.type), currency: String(r.currency), exponent: toInt(r.exponent), newInRange: 0, active: 0, suspended: 0, terminated: 0, other: 0, mrr: 0 };
      byProduct.set(key, row);
    }
    // Column aliases carry a prefix: TERMINATED is a reserved word on MariaDB.
    for (const k of ['newInRange', 'active', 'suspended', 'terminated', 'other'] as const) row[k] = (row[k] as number) + toInt(r[k === 'newInRange' ? 'new_in_range' : `n_${k}`]);
    const months = CYCLE_MONTHS[String(r.billing_cycle)];
    if (months) row.mrr = (row.mrr as number) + Number(divideRounded(BigInt(toCents(r.recurring)), BigInt(months), 'half-up'));
  }
  const rows = [...byProduct.values()];
  return succeed({
    report: {
      columns: [
        { key: 'product', label: 'Product', kind: 'text' },
        { key: 'type', label: 'Type', kind: 'text' },
        { key: 'currency', label: 'Currency', kind: 'text' },
        { key: 'newInRange', label: 'New in range', kind: 'int' },
        { key: 'active', label: 'Active', kind: 'int' },
        { key: 'suspended', label: 'Suspended', kind: 'int' },
        { key: 'terminated', label: 'Terminated', kind: 'int' },
        { key: 'other', label: 'Pending / cancelled / fraud', kind: 'int' },
        { key: 'mrr', label: 'Monthly recurring revenue', kind: 'money' },
      ],
      rows,
      totals: totalsByCurrency(rows, ['newInRange', 'active', 'suspended', 'terminated', 'other', 'mrr'], 'product'),
      note: 'Counts are today\'s statuses; "new in range" goes by registration date. Monthly recurring revenue is the recurring amount of active services divided by the months of their billing cycle (one-time and free services bring none).',
    },
  });
}
