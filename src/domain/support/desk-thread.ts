import type { DataSource } from 'typeorm';
import type { SupportTicket } from '../../entities/support/support-ticket.entity.js';
import type { TicketReply } from '../../entities/support/ticket-reply.entity.js';
import type { TicketAttachment } from '../../entities/support/ticket-attachment.entity.js';

export interface StaffThreadMessage {
  id: number;
  authorType: string;
  authorName: string;
  internal: boolean;
  message: string;
  createdAt: string;
  attachments: Array<{ id: number; fileName: string; sizeBytes: number }>;
}

export interface StaffThread {
  id: number;
  number: string;
  subject: string;
  status: string;
  priority: string;
  messages: StaffThreadMessage[];
  /** Files attached to the ticket as a whole. */
  attachments: StaffThreadMessage['attachments'];
}

/** The whole conversation for staff, oldest first, internal notes included and marked. Plain data for the admin. */
export async function staffThread(ds: DataSource, ticketId: number): Promise<StaffThread | null> {
  const t = await ds.getRepository<SupportTicket>('SupportTicket').findOneBy({ id: ticketId });
  if (!t) return null;
  const replies = await ds.getRepository<TicketReply>('TicketReply').find({ where: { ticketId }, order: { createdAt: 'ASC', id: 'ASC' } });
  const files = await ds.getRepository<TicketAttachment>('TicketAttachment').find({ where: { ticketId }, order: { id: 'ASC' } });
  const filesOf = (replyId: number | null) => files.filter((f) => f.replyId === replyId).map((f) => ({ id: f.id, fileName: f.fileName, sizeBytes: f.sizeBytes }));
  return {
    id: t.id,
    number: t.ticketNumber,
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    messages: replies.map((r) => ({ id: r.id, authorType: r.authorType, authorName: r.authorName, internal: r.isInternalNote, message: r.message, createdAt: new Date(r.createdAt).toISOString(), attachments: filesOf(r.id) })),
    attachments: filesOf(null),
  };
}
