import { BaseEntity, type DataSource } from 'typeorm';
import { createDataSource } from './data-source.js';
import { setAppKey } from './secrets.js';
import { serializeSqlite } from './sqlite-serial.js';

/** Opens the database, applies pending migrations (each in its own transaction) and binds the entity classes. */
export async function openDatabase(databaseUrl: string, appKey: string, log: (msg: string) => void = () => undefined): Promise<DataSource> {
  setAppKey(appKey);
  const ds = await createDataSource({ databaseUrl });
  await ds.initialize();
  serializeSqlite(ds);
  const applied = await ds.runMigrations({ transaction: 'each' });
  for (const m of applied) log(`migration applied: ${m.name}`);
  BaseEntity.useDataSource(ds);
  return ds;
}
