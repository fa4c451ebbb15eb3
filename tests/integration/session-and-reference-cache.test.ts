import { randomBytes } from 'node:crypto';
import type session from 'express-session';
import { openTestDb, testEngine, type TestDb } from '../helpers/db.js';
import { DatabaseSessionStore } from '../../src/db/session-store.js';
import { ReferenceCache, referenceCache } from '../../src/db/reference-cache.js';
import { readSettings } from '../../src/domain/settings.js';

type Row = Record<string, any>;

/**
 * The two things the client area's hot path leans on to stay fast without going stale: the session store reads a
 * session in one query and does not rewrite its expiry on every page view, and the reference cache (settings,
 * currencies, announcements, login checks) forgets an entry as soon as TypeORM writes its table.
 */
describe(`session store and reference cache on ${testEngine()}`, () => {
  let db: TestDb;
  const call = <T>(fn: (cb: (err: unknown, v?: T) => void) => void) => new Promise<T | undefined>((ok, ko) => fn((err, v) => (err ? ko(err) : ok(v))));
  const sessionRow = async (sid: string) => (await db.ds.getRepository('Session').findOneBy({ sid })) as Row | null;

  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => db.close());

  describe('session store', () => {
    /** A session as express-session hands it over for a browser-session cookie (no expiry of its own). */
    const fresh = () => ({ cookie: { originalMaxAge: null }, clientCsrf: 'token' }) as unknown as session.SessionData;

    it('stores, reads back and ends a session, and treats an expired row as no session', async () => {
      const store = new DatabaseSessionStore(db.ds, 3_600_000, 0);
      const sid = randomBytes(16).toString('hex');
      await call((cb) => store.set(sid, fresh(), cb));
      expect(await call<session.SessionData | null>((cb) => store.get(sid, cb))).toMatchObject({ clientCsrf: 'token' });
      const expires = new Date((await sessionRow(sid))!.expiresAt).getTime();
      expect(Math.abs(expires - (Date.now() + 3_600_000))).toBeLessThan(60_000);

      await db.ds.getRepository('Session').update({ sid }, { expiresAt: new Date(Date.now() - 1000) });
      expect(await call((cb) => new DatabaseSessionStore(db.ds, 3_600_000, 0).get(sid, cb))).toBeNull();
      await call((cb) => store.destroy(sid, cb));
      expect(await sessionRow(sid)).toBeNull();
      expect(await call((cb) => store.get('no-such-session', cb))).toBeNull();
    });

    it('moves the idle expiry forward only when it has moved by more than a minute, not on every request', async () => {
      const store = new DatabaseSessionStore(db.ds, 3_600_000, 0);
      const sid = randomBytes(16).toString('hex');
      await call((cb) => store.set(sid, fresh(), cb));
      const first = new Date((await sessionRow(sid))!.expiresAt).getTime();

      // A page view seconds later: nothing written.
      await db.ds.getRepository('Session').update({ sid }, { expiresAt: new Date(first - 30_000) });
      await call((cb) => store.get(sid, cb));
      await call((cb) => store.touch(sid, fresh(), cb));
      expect(new Date((await sessionRow(sid))!.expiresAt).getTime()).toBe(first - 30_000);

      // Once the stored expiry lags by more than a minute, the touch writes the new one.
      await db.ds.getRepository('Session').update({ sid }, { expiresAt: new Date(first - 120_000) });
      await call((cb) => store.get(sid, cb));
      await call((cb) => store.touch(sid, fresh(), cb));
      expect(new Date((await sessionRow(sid))!.expiresAt).getTime()).toBeGreaterThanOrEqual(first - 1000);
    });
  });

  describe('reference cache', () => {
    it('keeps a value for its time to live, drops it after, and never keeps a failed load', async () => {
      let now = 1_000;
      const cache = new ReferenceCache(5_000, () => now);
      let loads = 0;
      const load = async () => ++loads;
      expect(await cache.get('Setting', 'k', load)).toBe(1);
      now += 4_000;
      expect(await cache.get('Setting', 'k', load)).toBe(1);
      now += 2_000;
      expect(await cache.get('Setting', 'k', load)).toBe(2);

      await expect(cache.get('Setting', 'broken', async () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
      expect(await cache.get('Setting', 'broken', load)).toBe(3);
      cache.invalidate('Setting');
      expect(await cache.get('Setting', 'k', load)).toBe(4);
    });

    it('forgets a table as soon as TypeORM saves, updates or deletes a row of it', async () => {
      const cache = referenceCache(db.ds);
      const company = () => cache.get('Setting', 'company.', () => readSettings(db.ds, 'company.'));
      const repo = db.ds.getRepository('Setting');
      await repo.save(repo.create({ key: 'company.name', value: 'Old Name', type: 'string' }));
      expect((await company()).get('company.name')).toBe('Old Name');

      await repo.update({ key: 'company.name' }, { value: 'New Name' });
      expect((await company()).get('company.name')).toBe('New Name');

      const row = (await repo.findOneByOrFail({ key: 'company.name' })) as Row;
      row.value = 'Saved Name';
      await repo.save(row);
      expect((await company()).get('company.name')).toBe('Saved Name');

      await repo.delete({ key: 'company.name' });
      expect((await company()).get('company.name')).toBeUndefined();

      // Another table's write leaves the entry alone (the same Map comes back).
      const before = await company();
      await db.ds.getRepository('Currency').save(db.ds.getRepository('Currency').create({ code: 'CHF', prefix: 'CHF ', exchangeRate: '1' }));
      expect(await company()).toBe(before);
    });
  });
});
