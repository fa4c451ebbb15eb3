import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, Int, Status, Text, Varchar } from '../../db/columns.js';
import type { User } from '../access/user.entity.js';
import type { SupportTicket } from './support-ticket.entity.js';

export const TICKET_AUTHOR_TYPES = ['client', 'staff', 'guest', 'system'] as const;
export type TicketAuthorType = (typeof TICKET_AUTHOR_TYPES)[number];

/**
 * One message in a ticket thread (seed 000 `ticket_replies`, seed 003 Ticket Replies). The opening message is the
 * first reply, so the thread is a single ordered list. The author's name is copied so the thread still reads right
 * after a user is deleted.
 */
@Entity('ticket_replies')
@Index(['ticketId', 'createdAt'])
export class TicketReply extends Model {
  @Int()
  @Index()
  ticketId: number;

  @ManyToOne('SupportTicket', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id' })
  ticket: Relation<SupportTicket>;

  @Int({ nullable: true })
  @Index()
  userId: number | null;

  @ManyToOne('User', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'user_id' })
  user: Relation<User> | null;

  @Status(TICKET_AUTHOR_TYPES, null, { nullable: false })
  authorType: TicketAuthorType;

  @Varchar(255)
  authorName: string;

  @Varchar(255, { nullable: true })
  authorEmail: string | null;

  /** Stored as written; escaped or sanitised on output (stored XSS in ticket messages is a known peer bug). */
  @Text({ nullable: false })
  message: string;

  /** Staff-only note: never shown to the client or emailed. */
  @Bool()
  isInternalNote: boolean;

  @Varchar(45, { nullable: true })
  ipAddress: string | null;
}
