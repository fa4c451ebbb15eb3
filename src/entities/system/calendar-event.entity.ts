import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, Int, Text, Timestamp, Varchar } from '../../db/columns.js';
import type { User } from '../access/user.entity.js';

/** An entry in the staff calendar (seed 000 `calendar_events`). Without a user it is shared with all staff. */
@Entity('calendar_events')
export class CalendarEvent extends Model {
  @Varchar(255)
  title: string;

  @Text()
  description: string | null;

  @Timestamp({ nullable: false })
  @Index()
  startAt: Date;

  @Timestamp()
  endAt: Date | null;

  /** Times are ignored; the event covers whole days. */
  @Bool()
  allDay: boolean;

  /** CSS colour, e.g. '#3b82f6'. */
  @Varchar(16, { nullable: true })
  color: string | null;

  /** Owner of a private event; null = shared. */
  @Int({ nullable: true })
  @Index()
  userId: number | null;

  // A private event has no meaning without its owner; SET NULL would publish it to everyone.
  @ManyToOne('User', { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user: Relation<User> | null;
}
