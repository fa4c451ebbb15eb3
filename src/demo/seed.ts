import bcrypt from 'bcryptjs';
import type { DataSource } from 'typeorm';
import { Client } from '../entities/clients/client.entity.js';
import { Setting } from '../entities/system/setting.entity.js';
import { DemoBuilder } from './builder.js';
import { DEMO_CLIENTS, DEMO_STAFF, clientEmail } from './content-people.js';
import { todayIn } from './dates.js';

/**
 * Demo data for a first start: a believable hosting company ("Meridian Demo Hosting") with staff, clients, catalogue,
 * services, domains, orders, invoices and payments, support tickets and content. Deterministic: a seeded PRNG and
 * dates relative to "today" make every fresh install look the same.
 */

/** One staff login per default role, printed at start-up for the new user. */
export const DEMO_LOGINS: Array<{ role: string; email: string; password: string }> = DEMO_STAFF.filter((s) => ['admin', 'billing', 'support', 'readonly'].includes(s.key)).map(
  (s) => ({ role: s.role, email: s.email, password: s.password! }),
);

/** A client-area login (clients with a login all share this demo password). */
export const DEMO_CLIENT_LOGIN = { email: clientEmail(DEMO_CLIENTS.find((c) => c.login)!), password: 'meridian-client' };

/** Setting written in the same transaction as the data: the demo is never seeded twice, even after clients are deleted. */
export const DEMO_MARKER_KEY = 'demo.seededAt';

class NotEmpty extends Error {}

export interface SeedDemoOptions {
  /** IANA zone of the business: "today" is computed there. */
  timezone: string;
  log?: (message: string) => void;
  /** YYYY-MM-DD; defaults to today in `timezone`. */
  today?: string;
}

async function alreadyHasData(ds: DataSource): Promise<boolean> {
  if ((await ds.getRepository(Setting).count({ where: { key: DEMO_MARKER_KEY } })) > 0) return true;
  return (await ds.getRepository(Client).count({ withDeleted: true })) > 0;
}

/**
 * Seeds the demo company on a database that has no clients (soft-deleted ones included) and returns true; otherwise
 * does nothing and returns false. The check and every insert run in one transaction, so a crash leaves nothing
 * half-seeded, and a concurrent second node either waits and finds the marker or fails on its unique key.
 * Requires the default roles to exist (RbacService.sync runs first).
 */
export async function seedDemoData(ds: DataSource, opts: SeedDemoOptions): Promise<boolean> {
  const log = opts.log ?? (() => undefined);
  if (await alreadyHasData(ds)) return false;

  const started = Date.now();
  const realToday = todayIn(opts.timezone);
  const today = opts.today ?? realToday;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`seedDemoData: today must be YYYY-MM-DD, got "${today}"`);
  const nowMs = today === realToday ? Date.now() : Date.parse(`${today}T17:00:00Z`);

  // Hash outside the transaction: bcrypt is the slowest part and needs no lock.
  const staffHashes = new Map<string, string>();
  for (const s of DEMO_STAFF) if (s.password) staffHashes.set(s.key, await bcrypt.hash(s.password, 10));
  const clientHash = await bcrypt.hash(DEMO_CLIENT_LOGIN.password, 10);
  const hashedAt = Date.now();

  try {
    const summary = await ds.transaction(async (m) => {
      if ((await m.count(Setting, { where: { key: DEMO_MARKER_KEY } })) > 0) throw new NotEmpty();
      // Written first: takes the write lock (SQLite) or the unique-key lock (MariaDB) before anything is read.
      await m
        .createQueryBuilder()
        .insert()
        .into(Setting)
        .values({ key: DEMO_MARKER_KEY, value: new Date(nowMs).toISOString(), type: 'string', groupName: 'System', description: 'When the demo data was loaded. Its presence stops the demo from being loaded again.', isPublic: false, secretValue: null })
        .updateEntity(false)
        .callListeners(false)
        .execute();
      if ((await m.count(Client, { withDeleted: true })) > 0) throw new NotEmpty();
      return new DemoBuilder({ m, today, nowMs, staffHashes, clientHash }).run();
    });
    const ms = Date.now() - started;
    log(`demo data loaded: ${summary.rows} rows in ${ms} ms (${hashedAt - started} ms hashing demo passwords, ${Date.now() - hashedAt} ms writing)`);
    return true;
  } catch (e) {
    if (e instanceof NotEmpty) return false;
    // Another node seeded at the same moment: its marker is there now.
    if ((await ds.getRepository(Setting).count({ where: { key: DEMO_MARKER_KEY } }).catch(() => 0)) > 0) return false;
    throw e;
  }
}
