import type { DataSource, EntityManager } from 'typeorm';

/** MariaDB/MySQL answers these when two transactions wait on each other; the loser is rolled back and may retry. */
const RETRYABLE = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

function isRetryable(e: unknown): boolean {
  const err = e as { code?: string; driverError?: { code?: string } };
  return RETRYABLE.has(err?.code ?? '') || RETRYABLE.has(err?.driverError?.code ?? '');
}

/**
 * Runs `work` in a transaction, retrying it from the start when the database chose it as a deadlock victim — a
 * normal event under concurrency with row locks, after which nothing of the attempt remains. `work` must therefore
 * only change the database (no emails, no HTTP calls) so that running it again is safe.
 */
export async function inTransaction<T>(ds: DataSource, work: (m: EntityManager) => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ds.transaction(work);
    } catch (e) {
      if (attempt >= attempts || !isRetryable(e)) throw e;
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 20 * attempt)));
    }
  }
}
