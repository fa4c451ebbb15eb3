import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Int, Secret, Text, Timestamp, Varchar } from '../../db/columns.js';
import type { User } from './user.entity.js';

/**
 * Rows of the express-session store, shared by every node. The session id is a bearer credential and the data may
 * hold CSRF and 2FA state, so both are secret: the admin shows only whose session it is and when it expires.
 */
@Entity('sessions')
export class Session extends Model {
  @Varchar(128, { unique: true })
  @Secret()
  sid: string;

  /** Serialised session JSON as express-session hands it over. */
  @Text({ nullable: false })
  @Secret()
  sessionData: string;

  /** Expired rows are purged by this column. */
  @Timestamp({ nullable: false })
  @Index()
  expiresAt: Date;

  /** Logged-in user, copied out of the data so "log out everywhere" and the admin list need no JSON parsing. */
  @Int({ nullable: true })
  @Index()
  userId: number | null;

  @ManyToOne('User', { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user: Relation<User> | null;
}
