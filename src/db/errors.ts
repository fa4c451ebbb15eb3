/** A unique index refused a row (MariaDB ER_DUP_ENTRY, SQLite SQLITE_CONSTRAINT_UNIQUE): someone else got there first. */
export function isDuplicateKey(e: unknown): boolean {
  const err = e as { code?: string; driverError?: { code?: string }; message?: string };
  const code = err.code ?? err.driverError?.code ?? '';
  return code === 'ER_DUP_ENTRY' || code.startsWith('SQLITE_CONSTRAINT') || /UNIQUE constraint failed|Duplicate entry/i.test(err.message ?? '');
}
