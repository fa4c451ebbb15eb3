import session from 'express-session';
import { LessThan, type DataSource } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';

const TOUCH_GRANULARITY_MS = 60_000;

/** A Map that forgets its oldest entries past a size, so a flood of one-off sessions cannot grow memory. */
class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }
  override set(key: K, value: V): this {
    if (this.has(key)) this.delete(key);
    else if (this.size >= this.max) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}

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

  /** The expiry last read or written per session id by this process (bounded: oldest entries dropped first). */
  private readonly written = new BoundedMap<string, number>(50_000);

  private get repo() {
    return this.ds.getRepository('Session');
  }

  // Looked up once: get() runs on every request of a signed-in person.
  private expiresColumnCache: ColumnMetadata | undefined;
  private get expiresColumn(): ColumnMetadata {
    return (this.expiresColumnCache ??= this.ds.getMetadata('Session').findColumnWithPropertyName('expiresAt')!);
  }

  private expiry(sess: SessionData): Date {
    const cookieExpiry = sess.cookie?.expires ? new Date(sess.cookie.expires) : null;
    return cookieExpiry && !Number.isNaN(cookieExpiry.getTime()) ? cookieExpiry : new Date(Date.now() + this.defaultTtlMs);
  }

  /**
   * Read on every request of a signed-in person, so it is one plain SELECT by the unique sid (no query builder),
   * with the expiry converted by the engine's own driver.
   */
  get(sid: string, cb: (err: unknown, session?: SessionData | null) => void): void {
    this.ds
      .query('SELECT session_data, expires_at FROM sessions WHERE sid = ?', [sid])
      .then((rows: Array<{ session_data: string; expires_at: unknown }>) => {
        const row = rows[0];
        if (!row) return cb(null, null);
        const expiresAt = this.ds.driver.prepareHydratedValue(row.expires_at, this.expiresColumn) as Date | null;
        if (expiresAt && expiresAt.getTime() <= Date.now()) return cb(null, null);
        this.written.set(sid, expiresAt?.getTime() ?? 0);
        cb(null, JSON.parse(row.session_data));
      })
      .catch(cb);
  }

  set(sid: string, sess: SessionData, cb?: (err?: unknown) => void): void {
    const userId = sess.adminUser?.id ?? sess.clientUser?.id ?? null;
    const expiresAt = this.expiry(sess);
    this.repo
      .upsert({ sid, sessionData: JSON.stringify(sess), expiresAt, userId }, ['sid'])
      .then(() => {
        this.written.set(sid, expiresAt.getTime());
        cb?.();
      })
      .catch((e) => cb?.(e));
  }

  /**
   * express-session touches a rolling session on every response. Writing the new expiry each time would make every
   * page view of a signed-in person a database write; the expiry only needs to move forward by more than a minute
   * to be worth storing (a session then lasts its full idle time give or take that minute).
   */
  touch(sid: string, sess: SessionData, cb?: (err?: unknown) => void): void {
    const expiresAt = this.expiry(sess);
    const stored = this.written.get(sid);
    if (stored !== undefined && expiresAt.getTime() - stored < TOUCH_GRANULARITY_MS) {
      cb?.();
      return;
    }
    this.repo
      .update({ sid }, { expiresAt })
      .then(() => {
        this.written.set(sid, expiresAt.getTime());
        cb?.();
      })
      .catch((e) => cb?.(e));
  }

  destroy(sid: string, cb?: (err?: unknown) => void): void {
    this.written.delete(sid);
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
