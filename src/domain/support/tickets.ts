import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '../../db/transaction.js';
import { forUpdate } from '../../db/locking.js';
import type { SupportTicket, TicketPriority, TicketStatus } from '../../entities/support/support-ticket.entity.js';
import type { TicketReply } from '../../entities/support/ticket-reply.entity.js';
import type { TicketAttachment } from '../../entities/support/ticket-attachment.entity.js';
import type { TicketDepartment } from '../../entities/support/ticket-department.entity.js';
import { claimNumber } from '../billing/numbering.js';
import { businessDate, type Clock } from '../shared/clock.js';
import { fail, succeed, type Failure, type Outcome } from '../shared/outcome.js';
import { checkAttachments, type AcceptedFile, type AttachmentStore, type IncomingFile } from './attachments.js';

/** Urgent is staff's to set; a customer chooses among these. */
export const CLIENT_PRIORITIES: readonly TicketPriority[] = ['low', 'medium', 'high'];
export const SUBJECT_MAX = 255;
/** Characters; with up to 4 bytes each this stays within a MariaDB TEXT column (64 KB). */
export const MESSAGE_MAX = 15_000;

/** Who writes: the account owner or a contact acting for the client (the name and address are copied onto the reply). */
export interface TicketAuthor {
  userId: number;
  name: string;
  email: string;
  ipAddress: string | null;
}

export interface NewTicketInput {
  departmentId: string;
  priority: string;
  subject: string;
  message: string;
  serviceId: string;
}

/** Input refused: the reason per form field, for errors shown beside each field. */
export type FormFailure = Failure & { error: 'invalid_input'; errors: Record<string, string> };
const invalid = (errors: Record<string, string>): FormFailure => ({ ok: false, error: 'invalid_input', message: 'Please correct the fields marked below.', errors });
const notFound = () => fail('not_found', 'There is no such ticket on your account.');

export interface TicketListRow {
  id: number;
  number: string;
  subject: string;
  department: string;
  status: TicketStatus;
  priority: TicketPriority;
  updatedAt: Date;
}

export interface TicketMessage {
  id: number;
  fromStaff: boolean;
  authorName: string;
  message: string;
  createdAt: Date;
  attachments: Array<{ id: number; fileName: string; size: string }>;
}

export interface TicketThread {
  id: number;
  number: string;
  subject: string;
  status: TicketStatus;
  priority: TicketPriority;
  department: string;
  service: string | null;
  createdAt: Date;
  updatedAt: Date;
  closed: boolean;
  messages: TicketMessage[];
  /** Files staff attached to the ticket as a whole rather than to a message. */
  attachments: TicketMessage['attachments'];
}

const sizeLabel = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);
const isId = (s: string) => /^[1-9]\d{0,9}$/.test(s);

export interface ClientTicketsDeps {
  ds: DataSource;
  clock: Clock;
  store: AttachmentStore;
  timeZone: string;
}

/**
 * A customer's support tickets: open, reply, close, read the conversation, fetch an attachment. Every lookup is
 * scoped to the client, so another client's ticket behaves exactly like a missing one. Files are written before
 * the rows that point to them and removed again when the rows are not saved: a refused or failed message leaves
 * nothing behind.
 */
export class ClientTickets {
  constructor(private readonly deps: ClientTicketsDeps) {}

  /** Departments a customer may open tickets in. */
  async departments(): Promise<Array<Pick<TicketDepartment, 'id' | 'name' | 'description'>>> {
    const rows = await this.deps.ds.getRepository<TicketDepartment>('TicketDepartment').find({ where: { hidden: false }, order: { sortOrder: 'ASC', name: 'ASC' } });
    return rows.map(({ id, name, description }) => ({ id, name, description }));
  }

  /** The client's services, as choices for "related service". */
  async services(clientId: number): Promise<Array<{ id: number; label: string }>> {
    const rows = (await this.deps.ds.getRepository('Service').find({ where: { clientId }, relations: { product: true }, order: { id: 'DESC' } })) as Array<{ id: number; domain: string | null; status: string; product?: { name: string } }>;
    return rows.map((s) => ({ id: s.id, label: serviceLabel(s) }));
  }

  /** One page of the client's tickets, most recently updated first; `paginate` turns the total into LIMIT/OFFSET. */
  async list(clientId: number, filter: 'all' | 'open' | 'closed', paginate: (total: number) => { limit: number; offset: number }): Promise<TicketListRow[]> {
    const qb = this.deps.ds.getRepository<SupportTicket>('SupportTicket').createQueryBuilder('t').leftJoinAndSelect('t.department', 'd').where('t.clientId = :clientId', { clientId });
    if (filter === 'open') qb.andWhere('t.status <> :closed', { closed: 'closed' });
    if (filter === 'closed') qb.andWhere('t.status = :closed', { closed: 'closed' });
    const page = paginate(await qb.getCount());
    const tickets = await qb.orderBy('t.updatedAt', 'DESC').addOrderBy('t.id', 'DESC').limit(page.limit).offset(page.offset).getMany();
    return tickets.map((t) => ({ id: t.id, number: t.ticketNumber, subject: t.subject, department: t.department?.name ?? '', status: t.status, priority: t.priority, updatedAt: t.updatedAt }));
  }

  /** The conversation as the customer sees it: staff's internal notes, and files attached to them, left out. */
  async thread(clientId: number, ticketId: number): Promise<TicketThread | null> {
    const { ds } = this.deps;
    const t = await ds.getRepository<SupportTicket>('SupportTicket').findOne({ where: { id: ticketId, clientId }, relations: { department: true } });
    if (!t) return null;
    const replies = await ds.getRepository<TicketReply>('TicketReply').find({ where: { ticketId, isInternalNote: false }, order: { createdAt: 'ASC', id: 'ASC' } });
    const files = await ds.getRepository<TicketAttachment>('TicketAttachment').find({ where: { ticketId }, order: { id: 'ASC' } });
    const filesOf = (replyId: number | null) => files.filter((f) => f.replyId === replyId).map((f) => ({ id: f.id, fileName: f.fileName, size: sizeLabel(f.sizeBytes) }));
    let service: string | null = null;
    if (t.serviceId) {
      const s = (await ds.getRepository('Service').findOne({ where: { id: t.serviceId, clientId }, relations: { product: true } })) as Parameters<typeof serviceLabel>[0] | null;
      service = s ? serviceLabel(s) : null;
    }
    return {
      id: t.id,
      number: t.ticketNumber,
      subject: t.subject,
      status: t.status,
      priority: t.priority,
      department: t.department?.name ?? '',
      service,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
      closed: t.status === 'closed',
      messages: replies.map((r) => ({ id: r.id, fromStaff: r.authorType === 'staff', authorName: r.authorName, message: r.message, createdAt: r.createdAt, attachments: filesOf(r.id) })),
      attachments: filesOf(null),
    };
  }

  async open(clientId: number, author: TicketAuthor, input: NewTicketInput, files: IncomingFile[]): Promise<Outcome<{ ticketId: number; ticketNumber: string; subject: string; department: TicketDepartment }> | FormFailure> {
    const { ds } = this.deps;
    const errors: Record<string, string> = {};
    const subject = input.subject.replace(/\s+/g, ' ').trim();
    if (!subject) errors.subject = 'Enter a subject.';
    else if (subject.length > SUBJECT_MAX) errors.subject = `Keep the subject under ${SUBJECT_MAX} characters.`;
    const messageError = checkMessage(input.message);
    if (messageError) errors.message = messageError;
    const department = isId(input.departmentId) ? await ds.getRepository<TicketDepartment>('TicketDepartment').findOneBy({ id: Number(input.departmentId), hidden: false }) : null;
    if (!department) errors.departmentId = 'Choose a department.';
    if (!(CLIENT_PRIORITIES as readonly string[]).includes(input.priority)) errors.priority = 'Choose low, medium or high.';
    let serviceId: number | null = null;
    if (input.serviceId) {
      const owned = isId(input.serviceId) && (await ds.getRepository('Service').existsBy({ id: Number(input.serviceId), clientId }));
      if (owned) serviceId = Number(input.serviceId);
      else errors.serviceId = 'Choose one of your services, or none.';
    }
    const checked = checkAttachments(files);
    if (!checked.ok) errors.attachments = checked.message;
    if (Object.keys(errors).length || !checked.ok || !department) return invalid(errors);

    const now = this.deps.clock.now();
    const ticket = await this.withFiles(checked.files, async (m, attach) => {
      const ticketNumber = await claimNumber(m, 'ticket', businessDate(now, this.deps.timeZone));
      const repo = m.getRepository<SupportTicket>('SupportTicket');
      const t = await repo.save(
        repo.create({ ticketNumber, clientId, departmentId: department.id, serviceId, subject, status: 'open', priority: input.priority as TicketPriority, source: 'web', lastReplyAt: now, lastReplyBy: 'client' }),
      );
      const replyId = await this.addMessage(m, t.id, author, input.message);
      await attach(t.id, replyId);
      return t;
    });
    return succeed({ ticketId: ticket.id, ticketNumber: ticket.ticketNumber, subject, department });
  }

  /**
   * The customer's reply. A reply to a closed ticket reopens it, as in WHMCS: the customer still has a problem, and
   * making them open a new ticket would lose the history. The ticket then waits for staff ('customer_reply').
   */
  async reply(clientId: number, ticketId: number, author: TicketAuthor, message: string, files: IncomingFile[]): Promise<Outcome<{ reopened: boolean }> | FormFailure> {
    const repo = this.deps.ds.getRepository<SupportTicket>('SupportTicket');
    if (!(await repo.existsBy({ id: ticketId, clientId }))) return notFound();
    const errors: Record<string, string> = {};
    const messageError = checkMessage(message);
    if (messageError) errors.message = messageError;
    const checked = checkAttachments(files);
    if (!checked.ok) errors.attachments = checked.message;
    if (Object.keys(errors).length || !checked.ok) return invalid(errors);

    const now = this.deps.clock.now();
    const wasClosed = await this.withFiles(checked.files, async (m, attach) => {
      const t = await this.lockTicket(m, clientId, ticketId);
      if (!t) throw Object.assign(new Error('ticket vanished while replying'), { statusCode: 404 });
      await m.getRepository('SupportTicket').update({ id: t.id }, { status: 'customer_reply', lastReplyAt: now, lastReplyBy: 'client', closedAt: null });
      const replyId = await this.addMessage(m, t.id, author, message);
      await attach(t.id, replyId);
      return t.status === 'closed';
    });
    return succeed({ reopened: wasClosed });
  }

  async close(clientId: number, ticketId: number): Promise<Outcome<{ alreadyClosed: boolean }>> {
    const now = this.deps.clock.now();
    return inTransaction(this.deps.ds, async (m) => {
      const t = await this.lockTicket(m, clientId, ticketId);
      if (!t) return notFound();
      if (t.status === 'closed') return succeed({ alreadyClosed: true });
      await m.getRepository('SupportTicket').update({ id: t.id }, { status: 'closed', closedAt: now });
      return succeed({ alreadyClosed: false });
    });
  }

  /** One of the ticket's files, if the ticket is the client's and the file is not part of a staff-only note. */
  async attachment(clientId: number, ticketId: number, attachmentId: number): Promise<{ fileName: string; contentType: string; path: string; size: number } | null> {
    const a = await this.deps.ds
      .getRepository<TicketAttachment>('TicketAttachment')
      .createQueryBuilder('a')
      .innerJoin('a.ticket', 't')
      .leftJoin('a.reply', 'r')
      .where('a.id = :attachmentId AND a.ticketId = :ticketId AND t.clientId = :clientId', { attachmentId, ticketId, clientId })
      .andWhere('(a.replyId IS NULL OR r.isInternalNote = :internal)', { internal: false })
      .getOne();
    if (!a) return null;
    const file = await this.deps.store.locate(a.storagePath);
    return file ? { fileName: a.fileName, contentType: a.contentType, ...file } : null;
  }

  private async lockTicket(m: EntityManager, clientId: number, ticketId: number): Promise<SupportTicket | null> {
    return forUpdate(m.getRepository<SupportTicket>('SupportTicket').createQueryBuilder('t').where('t.id = :ticketId AND t.clientId = :clientId', { ticketId, clientId })).getOne();
  }

  private async addMessage(m: EntityManager, ticketId: number, author: TicketAuthor, message: string): Promise<number> {
    const repo = m.getRepository<TicketReply>('TicketReply');
    const reply = await repo.save(
      repo.create({ ticketId, userId: author.userId, authorType: 'client', authorName: author.name.slice(0, 255), authorEmail: author.email.slice(0, 255) || null, message, isInternalNote: false, ipAddress: author.ipAddress?.slice(0, 45) ?? null }),
    );
    return reply.id;
  }

  /**
   * Writes the files, then runs `work` in a transaction that records them (through `attach`); if anything fails the
   * written files are removed again. The transaction may be retried (deadlock), so `attach` only writes rows.
   */
  private async withFiles<T>(files: AcceptedFile[], work: (m: EntityManager, attach: (ticketId: number, replyId: number) => Promise<void>) => Promise<T>): Promise<T> {
    const stored: Array<AcceptedFile & { storagePath: string; sha256: string }> = [];
    try {
      for (const f of files) stored.push({ ...f, ...(await this.deps.store.put(f.data)) });
      return await inTransaction(this.deps.ds, (m) =>
        work(m, async (ticketId, replyId) => {
          if (!stored.length) return;
          await m.getRepository('TicketAttachment').insert(
            stored.map((f) => ({ ticketId, replyId, fileName: f.fileName || 'attachment', contentType: f.contentType, sizeBytes: f.data.length, storagePath: f.storagePath, sha256: f.sha256 })),
          );
        }),
      );
    } catch (e) {
      await this.deps.store.remove(stored.map((f) => f.storagePath)).catch(() => undefined);
      throw e;
    }
  }
}

function checkMessage(message: string): string | null {
  if (!message.trim()) return 'Write your message.';
  if (message.length > MESSAGE_MAX) return `Keep the message under ${MESSAGE_MAX.toLocaleString('en')} characters; attach longer logs as a file.`;
  return null;
}

function serviceLabel(s: { id: number; domain: string | null; product?: { name: string } | null }): string {
  const name = s.product?.name ?? `Service #${s.id}`;
  return s.domain ? `${name} — ${s.domain}` : name;
}
