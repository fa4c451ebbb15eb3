import session from 'express-session';
import { LessThan, type DataSource } from 'typeorm';

type SessionData = session.SessionData & { adminUser?: { id?: number }; clientUser?: { id?: number } };

/**
 * express-session store on the application's own database (the `sessions` table), so a restart keeps people
 * logged in and several nodes behind a load balancer share sessions, with no extra service to run.
 */
export class DatabaseSessionStore extends session.Store {
  private pruneTimer: NodeJS.Timeout | undefined;

  constructor(private readonly ds: DataSource, private readonly defaultTtlMs = 12 * 3600_000, pruneEveryMs = 15 * 60_000) {
    super();
    if (pruneEveryMs > 0) {
      this.pruneTimer = setInterval(() => void this.prune().catch(() => undefined), pruneEveryMs);
      this.pruneTimer.unref();
    }
  }

  private get repo() {
    return this.ds.getRepository('Session');
  }

  private expiry(sess: SessionData): Date {
    const cookieExpiry = sess.cookie?.expires ? new Date(sess.cookie.expires) : null;
    return cookieExpiry && !Number.isNaN(cookieExpiry.getTime()) ? cookieExpiry : new Date(Date.now() + this.defaultTtlMs);
  }

  get(sid: string, cb: (err: unknown, session?: SessionData | null) => void): void {
    this.repo
      .findOne({ where: { sid } })
      .then((row) => {
        if (!row || (row.expiresAt && new Date(row.expiresAt) <= new Date())) return cb(null, null);
        cb(null, JSON.parse(row.sessionData as string));
      })
      .catch(cb);
  }

  set(sid: string, sess: SessionData, cb?: (err?: unknown) => void): void {
    const userId = sess.adminUser?.id ?? sess.clientUser?.id ?? null;
    this.repo
      .upsert({ sid, sessionData: JSON.stringify(sess), expiresAt: this.expiry(sess), userId }, ['sid'])
      .then(() => cb?.())
      .catch((e) => cb?.(e));
  }

  touch(sid: string, sess: SessionData, cb?: (err?: unknown) => void): void {
    this.repo
      .update({ sid }, { expiresAt: this.expiry(sess) })
      .then(() => cb?.())
      .catch((e) => cb?.(e));
  }

  destroy(sid: string, cb?: (err?: unknown) => void): void {
    this.repo
      .delete({ sid })
      .then(() => cb?.())
      .catch((e) => cb?.(e));
  }

  /** Ends every session of a user (after a password change or lockout), optionally keeping the current one. */
  async destroyForUser(userId: number, exceptSid?: string): Promise<void> {
    const rows = await this.repo.find({ where: { userId }, select: ['sid'] as never });
    for (const r of rows) if (r.sid !== exceptSid) await this.repo.delete({ sid: r.sid });
  }

  async prune(): Promise<number> {
    const res = await this.repo.delete({ expiresAt: LessThan(new Date()) });
    return res.affected ?? 0;
  }

  close(): void {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
  }
}
