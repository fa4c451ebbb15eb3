import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

export type Row = Record<string, unknown>;

/**
 * Batched inserts for seeding: multi-row INSERTs of at most 200 rows, without TypeORM re-reading defaults or calling
 * subscribers (nobody is acting, so there is nothing to audit). Generated ids are computed from what the driver
 * returns — SQLite the last rowid, MariaDB the first id (stepping by auto_increment_increment) — as TypeORM does.
 * Entity listeners do not run on plain objects, so callers fill derived columns (displayName, priceKey, …) themselves.
 */
export class Writer {
  readonly counts: Record<string, number> = {};
  private engine: 'sqlite' | 'mysql' = 'sqlite';
  private idStep = 1;

  constructor(readonly m: EntityManager) {}

  async init(): Promise<void> {
    const type = String(this.m.connection.driver.options.type);
    this.engine = type === 'mysql' || type === 'mariadb' ? 'mysql' : 'sqlite';
    if (this.engine === 'mysql') {
      const rows = (await this.m.query('SELECT @@auto_increment_increment AS inc')) as Array<{ inc: number | string }>;
      this.idStep = Number(rows[0]?.inc ?? 1) || 1;
    }
  }

  /** Inserts the rows in order and returns their generated ids in the same order. */
  async insert(entity: EntityTarget<ObjectLiteral>, rows: Row[]): Promise<number[]> {
    const ids: number[] = [];
    const name = typeof entity === 'function' ? entity.name : String(entity);
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200);
      const res = await this.m.createQueryBuilder().insert().into(entity).values(chunk).updateEntity(false).callListeners(false).execute();
      const first = this.engine === 'sqlite' ? Number(res.raw) - (chunk.length - 1) : Number((res.raw as { insertId?: number | string }).insertId);
      if (!Number.isSafeInteger(first) || first <= 0) throw new Error(`demo seed: could not read the ids inserted into ${name}`);
      const step = this.engine === 'mysql' ? this.idStep : 1;
      for (let k = 0; k < chunk.length; k++) ids.push(first + k * step);
    }
    this.counts[name] = (this.counts[name] ?? 0) + rows.length;
    return ids;
  }

  /** Inserts one row per plan object and stores each generated id on its plan object. */
  async insertPlans<T extends { id: number }>(entity: EntityTarget<ObjectLiteral>, plans: T[], toRow: (p: T) => Row): Promise<void> {
    const ids = await this.insert(entity, plans.map(toRow));
    plans.forEach((p, i) => (p.id = ids[i]));
  }

  /** UPDATE … WHERE id = :id, without subscribers. */
  async update(entity: EntityTarget<ObjectLiteral>, id: number, values: Row): Promise<void> {
    await this.m.createQueryBuilder().update(entity).set(values).where('id = :id', { id }).callListeners(false).updateEntity(false).execute();
  }
}
