import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BaseEntity, type DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source.js';
import { setAppKey } from '../../src/db/secrets.js';
import { requestProvisioning } from '../../src/domain/provisioning/requests.js';
import { startFakeWhm, type FakeWhm } from '../fakes/whm-server.js';
import { scratchDatabase, testEngine, TEST_APP_KEY } from '../helpers/db.js';

type Row = Record<string, any>;
const workerScript = fileURLToPath(new URL('../helpers/worker-process.js', import.meta.url));

function runWorkerProcess(url: string): Promise<Array<{ jobId: number; status: string; message: string | null }>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [workerScript, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`worker exited ${code}: ${err}`))));
  });
}

/**
 * Two worker processes, each with its own connections, on one queue (a file database on SQLite, one database on
 * MariaDB): every job runs exactly once and every service gets exactly one account.
 */
describe(`provisioning workers in two processes on ${testEngine()}`, () => {
  let whm: FakeWhm;
  let ds: DataSource;
  let drop: () => Promise<void>;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    setAppKey(TEST_APP_KEY);
    dir = mkdtempSync(join(tmpdir(), 'meridian-workers-'));
    const scratch = await scratchDatabase({ file: join(dir, 'queue.sqlite') });
    url = scratch.url;
    drop = scratch.drop;
    ds = await createDataSource({ databaseUrl: url });
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    BaseEntity.useDataSource(ds);
    whm = await startFakeWhm();
  });
  afterAll(async () => {
    await whm.close();
    await ds.destroy();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs each job once', async () => {
    const save = async (entity: string, data: Row) => (await ds.getRepository(entity).save(ds.getRepository(entity).create(data))) as Row;
    const usd = (await save('Currency', { code: 'USD', prefix: '$', isDefault: true, exchangeRate: '1' })).id;
    const cat = (await save('ProductCategory', { name: 'Hosting', slug: 'hosting' })).id;
    const group = (await save('ServerGroup', { name: 'Shared', fillMethod: 'least_used' })).id;
    const server = (await save('Server', { name: 'whm1', hostname: '127.0.0.1', ipAddress: '127.0.0.1', port: whm.port, secure: false, type: 'cpanel', username: whm.user, apiToken: whm.token, serverGroupId: group })).id;
    const product = (await save('Product', { categoryId: cat, name: 'Shared', slug: 'shared', type: 'shared', module: 'cpanel', serverGroupId: group, moduleConfig: { package: 'starter' }, taxable: false })).id;
    const client = (await save('Client', { firstName: 'Two', lastName: 'Workers', email: 'two@workers.example', country: 'US', currencyId: usd })).id;
    const services: number[] = [];
    for (let i = 0; i < 8; i++) {
      const s = await save('Service', { clientId: client, productId: product, currencyId: usd, serverId: server, domain: `proc${i}.example`, billingCycle: 'monthly', status: 'active' });
      await requestProvisioning(ds.manager, { serviceId: s.id, action: 'create', key: String(s.id), reason: 'test', now: new Date(Date.now() - 1000) });
      services.push(s.id);
    }
    whm.set({ latencyMs: 40 });
    const [a, b] = await Promise.all([runWorkerProcess(url), runWorkerProcess(url)]);
    const ran = [...a, ...b].map((r) => r.jobId);
    expect(new Set(ran).size).toBe(ran.length);
    expect(ran).toHaveLength(8);
    expect([...a, ...b].every((r) => r.status === 'succeeded')).toBe(true);
    expect(whm.callsTo('createacct')).toHaveLength(8);
    expect(whm.accounts.size).toBe(8);
    const jobs = (await ds.getRepository('ProvisioningJob').find()) as Row[];
    expect(jobs.map((j) => [j.status, j.attempts])).toEqual(Array(8).fill(['succeeded', 1]));
  });
});
