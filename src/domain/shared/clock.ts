/**
 * Time for the domain: injected, never `new Date()` deep inside a service, so tests can move it day by day.
 * Business dates (due dates, billing periods) are calendar dates in the business timezone (APP_TIMEZONE),
 * written 'YYYY-MM-DD'; instants are stored in UTC.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and advance. */
export class FixedClock implements Clock {
  constructor(private instant: Date) {}
  now(): Date {
    return new Date(this.instant);
  }
  set(instant: Date | string): void {
    this.instant = new Date(instant);
  }
  advanceDays(days: number): void {
    this.instant = new Date(this.instant.getTime() + days * 86_400_000);
  }
}

// Building an Intl.DateTimeFormat costs far more than using one (it loads the zone's rules): one per timezone.
const formats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, f);
  }
  return f;
}

/** The calendar date of an instant in a timezone: businessDate(new Date('2026-01-01T02:00Z'), 'America/New_York') → '2025-12-31'. */
export function businessDate(instant: Date, timeZone: string): string {
  // Zone offsets are whole minutes, so the date is the same for every instant of a UTC minute: remember the last.
  const minute = Math.floor(instant.getTime() / 60_000);
  const last = lastDates.get(timeZone);
  if (last && last.minute === minute) return last.date;
  const parts = dateFormat(timeZone).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  const date = `${get('year')}-${get('month')}-${get('day')}`;
  if (!Number.isNaN(minute)) lastDates.set(timeZone, { minute, date });
  return date;
}
const lastDates = new Map<string, { minute: number; date: string }>();

/** Whole days from a to b ('YYYY-MM-DD'); negative when b is earlier. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
