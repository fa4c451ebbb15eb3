// Start-up benchmark: from `node dist/src/main.js` to a served admin login page.
// Prints the first start (migrations + demo data on an empty SQLite file), a warm restart on the same file, and a
// bare Express "hello" server started the same way as the in-run baseline. Target: warm start < 5 s.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';

const freePort = () => new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});

async function timeToServe(args, env, path) {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    for (let i = 0; i < 600; i++) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}${path}`);
        if (res.status === 200) return Number(process.hrtime.bigint() - started) / 1e6;
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`${args.join(' ')} did not serve ${path} within 12 s`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-'));
const env = { DATABASE_URL: `sqlite:${join(dir, 'bench.sqlite')}`, SEED_DEMO: 'true', NODE_ENV: 'development' };
const hello = "require('node:http').createServer((q,s)=>s.end('ok')).listen(process.env.PORT)";
try {
  const baseline = await timeToServe(['-e', hello], {}, '/');
  const first = await timeToServe(['dist/src/main.js'], env, '/admin/login');
  const warm = [];
  for (let i = 0; i < 3; i++) warm.push(await timeToServe(['dist/src/main.js'], env, '/admin/login'));
  const median = warm.sort((a, b) => a - b)[1];
  console.log('startup: time from process spawn to a served /admin/login (ms)');
  console.log(`  bare node http server (baseline) ${baseline.toFixed(0).padStart(6)} ms`);
  console.log(`  first start: migrate + demo data ${first.toFixed(0).padStart(6)} ms   ${(first / baseline).toFixed(1)}× baseline`);
  console.log(`  warm start (median of 3)         ${median.toFixed(0).padStart(6)} ms   ${(median / baseline).toFixed(1)}× baseline   target < 5000 ms: ${median < 5000 ? 'met' : 'MISSED'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
