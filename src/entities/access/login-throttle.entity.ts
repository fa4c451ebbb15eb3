import { Entity, Index } from 'typeorm';
import { Model } from '../../db/base.js';
import { Int, Timestamp, Varchar } from '../../db/columns.js';

/**
 * Failed-attempt counters for logins, password resets and 2FA, keyed by IP or by email. In the database rather than in
 * memory so every node of a cluster enforces the same limit and a restart does not reset it.
 */
@Entity('login_throttles')
export class LoginThrottle extends Model {
  /** What is being limited, e.g. 'ip:203.0.113.7', 'email:a@example.com', 'reset:a@example.com'. */
  @Varchar(191, { unique: true })
  key: string;

  @Int({ default: 0 })
  attempts: number;

  /** Start of the current counting window; attempts reset when it has passed. */
  @Timestamp({ nullable: false })
  @Index()
  windowStartedAt: Date;

  @Timestamp()
  lockedUntil: Date | null;
}
