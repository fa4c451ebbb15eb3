import { DataSource, type EntityManager } from 'typeorm';
import { referenceCache } from '../../db/reference-cache.js';
import { formatMoney, type Cents } from '../shared/money.js';

export type Db = DataSource | EntityManager;

/** Given how many records there are, which slice to show (the route's pagination decides, from ?page=). */
export type PageFor = (total: number) => { limit: number; offset: number };

/** Formats cents in a currency by its id ("$12.50", "12.50 EUR"); an unknown id prints the plain decimal. */
export type MoneyFormatter = (cents: Cents, currencyId: number) => string;

/**
 * The currencies table is a handful of rows, read for the page (cached a few seconds) so every amount on it is printed with its own
 * prefix, suffix and exponent — never assuming the client's currency for a record stored in another.
 */
export async function moneyFormatter(db: Db): Promise<MoneyFormatter> {
  type Row = { id: number; prefix: string; suffix: string; exponent: number };
  const read = () => db.getRepository('Currency').find({ select: { id: true, prefix: true, suffix: true, exponent: true } }) as Promise<Row[]>;
  // Outside a transaction the rows come from the reference cache; inside one, from that transaction.
  const rows = db instanceof DataSource ? await referenceCache(db).get('Currency', 'formats', read) : await read();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return (cents, currencyId) => {
    const c = byId.get(currencyId);
    return formatMoney(cents, c ? { prefix: c.prefix, suffix: c.suffix, exponent: c.exponent } : {});
  };
}

/** Query results of SUM/COUNT arrive as strings on MariaDB and numbers on SQLite. */
export const toInt = (v: unknown): number => (v === null || v === undefined || v === '' ? 0 : Number(v));
