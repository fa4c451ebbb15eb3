import { MoreThanOrEqual, type DataSource } from 'typeorm';
import type { SupportTicket } from '../../entities/support/support-ticket.entity.js';
import type { TicketDepartment } from '../../entities/support/ticket-department.entity.js';
import type { EmailService } from '../notifications/email-service.js';
import { readSettings } from '../settings.js';
import { systemClock, type Clock } from '../shared/clock.js';
import type { Failure } from '../shared/outcome.js';
import { AttachmentStore, checkAttachments, type AcceptedFile, ATTACHMENT_LIMITS } from './attachments.js';
import { sendTicketOpened } from './notices.js';
import { mailCustomer, notifyDepartmentStaff } from './desk-notify.js';
import { automatedReason, normaliseAddress, parseInbound, ticketNumberIn, type InboundMessage } from './piping-message.js';
import { stripQuotedHistory } from './piping-text.js';
import { storeNewTicket, storeReply, type MailAuthor } from './piping-store.js';
import { MESSAGE_MAX, SUBJECT_MAX } from './tickets.js';

/**
 * Email piping: one inbound message becomes a new ticket, a message on an existing ticket, or nothing (an automatic
 * message, a loop, a flood) — or it is refused with a reason the mail server can bounce back to the sender.
 *
 * A ticket number in the subject attaches the message to that ticket only when the sender belongs to it (the client,
 * one of the client's contacts, the guest who opened it, or staff of its department): a number alone is not proof,
 * since anyone who has seen a subject line can quote it.
 */

export type PipeResult =
  | { action: 'opened'; ticketId: number; ticketNumber: string; guest: boolean; continues: string | null; droppedFiles: string[] }
  | { action: 'replied'; ticketId: number; ticketNumber: string; reopened: boolean; byStaff: boolean; droppedFiles: string[] }
  | { action: 'ignored'; reason: string };

export type PipeOutcome = ({ ok: true } & PipeResult) | (Failure & { action: 'rejected' });

export interface PipingDeps {
  ds: DataSource;
  clock: Clock;
  store: AttachmentStore;
  email: Pick<EmailService, 'sendTemplate'>;
  timeZone: string;
  appUrl: string;
  /** Notification trouble is logged, never fatal: the message is already stored. */
  warn?: (message: string, detail?: Record<string, unknown>) => void;
}

export interface PipingSettings {
  /** A customer's mail to a ticket closed this many days ago or fewer reopens it; later mail opens a new ticket. */
  reopenDays: number;
  /** More than `rateLimit` messages from one address within `rateWindowMinutes` are ignored (a looping robot). */
  rateLimit: number;
  rateWindowMinutes: number;
  ownAddress: string | null;
}

const rejected = (error: string, message: string): PipeOutcome => ({ ok: false, action: 'rejected', error, message });
const ignored = (reason: string): PipeOutcome => ({ ok: true, action: 'ignored', reason });

export async function pipingSettings(ds: DataSource): Promise<PipingSettings> {
  const [support, mail] = await Promise.all([readSettings(ds, 'support.pipe'), readSettings(ds, 'mail.fromEmail')]);
  const int = (key: string, def: number, min: number, max: number) => {
    const v = Number(support.get(key));
    return Number.isInteger(v) && v >= min && v <= max ? v : def;
  };
  return {
    reopenDays: int('support.pipeReopenDays', 7, 0, 3650),
    rateLimit: int('support.pipeRateLimit', 10, 1, 10_000),
    rateWindowMinutes: int('support.pipeRateWindowMinutes', 15, 1, 1440),
    ownAddress: normaliseAddress(mail.get('mail.fromEmail')) || null,
  };
}

export class EmailPiping {
  constructor(private readonly deps: PipingDeps) {}

  /** All department addresses, lower-cased, for the SMTP listener's RCPT TO check. */
  async departmentAddresses(): Promise<Map<string, TicketDepartment>> {
    const rows = await this.deps.ds.getRepository<TicketDepartment>('TicketDepartment').find({ order: { sortOrder: 'ASC', id: 'ASC' } });
    const map = new Map<string, TicketDepartment>();
    for (const d of rows) {
      const a = normaliseAddress(d.email);
      if (a && !map.has(a)) map.set(a, d);
    }
    return map;
  }

  /**
   * Handles one raw message. `recipient` is the address it was delivered to (the SMTP envelope or `--to`); without
   * it the Delivered-To, X-Original-To, To and Cc headers are tried. `envelopeFrom` is the SMTP MAIL FROM, the
   * return path before any Return-Path header is written ('' for a bounce).
   */
  async pipe(raw: Buffer, opts: { recipient?: string | null; envelopeFrom?: string | null } = {}): Promise<PipeOutcome> {
    const parsed = await parseInbound(raw);
    if (!parsed.ok) return rejected('malformed', parsed.reason);
    const msg = parsed.message;
    if (opts.envelopeFrom !== undefined && opts.envelopeFrom !== null) msg.returnPath = normaliseAddress(opts.envelopeFrom);

    const departments = await this.departmentAddresses();
    const settings = await pipingSettings(this.deps.ds);
    const own = new Set([...departments.keys(), ...(settings.ownAddress ? [settings.ownAddress] : [])]);
    const automated = automatedReason(msg, { addresses: own });
    if (automated) return ignored(automated);

    let department: TicketDepartment | undefined;
    if (opts.recipient) {
      department = departments.get(normaliseAddress(opts.recipient));
      if (!department) return rejected('unknown_recipient', `${opts.recipient} is not the address of any support department.`);
    } else {
      department = msg.recipients.map((a) => departments.get(a)).find(Boolean);
      if (!department) return rejected('unknown_recipient', `None of the message's recipients (${msg.recipients.join(', ') || 'none'}) is the address of a support department.`);
    }

    const since = new Date(this.deps.clock.now().getTime() - settings.rateWindowMinutes * 60_000);
    const recent = await this.deps.ds.getRepository('TicketReply').count({ where: { authorEmail: msg.from.address, createdAt: MoreThanOrEqual(since) } });
    if (recent >= settings.rateLimit) return ignored(`more than ${settings.rateLimit} messages from ${msg.from.address} within ${settings.rateWindowMinutes} minutes`);

    const { files, dropped } = keepableFiles(msg);
    const number = ticketNumberIn(msg.subject);
    const ticket = number ? await this.deps.ds.getRepository<SupportTicket>('SupportTicket').findOneBy({ ticketNumber: number }) : null;
    if (ticket) {
      const author = await this.authorOn(ticket, msg);
      if (author) {
        const closedLongAgo = ticket.status === 'closed' && author.type !== 'staff' && this.closedDaysAgo(ticket) > settings.reopenDays;
        if (!closedLongAgo) return this.reply(ticket, author, msg, files, dropped);
        return this.open(department.id === ticket.departmentId ? department : await this.departmentOf(ticket), msg, files, dropped, ticket);
      }
    }
    return this.open(department, msg, files, dropped, null);
  }

  private async reply(ticket: SupportTicket, author: MailAuthor, msg: InboundMessage, files: AcceptedFile[], dropped: string[]): Promise<PipeOutcome> {
    const message = messageText(msg, dropped, true);
    const { wasClosed } = await storeReply(this.deps, ticket.id, author, message, files);
    if (author.type === 'staff') {
      const fresh = await this.deps.ds.getRepository<SupportTicket>('SupportTicket').findOneByOrFail({ id: ticket.id });
      await this.notify(() => mailCustomer(this.deps.ds, this.deps.email, this.deps.appUrl, fresh, 'ticket_reply', { message, authorName: author.name }), ticket.id);
    } else {
      await this.notify(() => notifyDepartmentStaff(this.deps.ds, this.deps.email, this.deps.appUrl, ticket.id, 'reply'), ticket.id);
    }
    return { ok: true, action: 'replied', ticketId: ticket.id, ticketNumber: ticket.ticketNumber, reopened: wasClosed && author.type !== 'staff', byStaff: author.type === 'staff', droppedFiles: dropped };
  }

  /** A new ticket for the sender: a client or contact when the address is known, else a guest if the department takes them. */
  private async open(department: TicketDepartment, msg: InboundMessage, files: AcceptedFile[], dropped: string[], continues: SupportTicket | null): Promise<PipeOutcome> {
    const known = await this.clientBySender(msg.from.address);
    if (!known && department.clientsOnly) {
      return rejected('unknown_sender', `${department.name} takes tickets from registered clients only, and ${msg.from.address} is not the address of a client or contact.`);
    }
    let subject = (continues ? continues.subject : msg.subject) || '(no subject)';
    if (subject.length > SUBJECT_MAX) subject = `${subject.slice(0, SUBJECT_MAX - 1)}…`;
    let message = messageText(msg, dropped, Boolean(continues));
    if (continues) message = `(This continues ticket ${continues.ticketNumber}, which was closed.)\n\n${message}`.slice(0, MESSAGE_MAX);
    const author: MailAuthor = known
      ? { type: 'client', userId: known.userId, name: known.name || msg.from.name, email: msg.from.address }
      : { type: 'guest', userId: null, name: msg.from.name || msg.from.address, email: msg.from.address };
    const out = await storeNewTicket(this.deps, {
      clientId: known?.clientId ?? null,
      guest: known ? null : { name: author.name, email: msg.from.address },
      departmentId: department.id,
      subject,
      message,
      author,
      files,
    });
    if (known) {
      // Guests get no acknowledgement: an unknown From is often forged, and answering it sends our mail to a stranger.
      const ack = { clientId: known.clientId, ticketId: out.ticketId, ticketNumber: out.ticketNumber, subject, department, to: msg.from.address, appUrl: this.deps.appUrl };
      await this.notify(() => sendTicketOpened(this.deps.ds, this.deps.email, ack).then((r) => ({ failures: r.ok ? [] : [r.message ?? 'not sent'] })), out.ticketId);
    }
    await this.notify(() => notifyDepartmentStaff(this.deps.ds, this.deps.email, this.deps.appUrl, out.ticketId, 'new'), out.ticketId);
    return { ok: true, action: 'opened', ticketId: out.ticketId, ticketNumber: out.ticketNumber, guest: !known, continues: continues?.ticketNumber ?? null, droppedFiles: dropped };
  }

  /** Who may write on this ticket by mail, as what; null for anybody else. */
  private async authorOn(ticket: SupportTicket, msg: InboundMessage): Promise<MailAuthor | null> {
    const { ds } = this.deps;
    const sender = msg.from.address;
    if (ticket.clientId) {
      const known = await this.clientBySender(sender, ticket.clientId);
      if (known) return { type: 'client', userId: known.userId, name: known.name || msg.from.name, email: sender };
    } else if (normaliseAddress(ticket.guestEmail) === sender) {
      return { type: 'guest', userId: null, name: ticket.guestName || msg.from.name || sender, email: sender };
    }
    const staff = (await ds
      .getRepository('User')
      .createQueryBuilder('u')
      .innerJoin('DepartmentStaff', 'dst', 'dst.userId = u.id AND dst.departmentId = :dept', { dept: ticket.departmentId })
      .where("LOWER(u.email) = :sender AND u.userType = 'staff' AND u.status = 'active'", { sender })
      .getOne()) as { id: number; displayName: string } | null;
    return staff ? { type: 'staff', userId: staff.id, name: staff.displayName, email: sender } : null;
  }

  /**
   * The client an address belongs to: the account's own address first, then a contact's (one who receives support
   * mail first). With `clientId`, only that client's addresses count.
   */
  private async clientBySender(address: string, clientId?: number): Promise<{ clientId: number; userId: number | null; name: string } | null> {
    const { ds } = this.deps;
    const cq = ds.getRepository('Client').createQueryBuilder('c').where('LOWER(c.email) = :address', { address });
    if (clientId) cq.andWhere('c.id = :clientId', { clientId });
    const client = (await cq.orderBy('c.id', 'ASC').getOne()) as { id: number; userId: number | null; firstName: string; lastName: string } | null;
    if (client) return { clientId: client.id, userId: client.userId, name: `${client.firstName} ${client.lastName}`.trim() };
    const kq = ds.getRepository('ClientContact').createQueryBuilder('k').innerJoin('k.client', 'c').where('LOWER(k.email) = :address', { address });
    if (clientId) kq.andWhere('k.clientId = :clientId', { clientId });
    const contact = (await kq.orderBy('k.supportEmails', 'DESC').addOrderBy('k.id', 'ASC').getOne()) as { clientId: number; userId: number | null; firstName: string; lastName: string } | null;
    return contact ? { clientId: contact.clientId, userId: contact.userId, name: `${contact.firstName} ${contact.lastName}`.trim() } : null;
  }

  private closedDaysAgo(ticket: SupportTicket): number {
    const closed = ticket.closedAt ?? ticket.updatedAt;
    return (this.deps.clock.now().getTime() - new Date(closed).getTime()) / 86_400_000;
  }

  private async departmentOf(ticket: SupportTicket): Promise<TicketDepartment> {
    return this.deps.ds.getRepository<TicketDepartment>('TicketDepartment').findOneByOrFail({ id: ticket.departmentId });
  }

  private async notify(send: () => Promise<{ failures: string[] }>, ticketId: number): Promise<void> {
    try {
      const out = await send();
      if (out.failures.length) this.deps.warn?.('ticket email not sent', { ticketId, failures: out.failures });
    } catch (e) {
      this.deps.warn?.('ticket email failed', { ticketId, error: (e as Error).message });
    }
  }
}

/**
 * The attachments a ticket may keep, checked one by one with the client area's rules; a file that fails is left out
 * and named in the message instead of bouncing the customer's whole email.
 */
function keepableFiles(msg: InboundMessage): { files: AcceptedFile[]; dropped: string[] } {
  const files: AcceptedFile[] = [];
  const dropped: string[] = [];
  for (const f of msg.files) {
    const name = f.fileName || `unnamed ${f.contentType} part`;
    if (files.length >= ATTACHMENT_LIMITS.maxFiles) {
      dropped.push(`${name}: only ${ATTACHMENT_LIMITS.maxFiles} files are kept per message`);
      continue;
    }
    const checked = checkAttachments([{ fileName: f.fileName, data: f.data, size: f.data.length }]);
    if (checked.ok) files.push(...checked.files);
    else dropped.push(checked.message);
  }
  return { files, dropped };
}

function messageText(msg: InboundMessage, dropped: string[], isReply: boolean): string {
  let text = isReply ? stripQuotedHistory(msg.text) : msg.text;
  if (!text.trim()) text = msg.files.length ? '(no text; see the attached files)' : '(empty message)';
  const note = dropped.length ? `\n\n[Attachments not kept: ${dropped.join(' ')}]` : '';
  const room = MESSAGE_MAX - note.length;
  if (text.length > room) text = `${text.slice(0, room - 40)}\n\n[message shortened]`;
  return `${text}${note}`;
}

/** The piping service as the CLI and the SMTP listener run it, from the application's configuration. */
export function emailPipingFor(
  config: { STORAGE_DIR: string; APP_TIMEZONE: string; APP_URL: string },
  ds: DataSource,
  email: Pick<EmailService, 'sendTemplate'>,
  warn: PipingDeps['warn'],
): EmailPiping {
  return new EmailPiping({ ds, clock: systemClock, store: new AttachmentStore(config.STORAGE_DIR), email, timeZone: config.APP_TIMEZONE, appUrl: config.APP_URL, warn });
}
