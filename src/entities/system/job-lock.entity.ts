import { Entity } from 'typeorm';
import { Model } from '../../db/base.js';
import { Timestamp, Varchar } from '../../db/columns.js';

/**
 * A lease that one process at a time may hold for a scheduled job (the daily billing run), across processes and
 * machines sharing the database. A holder that dies loses it when `lockedUntil` passes; a live one renews it.
 */
@Entity('job_locks')
export class JobLock extends Model {
  @Varchar(64, { unique: true })
  name: string;

  /** host:pid:random of the current holder; null when free. */
  @Varchar(128, { nullable: true })
  holder: string | null;

  @Timestamp()
  lockedUntil: Date | null;
}
