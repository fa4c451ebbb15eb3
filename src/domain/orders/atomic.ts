import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '../../db/transaction.js';
import type { Failure, Outcome } from '../shared/outcome.js';

/**
 * Returning a Failure from inside a transaction would commit whatever was written before the failure was found
 * (a stock unit taken, a promotion use counted). So order work throws an Abort instead, which rolls the transaction
 * back, and the Failure is handed to the caller afterwards.
 */
export class Abort extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
    this.name = 'Abort';
  }
}

export const abort = (failure: Failure): never => {
  throw new Abort(failure);
};

/** Runs `work` in a transaction (deadlock victims retried by inTransaction); an Abort rolls back and is returned. */
export async function atomically<T extends object>(ds: DataSource, work: (m: EntityManager) => Promise<Outcome<T>>): Promise<Outcome<T>> {
  try {
    return await inTransaction(ds, async (m) => {
      const out = await work(m);
      if (!out.ok) throw new Abort(out);
      return out;
    });
  } catch (e) {
    if (e instanceof Abort) return e.failure;
    throw e;
  }
}
