#!/usr/bin/env node
// `npm test`: compile, then run the whole suite on SQLite and on MariaDB/MySQL.
// MariaDB: TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306). If it cannot be reached the MariaDB pass is
// skipped with a warning, unless REQUIRE_MYSQL=1 (as in CI), when that is a failure.
// Extra arguments go to jest, e.g. `npm test -- tests/unit`.
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { existsSync } from 'node:fs';

const extra = process.argv.slice(2);
const run = (cmd, args, env = {}) => spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

if (run('npx', ['tsc', '-p', 'tsconfig.json']) !== 0) process.exit(1);
// The end-to-end tests serve the admin's pre-built browser bundle; build it once if this checkout has none.
if (!existsSync('dist/admin-assets/components.bundle.js') && run('node', ['dist/src/admin/bundle.js']) !== 0) process.exit(1);

const mysqlUrl = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const reachable = await new Promise((resolve) => {
  const u = new URL(mysqlUrl);
  const s = net.connect({ host: u.hostname, port: Number(u.port || 3306) });
  s.setTimeout(2000);
  s.on('connect', () => (s.destroy(), resolve(true)));
  s.on('error', () => resolve(false));
  s.on('timeout', () => (s.destroy(), resolve(false)));
});

const jestArgs = ['jest', '--config', 'jest.config.mjs', ...extra];
const env = { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim() };
const results = [];

console.log('\n=== SQLite ===');
results.push(['sqlite', run('npx', jestArgs, { ...env, TEST_DATABASE_URL: 'sqlite::memory:' })]);

if (reachable) {
  console.log(`\n=== MariaDB/MySQL (${mysqlUrl}) ===`);
  results.push(['mysql', run('npx', jestArgs, { ...env, TEST_DATABASE_URL: mysqlUrl })]);
} else if (process.env.REQUIRE_MYSQL === '1') {
  console.error(`MariaDB/MySQL is required but not reachable at ${mysqlUrl}`);
  results.push(['mysql', 1]);
} else {
  console.warn(`\nMariaDB/MySQL not reachable at ${mysqlUrl}: skipped that pass (set TEST_MYSQL_URL to run it).`);
}

for (const [engine, code] of results) console.log(`${engine}: ${code === 0 ? 'passed' : 'FAILED'}`);
process.exit(results.every(([, c]) => c === 0) ? 0 : 1);
