/**
 * Date ranges, periods and database values for reports. A report range is two business dates ('YYYY-MM-DD',
 * inclusive) in APP_TIMEZONE. Date columns (issue dates, due dates) compare with those dates directly; timestamp
 * columns (stored in UTC) compare with the UTC instants at which those business days start and end, so a payment made
 * at 23:30 local time lands on the right day whatever the server's zone.
 */
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import { addDays, businessDate, daysBetween } from '../shared/clock.js';
import { assertCents, type Cents } from '../shared/money.js';

export interface DateRange {
  from: string;
  to: string;
}

export type Granularity = 'day' | 'month';

/** Longest range a report accepts: ten years. Daily breakdowns are limited separately (MAX_DAYS). */
const MAX_RANGE_DAYS = 3660;
const MAX_DAYS = 366;
const MAX_MONTHS = 120;

const isDate = (s: unknown): s is string => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;

/** Checks a range typed by staff: real dates, from ≤ to, at most ten years. Bad input is refused with a reason. */
export function parseRange(from: unknown, to: unknown): Outcome<{ range: DateRange }> {
  if (!isDate(from)) return fail('invalid_from', 'The start date must be a date written YYYY-MM-DD.', 'from');
  if (!isDate(to)) return fail('invalid_to', 'The end date must be a date written YYYY-MM-DD.', 'to');
  if (to < from) return fail('invalid_range', 'The end date is before the start date.', 'to');
  if (daysBetween(from, to) > MAX_RANGE_DAYS) return fail('range_too_long', 'A report covers at most ten years; shorten the range.', 'from');
  return succeed({ range: { from, to } });
}

/** How far (ms) a timezone's wall clock is ahead of UTC at an instant. */
const wallClocks = new Map<string, Intl.DateTimeFormat>();
function offsetMs(instant: number, timeZone: string): number {
  let f = wallClocks.get(timeZone);
  if (!f) wallClocks.set(timeZone, (f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })));
  const parts = f.formatToParts(new Date(instant));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(instant / 1000) * 1000;
}

/** The UTC instant (ms) at which a business date begins in a timezone (the first minute it is that date). */
export function startOfBusinessDay(date: string, timeZone: string): number {
  const wall = Date.parse(`${date}T00:00:00Z`);
  let t = wall - offsetMs(wall, timeZone);
  t = wall - offsetMs(t, timeZone);
  // A zone whose clocks jump over midnight starts the day later: step to the first minute that is that date.
  while (businessDate(new Date(t), timeZone) < date) t += 60_000;
  while (businessDate(new Date(t - 60_000), timeZone) === date) t -= 60_000;
  return t;
}

/** An instant as the database compares it: 'YYYY-MM-DD HH:MM:SS' UTC (what TypeORM stores on both engines). */
export function sqlInstant(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** The UTC bounds [start, end) of a business-date range, for timestamp columns. */
export function instantBounds(range: DateRange, timeZone: string): { start: string; end: string } {
  return { start: sqlInstant(startOfBusinessDay(range.from, timeZone)), end: sqlInstant(startOfBusinessDay(addDays(range.to, 1), timeZone)) };
}

export interface Period {
  /** '2026-11-05' for a day, '2026-11' for a month. */
  label: string;
  /** Business dates, end exclusive — for date columns. */
  fromDate: string;
  toDate: string;
  /** UTC instants, end exclusive — for timestamp columns. */
  start: string;
  end: string;
}

const firstOfNextMonth = (date: string) => {
  const [y, m] = date.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
};

/** The days or months of a range, clipped to the range; refused when a daily or monthly table would be unreadable. */
export function periodsOf(range: DateRange, granularity: Granularity, timeZone: string): Outcome<{ periods: Period[] }> {
  const periods: Period[] = [];
  const after = addDays(range.to, 1);
  const make = (label: string, fromDate: string, toDate: string): Period => ({ label, fromDate, toDate, start: sqlInstant(startOfBusinessDay(fromDate, timeZone)), end: sqlInstant(startOfBusinessDay(toDate, timeZone)) });
  if (granularity === 'day') {
    if (daysBetween(range.from, range.to) >= MAX_DAYS) return fail('too_many_days', `A daily breakdown covers at most ${MAX_DAYS} days; pick "by month" or a shorter range.`, 'period');
    for (let d = range.from; d < after; d = addDays(d, 1)) periods.push(make(d, d, addDays(d, 1)));
  } else {
    for (let d = range.from; d < after; ) {
      const next = firstOfNextMonth(d);
      const end = next < after ? next : after;
      periods.push(make(d.slice(0, 7), d, end));
      if (periods.length > MAX_MONTHS) return fail('too_many_months', `A monthly breakdown covers at most ${MAX_MONTHS} months; shorten the range.`, 'from');
      d = end;
    }
  }
  return succeed({ periods });
}

/**
 * The periods as a derived table `(k, s, e)` to join on, so grouping by period happens in the database on both
 * engines (no timezone functions, which MariaDB only has with its zone tables loaded). `kind` picks instant or date
 * bounds. At most 366 rows, well under SQLite's compound-select limit of 500.
 */
export function periodTable(periods: Period[], kind: 'instant' | 'date'): { sql: string; params: string[] } {
  const params: string[] = [];
  const selects = periods.map((p, i) => {
    params.push(kind === 'instant' ? p.start : p.fromDate, kind === 'instant' ? p.end : p.toDate);
    return i === 0 ? `SELECT ${i} AS k, ? AS s, ? AS e` : `SELECT ${i}, ?, ?`;
  });
  return { sql: `(${selects.join(' UNION ALL ')})`, params };
}

/**
 * A COUNT or SUM from the database as an exact integer: MariaDB answers SUM with a DECIMAL string, SQLite with a
 * number. Never parsed through a float: a string must be all digits; a number must already be a safe integer.
 */
export function toInt(v: unknown, what = 'value'): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'bigint') return assertCents(Number(v), what);
  if (typeof v === 'number') return assertCents(v, what);
  const s = String(v).trim();
  const m = /^(-?\d+)(?:\.0+)?$/.exec(s);
  if (!m) throw new Error(`${what} from the database is not a whole number: "${s.slice(0, 40)}"`);
  const n = BigInt(m[1]);
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) throw new Error(`${what} is too large`);
  return Number(n);
}

export const toCents = (v: unknown, what = 'amount'): Cents => toInt(v, what);

/** A timestamp from a raw query: a Date on MariaDB, 'YYYY-MM-DD HH:MM:SS[.sss]' UTC text on SQLite. */
export function toInstant(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  const s = String(v);
  return new Date(/[zZ]|[+-]\d\d:\d\d$/.test(s) ? s : `${s.replace(' ', 'T')}Z`);
}

/** A DECIMAL rate from a raw query ('20.0000' on MariaDB, 20 on SQLite) at a fixed scale. */
export function toRate(v: unknown, scale = 4): string {
  return v === null || v === undefined ? (0).toFixed(scale) : Number(v).toFixed(scale);
}
