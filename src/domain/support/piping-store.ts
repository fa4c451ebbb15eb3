import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '../../db/transaction.js';
import { forUpdate } from '../../db/locking.js';
import type { SupportTicket } from '../../entities/support/support-ticket.entity.js';
import type { TicketAuthorType, TicketReply } from '../../entities/support/ticket-reply.entity.js';
import { claimNumber } from '../billing/numbering.js';
import { businessDate, type Clock } from '../shared/clock.js';
import type { AcceptedFile, AttachmentStore } from './attachments.js';

/**
 * The rows an emailed message becomes: a new ticket with its opening message, or a message added to a ticket.
 * As in the client area, files are written first and removed again if the rows are not saved, so a message that
 * fails half-way leaves nothing behind and the sending server can simply deliver it again.
 */

export interface MailAuthor {
  type: Extract<TicketAuthorType, 'client' | 'staff' | 'guest'>;
  userId: number | null;
  name: string;
  email: string;
}

export interface StoreDeps {
  ds: DataSource;
  clock: Clock;
  store: AttachmentStore;
  timeZone: string;
}

export interface NewMailTicket {
  clientId: number | null;
  guest: { name: string; email: string } | null;
  departmentId: number;
  subject: string;
  message: string;
  author: MailAuthor;
  files: AcceptedFile[];
}

export async function storeNewTicket(deps: StoreDeps, input: NewMailTicket): Promise<{ ticketId: number; ticketNumber: string }> {
  const now = deps.clock.now();
  return withFiles(deps, input.files, async (m, attach) => {
    const ticketNumber = await claimNumber(m, 'ticket', businessDate(now, deps.timeZone));
    const repo = m.getRepository<SupportTicket>('SupportTicket');
    const t = await repo.save(
      repo.create({
        ticketNumber,
        clientId: input.clientId,
        guestName: input.guest?.name.slice(0, 255) ?? null,
        guestEmail: input.guest?.email.slice(0, 255) ?? null,
        departmentId: input.departmentId,
        subject: input.subject,
        status: 'open',
        priority: 'medium',
        source: 'email',
        lastReplyAt: now,
        lastReplyBy: 'client',
      }),
    );
    await attach(t.id, await addMessage(m, t.id, input.author, input.message));
    return { ticketId: t.id, ticketNumber };
  });
}

/**
 * A message on an existing ticket. A customer's message puts the ticket back in staff's queue ('customer_reply',
 * reopening it when closed); a staff member's marks it answered and, the first time, records the response time.
 */
export async function storeReply(deps: StoreDeps, ticketId: number, author: MailAuthor, message: string, files: AcceptedFile[]): Promise<{ wasClosed: boolean }> {
  const now = deps.clock.now();
  return withFiles(deps, files, async (m, attach) => {
    const t = await forUpdate(m.getRepository<SupportTicket>('SupportTicket').createQueryBuilder('t').where('t.id = :ticketId', { ticketId })).getOne();
    if (!t) throw new Error(`ticket #${ticketId} vanished while a mailed reply was being stored`);
    const changes: Partial<SupportTicket> =
      author.type === 'staff'
        ? { status: 'answered', lastReplyAt: now, lastReplyBy: 'staff', ...(t.firstResponseAt ? {} : { firstResponseAt: now }) }
        : { status: 'customer_reply', lastReplyAt: now, lastReplyBy: 'client', closedAt: null };
    await m.getRepository('SupportTicket').update({ id: t.id }, changes);
    await attach(t.id, await addMessage(m, t.id, author, message));
    return { wasClosed: t.status === 'closed' };
  });
}

async function addMessage(m: EntityManager, ticketId: number, author: MailAuthor, message: string): Promise<number> {
  const repo = m.getRepository<TicketReply>('TicketReply');
  const reply = await repo.save(
    repo.create({ ticketId, userId: author.userId, authorType: author.type, authorName: (author.name || author.email).slice(0, 255), authorEmail: author.email.slice(0, 255), message, isInternalNote: false, ipAddress: null }),
  );
  return reply.id;
}

/** Writes the files, then runs `work` in a transaction that records them; on any failure the files are removed. */
async function withFiles<T>(deps: StoreDeps, files: AcceptedFile[], work: (m: EntityManager, attach: (ticketId: number, replyId: number) => Promise<void>) => Promise<T>): Promise<T> {
  const stored: Array<AcceptedFile & { storagePath: string; sha256: string }> = [];
  try {
    for (const f of files) stored.push({ ...f, ...(await deps.store.put(f.data)) });
    return await inTransaction(deps.ds, (m) =>
      work(m, async (ticketId, replyId) => {
        if (!stored.length) return;
        await m.getRepository('TicketAttachment').insert(
          stored.map((f) => ({ ticketId, replyId, fileName: f.fileName || 'attachment', contentType: f.contentType, sizeBytes: f.data.length, storagePath: f.storagePath, sha256: f.sha256 })),
        );
      }),
    );
  } catch (e) {
    await deps.store.remove(stored.map((f) => f.storagePath)).catch(() => undefined);
    throw e;
  }
}
