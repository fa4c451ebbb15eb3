import { Between, Equal, LessThanOrEqual, MoreThanOrEqual, Raw, type FindOperator } from 'typeorm';

interface FilterElement {
  path: string;
  value: unknown;
  property?: { type(): string; availableValues(): unknown[] | null } | null;
}

// '!' as the LIKE escape character works the same on SQLite (which has no default) and MariaDB.
const escapeLike = (s: string) => s.replace(/[!%_]/g, (c) => `!${c}`);
let paramSeq = 0;
const contains = (text: string) => {
  const name = `q${(paramSeq = (paramSeq + 1) % 1e9)}`;
  return Raw((alias) => `${alias} LIKE :${name} ESCAPE '!'`, { [name]: `%${escapeLike(text)}%` });
};

function range(value: { from?: string; to?: string }, convert: (s: string) => unknown): FindOperator<unknown> | undefined {
  const from = value.from ? convert(value.from) : undefined;
  const to = value.to ? convert(value.to) : undefined;
  if (from !== undefined && to !== undefined) return Between(from, to);
  if (from !== undefined) return MoreThanOrEqual(from);
  if (to !== undefined) return LessThanOrEqual(to);
  return undefined;
}

/**
 * AdminJS list filters → TypeORM where. Every value reaches the database as a bound parameter (never spliced into
 * SQL). Text matches are substring LIKE with the wildcards in the user's text escaped; ids, numbers, statuses and
 * booleans match exactly; dates and amounts take from/to ranges.
 */
export function convertFilters(filters: Record<string, FilterElement>): Record<string, unknown> {
  const where: Record<string, unknown> = {};
  for (const [key, f] of Object.entries(filters)) {
    const type = f.property?.type() ?? 'string';
    const v = f.value;
    if (v === undefined || v === '') continue;
    if (typeof v === 'object' && v !== null) {
      const isDate = type === 'date' || type === 'datetime';
      const op = range(v as { from?: string; to?: string }, (s) => (isDate && type === 'datetime' ? new Date(s) : s));
      if (op) where[key] = op;
      continue;
    }
    const text = String(v);
    if (type === 'boolean') where[key] = text === 'true';
    else if (type === 'number' || type === 'reference' || type === 'currency' || f.property?.availableValues()) where[key] = Equal(text);
    else if (type === 'string' || type === 'textarea' || type === 'richtext') where[key] = contains(text);
    else where[key] = Equal(text);
  }
  return where;
}
