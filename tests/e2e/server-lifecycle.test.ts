import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import request from 'supertest';
import { scratchDatabase, testEngine } from '../helpers/db.js';
import { loginAs } from '../helpers/auth.js';

const main = new URL('../../src/main.js', import.meta.url).pathname;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Running {
  let out = '';
  const child = spawn(process.execPath, [main], { env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

async function waitForText(r: Running, text: string | RegExp, ms = 20000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (typeof text === 'string' ? r.output().includes(text) : text.test(r.output())) return;
    if (r.child.exitCode !== null) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`did not see ${text} in:\n${r.output()}`);
}

/** The README's promise, as a new user meets it: start, see the URL and logins, log in, stop cleanly. */
describe(`the server process on ${testEngine()}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-e2e-'));
  let db: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    db = await scratchDatabase({ file: join(dir, 'meridian.sqlite') });
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts with demo data, prints the admin URL and logins, serves, and stops on SIGTERM', async () => {
    const port = await freePort();
    const r = start({ DATABASE_URL: db.url, PORT: String(port), SEED_DEMO: 'true' });
    await waitForText(r, 'Demo staff logins');
    expect(r.output()).toMatch(/demo data loaded/);
    expect(r.output()).toContain(`Admin: http://localhost:${port}/admin`);
    const m = /Full Administrator\s+(\S+)\s+\/\s+(\S+)/.exec(r.output())!;
    const base = `http://127.0.0.1:${port}`;
    expect((await request(base).get('/healthz')).body).toEqual({ status: 'ok', database: 'ok' });
    const agent = request.agent(base);
    await loginAs(agent, m[1], m[2]);
    const clients = await agent.get('/admin/api/resources/Client/actions/list');
    expect(clients.body.meta.total).toBeGreaterThanOrEqual(40);
    expect((await agent.get('/admin/frontend/assets/components.bundle.js')).status).toBe(200);
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
  });

  it('starts again on the same database without seeding twice', async () => {
    const port = await freePort();
    const r = start({ DATABASE_URL: db.url, PORT: String(port), SEED_DEMO: 'true' });
    await waitForText(r, 'Meridian is running');
    const res = await request(`http://127.0.0.1:${port}`).get('/admin/login');
    expect(res.status).toBe(200);
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
    expect(r.output()).not.toMatch(/demo data loaded/);
  });

  it('refuses to start on bad configuration, naming the variable', async () => {
    const r = start({ DATABASE_URL: db.url, PORT: 'eighty' });
    expect(await r.exited).toBe(1);
    expect(r.output()).toMatch(/PORT/);
  });
});
