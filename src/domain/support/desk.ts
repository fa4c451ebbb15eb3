import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '../../db/transaction.js';
import { forUpdate } from '../../db/locking.js';
import { TICKET_PRIORITIES, TICKET_STATUSES, type SupportTicket, type TicketPriority, type TicketStatus } from '../../entities/support/support-ticket.entity.js';
import type { TicketReply } from '../../entities/support/ticket-reply.entity.js';
import type { EmailService } from '../notifications/email-service.js';
import type { Clock } from '../shared/clock.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import { checkAttachments, type AttachmentStore, type IncomingFile } from './attachments.js';
import { MESSAGE_MAX } from './tickets.js';
import { mailCustomer, notifyDepartmentStaff, type MailResult } from './desk-notify.js';
import { renderPredefinedReply } from './desk-predefined.js';
import { mergeTickets } from './desk-merge.js';
import { autoCloseAnswered } from './desk-auto-close.js';
import { staffThread, type StaffThread } from './desk-thread.js';

export interface StaffDeskDeps {
  ds: DataSource;
  clock: Clock;
  email: Pick<EmailService, 'sendTemplate'>;
  store: AttachmentStore;
  /** APP_URL: links in emails. */
  appUrl: string;
}

/** The staff member acting; their name is copied onto what they write. */
export interface StaffActor {
  id: number;
}

/** Status names as staff read them (WHMCS's), and the stored values. */
export const STATUS_LABELS: Record<TicketStatus, string> = {
  open: 'Open',
  answered: 'Answered',
  customer_reply: 'Customer-Reply',
  on_hold: 'On Hold',
  in_progress: 'In Progress',
  closed: 'Closed',
};

/** 'Customer-Reply', 'customer reply' or 'customer_reply' → 'customer_reply'; null when not a status. */
export function parseStatus(raw: string): TicketStatus | null {
  const key = raw.trim().toLowerCase().replace(/[\s-]+/g, '_');
  return (TICKET_STATUSES as readonly string[]).includes(key) ? (key as TicketStatus) : null;
}

const notFound = (id: number) => fail('not_found', `Ticket #${id} does not exist.`);

function checkMessage(message: string): string | null {
  if (!message.trim()) return 'Write a message.';
  if (message.length > MESSAGE_MAX) return `Keep the message under ${MESSAGE_MAX.toLocaleString('en')} characters; attach longer text as a file.`;
  return null;
}

/**
 * The staff side of the support desk: replies, internal notes, status, priority, department, assignment, merge and
 * the auto-close job. Every change to a ticket happens under a row lock; customer mail is sent after the commit, so
 * a mail failure never undoes a reply and a rolled-back reply never sends mail.
 */
export class StaffDesk {
  constructor(private readonly deps: StaffDeskDeps) {}

  /**
   * A staff reply the customer sees and is emailed. With a predefined reply its text (placeholders filled in for this
   * ticket) comes first and its use counter goes up. The ticket becomes Answered; the first staff reply sets the
   * first response time.
   */
  async reply(input: { ticketId: number; staff: StaffActor; message: string; predefinedReplyId?: number | null; files?: IncomingFile[] }): Promise<Outcome<{ replyId: number; mail: MailResult }>> {
    const { ds } = this.deps;
    const ticket = await ds.getRepository<SupportTicket>('SupportTicket').findOneBy({ id: input.ticketId });
    if (!ticket) return notFound(input.ticketId);
    let message = input.message.trim();
    if (input.predefinedReplyId) {
      const rendered = await renderPredefinedReply(ds, input.predefinedReplyId, ticket, input.staff.id);
      if (!rendered.ok) return rendered;
      message = message ? `${rendered.text}\n\n${message}` : rendered.text;
    }
    const problem = checkMessage(message);
    if (problem) return fail('invalid_message', problem, 'message');
    const checked = checkAttachments(input.files ?? []);
    if (!checked.ok) return fail('invalid_attachment', checked.message, 'attachments');

    const stored: Array<{ storagePath: string; sha256: string; fileName: string; contentType: string; size: number }> = [];
    let saved: { reply: TicketReply; ticket: SupportTicket };
    try {
      for (const f of checked.files) stored.push({ ...(await this.deps.store.put(f.data)), fileName: f.fileName || 'attachment', contentType: f.contentType, size: f.data.length });
      saved = await inTransaction(ds, async (m) => {
        const t = await this.lock(m, input.ticketId);
        if (!t) throw Object.assign(new Error('ticket vanished while replying'), { statusCode: 404 });
        const now = this.deps.clock.now();
        const reply = await this.write(m, t.id, input.staff.id, message, false);
        if (stored.length) {
          await m.getRepository('TicketAttachment').insert(stored.map((f) => ({ ticketId: t.id, replyId: reply.id, fileName: f.fileName, contentType: f.contentType, sizeBytes: f.size, storagePath: f.storagePath, sha256: f.sha256 })));
        }
        if (input.predefinedReplyId) await m.getRepository('PredefinedReply').increment({ id: input.predefinedReplyId }, 'usedCount', 1);
        Object.assign(t, { status: 'answered', lastReplyAt: now, lastReplyBy: 'staff', closedAt: null, firstResponseAt: t.firstResponseAt ?? now });
        await m.getRepository('SupportTicket').save(t);
        return { reply, ticket: t };
      });
    } catch (e) {
      await this.deps.store.remove(stored.map((f) => f.storagePath)).catch(() => undefined);
      throw e;
    }
    const mail = await mailCustomer(ds, this.deps.email, this.deps.appUrl, saved.ticket, 'ticket_reply', saved.reply);
    return succeed({ replyId: saved.reply.id, mail });
  }

  /** A staff-only note: it changes neither the status nor the reply times, and nobody outside staff is told. */
  async addNote(input: { ticketId: number; staff: StaffActor; message: string }): Promise<Outcome<{ replyId: number }>> {
    const problem = checkMessage(input.message);
    if (problem) return fail('invalid_message', problem, 'message');
    return inTransaction(this.deps.ds, async (m) => {
      const t = await this.lock(m, input.ticketId);
      if (!t) return notFound(input.ticketId);
      const reply = await this.write(m, t.id, input.staff.id, input.message.trim(), true);
      return succeed({ replyId: reply.id });
    });
  }

  async changeStatus(ticketId: number, raw: string): Promise<Outcome<{ status: TicketStatus; before: TicketStatus }>> {
    const status = parseStatus(raw);
    if (!status) return fail('invalid_status', `Choose one of: ${Object.values(STATUS_LABELS).join(', ')}.`, 'status');
    return inTransaction(this.deps.ds, async (m) => {
      const t = await this.lock(m, ticketId);
      if (!t) return notFound(ticketId);
      const before = t.status;
      if (before !== status) {
        t.status = status;
        t.closedAt = status === 'closed' ? this.deps.clock.now() : null;
        await m.getRepository('SupportTicket').save(t);
      }
      return succeed({ status, before });
    });
  }

  /**
   * Priority and/or department. Moving to another department drops an assignee who does not work there, so the
   * ticket shows up as unassigned in its new queue instead of sitting with someone who never sees it.
   */
  async update(ticketId: number, change: { priority?: string; departmentId?: number }): Promise<Outcome<{ unassigned: boolean }>> {
    const { priority, departmentId } = change;
    if (priority !== undefined && !(TICKET_PRIORITIES as readonly string[]).includes(priority)) return fail('invalid_priority', `Choose one of: ${TICKET_PRIORITIES.join(', ')}.`, 'priority');
    if (departmentId !== undefined && !(await this.deps.ds.getRepository('TicketDepartment').existsBy({ id: departmentId }))) return fail('invalid_department', 'Choose an existing department.', 'departmentId');
    return inTransaction(this.deps.ds, async (m) => {
      const t = await this.lock(m, ticketId);
      if (!t) return notFound(ticketId);
      let unassigned = false;
      if (priority !== undefined) t.priority = priority as TicketPriority;
      if (departmentId !== undefined && departmentId !== t.departmentId) {
        t.departmentId = departmentId;
        if (t.assignedToId && !(await this.eligible(m, departmentId)).some((s) => s.id === t.assignedToId)) {
          t.assignedToId = null;
          unassigned = true;
        }
      }
      await m.getRepository('SupportTicket').save(t);
      return succeed({ unassigned });
    });
  }

  /** Staff who may take a department's tickets: its own staff, or every active staff member when it has none. */
  async eligibleStaff(departmentId: number): Promise<Array<{ id: number; name: string; email: string }>> {
    return this.eligible(this.deps.ds.manager, departmentId);
  }

  /** Assigns the ticket (null: unassign) to one of the department's eligible staff. */
  async assign(ticketId: number, staffId: number | null): Promise<Outcome<{ assignedTo: string | null }>> {
    return inTransaction(this.deps.ds, async (m) => {
      const t = await this.lock(m, ticketId);
      if (!t) return notFound(ticketId);
      let name: string | null = null;
      if (staffId !== null) {
        const who = (await this.eligible(m, t.departmentId)).find((s) => s.id === staffId);
        if (!who) return fail('not_eligible', 'That staff member does not work this ticket’s department; add them to the department or choose someone else.', 'staffId');
        name = who.name;
      }
      if (t.assignedToId !== staffId) {
        t.assignedToId = staffId;
        await m.getRepository('SupportTicket').save(t);
      }
      return succeed({ assignedTo: name });
    });
  }

  /** Moves everything of `fromTicketId` into the ticket numbered `intoNumber` and closes it; see desk-merge.ts. */
  merge(fromTicketId: number, intoNumber: string, staff: StaffActor) {
    return mergeTickets(this.deps, fromTicketId, intoNumber, staff.id);
  }

  /** For the scheduler: closes Answered tickets the customer has not replied to in support.closeAnsweredAfterDays. */
  autoClose() {
    return autoCloseAnswered(this.deps);
  }

  /** The full thread for staff, internal notes included and marked. */
  thread(ticketId: number): Promise<StaffThread | null> {
    return staffThread(this.deps.ds, ticketId);
  }

  /** Staff emails about a customer's new ticket or reply (called by the client area and email piping). */
  notifyStaff(ticketId: number, kind: 'new' | 'reply'): Promise<MailResult> {
    return notifyDepartmentStaff(this.deps.ds, this.deps.email, this.deps.appUrl, ticketId, kind);
  }

  private lock(m: EntityManager, ticketId: number): Promise<SupportTicket | null> {
    return forUpdate(m.getRepository<SupportTicket>('SupportTicket').createQueryBuilder('t').where('t.id = :ticketId', { ticketId })).getOne();
  }

  private async write(m: EntityManager, ticketId: number, staffId: number, message: string, isInternalNote: boolean): Promise<TicketReply> {
    const user = (await m.getRepository('User').findOneBy({ id: staffId })) as { firstName: string; lastName: string; email: string; displayName?: string } | null;
    const name = user ? `${user.firstName} ${user.lastName}`.trim() || user.email : 'Staff';
    const repo = m.getRepository<TicketReply>('TicketReply');
    return repo.save(repo.create({ ticketId, userId: staffId, authorType: 'staff', authorName: name.slice(0, 255), authorEmail: user?.email ?? null, message, isInternalNote, ipAddress: null }));
  }

  private async eligible(m: EntityManager, departmentId: number): Promise<Array<{ id: number; name: string; email: string }>> {
    const qb = m.getRepository('User').createQueryBuilder('u').where("u.userType = 'staff' AND u.status = 'active'").orderBy('u.firstName', 'ASC').addOrderBy('u.id', 'ASC');
    const members = await m.getRepository('DepartmentStaff').countBy({ departmentId });
    if (members) qb.innerJoin('DepartmentStaff', 'dst', 'dst.userId = u.id AND dst.departmentId = :departmentId', { departmentId });
    const rows = (await qb.getMany()) as Array<{ id: number; firstName: string; lastName: string; email: string }>;
    return rows.map((u) => ({ id: u.id, name: `${u.firstName} ${u.lastName}`.trim() || u.email, email: u.email }));
  }
}
