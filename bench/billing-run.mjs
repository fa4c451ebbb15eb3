// Billing-run benchmark on MariaDB: N active services fall due together (default 100,000; BENCH_SERVICES to change).
// Prints the run's time and services/s next to a raw multi-row INSERT of the same number of invoices and items
// measured in the same run on the same server, the ratio, and the peak memory of the run.
// Needs `npm run build` and MariaDB (BENCH_MYSQL_URL, default mysql://root@127.0.0.1:3306).
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';

const N = Number(process.env.BENCH_SERVICES ?? 100_000);
const server = new URL(process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
const { createDataSource } = await import('../dist/src/db/data-source.js');
const { setAppKey } = await import('../dist/src/db/secrets.js');
const { BillingRunService } = await import('../dist/src/domain/billing/run/billing-run.js');
const { FixedClock } = await import('../dist/src/domain/shared/clock.js');
const { ensureSequences } = await import('../dist/src/domain/billing/numbering.js');
const { BaseEntity } = await import('typeorm');
setAppKey('base64:YmVuY2gta2V5LWJlbmNoLWtleS1iZW5jaC1rZXktMTIzNA==');

// CPU time of a MariaDB server on this machine (from /proc), to tell waiting from working; null if not local.
async function mariadbCpuMs() {
  try {
    const { readFileSync, readdirSync } = await import('node:fs');
    const pid = readdirSync('/proc').find((d) => /^\d+$/.test(d) && /^(mariadbd|mysqld)$/.test(readFileSync(`/proc/${d}/comm`, 'utf8').trim()));
    if (!pid) return null;
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return null;
  }
}

const admin = await mysql.createConnection({ host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username), password: decodeURIComponent(server.password), multipleStatements: true });
const name = `meridian_bench_${randomBytes(3).toString('hex')}`;
await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
const url = new URL(server);
url.pathname = `/${name}`;
const ds = await createDataSource({ databaseUrl: url.toString() });
try {
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  BaseEntity.useDataSource(ds);
  await ensureSequences(ds.manager);
  const conn = await mysql.createConnection({ host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username), password: decodeURIComponent(server.password), database: name });
  await conn.query(`INSERT INTO currencies (code, prefix, suffix, exponent, exchange_rate, is_default) VALUES ('USD', '$', '', 2, 1, 1)`);
  await conn.query(`INSERT INTO product_categories (name, slug) VALUES ('Hosting', 'hosting')`);
  await conn.query(`INSERT INTO products (category_id, name, slug, type, taxable) VALUES (1, 'Shared Starter', 'starter', 'shared', 1)`);
  const rows = (n, f) => Array.from({ length: n }, (_, i) => f(i));
  const insertMany = async (sql, all) => {
    for (let i = 0; i < all.length; i += 5000) await conn.query(sql, [all.slice(i, i + 5000)]);
  };
  // One service per client, all due on 2026-06-01, invoices created 14 days ahead.
  let t = Date.now();
  await insertMany('INSERT INTO clients (first_name, last_name, display_name, email, country, currency_id) VALUES ?', rows(N, (i) => ['Bench', `Client ${i}`, `Bench Client ${i}`, `bench${i}@example.org`, 'US', 1]));
  await insertMany(
    'INSERT INTO services (client_id, product_id, currency_id, billing_cycle, first_payment_amount, recurring_amount, registration_date, next_due_date, next_invoice_date, status, domain) VALUES ?',
    rows(N, (i) => [i + 1, 1, 1, 'monthly', 1000, 1000, '2026-05-01', '2026-06-01', '2026-06-01', 'active', `site${i}.example`]),
  );
  console.log(`setup: ${N} clients and services in ${Date.now() - t} ms`);

  // Baseline: the same number of invoices and items as plain multi-row INSERTs, then removed.
  t = Date.now();
  await insertMany(
    'INSERT INTO invoices (invoice_number, client_id, currency_id, status, issue_date, due_date, subtotal, total) VALUES ?',
    rows(N, (i) => [`RAW-${i}`, i + 1, 1, 'unpaid', '2026-05-18', '2026-06-01', 1000, 1000]),
  );
  const [[{ first }]] = await conn.query(`SELECT MIN(id) AS first FROM invoices`);
  await insertMany('INSERT INTO invoice_items (invoice_id, item_type, description, quantity, unit_price, amount, taxable) VALUES ?', rows(N, (i) => [Number(first) + i, 'service', `Shared Starter - site${i}.example`, 1, 1000, 1000, 1]));
  const rawMs = Date.now() - t;
  await conn.query('DELETE FROM invoice_items');
  await conn.query('DELETE FROM invoices');
  await conn.end();

  // The set-up's million-row arrays are garbage by now; collect them so the figures below are the run's own.
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  setFlagsFromString('--expose-gc');
  runInNewContext('gc')();
  const before = process.memoryUsage();
  let peak = before.rss;
  let peakHeap = before.heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 50);
  const clock = new FixedClock(new Date('2026-05-18T09:00:00Z'));
  const stats = new Map();
  if (process.env.BENCH_PROFILE) {
    const runner = ds.createQueryRunner();
    const proto = Object.getPrototypeOf(runner);
    const q = proto.query;
    proto.query = async function (sql, ...rest) {
      const s = Date.now();
      try { return await q.call(this, sql, ...rest); } finally {
        const k = sql.replace(/\s+/g, ' ').slice(0, 60);
        const e = stats.get(k) ?? { n: 0, ms: 0 }; e.n++; e.ms += Date.now() - s; stats.set(k, e);
      }
    };
    await runner.release();
  }
  const dbCpu = await mariadbCpuMs();
  const cpu = process.cpuUsage();
  t = Date.now();
  const out = await new BillingRunService(ds, clock, 'UTC').run({ date: '2026-05-18' });
  const runMs = Date.now() - t;
  const nodeCpuMs = Math.round((process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000);
  const dbCpuMs = dbCpu === null ? null : (await mariadbCpuMs()) - dbCpu;
  clearInterval(sampler);
  if (!out.ok) throw new Error(out.message);
  const c = out.report.counts;
  if (c.invoices !== N || c.errors) throw new Error(`expected ${N} invoices, got ${JSON.stringify(c)} ${JSON.stringify(out.report.errors.slice(0, 3))}`);
  const rate = (n, ms) => Math.round((n * 1000) / ms);
  console.log(`billing run: ${N} services due on MariaDB`);
  console.log(`  raw multi-row INSERT of ${N} invoices + items (baseline) ${String(rawMs).padStart(7)} ms  ${rate(N, rawMs).toLocaleString('en')} invoices/s`);
  console.log(`  billing run (renewals, credit, overdue checks)            ${String(runMs).padStart(7)} ms  ${rate(N, runMs).toLocaleString('en')} services/s`);
  console.log(`  ratio: ${(rawMs / runMs * 100).toFixed(0)}% of the raw insert rate (target ≥ 25%, ≥ 20,000 services/s)`);
  if (stats.size) for (const [k, v] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)) console.log(`    ${String(v.ms).padStart(6)} ms ${String(v.n).padStart(5)}×  ${k}`);
  console.log(`  CPU during the run: node ${nodeCpuMs} ms${dbCpuMs === null ? '' : `, MariaDB ${dbCpuMs} ms`} (wall ${runMs} ms)`);
  const mib = (n) => Math.round(n / 1048576);
  console.log(`  memory: JS heap ${mib(before.heapUsed)} MiB before the run, peak ${mib(peakHeap)} MiB during it; peak RSS ${mib(peak)} MiB (${mib(before.rss)} MiB before)`);
} finally {
  if (ds.isInitialized) await ds.destroy();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.end();
}
