import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DataSource, type DataSourceOptions, type LoggerOptions } from 'typeorm';
import { allEntities } from '../entities/index.js';
import { SnakeNamingStrategy } from './naming.js';
import { AuditSubscriber } from '../audit/subscriber.js';
import { migrations } from '../../migrations/index.js';

export type Engine = 'sqlite' | 'mysql';

export function engineOf(databaseUrl: string): Engine {
  return databaseUrl.startsWith('sqlite:') ? 'sqlite' : 'mysql';
}

export interface DataSourceSettings {
  databaseUrl: string;
  logging?: LoggerOptions;
  /** Throwaway tests only: build the schema from entities instead of migrations. */
  synchronize?: boolean;
  /** Load migrations (default true). */
  withMigrations?: boolean;
}

/**
 * TypeORM must be told whether the server is MariaDB or MySQL: their catalogues report column defaults differently,
 * and the wrong flavour makes every nullable column look changed. `mariadb://` says so; for `mysql://` we ask the server.
 */
export async function detectMysqlFlavour(databaseUrl: string): Promise<'mysql' | 'mariadb'> {
  if (databaseUrl.startsWith('mariadb:')) return 'mariadb';
  const { createConnection } = await import('mysql2/promise');
  const url = new URL(databaseUrl);
  const conn = await createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    connectTimeout: 5000,
  });
  try {
    const [rows] = await conn.query('SELECT VERSION() AS v');
    return /mariadb/i.test(String((rows as Array<{ v: string }>)[0].v)) ? 'mariadb' : 'mysql';
  } finally {
    await conn.end();
  }
}

export function dataSourceOptions(s: DataSourceSettings, flavour: 'mysql' | 'mariadb' = 'mariadb'): DataSourceOptions {
  const engine = engineOf(s.databaseUrl);
  const common = {
    entities: allEntities,
    namingStrategy: new SnakeNamingStrategy(),
    logging: s.logging ?? false,
    synchronize: s.synchronize ?? false,
    migrations: s.withMigrations === false ? [] : migrations[engine],
    migrationsTableName: 'schema_migrations',
    subscribers: [AuditSubscriber],
  };
  if (engine === 'sqlite') {
    const file = s.databaseUrl.slice('sqlite:'.length) || ':memory:';
    if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database: file,
      // WAL lets the admin read while the scheduler writes; busy_timeout waits for a lock instead of failing.
      prepareDatabase: (db: { pragma(s: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('busy_timeout = 10000');
        db.pragma('foreign_keys = ON');
      },
    };
  }
  const url = new URL(s.databaseUrl.replace(/^mariadb:/, 'mysql:'));
  return {
    ...common,
    type: flavour,
    host: url.hostname,
    port: Number(url.port || 3306),
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.slice(1),
    charset: 'utf8mb4_unicode_ci',
    // Everything is stored in UTC; business dates are computed in APP_TIMEZONE by the domain, never by the server.
    timezone: 'Z',
    // Calendar dates stay 'YYYY-MM-DD' strings in raw queries too, as on SQLite (never a Date at some midnight).
    dateStrings: ['DATE'],
    extra: { connectionLimit: Number(url.searchParams.get('connectionLimit') ?? 10) },
  };
}

export async function createDataSource(s: DataSourceSettings): Promise<DataSource> {
  const flavour = engineOf(s.databaseUrl) === 'mysql' ? await detectMysqlFlavour(s.databaseUrl) : undefined;
  return new DataSource(dataSourceOptions(s, flavour));
}

/** Attaches every entity class to the data source so that Entity.find() and the AdminJS adapter work. */
export function bindEntities(ds: DataSource): void {
  for (const entity of allEntities) (entity as unknown as { useDataSource(d: DataSource): void }).useDataSource(ds);
}
