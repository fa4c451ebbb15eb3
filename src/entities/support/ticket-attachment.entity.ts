import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Int, Varchar } from '../../db/columns.js';
import type { SupportTicket } from './support-ticket.entity.js';
import type { TicketReply } from './ticket-reply.entity.js';

/**
 * A file uploaded to a ticket (seed 004 "ticket replies and attachments"). Files live outside the web root under a
 * generated storagePath; fileName is only the name the uploader gave, never used as a path.
 */
@Entity('ticket_attachments')
export class TicketAttachment extends Model {
  @Int()
  @Index()
  ticketId: number;

  @ManyToOne('SupportTicket', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id' })
  ticket: Relation<SupportTicket>;

  /** The message it came with; null for files attached to the ticket as a whole. */
  @Int({ nullable: true })
  @Index()
  replyId: number | null;

  @ManyToOne('TicketReply', { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'reply_id' })
  reply: Relation<TicketReply> | null;

  @Varchar(255)
  fileName: string;

  @Varchar(127)
  contentType: string;

  @Int()
  sizeBytes: number;

  @Varchar(512)
  storagePath: string;

  /** Hex sha256 of the content, to spot duplicates and tampering. */
  @Varchar(64, { nullable: true })
  sha256: string | null;
}
