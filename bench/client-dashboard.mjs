// Client-area benchmark: requests per second of a signed-in customer's dashboard (GET /: services, invoices,
// tickets, credit and announcements read from the database, rendered by Handlebars, session checked) next to a bare
// Express route served by the same process, measured in the same run with autocannon; prints the ratio.
// Target: the dashboard at ≥ 30% of the bare route. Runs on an embedded SQLite file with the demo company loaded.
// Needs `npm run build`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import bcrypt from 'bcryptjs';
import express from 'express';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

const { loadConfig } = await import('../dist/src/config/config.js');
const { createLogger } = await import('../dist/src/logger.js');
const { createDataSource } = await import('../dist/src/db/data-source.js');
const { serializeSqlite } = await import('../dist/src/db/sqlite-serial.js');
const { setAppKey } = await import('../dist/src/db/secrets.js');
const { compose } = await import('../dist/src/composition.js');
const { seedDemoData } = await import('../dist/src/demo/seed.js');
const { BaseEntity } = await import('typeorm');

const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-client-'));
const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: `sqlite:${join(dir, 'bench.sqlite')}`, APP_URL: 'http://127.0.0.1', APP_KEY: 'base64:YmVuY2gta2V5LWJlbmNoLWtleS1iZW5jaC1rZXktMTIzNA==', SESSION_SECRET: 'bench-session-secret-0123456789', LOG_LEVEL: 'silent' });
setAppKey(config.APP_KEY);
const ds = await createDataSource({ databaseUrl: config.DATABASE_URL });
await ds.initialize();
serializeSqlite(ds);
await ds.runMigrations({ transaction: 'each' });
BaseEntity.useDataSource(ds);
// Composed first: it creates the roles, sequences and email templates the demo data refers to.
const built = await compose(config, ds, createLogger('silent'));
await seedDemoData(ds, { timezone: 'UTC' });

// The demo client with the most services gets a login.
const [{ client_id: clientId }] = await ds.query('SELECT client_id FROM services GROUP BY client_id ORDER BY COUNT(*) DESC LIMIT 1');
const client = await ds.getRepository('Client').findOneByOrFail({ id: Number(clientId) });
const email = `bench-${Date.now()}@client.example`;
const password = 'bench client password 1';
const user = await ds.getRepository('User').insert({ userType: 'client', email, firstName: client.firstName, lastName: client.lastName, displayName: client.displayName, passwordHash: await bcrypt.hash(password, 10), status: 'active', emailVerifiedAt: new Date() });
await ds.getRepository('Client').update({ id: client.id }, { userId: user.identifiers[0].id });

const listen = (app) => new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
const server = await listen(built.app);
const base = `http://127.0.0.1:${server.address().port}`;

// Sign in through the real form, as a browser would.
const loginPage = await fetch(`${base}/login`);
let cookie = (loginPage.headers.get('set-cookie') ?? '').split(';')[0];
const csrf = /name="_csrf" value="([^"]+)"/.exec(await loginPage.text())[1];
const login = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email, password, _csrf: csrf }) });
if (login.status !== 303) throw new Error(`login answered ${login.status}`);
cookie = (login.headers.get('set-cookie') ?? cookie).split(';')[0];
const check = await fetch(`${base}/`, { headers: { cookie } });
const html = await check.text();
if (check.status !== 200 || !html.includes('/logout')) throw new Error('the dashboard did not render for the signed-in client');

const bare = express();
bare.get('/bare', (_req, res) => res.type('html').send('<!doctype html><title>bare</title><p>hello</p>'));
const bareServer = await listen(bare);

const measure = (url, headers = {}) => new Promise((resolve, reject) => {
  autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers }, (err, result) => (err ? reject(err) : resolve(result)));
});
await measure(`${base}/`, { cookie }); // warm-up: caches, JIT, the SQLite page cache
const dashboard = await measure(`${base}/`, { cookie });
const baseline = await measure(`http://127.0.0.1:${bareServer.address().port}/bare`);
// The application's own shared stack (request log with id, security headers) on an empty route, for where the time goes.
const appEmpty = await measure(`${base}/favicon.ico`, { cookie });
if (dashboard.non2xx || dashboard.errors) throw new Error(`dashboard answered ${dashboard.non2xx} non-2xx, ${dashboard.errors} errors`);

const rps = (r) => Math.round(r.requests.average);
console.log(`client dashboard, signed in (${CONNECTIONS} connections, ${SECONDS} s each, demo company on SQLite)`);
console.log(`  bare Express route (baseline)  ${String(rps(baseline)).padStart(7)} req/s  p99 ${baseline.latency.p99} ms`);
console.log(`  same app, empty route          ${String(rps(appEmpty)).padStart(7)} req/s  p99 ${appEmpty.latency.p99} ms  (request log + headers only)`);
console.log(`  GET / dashboard                ${String(rps(dashboard)).padStart(7)} req/s  p99 ${dashboard.latency.p99} ms`);
console.log(`  ratio: ${((rps(dashboard) / rps(baseline)) * 100).toFixed(0)}% of the bare route (target ≥ 30%)`);

server.close();
bareServer.close();
built.sessionStore.close();
await built.pdf.close();
await ds.destroy();
rmSync(dir, { recursive: true, force: true });
