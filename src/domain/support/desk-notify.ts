import type { DataSource } from 'typeorm';
import type { EmailService } from '../notifications/email-service.js';
import type { SupportTicket } from '../../entities/support/support-ticket.entity.js';
import type { TicketReply } from '../../entities/support/ticket-reply.entity.js';

type Mailer = Pick<EmailService, 'sendTemplate'>;
type ClientRow = { id: number; firstName: string; lastName: string; companyName: string | null; email: string; language: string };

export interface MailResult {
  sent: number;
  failures: string[];
}

const trimUrl = (u: string) => u.replace(/\/$/, '');
export const clientTicketUrl = (appUrl: string, ticketId: number) => `${trimUrl(appUrl)}/tickets/${ticketId}`;
export const staffTicketUrl = (appUrl: string, ticketId: number) => `${trimUrl(appUrl)}/admin/resources/SupportTicket/records/${ticketId}/thread`;

/** The ticket's customer as template variables: the client account, or the guest's name and address. */
export async function customerOf(ds: DataSource, t: SupportTicket): Promise<{ client: Omit<ClientRow, 'language'>; language: string | null; email: string | null }> {
  if (t.clientId) {
    const c = (await ds.getRepository('Client').findOneBy({ id: t.clientId })) as ClientRow | null;
    if (c) return { client: { id: c.id, firstName: c.firstName, lastName: c.lastName, companyName: c.companyName, email: c.email }, language: c.language, email: c.email };
  }
  const name = (t.guestName ?? '').trim();
  return { client: { id: 0, firstName: name.split(' ')[0] ?? '', lastName: name.split(' ').slice(1).join(' '), companyName: null, email: t.guestEmail ?? '' }, language: null, email: t.guestEmail };
}

/**
 * Who gets customer mail about a ticket: the client (or guest), the ticket's CC addresses and the client's contacts
 * who asked for support emails. Duplicates removed; case-insensitive.
 */
async function customerRecipients(ds: DataSource, t: SupportTicket, primary: string | null): Promise<string[]> {
  const all = [primary ?? '', ...(t.cc ?? '').split(/[,;\s]+/)];
  if (t.clientId) {
    const contacts = (await ds.getRepository('ClientContact').find({ where: { clientId: t.clientId, supportEmails: true } })) as Array<{ email: string }>;
    all.push(...contacts.map((c) => c.email));
  }
  const seen = new Set<string>();
  return all.map((a) => a.trim()).filter((a) => a && !seen.has(a.toLowerCase()) && seen.add(a.toLowerCase()));
}

async function departmentName(ds: DataSource, departmentId: number): Promise<string> {
  const d = (await ds.getRepository('TicketDepartment').findOneBy({ id: departmentId })) as { name: string } | null;
  return d?.name ?? '';
}

/**
 * A customer-facing message about a ticket ('ticket_reply', 'ticket_auto_closed'). Only ever called with a public
 * reply — internal notes never get here. A disabled template is not a failure.
 */
export async function mailCustomer(ds: DataSource, email: Mailer, appUrl: string, t: SupportTicket, templateName: string, reply: Pick<TicketReply, 'message' | 'authorName'> | null): Promise<MailResult> {
  const who = await customerOf(ds, t);
  const to = await customerRecipients(ds, t, who.email);
  if (!to.length) return { sent: 0, failures: ['the ticket has no customer address'] };
  const out = await email.sendTemplate({
    templateName,
    to,
    language: who.language,
    clientId: t.clientId,
    related: { type: 'SupportTicket', id: t.id },
    context: {
      client: who.client,
      ticket: { number: t.ticketNumber, subject: t.subject, department: await departmentName(ds, t.departmentId), url: clientTicketUrl(appUrl, t.id) },
      ...(reply ? { reply: { message: reply.message, authorName: reply.authorName } } : {}),
    },
  });
  return out.ok ? { sent: 1, failures: [] } : out.error === 'template_disabled' ? { sent: 0, failures: [] } : { sent: 0, failures: [out.message] };
}

/**
 * Tells the department's staff (those with notify on, plus the assignee) about a new ticket or a customer reply
 * ('ticket_staff_new' / 'ticket_staff_reply'). One email each, so no staff address is shown to another. Mail trouble
 * is returned, never thrown: the customer's message is already saved.
 */
export async function notifyDepartmentStaff(ds: DataSource, email: Mailer, appUrl: string, ticketId: number, kind: 'new' | 'reply'): Promise<MailResult> {
  const t = (await ds.getRepository('SupportTicket').findOneBy({ id: ticketId })) as SupportTicket | null;
  if (!t) return { sent: 0, failures: ['no such ticket'] };
  const staff = (await ds
    .getRepository('User')
    .createQueryBuilder('u')
    .leftJoin('DepartmentStaff', 'dst', 'dst.userId = u.id AND dst.departmentId = :dept AND dst.notify = :yes', { dept: t.departmentId, yes: true })
    .where("u.userType = 'staff' AND u.status = 'active'")
    .andWhere('(dst.id IS NOT NULL OR u.id = :assignee)', { assignee: t.assignedToId ?? -1 })
    .orderBy('u.id', 'ASC')
    .getMany()) as Array<{ id: number; firstName: string; lastName: string; email: string }>;
  if (!staff.length) return { sent: 0, failures: [] };
  const last = (await ds.getRepository('TicketReply').findOne({ where: { ticketId, isInternalNote: false }, order: { createdAt: 'DESC', id: 'DESC' } })) as TicketReply | null;
  const who = await customerOf(ds, t);
  const department = await departmentName(ds, t.departmentId);
  const result: MailResult = { sent: 0, failures: [] };
  for (const s of staff) {
    const out = await email.sendTemplate({
      templateName: kind === 'new' ? 'ticket_staff_new' : 'ticket_staff_reply',
      to: s.email,
      related: { type: 'SupportTicket', id: t.id },
      context: {
        staff: { firstName: s.firstName, lastName: s.lastName },
        client: who.client,
        ticket: { number: t.ticketNumber, subject: t.subject, department, priority: t.priority, url: staffTicketUrl(appUrl, t.id) },
        reply: { message: last?.message ?? '', authorName: last?.authorName ?? '' },
      },
    });
    if (out.ok) result.sent++;
    else if (out.error !== 'template_disabled') result.failures.push(`${s.email}: ${out.message}`);
  }
  return result;
}
