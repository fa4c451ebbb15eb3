import type { EntityManager } from 'typeorm';
import { forUpdate } from '../../db/locking.js';

/** The sequences Meridian numbers documents from, with the format each starts with. */
export const DEFAULT_SEQUENCES: Record<string, { format: string; resetYearly: boolean }> = {
  invoice: { format: 'INV-{YYYY}-{NNNNN}', resetYearly: true },
  credit_note: { format: 'CN-{YYYY}-{NNNNN}', resetYearly: true },
  order: { format: 'ORD-{NNNNN}', resetYearly: false },
  ticket: { format: 'TKT-{NNNNNN}', resetYearly: false },
  quote: { format: 'Q-{NNNNN}', resetYearly: false },
};

interface SequenceRow {
  id: number;
  name: string;
  format: string;
  nextValue: number;
  resetYearly: boolean;
  lastYear: number | null;
}

/** Fills a format: {YYYY} {YY} {MM} {DD} from the document date, {NNNNN} as the counter padded to that width. */
export function formatNumber(format: string, value: number, date: string): string {
  const [yyyy, mm, dd] = date.split('-');
  return format
    .replace(/\{YYYY\}/g, yyyy)
    .replace(/\{YY\}/g, yyyy.slice(2))
    .replace(/\{MM\}/g, mm)
    .replace(/\{DD\}/g, dd)
    .replace(/\{(N+)\}/g, (_m, n: string) => String(value).padStart(n.length, '0'));
}

/** Creates the standard sequences that are missing (at start-up), so claiming never has to create one under load. */
export async function ensureSequences(m: EntityManager | { getRepository: EntityManager['getRepository'] }): Promise<void> {
  const repo = m.getRepository('NumberSequence');
  for (const [name, defaults] of Object.entries(DEFAULT_SEQUENCES)) {
    await repo.createQueryBuilder().insert().values({ name, ...defaults, nextValue: 1 }).orIgnore().updateEntity(false).execute();
  }
}

/**
 * Claims the next number of a sequence. Must run inside the transaction that stores the document: the counter row
 * is read under a row lock (MariaDB) or inside the serialised transaction (SQLite), so two documents created at the
 * same moment can never get the same number — and the unique index on each number column backs that up.
 * `date` is the document's business date ('YYYY-MM-DD'): it fills {YYYY} and drives the yearly restart.
 */
export async function claimNumber(m: EntityManager, name: string, date: string): Promise<string> {
  return (await claimNumbers(m, name, date, 1))[0];
}

/** Claims `count` consecutive numbers at once (the billing run numbers a whole batch of invoices with one lock). */
export async function claimNumbers(m: EntityManager, name: string, date: string, count: number): Promise<string[]> {
  if (count <= 0) return [];
  const repo = m.getRepository('NumberSequence');
  if (!(await repo.exists({ where: { name } }))) {
    const defaults = DEFAULT_SEQUENCES[name] ?? { format: `${name.toUpperCase()}-{NNNNN}`, resetYearly: false };
    // Another transaction may create it at the same moment; the unique name makes that harmless.
    await repo.createQueryBuilder().insert().values({ name, ...defaults, nextValue: 1 }).orIgnore().updateEntity(false).execute();
  }
  const row = (await forUpdate(repo.createQueryBuilder('s').where('s.name = :name', { name })).getOneOrFail()) as SequenceRow;
  const year = Number(date.slice(0, 4));
  const value = row.resetYearly && row.lastYear !== null && row.lastYear !== year ? 1 : row.nextValue;
  await repo.update({ id: row.id }, { nextValue: value + count, lastYear: year });
  return Array.from({ length: count }, (_, i) => formatNumber(row.format, value + i, date));
}
