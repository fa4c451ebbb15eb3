// Daily domain sync benchmark on MariaDB against the fake LogicBoxes API on loopback: N registered domains (default
// 2,000; BENCH_DOMAINS to change), a third of them with an expiry changed at the registrar. Prints the daily task's
// time next to the same number of bare registrar info() calls at the same concurrency in the same run (the network
// floor: what the sync cannot go below), the ratio, and peak memory.
// Needs `npm run build` and MariaDB (BENCH_MYSQL_URL, default mysql://root@127.0.0.1:3306).
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';

const N = Number(process.env.BENCH_DOMAINS ?? 2_000);
const server = new URL(process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
const { createDataSource } = await import('../dist/src/db/data-source.js');
const { setAppKey } = await import('../dist/src/db/secrets.js');
const { systemClock } = await import('../dist/src/domain/shared/clock.js');
const { RegistrarDirectory } = await import('../dist/src/domain/domains/registrars.js');
const { registrarModules } = await import('../dist/src/integrations/domains/index.js');
const { logicBoxesRegistrar } = await import('../dist/src/integrations/domains/logicboxes.js');
const { DomainDaily } = await import('../dist/src/domain/domains/daily.js');
const { startFakeLogicBoxes } = await import('../dist/tests/fakes/logicboxes-server.js');
setAppKey('base64:YmVuY2gta2V5LWJlbmNoLWtleS1iZW5jaC1rZXktMTIzNA==');

const admin = await mysql.createConnection({ host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username), password: decodeURIComponent(server.password) });
const name = `meridian_bench_${randomBytes(3).toString('hex')}`;
await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
const url = new URL(server);
url.pathname = `/${name}`;
const ds = await createDataSource({ databaseUrl: url.toString() });
const lb = await startFakeLogicBoxes();
let peak = 0;
const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
try {
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  const today = new Date().toISOString().slice(0, 10);
  const year = Number(today.slice(0, 4));
  await ds.query(`INSERT INTO currencies (code, prefix, suffix, exponent, exchange_rate, is_default) VALUES ('USD', '$', '', 2, 1, 1)`);
  await ds.query(`INSERT INTO clients (first_name, last_name, display_name, email, country, currency_id) VALUES ('Bench', 'Client', 'Bench Client', 'bench@example.org', 'US', 1)`);
  await ds.query(`INSERT INTO domain_products (tld, registrar) VALUES ('.com', 'logicboxes')`);
  await ds.getRepository('Setting').save([
    ds.getRepository('Setting').create({ key: 'registrar.logicboxes.resellerId', value: lb.resellerId, type: 'string' }),
    ds.getRepository('Setting').create({ key: 'registrar.logicboxes.apiKey', value: null, secretValue: lb.apiKey, type: 'secret' }),
  ]);
  const rows = [];
  for (let i = 0; i < N; i++) {
    const expiry = `${year + 1}-${String((i % 12) + 1).padStart(2, '0')}-15`;
    const order = lb.own(`bench-${i}.com`, { expiry, customerEmail: 'bench@example.org' });
    if (i % 3 === 0) lb.setExpiry(`bench-${i}.com`, `${year + 2}-${String((i % 12) + 1).padStart(2, '0')}-15`);
    rows.push([1, `bench-${i}.com`, '.com', 'logicboxes', order.orderId, 'active', expiry, expiry, expiry, 1, 1400, 1]);
  }
  for (let i = 0; i < rows.length; i += 1000) {
    await ds.query(`INSERT INTO domains (client_id, domain_name, tld, registrar, registrar_ref, status, expiry_date, next_due_date, next_invoice_date, registration_period, recurring_amount, currency_id) VALUES ${rows.slice(i, i + 1000).map(() => '(?,?,?,?,?,?,?,?,?,?,?,?)').join(',')}`, rows.slice(i, i + 1000).flat());
  }

  // Baseline: the registrar module alone, the same questions at the same concurrency (4), no database.
  const module = logicBoxesRegistrar({ resellerId: lb.resellerId, apiKey: lb.apiKey, testMode: true, apiBase: lb.url });
  const queue = rows.map((r) => [r[1], r[4]]);
  let t = process.hrtime.bigint();
  await Promise.all(Array.from({ length: 4 }, async () => {
    for (let q = queue.shift(); q; q = queue.shift()) {
      const r = await module.info(q[0], q[1]);
      if (!r.ok) throw new Error(r.message);
    }
  }));
  const rawMs = Number(process.hrtime.bigint() - t) / 1e6;

  const registrars = new RegistrarDirectory({ ds, modules: registrarModules({ logicboxes: lb.url }), today: () => today });
  const daily = new DomainDaily({ ds, clock: systemClock, today: () => today, registrars, appUrl: 'http://bench.test' });
  t = process.hrtime.bigint();
  const report = await daily.run();
  const syncMs = Number(process.hrtime.bigint() - t) / 1e6;
  const [{ moved }] = await ds.query(`SELECT COUNT(*) AS moved FROM domains WHERE expiry_date >= ?`, [`${year + 2}-01-01`]);
  if (report.synced !== N || Number(moved) !== Math.ceil(N / 3)) throw new Error(`sync went wrong: ${JSON.stringify({ synced: report.synced, moved, errors: report.syncErrors.slice(0, 3) })}`);
  console.log(`registrar info() alone: ${N} domains in ${rawMs.toFixed(0)} ms (${(N / (rawMs / 1000)).toFixed(0)}/s)`);
  console.log(`daily domain sync:      ${N} domains in ${syncMs.toFixed(0)} ms (${(N / (syncMs / 1000)).toFixed(0)}/s), ${moved} expiries corrected`);
  console.log(`sync / bare registrar calls: ${(syncMs / rawMs).toFixed(2)}x   peak RSS ${(peak / 1048576).toFixed(0)} MiB`);
} finally {
  clearInterval(sample);
  await ds.destroy().catch(() => undefined);
  await lb.close();
  await admin.query(`DROP DATABASE ${name}`);
  await admin.end();
}
