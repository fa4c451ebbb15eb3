import 'dotenv/config';
import { ConfigError, loadConfig } from '../config/config.js';
import { openDatabase } from '../db/boot.js';

/** `npm run migrate`: apply pending migrations to DATABASE_URL and exit. */
try {
  const config = loadConfig();
  const ds = await openDatabase(config.DATABASE_URL, config.APP_KEY, (m) => console.log(m));
  const pending = await ds.showMigrations();
  console.log(pending ? 'migrations pending (unexpected)' : `schema is up to date (${ds.options.type})`);
  await ds.destroy();
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
}
