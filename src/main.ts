import 'dotenv/config';
import type { Server } from 'node:http';
import { ConfigError, loadConfig, type AppConfig } from './config/config.js';
import { createLogger } from './logger.js';
import { openDatabase } from './db/boot.js';
import { engineOf } from './db/data-source.js';
import { ADMIN_ROOT } from './admin/admin.js';
import { compose } from './composition.js';
import { ensureFirstAdministrator } from './domain/access/first-admin.js';
import { seedDemoData, DEMO_LOGINS, DEMO_CLIENT_LOGIN } from './demo/seed.js';
import { startInboundMail } from './integrations/mail/inbound-smtp.js';

// The admin front-end is bundled ahead by `npm run build` (see src/admin/bundle.ts); never bundle at start.
process.env.ADMIN_JS_SKIP_BUNDLE = 'true';

const startedAt = Date.now();
let config: AppConfig;
try {
  config = loadConfig();
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
}
const logger = createLogger(config.LOG_LEVEL);
for (const name of config.generatedSecrets) logger.warn(`${name} is not set: using a development value. Set it before going to production.`);

const ds = await openDatabase(config.DATABASE_URL, config.APP_KEY, (m: string) => logger.info(m));
const { app, sessionStore, scheduler, mailer, pdf, email } = await compose(config, ds, logger);
scheduler.start();
// Email piping over SMTP, only when a port is configured (see .env.example).
const inboundSmtp = config.INBOUND_SMTP_PORT ? await startInboundMail(config, ds, email, logger) : null;

if (config.ADMIN_EMAIL && config.ADMIN_PASSWORD) {
  const r = await ensureFirstAdministrator(ds, config.ADMIN_EMAIL, config.ADMIN_PASSWORD);
  if (r === 'created') logger.info({ email: config.ADMIN_EMAIL }, 'first administrator created');
}
const seedWanted = config.SEED_DEMO === 'auto' ? engineOf(config.DATABASE_URL) === 'sqlite' : config.SEED_DEMO;
let seeded = false;
if (seedWanted) seeded = await seedDemoData(ds, { timezone: config.APP_TIMEZONE, log: (m: string) => logger.info(m) });

const server: Server = app.listen(config.PORT, () => {
  const url = `${config.APP_URL.replace(/\/$/, '')}${ADMIN_ROOT}`;
  logger.info({ url, ms: Date.now() - startedAt }, 'Meridian is ready');
  const lines = [`\n  Meridian is running.  Admin: ${url}   Client area: ${config.APP_URL.replace(/\/$/, '')}/\n`];
  if (seeded || seedWanted) {
    lines.push('  Demo staff logins:');
    for (const l of DEMO_LOGINS) lines.push(`    ${l.role.padEnd(20)} ${l.email}  /  ${l.password}`);
    lines.push(`  Demo client login:  ${DEMO_CLIENT_LOGIN.email}  /  ${DEMO_CLIENT_LOGIN.password}`);
  }
  if (config.ADMIN_EMAIL) lines.push(`  Administrator: ${config.ADMIN_EMAIL} (password from ADMIN_PASSWORD)`);
  console.log(lines.join('\n') + '\n');
});

// Graceful shutdown: stop taking connections, let in-flight requests finish, then close the database.
let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => {
    logger.error('forced exit after 25 s');
    process.exit(1);
  }, 25_000);
  force.unref();
  server.close(async () => {
    await inboundSmtp?.close();
    await scheduler.stop();
    await mailer.close?.();
    await pdf.close();
    sessionStore.close();
    await ds.destroy();
    logger.info('stopped');
    process.exit(0);
  });
  server.closeIdleConnections?.();
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
