import { openTestDb, testEngine, type TestDb } from '../helpers/db.js';
import { allEntities } from '../../src/entities/index.js';

/** The migrations are the schema's history; they must produce exactly what the entities describe, on each engine. */
describe(`schema on ${testEngine()}`, () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb({ migrate: false });
  });
  afterAll(async () => db.close());

  it('applies every migration from an empty database', async () => {
    const applied = await db.ds.runMigrations({ transaction: 'each' });
    expect(applied.length).toBeGreaterThan(0);
    expect(await db.ds.showMigrations()).toBe(false);
  });

  it('leaves no difference between the entities and the migrated schema', async () => {
    const pending = await db.ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('has a table for every entity, with a foreign key index on every relation column', async () => {
    const runner = db.ds.createQueryRunner();
    try {
      const tables = await runner.getTables(allEntities.map((e) => db.ds.getMetadata(e).tablePath));
      expect(tables).toHaveLength(allEntities.length);
      for (const table of tables) {
        for (const fk of table.foreignKeys) {
          const indexed = table.indices.some((i) => i.columnNames[0] === fk.columnNames[0]) ||
            table.uniques.some((u) => u.columnNames[0] === fk.columnNames[0]) ||
            table.primaryColumns.some((c) => c.name === fk.columnNames[0]) ||
            table.columns.some((c) => c.name === fk.columnNames[0] && c.isUnique);
          if (!indexed) throw new Error(`${table.name}.${fk.columnNames[0]} is a foreign key without an index`);
        }
      }
    } finally {
      await runner.release();
    }
  });

  it('rolls every migration back to an empty schema and forward again', async () => {
    const count = (await db.ds.query('SELECT COUNT(*) AS n FROM schema_migrations'))[0].n;
    for (let i = 0; i < Number(count); i++) await db.ds.undoLastMigration({ transaction: 'each' });
    const runner = db.ds.createQueryRunner();
    const left = (await runner.getTables(allEntities.map((e) => db.ds.getMetadata(e).tablePath))).length;
    await runner.release();
    expect(left).toBe(0);
    await db.ds.runMigrations({ transaction: 'each' });
    expect((await db.ds.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
  });
});
