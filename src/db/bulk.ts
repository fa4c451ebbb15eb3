import type { EntityManager } from 'typeorm';

const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

function sqlValue(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === undefined) return null;
  return v;
}

/**
 * Multi-row INSERT for batch jobs, as plain parameterised SQL that both engines accept: rows are written in chunks
 * without the ORM's per-entity work (hydration, listeners), which dominates when a run writes thousands of rows.
 * Keys are property names (camelCase); columns left out take their database defaults (ids, timestamps).
 * Only for tables whose rows need no entity hooks — the callers fill derived columns themselves.
 */
export async function bulkInsert(m: EntityManager, table: string, rows: Array<Record<string, unknown>>, chunk = 500): Promise<void> {
  await insertChunks(m, table, rows, chunk, () => undefined);
}

async function insertChunks(m: EntityManager, table: string, rows: Array<Record<string, unknown>>, chunk: number, each: (result: unknown, count: number) => void): Promise<void> {
  if (!rows.length) return;
  const keys = Object.keys(rows[0]);
  const columns = keys.map((k) => m.connection.driver.escape(snake(k))).join(', ');
  const placeholder = `(${keys.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    each(await m.query(`INSERT INTO ${m.connection.driver.escape(table)} (${columns}) VALUES ${part.map(() => placeholder).join(', ')}`, part.flatMap((r) => keys.map((k) => sqlValue(r[k])))), part.length);
  }
}

/** `?, ?, ?` for an IN list. */
export const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

const autoIncrementStride = new WeakMap<object, Promise<number | null>>();

/**
 * The step between ids of one multi-row INSERT, when the engine guarantees they are consecutive: SQLite (one writer)
 * always; MariaDB/MySQL only with innodb_autoinc_lock_mode ≤ 1 ("consecutive", the default), stepping by
 * auto_increment_increment (Galera sets that > 1 and lock mode 2, where ids interleave — then null).
 */
function strideOf(m: EntityManager): Promise<number | null> {
  const key = m.connection;
  let probe = autoIncrementStride.get(key);
  if (!probe) {
    probe = (async () => {
      if (m.connection.options.type === 'better-sqlite3' || m.connection.options.type === 'sqlite') return 1;
      const [row] = (await m.query('SELECT @@innodb_autoinc_lock_mode AS mode, @@auto_increment_increment AS inc')) as Array<{ mode: number | string; inc: number | string }>;
      return Number(row.mode) <= 1 ? Number(row.inc) : null;
    })();
    autoIncrementStride.set(key, probe);
  }
  return probe;
}

/**
 * bulkInsert that also answers the new rows' ids in order, read off the INSERT itself instead of a second query —
 * or null where the engine does not promise consecutive ids (the caller then looks the rows up).
 */
export async function bulkInsertReturningIds(m: EntityManager, table: string, rows: Array<Record<string, unknown>>, chunk = 500): Promise<number[] | null> {
  if (!rows.length) return [];
  const stride = await strideOf(m);
  if (stride === null) {
    await bulkInsert(m, table, rows, chunk);
    return null;
  }
  const sqlite = m.connection.options.type === 'better-sqlite3' || m.connection.options.type === 'sqlite';
  const ids: number[] = [];
  await insertChunks(m, table, rows, chunk, (res, count) => {
    // better-sqlite3 reports the last row's id, MariaDB the first's.
    const first = sqlite ? Number(res) - count + 1 : Number((res as { insertId: number }).insertId);
    if (!Number.isFinite(first) || first <= 0) throw new Error(`INSERT into ${table} did not report its ids`);
    for (let k = 0; k < count; k++) ids.push(first + k * stride);
  });
  return ids;
}
