import { Entity, Index, JoinColumn, ManyToOne, OneToMany, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Int, Secret, Status, Text, Timestamp, Varchar } from '../../db/columns.js';
import type { User } from '../access/user.entity.js';
import type { Client } from '../clients/client.entity.js';
import type { Domain } from '../domains/domain.entity.js';
import type { Service } from '../hosting/service.entity.js';
import type { TicketDepartment } from './ticket-department.entity.js';
import type { TicketReply } from './ticket-reply.entity.js';

export const TICKET_STATUSES = ['open', 'answered', 'customer_reply', 'on_hold', 'in_progress', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const TICKET_REPLIERS = ['client', 'staff'] as const;
export type TicketReplier = (typeof TICKET_REPLIERS)[number];

export const TICKET_SOURCES = ['web', 'email', 'admin', 'api'] as const;
export type TicketSource = (typeof TICKET_SOURCES)[number];

/**
 * A support conversation (seed 000 `support_tickets`, seed 003 Tickets). Guests (no client account) are identified by
 * guestName/guestEmail and reach the ticket through an emailed link whose key is stored only as a hash.
 */
@Entity('support_tickets')
@Index(['status'])
@Index(['priority'])
@Index(['status', 'lastReplyAt'])
export class SupportTicket extends Model {
  /** Public reference, e.g. 'TKT-482913'; issued from the 'ticket' number sequence. */
  @Varchar(32, { unique: true })
  ticketNumber: string;

  /** RESTRICT: support history is kept; clients are soft-deleted. */
  @Int({ nullable: true })
  @Index()
  clientId: number | null;

  @ManyToOne('Client', { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'client_id' })
  client: Relation<Client> | null;

  @Varchar(255, { nullable: true })
  guestName: string | null;

  @Varchar(255, { nullable: true })
  guestEmail: string | null;

  /** sha256 of the key in the guest's ticket link. */
  @Secret()
  @Varchar(64, { nullable: true })
  accessKeyHash: string | null;

  /** RESTRICT: move a department's tickets before deleting it. */
  @Int()
  @Index()
  departmentId: number;

  @ManyToOne('TicketDepartment', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'department_id' })
  department: Relation<TicketDepartment>;

  @Int({ nullable: true })
  @Index()
  serviceId: number | null;

  @ManyToOne('Service', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'service_id' })
  service: Relation<Service> | null;

  @Int({ nullable: true })
  @Index()
  domainId: number | null;

  @ManyToOne('Domain', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'domain_id' })
  domain: Relation<Domain> | null;

  @Varchar(255)
  subject: string;

  @Status(TICKET_STATUSES, 'open')
  status: TicketStatus;

  @Status(TICKET_PRIORITIES, 'medium')
  priority: TicketPriority;

  @Status(TICKET_SOURCES, 'web')
  source: TicketSource;

  @Int({ nullable: true })
  @Index()
  assignedToId: number | null;

  @ManyToOne('User', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'assigned_to_id' })
  assignedTo: Relation<User> | null;

  /** Drives the "answered tickets close after N days" job together with status. */
  @Timestamp()
  lastReplyAt: Date | null;

  @Status(TICKET_REPLIERS, null)
  lastReplyBy: TicketReplier | null;

  /** First staff reply, for response-time reports. */
  @Timestamp()
  firstResponseAt: Date | null;

  @Timestamp()
  closedAt: Date | null;

  /** Client's satisfaction rating 1–5 after closing. */
  @Int({ nullable: true })
  rating: number | null;

  /** Extra addresses copied on replies, comma-separated. */
  @Text()
  cc: string | null;

  /** Read in order to show the thread. */
  @OneToMany('TicketReply', (reply: TicketReply) => reply.ticket)
  replies: Relation<TicketReply[]>;
}
