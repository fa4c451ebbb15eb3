import type { CurrentAdmin } from 'adminjs';
import type { DataSource } from 'typeorm';
import { calendarMonth } from '../domain/backoffice/calendar.js';
import { businessDate } from '../domain/shared/clock.js';
import { can } from './admin.js';

/** The Calendar page: ?month=YYYY-MM (default: this month), showing what the staff member may see. */
export function calendarPageHandler(ds: DataSource, timeZone: string) {
  return async (request: { query?: Record<string, unknown> }, _res: unknown, ctx: { currentAdmin?: CurrentAdmin }) => {
    const asked = typeof request.query?.month === 'string' ? request.query.month : '';
    const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(asked) ? asked : businessDate(new Date(), timeZone).slice(0, 7);
    const admin = ctx.currentAdmin;
    const userId = Number((admin as { id?: unknown } | undefined)?.id) || null;
    return calendarMonth(ds, month, timeZone, {
      userId,
      events: can(admin, 'CalendarEvent', 'list'),
      todos: can(admin, 'TodoItem', 'list'),
      domains: can(admin, 'Domain', 'list'),
    });
  };
}
