import { AsyncLocalStorage } from 'node:async_hooks';
import { EntityManager, type DataSource } from 'typeorm';

/**
 * SQLite through better-sqlite3 has one connection, and TypeORM shares one query runner over it. Two requests that
 * each open a transaction (every save() does) would interleave on that connection: "cannot start a transaction
 * within a transaction", or one request's writes landing in another's transaction and rolled back with it.
 *
 * So on SQLite every unit of database work runs one at a time: a transaction (explicit, or the implicit one of
 * save/insert/update/delete) holds an async lock from BEGIN to COMMIT, and single queries outside a transaction
 * wait for it. Work already inside the lock (the same async flow) passes straight through, so nested calls and
 * services called from a transaction do not deadlock. SQLite allows one writer at a time anyway, and
 * better-sqlite3 blocks the event loop for each statement, so this costs no real concurrency. MariaDB has a pool of
 * connections and real row locks, and is left alone.
 */
const held = new AsyncLocalStorage<true>();
let tail: Promise<unknown> = Promise.resolve();

export function serially<T>(fn: () => Promise<T>): Promise<T> {
  if (held.getStore()) return fn();
  const run = tail.then(() => held.run(true, fn));
  tail = run.catch(() => undefined);
  return run;
}

const isSqlite = (manager: EntityManager) => manager.connection.driver.options.type === 'better-sqlite3';

const WRITES = ['transaction', 'save', 'remove', 'softRemove', 'recover', 'insert', 'update', 'upsert', 'delete', 'softDelete', 'restore', 'increment', 'decrement', 'clear'] as const;

let managerPatched = false;
const patchedRunners = new WeakSet<object>();

/** Installs the serialisation for a SQLite data source (after initialize); a no-op for other engines. */
export function serializeSqlite(ds: DataSource): void {
  if (ds.driver.options.type !== 'better-sqlite3') return;
  if (!managerPatched) {
    managerPatched = true;
    const proto = EntityManager.prototype as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const name of WRITES) {
      const original = proto[name];
      proto[name] = function (this: EntityManager, ...args: unknown[]) {
        return isSqlite(this) ? serially(() => original.apply(this, args)) : original.apply(this, args);
      };
    }
  }
  const runnerProto = Object.getPrototypeOf(ds.driver.createQueryRunner('master')) as Record<string, (...args: unknown[]) => Promise<unknown>>;
  if (patchedRunners.has(runnerProto)) return;
  patchedRunners.add(runnerProto);
  const query = runnerProto.query;
  runnerProto.query = function (this: unknown, ...args: unknown[]) {
    return serially(() => query.apply(this, args));
  };
}
