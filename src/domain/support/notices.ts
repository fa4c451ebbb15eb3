import type { DataSource } from 'typeorm';
import type { EmailService } from '../notifications/email-service.js';
import type { TicketDepartment } from '../../entities/support/ticket-department.entity.js';

/**
 * The "ticket opened" acknowledgement (standard template 'ticket_opened') to whoever opened the ticket, when the
 * department sends one. Mail trouble never undoes the ticket: the outcome is returned for logging only.
 */
export async function sendTicketOpened(
  ds: DataSource,
  email: Pick<EmailService, 'sendTemplate'>,
  t: { clientId: number; ticketId: number; ticketNumber: string; subject: string; department: TicketDepartment; to: string; appUrl: string },
): Promise<{ ok: boolean; message?: string }> {
  if (!t.department.autoRespond) return { ok: true };
  const client = (await ds.getRepository('Client').findOneBy({ id: t.clientId })) as { id: number; firstName: string; lastName: string; companyName: string | null; email: string; language: string } | null;
  if (!client) return { ok: false, message: 'client no longer exists' };
  const out = await email.sendTemplate({
    templateName: 'ticket_opened',
    to: t.to || client.email,
    language: client.language,
    clientId: client.id,
    related: { type: 'SupportTicket', id: t.ticketId },
    context: {
      client: { id: client.id, firstName: client.firstName, lastName: client.lastName, companyName: client.companyName, email: client.email },
      ticket: { number: t.ticketNumber, subject: t.subject, department: t.department.name, url: `${t.appUrl.replace(/\/$/, '')}/tickets/${t.ticketId}` },
    },
  });
  return out.ok || out.error === 'template_disabled' ? { ok: true } : { ok: false, message: out.message };
}
