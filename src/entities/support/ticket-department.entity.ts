import { Entity, Index } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, Int, Text, Varchar } from '../../db/columns.js';

/** A support queue tickets are routed to (seed 000 `ticket_departments`, seed 003 Departments). */
@Entity('ticket_departments')
@Index(['sortOrder'])
export class TicketDepartment extends Model {
  @Varchar(100, { unique: true })
  name: string;

  @Text()
  description: string | null;

  /** Address replies are sent from and mail is piped in to. */
  @Varchar(255, { nullable: true })
  email: string | null;

  /** Hidden departments take tickets from staff and email piping but are not offered in the client area. */
  @Bool()
  hidden: boolean;

  @Int({ default: 0 })
  sortOrder: number;

  /** Send the "ticket opened" acknowledgement. */
  @Bool({ default: true })
  autoRespond: boolean;

  /** Refuse tickets from unknown senders (guests), e.g. for a billing queue. */
  @Bool()
  clientsOnly: boolean;
}
