/**
 * Billing-cycle calendar arithmetic: due dates, service periods, pro-rata first invoices and invoice dates.
 *
 * Pure functions on 'YYYY-MM-DD' strings (business dates, already in APP_TIMEZONE — see shared/clock.ts). The
 * arithmetic runs on UTC date parts, so no local time zone or DST change can move a date by a day
 * (domain-notes #7). Money is integer cents; the one division (pro-rata) is rounded once, half-up, on bigint.
 * The rules are written down in docs/billing-rules.md; tests/unit/billing-periods.test.ts proves them.
 */
import { assertCents, divideRounded, type Cents } from '../shared/money.js';
import { BILLING_CYCLES, type BillingCycle } from '../../entities/hosting/constants.js';

export { BILLING_CYCLES, type BillingCycle };

/** Cycles that renew. 'free' and 'onetime' never produce a renewal invoice and have no next due date. */
export type RecurringCycle = Exclude<BillingCycle, 'free' | 'onetime'>;

/** Months per cycle; 0 for the cycles that never renew. */
export const CYCLE_MONTHS: Readonly<Record<BillingCycle, number>> = Object.freeze({
  free: 0,
  onetime: 0,
  monthly: 1,
  quarterly: 3,
  semiannually: 6,
  annually: 12,
  biennially: 24,
  triennially: 36,
});

export function isBillingCycle(value: unknown): value is BillingCycle {
  return typeof value === 'string' && (BILLING_CYCLES as readonly string[]).includes(value);
}

export function isRecurring(cycle: BillingCycle): cycle is RecurringCycle {
  return CYCLE_MONTHS[cycle] > 0;
}

export function monthsIn(cycle: BillingCycle): number {
  const months = CYCLE_MONTHS[cycle];
  if (months === undefined) throw new RangeError(`unknown billing cycle "${cycle}"`);
  return months;
}

// ------------------------------------------------------------------------------------------------ date parts

interface Ymd {
  y: number;
  m: number; // 1–12
  d: number; // 1–31
}

const DAY_MS = 86_400_000;

/** Parses a strict 'YYYY-MM-DD' calendar date; '2027-02-30' or '2027-2-1' is a bug in the caller, so it throws. */
export function parseDate(date: string): Ymd {
  const m = typeof date === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(date) : null;
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${String(date)}`);
  const ymd = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  if (ymd.m < 1 || ymd.m > 12 || ymd.d < 1 || ymd.d > daysInMonth(ymd.y, ymd.m)) throw new RangeError(`no such date: ${date}`);
  return ymd;
}

export function isValidDate(date: unknown): date is string {
  try {
    parseDate(date as string);
    return true;
  } catch {
    return false;
  }
}

function fmt({ y, m, d }: Ymd): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days in month m (1–12) of year y. */
export function daysInMonth(y: number, m: number): number {
  return [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

function toEpochDay(date: string): number {
  const { y, m, d } = parseDate(date);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

function fromEpochDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  if (!Number.isInteger(days)) throw new RangeError('days must be a whole number');
  return fromEpochDay(toEpochDay(date) + days);
}

/** b − a in whole days (negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  return toEpochDay(b) - toEpochDay(a);
}

export function dayOfMonth(date: string): number {
  return parseDate(date).d;
}

function assertAnchor(anchorDay: number): void {
  if (!Number.isInteger(anchorDay) || anchorDay < 1 || anchorDay > 31) throw new RangeError(`anchor day must be 1–31, got ${anchorDay}`);
}

/**
 * The date `months` after the year and month of `date`, on the anchor day — or the month's last day when the month
 * is shorter. Only the year and month of `date` are used: the day always comes from the anchor, which is what stops
 * the drift (Jan 31 → Feb 28 → Mar 28 would be the bug).
 */
export function addMonthsAnchored(date: string, months: number, anchorDay: number): string {
  assertAnchor(anchorDay);
  if (!Number.isInteger(months)) throw new RangeError('months must be a whole number');
  const { y, m } = parseDate(date);
  const index = y * 12 + (m - 1) + months;
  const ty = Math.floor(index / 12);
  const tm = index - ty * 12 + 1;
  return fmt({ y: ty, m: tm, d: Math.min(anchorDay, daysInMonth(ty, tm)) });
}

// ------------------------------------------------------------------------------------------------ due dates

/**
 * The due date after `currentDue` for a service anchored on `anchorDay` (the day of month it started on, or the
 * product's pro-rata day). Month-end anchoring: anchor 31 gives Jan 31 → Feb 28 (29 in leap years) → Mar 31 →
 * Apr 30; anchor 30 gives Feb 28/29 → Mar 30. Computed from the anchor, never from the previous (clamped) date.
 * Returns null for 'free' and 'onetime', which never fall due again.
 */
export function nextDueDate(anchorDay: number, currentDue: string, cycle: RecurringCycle): string;
export function nextDueDate(anchorDay: number, currentDue: string, cycle: BillingCycle): string | null;
export function nextDueDate(anchorDay: number, currentDue: string, cycle: BillingCycle): string | null {
  const months = monthsIn(cycle);
  parseDate(currentDue);
  assertAnchor(anchorDay);
  return months === 0 ? null : addMonthsAnchored(currentDue, months, anchorDay);
}

/** The anchor day of a service that starts on `date`: its day of month. */
export function anchorDayOf(date: string): number {
  return dayOfMonth(date);
}

export interface Period {
  start: string;
  /** Inclusive last day; null for 'free' and 'onetime' (open-ended). */
  end: string | null;
}

/**
 * The service period that starts on the due date `start`: it ends the day before the next due date, so consecutive
 * periods tile the calendar with no gap and no overlap (Jan 31 – Feb 27, Feb 28 – Mar 30, Mar 31 – Apr 29, …).
 */
export function periodFor(start: string, cycle: RecurringCycle, anchorDay: number): { start: string; end: string };
export function periodFor(start: string, cycle: BillingCycle, anchorDay: number): Period;
export function periodFor(start: string, cycle: BillingCycle, anchorDay: number): Period {
  const next = nextDueDate(anchorDay, start, cycle);
  return { start, end: next === null ? null : addDays(next, -1) };
}

/**
 * The date the renewal invoice for a due date is generated: `daysBefore` days earlier (WHMCS default 14; the caller
 * resolves the global setting and per-cycle overrides). 0 = on the due date itself.
 */
export function invoiceDateFor(nextDue: string, daysBefore: number): string {
  if (!Number.isInteger(daysBefore) || daysBefore < 0) throw new RangeError(`days before must be a whole number ≥ 0, got ${daysBefore}`);
  return addDays(nextDue, -daysBefore);
}

// ------------------------------------------------------------------------------------------------ pro-rata

export interface ProrataInput {
  /** The order date (business date). */
  orderDate: string;
  cycle: RecurringCycle;
  /** Day of month every service of the product renews on (Product.prorataDay). */
  prorataDay: number;
  /**
   * Orders placed on a day of month after this one are also charged the following full period
   * (Product.prorataCutoffDay); null = never.
   */
  cutoffDay: number | null;
}

export interface ProrataSchedule {
  /** The partial period charged pro rata, orderDate .. next pro-rata date − 1; null when ordered on the pro-rata day. */
  partialPeriod: { start: string; end: string } | null;
  /** Days in the partial period (0 when none). */
  partialDays: number;
  /** Days in the full cycle-long period the partial one is a slice of: (next pro-rata date − 1 cycle) .. next − 1. */
  fullPeriodDays: number;
  /** The full period added to the first invoice (after the cut-off, or when ordered on the pro-rata day); else null. */
  addedPeriod: { start: string; end: string } | null;
  /** Everything the first invoice covers: orderDate .. end of the added period or of the partial period. */
  firstPeriod: { start: string; end: string };
  /** The service's next due date after the first invoice; always on the pro-rata day. */
  nextDueDate: string;
}

/**
 * When a pro-rata first invoice runs and what it covers (WHMCS "prorata billing").
 * - The next pro-rata date P is the first date strictly after the order date that falls on the pro-rata day.
 * - The first invoice charges orderDate .. P − 1 at price × days / days-in-(P − 1 cycle .. P − 1).
 * - Ordered after the cut-off day of month: the full period P .. P + cycle − 1 is added, and the next due date is
 *   P + cycle. Otherwise the next due date is P.
 * - Ordered on the pro-rata day itself: nothing is partial; the first invoice is one ordinary full period.
 */
export function prorataSchedule(input: ProrataInput): ProrataSchedule {
  const { orderDate, cycle, prorataDay, cutoffDay } = input;
  if (!isRecurring(cycle)) throw new RangeError(`pro-rata needs a recurring cycle, got "${cycle}"`);
  assertAnchor(prorataDay);
  if (cutoffDay !== null && (!Number.isInteger(cutoffDay) || cutoffDay < 1 || cutoffDay > 31)) throw new RangeError(`cut-off day must be 1–31 or null, got ${cutoffDay}`);
  const months = monthsIn(cycle);
  const day = dayOfMonth(orderDate);
  const onProrataDay = day === Math.min(prorataDay, daysInMonth(parseDate(orderDate).y, parseDate(orderDate).m));

  if (onProrataDay) {
    const next = addMonthsAnchored(orderDate, months, prorataDay);
    const full = { start: orderDate, end: addDays(next, -1) };
    return { partialPeriod: null, partialDays: 0, fullPeriodDays: daysBetween(orderDate, next), addedPeriod: full, firstPeriod: full, nextDueDate: next };
  }

  // P: this month's pro-rata date if still ahead, else next month's (clamped to the month's length).
  const thisMonth = addMonthsAnchored(orderDate, 0, prorataDay);
  const p = thisMonth > orderDate ? thisMonth : addMonthsAnchored(orderDate, 1, prorataDay);
  const fullStart = addMonthsAnchored(p, -months, prorataDay);
  const partialPeriod = { start: orderDate, end: addDays(p, -1) };
  const partialDays = daysBetween(orderDate, p);
  const fullPeriodDays = daysBetween(fullStart, p);

  if (cutoffDay !== null && day > cutoffDay) {
    const next = addMonthsAnchored(p, months, prorataDay);
    const added = { start: p, end: addDays(next, -1) };
    return { partialPeriod, partialDays, fullPeriodDays, addedPeriod: added, firstPeriod: { start: orderDate, end: added.end }, nextDueDate: next };
  }
  return { partialPeriod, partialDays, fullPeriodDays, addedPeriod: null, firstPeriod: partialPeriod, nextDueDate: p };
}

/** price × days / days-in-full-period, rounded half-up once to the cent. */
export function prorateAmount(price: Cents, days: number, fullPeriodDays: number): Cents {
  assertCents(price);
  if (!Number.isInteger(days) || days < 0 || !Number.isInteger(fullPeriodDays) || fullPeriodDays <= 0 || days > fullPeriodDays) {
    throw new RangeError(`bad pro-rata fraction ${days}/${fullPeriodDays}`);
  }
  return Number(divideRounded(BigInt(price) * BigInt(days), BigInt(fullPeriodDays), 'half-up'));
}

/** What the first invoice of a pro-rata service charges for one recurring price of the cycle. */
export function prorataFirstAmount(price: Cents, schedule: ProrataSchedule): { partialAmount: Cents; fullAmount: Cents; firstAmount: Cents } {
  const partialAmount = schedule.partialPeriod ? prorateAmount(price, schedule.partialDays, schedule.fullPeriodDays) : 0;
  const fullAmount = schedule.addedPeriod ? assertCents(price) : 0;
  return { partialAmount, fullAmount, firstAmount: partialAmount + fullAmount };
}

export interface ProrataResult extends ProrataSchedule {
  partialAmount: Cents;
  /** The full period's price when one was added, else 0. */
  fullAmount: Cents;
  /** partialAmount + fullAmount: the recurring part of the first invoice. */
  firstAmount: Cents;
}

/** The pro-rata first invoice of one recurring price: schedule and amounts together. */
export function prorata(input: ProrataInput & { price: Cents }): ProrataResult {
  const schedule = prorataSchedule(input);
  return { ...schedule, ...prorataFirstAmount(input.price, schedule) };
}
