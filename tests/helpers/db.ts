import { randomBytes } from 'node:crypto';
import { BaseEntity, type DataSource } from 'typeorm';
import { createDataSource, engineOf } from '../../src/db/data-source.js';
import { setAppKey } from '../../src/db/secrets.js';
import { serializeSqlite } from '../../src/db/sqlite-serial.js';

/**
 * Test databases. TEST_DATABASE_URL picks the engine: unset → a fresh in-memory SQLite per test file;
 * mysql://root@127.0.0.1:3306 (no database) → a fresh database per test file on that server, dropped afterwards.
 * The schema always comes from the migrations, so every test also exercises them.
 */
export const TEST_APP_KEY = 'base64:dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdC0=';

export function testEngine(): 'sqlite' | 'mysql' {
  return engineOf(process.env.TEST_DATABASE_URL ?? 'sqlite::memory:');
}

export interface TestDb {
  ds: DataSource;
  url: string;
  close(): Promise<void>;
}

/**
 * A database URL of the test engine that nothing else uses: SQLite in memory (or a temp file when `file` is set,
 * for a separate process), or a fresh MariaDB database that drop() removes.
 */
export async function scratchDatabase(opts: { file?: string } = {}): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL ?? 'sqlite::memory:';
  if (engineOf(base) !== 'mysql') return { url: opts.file ? `sqlite:${opts.file}` : base, drop: async () => undefined };
  const name = `meridian_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const server = new URL(base.replace(/^mariadb:/, 'mysql:'));
  const { createConnection } = await import('mysql2/promise');
  const admin = await createConnection({ host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username), password: decodeURIComponent(server.password) });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  server.pathname = `/${name}`;
  return {
    url: server.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}

export async function openTestDb(opts: { migrate?: boolean } = {}): Promise<TestDb> {
  setAppKey(TEST_APP_KEY);
  const scratch = await scratchDatabase();
  const ds = await createDataSource({ databaseUrl: scratch.url });
  await ds.initialize();
  serializeSqlite(ds);
  if (opts.migrate !== false) await ds.runMigrations({ transaction: 'each' });
  BaseEntity.useDataSource(ds);
  return {
    ds,
    url: scratch.url,
    async close() {
      if (ds.isInitialized) await ds.destroy();
      await scratch.drop();
    },
  };
}
