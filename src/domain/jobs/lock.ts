import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { DataSource } from 'typeorm';
import type { Clock } from '../shared/clock.js';

/**
 * A lease on a named job in the job_locks table: one holder at a time across processes and machines. Taking it is
 * one conditional UPDATE (free, or the previous lease has run out), so two runs started together cannot both win.
 */
export class JobLease {
  readonly holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  constructor(private readonly ds: DataSource, private readonly clock: Clock) {}

  async acquire(name: string, ttlMs: number): Promise<boolean> {
    await this.ds.getRepository('JobLock').createQueryBuilder().insert().values({ name, holder: null, lockedUntil: null }).orIgnore().updateEntity(false).execute();
    const now = this.clock.now();
    const res = await this.ds
      .getRepository('JobLock')
      .createQueryBuilder()
      .update()
      .set({ holder: this.holder, lockedUntil: new Date(now.getTime() + ttlMs) })
      .where('name = :name AND (holder IS NULL OR locked_until < :now)', { name, now })
      .execute();
    return (res.affected ?? 0) === 1;
  }

  /** Extends a held lease; false if it was lost (it ran out and someone else took it). */
  async renew(name: string, ttlMs: number): Promise<boolean> {
    const res = await this.ds
      .getRepository('JobLock')
      .createQueryBuilder()
      .update()
      .set({ lockedUntil: new Date(this.clock.now().getTime() + ttlMs) })
      .where('name = :name AND holder = :holder', { name, holder: this.holder })
      .execute();
    return (res.affected ?? 0) === 1;
  }

  async release(name: string): Promise<void> {
    await this.ds
      .getRepository('JobLock')
      .createQueryBuilder()
      .update()
      .set({ holder: null, lockedUntil: null })
      .where('name = :name AND holder = :holder', { name, holder: this.holder })
      .execute();
  }
}
