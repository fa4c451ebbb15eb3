import type { DataSource } from 'typeorm';
import { addDays, businessDate } from '../shared/clock.js';

export interface CalendarEntry {
  kind: 'event' | 'todo' | 'domain';
  id: number;
  title: string;
  /** First and last business day the entry covers (an event may span days). */
  from: string;
  to: string;
  /** 'HH:MM' in the business timezone, for timed events. */
  time: string | null;
  color: string | null;
}

export interface CalendarMonth {
  month: string;
  previous: string;
  next: string;
  /** Monday-first weeks of 'YYYY-MM-DD' days (days of the neighbouring months included to fill the weeks). */
  weeks: string[][];
  entries: CalendarEntry[];
}

export interface CalendarScope {
  /** The staff member: their own events and the shared ones (no owner) are shown. */
  userId: number | null;
  events: boolean;
  todos: boolean;
  domains: boolean;
}

/**
 * The staff calendar for one month: calendar events, open to-dos by due date and domains by expiry date. Events are
 * stored as instants and shown on the business days (APP_TIMEZONE) they fall on.
 */
export async function calendarMonth(ds: DataSource, month: string, timeZone: string, scope: CalendarScope): Promise<CalendarMonth> {
  const first = `${month}-01`;
  const next = addDays(first, 32).slice(0, 7);
  const previous = addDays(first, -1).slice(0, 7);
  const last = addDays(`${next}-01`, -1);
  const entries: CalendarEntry[] = [];
  if (scope.events) {
    // A generous instant window (a day either side) and then the exact business-day check, so no zone offset is missed.
    const rows = (await ds
      .getRepository('CalendarEvent')
      .createQueryBuilder('e')
      .where('e.startAt < :until AND COALESCE(e.endAt, e.startAt) >= :since', { since: new Date(`${addDays(first, -1)}T00:00:00Z`), until: new Date(`${addDays(last, 2)}T00:00:00Z`) })
      .andWhere(scope.userId === null ? 'e.userId IS NULL' : '(e.userId IS NULL OR e.userId = :uid)', { uid: scope.userId })
      .orderBy('e.startAt', 'ASC')
      .getMany()) as Array<{ id: number; title: string; startAt: Date; endAt: Date | null; allDay: boolean; color: string | null }>;
    const clockTime = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false });
    for (const e of rows) {
      const from = businessDate(new Date(e.startAt), timeZone);
      const to = e.endAt ? businessDate(new Date(e.endAt), timeZone) : from;
      if (to < first || from > last) continue;
      const time = e.allDay ? null : clockTime.format(new Date(e.startAt));
      entries.push({ kind: 'event', id: e.id, title: e.title, from, to, time, color: e.color });
    }
  }
  if (scope.todos) {
    const rows = (await ds.query(`SELECT id, title, due_date FROM todo_list WHERE due_date >= ? AND due_date <= ? AND status <> 'completed' ORDER BY due_date, id`, [first, last])) as Array<{ id: number; title: string; due_date: string }>;
    for (const r of rows) entries.push({ kind: 'todo', id: Number(r.id), title: r.title, from: String(r.due_date).slice(0, 10), to: String(r.due_date).slice(0, 10), time: null, color: null });
  }
  if (scope.domains) {
    const rows = (await ds.query(`SELECT id, domain_name, expiry_date FROM domains WHERE expiry_date >= ? AND expiry_date <= ? AND status IN ('active', 'pending_transfer', 'grace') ORDER BY expiry_date, id`, [first, last])) as Array<{ id: number; domain_name: string; expiry_date: string }>;
    for (const r of rows) entries.push({ kind: 'domain', id: Number(r.id), title: `${r.domain_name} expires`, from: String(r.expiry_date).slice(0, 10), to: String(r.expiry_date).slice(0, 10), time: null, color: null });
  }
  return { month, previous, next, weeks: weeksOf(first, last), entries };
}

function weeksOf(first: string, last: string): string[][] {
  const weekday = (d: string) => (new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7;
  let day = addDays(first, -weekday(first));
  const weeks: string[][] = [];
  while (day <= last) {
    const week: string[] = [];
    for (let i = 0; i < 7; i++, day = addDays(day, 1)) week.push(day);
    weeks.push(week);
  }
  return weeks;
}
