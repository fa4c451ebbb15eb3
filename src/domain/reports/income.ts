/**
 * Money that moved: income by day or month (completed transactions: money in − money out, by currency) and the
 * transaction list with its filters. Both read `transactions.date` — when the money moved — in APP_TIMEZONE days.
 */
import type { DataSource } from 'typeorm';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import { instantBounds, periodsOf, periodTable, toCents, toInstant, toInt, type DateRange, type Granularity } from './range.js';
import { totalsByCurrency, type ReportResult, type ReportRow } from './types.js';

export async function incomeReport(ds: DataSource, range: DateRange, granularity: Granularity, timeZone: string): Promise<Outcome<{ report: ReportResult }>> {
  const p = periodsOf(range, granularity, timeZone);
  if (!p.ok) return p;
  const table = periodTable(p.periods, 'instant');
  const raw = (await ds.query(
    `SELECT p.k AS k, c.code AS currency, c.exponent AS exponent, COUNT(*) AS n,
            COALESCE(SUM(t.amount_in), 0) AS money_in, COALESCE(SUM(t.amount_out), 0) AS money_out, COALESCE(SUM(t.fees), 0) AS fees
       FROM ${table.sql} p
       JOIN transactions t ON t.date >= p.s AND t.date < p.e
       JOIN currencies c ON c.id = t.currency_id
      WHERE t.status = 'completed'
      GROUP BY p.k, c.code, c.exponent
      ORDER BY p.k, c.code`,
    table.params,
  )) as Array<Record<string, unknown>>;
  const rows: ReportRow[] = raw.map((r) => {
    const moneyIn = toCents(r.money_in);
    const moneyOut = toCents(r.money_out);
    return {
      period: p.periods[toInt(r.k)].label,
      currency: String(r.currency),
      exponent: toInt(r.exponent),
      transactions: toInt(r.n),
      moneyIn,
      moneyOut,
      fees: toCents(r.fees),
      net: moneyIn - moneyOut,
    };
  });
  return succeed({
    report: {
      columns: [
        { key: 'period', label: granularity === 'day' ? 'Day' : 'Month', kind: 'text' },
        { key: 'currency', label: 'Currency', kind: 'text' },
        { key: 'transactions', label: 'Transactions', kind: 'int' },
        { key: 'moneyIn', label: 'Payments in', kind: 'money' },
        { key: 'moneyOut', label: 'Refunds out', kind: 'money' },
        { key: 'fees', label: 'Gateway fees', kind: 'money' },
        { key: 'net', label: 'Net income', kind: 'money' },
      ],
      rows,
      totals: totalsByCurrency(rows, ['transactions', 'moneyIn', 'moneyOut', 'fees', 'net'], 'period'),
      note: 'Completed transactions only, by the day the money moved; net income is payments in less refunds out (gateway fees are shown, not deducted).',
    },
  });
}

export interface TransactionFilters {
  gateway?: string;
  type?: string;
  status?: string;
  clientId?: number;
  currency?: string;
}

/** The most rows one report run returns; a longer list is cut and says so. */
export const TRANSACTION_ROW_LIMIT = 50_000;

export async function transactionsReport(ds: DataSource, range: DateRange, filters: TransactionFilters, timeZone: string): Promise<Outcome<{ report: ReportResult }>> {
  const { start, end } = instantBounds(range, timeZone);
  const where = ['t.date >= ?', 't.date < ?'];
  const params: unknown[] = [start, end];
  const add = (sql: string, v: unknown) => {
    where.push(sql);
    params.push(v);
  };
  if (filters.gateway) add('t.gateway = ?', filters.gateway);
  if (filters.type) add('t.type = ?', filters.type);
  if (filters.status) add('t.status = ?', filters.status);
  if (filters.currency) add('c.code = ?', filters.currency.toUpperCase());
  if (filters.clientId !== undefined) {
    if (!Number.isSafeInteger(filters.clientId) || filters.clientId <= 0) return fail('invalid_client', 'The client filter must be a client id.', 'clientId');
    add('t.client_id = ?', filters.clientId);
  }
  const from = `FROM transactions t JOIN currencies c ON c.id = t.currency_id WHERE ${where.join(' AND ')}`;
  const raw = (await ds.query(
    `SELECT t.id, t.date, t.client_id, cl.display_name AS client, i.invoice_number, t.gateway, t.transaction_id, t.type, t.status,
            c.code AS currency, c.exponent, t.amount_in, t.amount_out, t.fees, t.description
       FROM transactions t
       JOIN currencies c ON c.id = t.currency_id
       JOIN clients cl ON cl.id = t.client_id
       LEFT JOIN invoices i ON i.id = t.invoice_id
      WHERE ${where.join(' AND ')}
      ORDER BY t.date, t.id
      LIMIT ${TRANSACTION_ROW_LIMIT + 1}`,
    params,
  )) as Array<Record<string, unknown>>;
  const truncated = raw.length > TRANSACTION_ROW_LIMIT;
  const rows: ReportRow[] = raw.slice(0, TRANSACTION_ROW_LIMIT).map((r) => ({
    date: toInstant(r.date)!.toISOString().slice(0, 19).replace('T', ' '),
    id: toInt(r.id),
    client: String(r.client ?? ''),
    clientId: toInt(r.client_id),
    invoice: (r.invoice_number as string | null) ?? null,
    gateway: String(r.gateway),
    reference: (r.transaction_id as string | null) ?? null,
    type: String(r.type),
    status: String(r.status),
    currency: String(r.currency),
    exponent: toInt(r.exponent),
    moneyIn: toCents(r.amount_in),
    moneyOut: toCents(r.amount_out),
    fees: toCents(r.fees),
    description: String(r.description ?? ''),
  }));
  const sums = (await ds.query(
    `SELECT c.code AS currency, c.exponent, COUNT(*) AS n, COALESCE(SUM(t.amount_in), 0) AS money_in, COALESCE(SUM(t.amount_out), 0) AS money_out, COALESCE(SUM(t.fees), 0) AS fees
       ${from} GROUP BY c.code, c.exponent ORDER BY c.code`,
    params,
  )) as Array<Record<string, unknown>>;
  const totals: ReportRow[] = sums.map((s) => ({ date: 'Total', id: toInt(s.n), currency: String(s.currency), exponent: toInt(s.exponent), moneyIn: toCents(s.money_in), moneyOut: toCents(s.money_out), fees: toCents(s.fees) }));
  return succeed({
    report: {
      columns: [
        { key: 'date', label: 'Date (UTC)', kind: 'text' },
        { key: 'id', label: 'Transaction', kind: 'int' },
        { key: 'client', label: 'Client', kind: 'text' },
        { key: 'invoice', label: 'Invoice', kind: 'text' },
        { key: 'gateway', label: 'Gateway', kind: 'text' },
        { key: 'reference', label: 'Gateway reference', kind: 'text' },
        { key: 'type', label: 'Type', kind: 'text' },
        { key: 'status', label: 'Status', kind: 'text' },
        { key: 'currency', label: 'Currency', kind: 'text' },
        { key: 'moneyIn', label: 'In', kind: 'money' },
        { key: 'moneyOut', label: 'Out', kind: 'money' },
        { key: 'fees', label: 'Fees', kind: 'money' },
        { key: 'description', label: 'Description', kind: 'text' },
      ],
      rows,
      totals,
      note: truncated
        ? `Only the first ${TRANSACTION_ROW_LIMIT} transactions are listed; the totals cover all of them. Narrow the range or filter.`
        : 'Totals count the transactions (Transaction column) and add up every transaction listed, whatever its status.',
    },
  });
}
