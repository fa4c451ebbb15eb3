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
  if (!rows.length) return;
  const keys = Object.keys(rows[0]);
  const columns = keys.map((k) => m.connection.driver.escape(snake(k))).join(', ');
  const placeholder = `(${keys.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    await m.query(`INSERT INTO ${m.connection.driver.escape(table)} (${columns}) VALUES ${part.map(() => placeholder).join(', ')}`, part.flatMap((r) => keys.map((k) => sqlValue(r[k]))));
  }
}

/** `?, ?, ?` for an IN list. */
export const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
