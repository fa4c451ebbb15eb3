import { LessThanOrEqual } from 'typeorm';
import { readSettings } from '../settings.js';
import type { SupportTicket } from '../../entities/support/support-ticket.entity.js';
import { mailCustomer } from './desk-notify.js';
import type { StaffDeskDeps } from './desk.js';

export const AUTO_CLOSE_SETTING = 'support.closeAnsweredAfterDays';
export const AUTO_CLOSE_DEFAULT_DAYS = 7;
const AUTO_CLOSE_TEMPLATE = 'ticket_auto_closed';

export interface AutoCloseReport {
  days: number;
  closed: string[];
  mailFailures: string[];
}

/**
 * Answered tickets with no customer reply for N days (support.closeAnsweredAfterDays, default 7; 0 turns it off)
 * are closed. Each close is conditional on the ticket still being Answered and quiet, so a customer
 * replying while the job runs keeps the ticket open. The customer is told when a 'ticket_auto_closed' template exists.
 */
export async function autoCloseAnswered(deps: StaffDeskDeps): Promise<AutoCloseReport> {
  const { ds, clock } = deps;
  const raw = (await readSettings(ds, AUTO_CLOSE_SETTING)).get(AUTO_CLOSE_SETTING);
  const parsed = raw === undefined ? AUTO_CLOSE_DEFAULT_DAYS : Number(raw.trim());
  const days = Number.isInteger(parsed) && parsed >= 0 && parsed <= 3650 ? parsed : AUTO_CLOSE_DEFAULT_DAYS;
  const report: AutoCloseReport = { days, closed: [], mailFailures: [] };
  if (days === 0) return report;
  const now = clock.now();
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const repo = ds.getRepository<SupportTicket>('SupportTicket');
  const due = await repo.find({ where: { status: 'answered', lastReplyAt: LessThanOrEqual(cutoff) }, order: { id: 'ASC' } });
  const template = await ds.getRepository('EmailTemplate').existsBy({ name: AUTO_CLOSE_TEMPLATE });
  for (const t of due) {
    const res = await repo.update({ id: t.id, status: 'answered', lastReplyAt: LessThanOrEqual(cutoff) }, { status: 'closed', closedAt: now });
    if (!res.affected) continue;
    report.closed.push(t.ticketNumber);
    if (template) {
      const mail = await mailCustomer(ds, deps.email, deps.appUrl, { ...t, status: 'closed' } as SupportTicket, AUTO_CLOSE_TEMPLATE, null);
      report.mailFailures.push(...mail.failures.map((f) => `${t.ticketNumber}: ${f}`));
    }
  }
  return report;
}
