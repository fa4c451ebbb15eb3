import type { EntityManager } from 'typeorm';
import { inTransaction } from '../../db/transaction.js';
import { forUpdate } from '../../db/locking.js';
import { currentActor } from '../../audit/context.js';
import type { SupportTicket } from '../../entities/support/support-ticket.entity.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import type { StaffDeskDeps } from './desk.js';

const earliest = (a: Date | null, b: Date | null) => (a && b ? (a < b ? a : b) : (a ?? b));
const latest = (a: Date | null, b: Date | null) => (a && b ? (a > b ? a : b) : (a ?? b));

/** Same customer: the same client account, or for guest tickets the same address. */
function sameCustomer(a: SupportTicket, b: SupportTicket): boolean {
  if (a.clientId || b.clientId) return a.clientId === b.clientId;
  return !!a.guestEmail && a.guestEmail.toLowerCase() === (b.guestEmail ?? '').toLowerCase();
}

/**
 * Merges one ticket into another of the same customer: the messages and files move to the surviving ticket (the
 * thread stays in time order, since it is read by creation time), the merged ticket is closed with a message that
 * points to the survivor, and the merge is written to the audit log. Both rows are locked in id order, so two merges
 * of the same pair cannot deadlock or interleave.
 */
export async function mergeTickets(deps: StaffDeskDeps, fromTicketId: number, intoNumber: string, staffId: number): Promise<Outcome<{ intoTicketId: number; intoNumber: string; moved: { replies: number; attachments: number } }>> {
  const number = intoNumber.trim().toUpperCase();
  if (!number) return fail('invalid_ticket_number', 'Enter the number of the ticket to merge into, e.g. TKT-123456.', 'intoNumber');
  return inTransaction(deps.ds, async (m) => {
    const target = await m.getRepository<SupportTicket>('SupportTicket').findOneBy({ ticketNumber: number });
    if (!target) return fail('invalid_ticket_number', `There is no ticket ${number}.`, 'intoNumber');
    if (target.id === fromTicketId) return fail('same_ticket', 'A ticket cannot be merged into itself.', 'intoNumber');
    const [first, second] = [fromTicketId, target.id].sort((a, b) => a - b);
    const locked = [await lock(m, first), await lock(m, second)];
    const from = locked.find((t) => t?.id === fromTicketId);
    const into = locked.find((t) => t?.id === target.id);
    if (!from) return fail('not_found', `Ticket #${fromTicketId} does not exist.`);
    if (!into) return fail('invalid_ticket_number', `There is no ticket ${number}.`, 'intoNumber');
    if (!sameCustomer(from, into)) return fail('different_customer', `${from.ticketNumber} and ${into.ticketNumber} belong to different customers; only one customer’s tickets can be merged.`, 'intoNumber');

    const replies = (await m.getRepository('TicketReply').update({ ticketId: from.id }, { ticketId: into.id })).affected ?? 0;
    const attachments = (await m.getRepository('TicketAttachment').update({ ticketId: from.id }, { ticketId: into.id })).affected ?? 0;
    const now = deps.clock.now();
    const staff = (await m.getRepository('User').findOneBy({ id: staffId })) as { firstName: string; lastName: string; email: string } | null;
    const staffName = staff ? `${staff.firstName} ${staff.lastName}`.trim() || staff.email : 'Staff';
    const repo = m.getRepository('TicketReply');
    // Shown to the customer on the emptied ticket, so an old link leads to the conversation's new place.
    await repo.insert({ ticketId: from.id, userId: staffId, authorType: 'system', authorName: staffName, message: `This ticket was merged into ${into.ticketNumber}; the conversation continues there.`, isInternalNote: false });
    await repo.insert({ ticketId: into.id, userId: staffId, authorType: 'system', authorName: staffName, message: `Ticket ${from.ticketNumber} was merged into this one (${replies} message(s), ${attachments} file(s) moved).`, isInternalNote: true });

    Object.assign(into, { lastReplyAt: latest(into.lastReplyAt, from.lastReplyAt), firstResponseAt: earliest(into.firstResponseAt, from.firstResponseAt), cc: mergeCc(into.cc, from.cc) });
    if (into.lastReplyAt === from.lastReplyAt && from.lastReplyBy) into.lastReplyBy = from.lastReplyBy;
    if (into.status === 'closed') Object.assign(into, { status: 'open', closedAt: null });
    await m.getRepository('SupportTicket').save(into);
    Object.assign(from, { status: 'closed', closedAt: now, lastReplyAt: now });
    await m.getRepository('SupportTicket').save(from);

    const actor = currentActor();
    await m.getRepository('AuditLog').insert({
      userId: staffId,
      actorType: actor?.actorType ?? 'staff',
      actorName: (actor?.actorName ?? staff?.email ?? null)?.slice(0, 255) ?? null,
      event: 'ticket_merged',
      auditableType: 'SupportTicket',
      auditableId: String(into.id),
      clientId: into.clientId,
      description: `Ticket ${from.ticketNumber} merged into ${into.ticketNumber}: ${replies} message(s) and ${attachments} file(s) moved; ${from.ticketNumber} closed.`,
      oldValues: { ticketId: from.id, ticketNumber: from.ticketNumber },
      newValues: { ticketId: into.id, ticketNumber: into.ticketNumber, replies, attachments },
      url: actor?.url ?? null,
      ipAddress: actor?.ipAddress ?? null,
      userAgent: actor?.userAgent ?? null,
    });
    return succeed({ intoTicketId: into.id, intoNumber: into.ticketNumber, moved: { replies, attachments } });
  });
}

function lock(m: EntityManager, id: number): Promise<SupportTicket | null> {
  return forUpdate(m.getRepository<SupportTicket>('SupportTicket').createQueryBuilder('t').where('t.id = :id', { id })).getOne();
}

function mergeCc(a: string | null, b: string | null): string | null {
  const seen = new Set<string>();
  const all = [...(a ?? '').split(','), ...(b ?? '').split(',')].map((s) => s.trim()).filter((s) => s && !seen.has(s.toLowerCase()) && seen.add(s.toLowerCase()));
  return all.length ? all.join(', ') : null;
}
