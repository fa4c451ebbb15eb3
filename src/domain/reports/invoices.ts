/**
 * Invoice reports: invoices issued in a range by status and currency, and tax collected by rate. Tax follows the
 * invoice, not its lines: tax.ts computes it once per invoice on the taxable total, and the invoice keeps the rate
 * names and percentages it was issued with (taxName1/taxRate1, taxName2/taxRate2), so that is what is grouped.
 */
import type { DataSource } from 'typeorm';
import { succeed, type Outcome } from '../shared/outcome.js';
import { divideRounded } from '../shared/money.js';
import { instantBounds, toCents, toInt, toRate, type DateRange } from './range.js';
import { totalsByCurrency, type ReportResult, type ReportRow } from './types.js';

/** Statuses whose balance is still owed. */
const OPEN = new Set(['unpaid', 'payment_pending', 'collections']);

export async function invoicesReport(ds: DataSource, range: DateRange): Promise<Outcome<{ report: ReportResult }>> {
  const raw = (await ds.query(
    `SELECT i.status, c.code AS currency, c.exponent, COUNT(*) AS n, COALESCE(SUM(i.subtotal), 0) AS subtotal,
            COALESCE(SUM(i.tax1 + i.tax2), 0) AS tax, COALESCE(SUM(i.total), 0) AS total,
            COALESCE(SUM(i.amount_paid), 0) AS paid, COALESCE(SUM(i.credit), 0) AS credit
       FROM invoices i JOIN currencies c ON c.id = i.currency_id
      WHERE i.issue_date >= ? AND i.issue_date <= ? AND i.status <> 'draft'
      GROUP BY i.status, c.code, c.exponent
      ORDER BY c.code, i.status`,
    [range.from, range.to],
  )) as Array<Record<string, unknown>>;
  const rows: ReportRow[] = raw.map((r) => {
    const status = String(r.status);
    const total = toCents(r.total);
    const paid = toCents(r.paid);
    const credit = toCents(r.credit);
    return {
      status,
      currency: String(r.currency),
      exponent: toInt(r.exponent),
      invoices: toInt(r.n),
      subtotal: toCents(r.subtotal),
      tax: toCents(r.tax),
      total,
      paid,
      credit,
      balance: OPEN.has(status) ? total - paid - credit : 0,
    };
  });
  // Cancelled invoices are listed but not added in: they were never owed.
  const owed = rows.filter((r) => r.status !== 'cancelled');
  return succeed({
    report: {
      columns: [
        { key: 'status', label: 'Status', kind: 'text' },
        { key: 'currency', label: 'Currency', kind: 'text' },
        { key: 'invoices', label: 'Invoices', kind: 'int' },
        { key: 'subtotal', label: 'Subtotal', kind: 'money' },
        { key: 'tax', label: 'Tax', kind: 'money' },
        { key: 'total', label: 'Total', kind: 'money' },
        { key: 'paid', label: 'Paid', kind: 'money' },
        { key: 'credit', label: 'Credit applied', kind: 'money' },
        { key: 'balance', label: 'Balance due', kind: 'money' },
      ],
      rows,
      totals: totalsByCurrency(owed, ['invoices', 'subtotal', 'tax', 'total', 'paid', 'credit', 'balance'], 'status'),
      note: 'Invoices by issue date (drafts left out). Totals add every status except cancelled.',
    },
  });
}

interface TaxBucket {
  currency: string;
  exponent: number;
  level: number;
  name: string;
  rate: string;
  invoices: number;
  base: number;
  collected: number;
  refunded: number;
}

export async function taxReport(ds: DataSource, range: DateRange, timeZone: string): Promise<Outcome<{ report: ReportResult }>> {
  const { start, end } = instantBounds(range, timeZone);
  // The net taxable amount of an invoice: its taxable lines, less the tax they contain when prices include tax.
  const collected = (await ds.query(
    `SELECT c.code AS currency, c.exponent, i.tax_name1, i.tax_rate1, i.tax_name2, i.tax_rate2, COUNT(*) AS n,
            COALESCE(SUM(i.tax1), 0) AS tax1, COALESCE(SUM(i.tax2), 0) AS tax2,
            COALESCE(SUM(COALESCE((SELECT SUM(it.amount) FROM invoice_items it WHERE it.invoice_id = i.id AND it.taxable = 1), 0)
                         - CASE WHEN i.tax_inclusive = 1 THEN i.tax1 + i.tax2 ELSE 0 END), 0) AS base
       FROM invoices i JOIN currencies c ON c.id = i.currency_id
      WHERE i.status IN ('paid', 'refunded') AND i.paid_at >= ? AND i.paid_at < ? AND (i.tax1 > 0 OR i.tax2 > 0)
      GROUP BY c.code, c.exponent, i.tax_name1, i.tax_rate1, i.tax_name2, i.tax_rate2`,
    [start, end],
  )) as Array<Record<string, unknown>>;
  const refunds = (await ds.query(
    `SELECT c.code AS currency, c.exponent, i.tax_name1, i.tax_rate1, i.tax_name2, i.tax_rate2, i.tax1, i.tax2, COALESCE(SUM(cn.tax), 0) AS refunded
       FROM credit_notes cn JOIN invoices i ON i.id = cn.invoice_id JOIN currencies c ON c.id = i.currency_id
      WHERE cn.status <> 'void' AND cn.issue_date >= ? AND cn.issue_date <= ? AND cn.tax > 0
      GROUP BY i.id, c.code, c.exponent, i.tax_name1, i.tax_rate1, i.tax_name2, i.tax_rate2, i.tax1, i.tax2`,
    [range.from, range.to],
  )) as Array<Record<string, unknown>>;

  const buckets = new Map<string, TaxBucket>();
  const bucket = (r: Record<string, unknown>, level: 1 | 2): TaxBucket => {
    const name = String(r[`tax_name${level}`] ?? '') || `Tax ${level}`;
    const rate = toRate(r[`tax_rate${level}`]);
    const key = [r.currency, level, name, rate].join('|');
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = { currency: String(r.currency), exponent: toInt(r.exponent), level, name, rate, invoices: 0, base: 0, collected: 0, refunded: 0 }));
    return b;
  };
  for (const r of collected) {
    const tax1 = toCents(r.tax1);
    const tax2 = toCents(r.tax2);
    for (const [level, tax] of [[1, tax1], [2, tax2]] as const) {
      if (tax === 0) continue;
      const b = bucket(r, level);
      b.invoices += toInt(r.n);
      b.base += toCents(r.base);
      b.collected += tax;
    }
  }
  for (const r of refunds) {
    // A credit note holds one tax figure in the invoice's proportion of tax to total: share it between the levels.
    const refunded = BigInt(toCents(r.refunded));
    const tax1 = BigInt(toCents(r.tax1));
    const tax2 = BigInt(toCents(r.tax2));
    const level2 = tax1 + tax2 > 0n ? divideRounded(refunded * tax2, tax1 + tax2, 'half-up') : 0n;
    if (refunded - level2 !== 0n) bucket(r, 1).refunded += Number(refunded - level2);
    if (level2 !== 0n) bucket(r, 2).refunded += Number(level2);
  }
  const rows: ReportRow[] = [...buckets.values()]
    .sort((a, b) => a.currency.localeCompare(b.currency) || a.level - b.level || a.name.localeCompare(b.name) || a.rate.localeCompare(b.rate))
    .map((b) => ({ ...b, net: b.collected - b.refunded }));
  return succeed({
    report: {
      columns: [
        { key: 'currency', label: 'Currency', kind: 'text' },
        { key: 'level', label: 'Level', kind: 'int' },
        { key: 'name', label: 'Tax', kind: 'text' },
        { key: 'rate', label: 'Rate %', kind: 'text' },
        { key: 'invoices', label: 'Invoices', kind: 'int' },
        { key: 'base', label: 'Net taxable sales', kind: 'money' },
        { key: 'collected', label: 'Tax collected', kind: 'money' },
        { key: 'refunded', label: 'Tax refunded', kind: 'money' },
        { key: 'net', label: 'Net tax', kind: 'money' },
      ],
      rows,
      totals: totalsByCurrency(rows, ['collected', 'refunded', 'net'], 'currency').map((t) => ({ ...t, currency: `Total ${t.currency}` })),
      note: 'Tax on invoices paid in the range (cash basis), by the rate printed on the invoice; refunds are the tax on credit notes issued in the range. Net taxable sales are before tax (level 2 is compound on level 1 where so configured).',
    },
  });
}
