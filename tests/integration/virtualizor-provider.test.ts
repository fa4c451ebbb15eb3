import type { ServerConnection } from '../../src/domain/provisioning/provider.js';
import { VirtualizorProvider } from '../../src/integrations/provisioning/virtualizor.js';
import { unusedPort } from '../fakes/smtp-server.js';
import { startFakeVirtualizor, WEAK_PASS, type FakeVirtualizor } from '../fakes/virtualizor-server.js';

type Msg = { ok: boolean; message?: string };

/** The Virtualizor module against a fake Virtualizor admin API over real HTTP on loopback. */
describe('Virtualizor provider', () => {
  let fake: FakeVirtualizor;
  const messages: string[] = [];
  const WRONG_PASS = 'wrongpass-wrongpass-wrongpass-00';
  const seen = <T extends Msg>(r: T): T => {
    if (!r.ok && r.message) messages.push(r.message);
    return r;
  };
  const conn = (over: Partial<ServerConnection> = {}): ServerConnection => ({
    type: 'virtualizor', hostname: '127.0.0.1', port: fake.port, secure: false, verifyTls: false, username: null, password: null,
    apiToken: null, apiKey: fake.apiKey, apiPass: fake.apiPass, timeoutMs: 2000, createTimeoutMs: 2000, ...over,
  });
  const provider = (over: Partial<ServerConnection> = {}) => new VirtualizorProvider(conn(over));
  const input = (domain: string, over: Record<string, string> = {}) => ({
    username: 'alice', password: 'Root#Pass2024', domain, contactEmail: 'alice@example.test', plan: '2', osTemplate: '101',
    firstName: 'Alice', lastName: 'Doe', ...over,
  });
  const defaults = () => ({ ...fake.switches });
  let saved: ReturnType<typeof defaults>;

  beforeAll(async () => {
    fake = await startFakeVirtualizor();
    saved = defaults();
  });
  afterEach(() => Object.assign(fake.switches, saved));
  afterAll(async () => {
    await fake?.close();
  });

  const create = async (domain: string, over: Record<string, string> = {}) => {
    const r = seen(await provider().createAccount(input(domain, over)));
    if (!r.ok) throw new Error(r.message);
    return r;
  };

  it('tests the connection: version and latency', async () => {
    const r = await provider().testConnection();
    expect(r).toMatchObject({ ok: true, version: '3.1.4' });
    if (r.ok) expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    fake.switches.latencyMs = 120;
    const slow = await provider().testConnection();
    expect(slow).toMatchObject({ ok: true });
    if (slow.ok) expect(slow.latencyMs).toBeGreaterThanOrEqual(100);
  });

  it('creates a VPS from a plan and OS template, owned by the contact e-mail, and returns its IP', async () => {
    const before = fake.count('addvs', { addvps: '1' });
    const r = await create('web1.example.test');
    const v = fake.vps.get(Number(r.ref))!;
    expect(v).toMatchObject({ hostname: 'web1.example.test', plid: 2, osid: 101, ram: 2048, virt: 'kvm', rootpass: 'Root#Pass2024' });
    expect(fake.userOf(v)?.email).toBe('alice@example.test');
    expect(r.ip).toBe(v.ips[0].ip);
    expect(fake.count('addvs', { addvps: '1' })).toBe(before + 1);
    const call = fake.calls.filter((c) => c.act === 'addvs').at(-1)!;
    expect(call).toMatchObject({ method: 'POST', params: { node_select: '1', virt: 'kvm', user_email: 'alice@example.test' } });
    expect(call.params.user_pass).toMatch(/.{12,}/);
  });

  it('puts a second VPS of the same client under the existing panel user', async () => {
    const r = await create('web2.example.test');
    const owners = fake.findVps((v) => fake.userOf(v)?.email === 'alice@example.test').map((v) => v.uid);
    expect(new Set(owners).size).toBe(1);
    expect(fake.calls.filter((c) => c.act === 'addvs').at(-1)!.params.uid).toBe(String(fake.vps.get(Number(r.ref))!.uid));
  });

  it.each(['per-act', 'list', 'object'] as const)('a validation error is permanent with Virtualizor\'s text (error shape %s)', async (shape) => {
    fake.switches.errorShape = shape;
    const count = fake.vps.size;
    const r = seen(await provider().createAccount(input('bad-os.example.test', { osTemplate: '999' })));
    expect(r).toMatchObject({ ok: false, failure: 'permanent' });
    if (!r.ok) expect(r.message).toContain('The OS you submitted is invalid');
    expect(fake.vps.size).toBe(count);
  });

  it('a weak root password on create is permanent with the language-file text', async () => {
    const r = seen(await provider().createAccount(input('weak.example.test', { password: 'password' })));
    expect(r).toMatchObject({ ok: false, failure: 'permanent' });
    if (!r.ok) expect(r.message).toContain(WEAK_PASS);
  });

  it('create that times out but creates: transient, then findAccount by hostname finds exactly that one VPS', async () => {
    fake.switches.createTimesOutButCreates = true;
    fake.switches.createReplyDelayMs = 1500;
    const before = fake.count('addvs', { addvps: '1' });
    const r = seen(await provider({ createTimeoutMs: 300 }).createAccount(input('slow.example.test')));
    expect(r).toMatchObject({ ok: false, failure: 'transient' });
    if (!r.ok) expect(r.message).toMatch(/did not answer in time.*look it up by hostname/);
    fake.switches.createTimesOutButCreates = false;
    const found = seen(await provider().findAccount({ domain: 'slow.example.test', email: 'alice@example.test' }));
    const created = fake.findVps((v) => v.hostname === 'slow.example.test');
    expect(created).toHaveLength(1);
    expect(found).toMatchObject({ ok: true, account: { ref: String(created[0].vpsid), domain: 'slow.example.test', email: 'alice@example.test', plan: '2' } });
    expect(fake.count('addvs', { addvps: '1' })).toBe(before + 1);
  });

  it('findAccount keeps only the exact hostname although the panel searches by substring', async () => {
    const other = fake.addVps({ hostname: 'myshop.example.test', email: 'bob@example.test' });
    const r = await provider().findAccount({ domain: 'shop.example.test' });
    expect(r).toMatchObject({ ok: true, account: null });
    const exact = fake.addVps({ hostname: 'shop.example.test', email: 'bob@example.test' });
    const r2 = await provider().findAccount({ domain: 'SHOP.example.test' });
    expect(r2).toMatchObject({ ok: true, account: { ref: String(exact.vpsid) } });
    expect(other.vpsid).not.toBe(exact.vpsid);
    fake.switches.emptyList = 'array';
    expect(await provider().findAccount({ domain: 'nothing-here.test' })).toMatchObject({ ok: true, account: null });
    expect(await provider().findAccount({ email: 'bob@example.test' })).toMatchObject({ ok: true, account: { email: 'bob@example.test' } });
  });

  it('5xx is transient with the status; the next call works', async () => {
    fake.failNext(1, { status: 502 });
    const r = seen(await provider().listPlans());
    expect(r).toMatchObject({ ok: false, failure: 'transient', status: 502 });
    expect(await provider().listPlans()).toMatchObject({ ok: true });
  });

  it.each([
    ['error', 'auth', /rejected the API credentials: Invalid API Key or Password/],
    ['http403', 'auth', /HTTP 403/],
    ['login-page', 'auth', /login page/],
    ['redirect', 'auth', /redirected/],
    ['empty', 'transient', /could not load the server data/],
  ] as const)('bad API key/pass (%s) → %s', async (mode, failure, text) => {
    fake.switches.badAuth = mode;
    const r = seen(await provider({ apiPass: WRONG_PASS }).testConnection());
    expect(r).toMatchObject({ ok: false, failure });
    if (!r.ok) expect(r.message).toMatch(text);
  });

  it('unreachable port → transient "refused"', async () => {
    const r = seen(await provider({ port: await unusedPort() }).testConnection());
    expect(r).toMatchObject({ ok: false, failure: 'transient' });
    if (!r.ok) expect(r.message).toMatch(/refused the connection/);
  });

  it('a hanging panel → transient timeout', async () => {
    fake.switches.hang = true;
    const r = seen(await provider({ timeoutMs: 300 }).testConnection());
    expect(r).toMatchObject({ ok: false, failure: 'transient' });
    if (!r.ok) expect(r.message).toMatch(/did not answer in time/);
  });

  it('TLS: a self-signed certificate fails verification with failure tls, and works with verification off', async () => {
    const secure = await startFakeVirtualizor({ tls: true });
    try {
      const c = { port: secure.port, secure: true, apiKey: secure.apiKey, apiPass: secure.apiPass };
      const r = seen(await provider({ ...c, verifyTls: true }).testConnection());
      expect(r).toMatchObject({ ok: false, failure: 'tls' });
      expect(await provider({ ...c, verifyTls: false }).testConnection()).toMatchObject({ ok: true });
    } finally {
      await secure.close();
    }
  });

  it('suspend (with reason), suspend again, unsuspend — also when the panel refuses repeats', async () => {
    const { ref } = await create('susp.example.test');
    const v = fake.vps.get(Number(ref))!;
    expect(seen(await provider().suspend(ref, 'Overdue on payment'))).toEqual({ ok: true });
    expect(v).toMatchObject({ suspended: true, suspend_reason: 'Overdue on payment' });
    expect(seen(await provider().suspend(ref, 'Overdue on payment'))).toEqual({ ok: true });
    fake.switches.repeatSuspend = 'error';
    expect(seen(await provider().suspend(ref, 'Overdue on payment'))).toEqual({ ok: true });
    const listed = await provider().findAccount({ domain: 'susp.example.test' });
    expect(listed).toMatchObject({ ok: true, account: { suspended: true, suspendReason: 'Overdue on payment' } });
    expect(seen(await provider().unsuspend(ref))).toEqual({ ok: true });
    expect(v.suspended).toBe(false);
    expect(seen(await provider().unsuspend(ref))).toEqual({ ok: true });
  });

  it('terminate removes the VPS; terminate/suspend/power of an unknown vpsid → not_found', async () => {
    const { ref } = await create('gone.example.test');
    expect(seen(await provider().terminate(ref))).toEqual({ ok: true });
    expect(fake.vps.has(Number(ref))).toBe(false);
    for (const r of [await provider().terminate(ref), await provider().suspend(ref, 'x'), await provider().power(ref, 'start'), await provider().changePassword(ref, 'New#Pass2025'), await provider().loginUrl(ref)]) {
      expect(seen(r)).toMatchObject({ ok: false, failure: 'not_found' });
    }
    fake.switches.unknownVps = 'done';
    expect(await provider().terminate(ref)).toEqual({ ok: true });
    expect(seen(await provider().terminate('v1001'))).toMatchObject({ ok: false, failure: 'permanent' });
  });

  it('changes the plan (resources follow); an unknown plan is permanent', async () => {
    const { ref } = await create('plan.example.test');
    expect(seen(await provider().changePackage(ref, '3'))).toEqual({ ok: true });
    expect(fake.vps.get(Number(ref))).toMatchObject({ plid: 3, ram: 4096, space: 80, cores: 4, hostname: 'plan.example.test' });
    const r = seen(await provider().changePackage(ref, '99'));
    expect(r).toMatchObject({ ok: false, failure: 'permanent' });
    if (!r.ok) expect(r.message).toMatch(/Plan 99 does not exist/);
    const down = seen(await provider().changePackage(ref, '1'));
    expect(down).toMatchObject({ ok: false, failure: 'permanent' });
    if (!down.ok) expect(down.message).toContain('You cannot shrink the disk space of a VPS');
  });

  it('changes the root password; a weak one is permanent and changes nothing', async () => {
    const { ref } = await create('pass.example.test');
    const v = fake.vps.get(Number(ref))!;
    expect(seen(await provider().changePassword(ref, 'Fresh#Pass2025'))).toEqual({ ok: true });
    expect(v).toMatchObject({ rootpass: 'Fresh#Pass2025', hostname: 'pass.example.test', plid: 2, ram: 2048 });
    const r = seen(await provider().changePassword(ref, 'weakpass'));
    expect(r).toMatchObject({ ok: false, failure: 'permanent' });
    if (!r.ok) expect(r.message).toContain(WEAK_PASS);
    expect(v.rootpass).toBe('Fresh#Pass2025');
  });

  it('power actions', async () => {
    const { ref } = await create('power.example.test');
    const v = fake.vps.get(Number(ref))!;
    const p = provider();
    expect(await p.power(ref, 'stop')).toEqual({ ok: true });
    expect(v.running).toBe(false);
    expect(await p.power(ref, 'start')).toEqual({ ok: true });
    expect(v.running).toBe(true);
    expect(await p.power(ref, 'restart')).toEqual({ ok: true });
    expect(await p.power(ref, 'poweroff')).toEqual({ ok: true });
    expect(v.running).toBe(false);
    fake.switches.doneValue = 'message';
    expect(await p.power(ref, 'start')).toEqual({ ok: true });
    await p.suspend(ref, 'abuse');
    const refused = seen(await p.power(ref, 'start'));
    expect(refused).toMatchObject({ ok: false, failure: 'permanent' });
    if (!refused.ok) expect(refused.message).toContain('The VPS failed to start');
  });

  it('builds the enduser-panel SSO URL', async () => {
    const { ref } = await create('sso.example.test');
    const r = await provider().loginUrl(ref);
    expect(r).toMatchObject({ ok: true });
    if (r.ok) expect(r.url).toMatch(new RegExp(`^https://127\\.0\\.0\\.1:4083/[0-9a-f]+/\\?as=[0-9a-f]+&svs=${ref}$`));
  });

  it('lists every VPS across pages with usage mapped', async () => {
    for (let i = 0; i < 120; i++) fake.addVps({ hostname: `bulk${i}.example.test`, email: `bulk${i % 7}@example.test`, plid: 1, used_bandwidth: 1.5 });
    const pagesBefore = fake.count('vs', { reslen: '50' });
    const r = await provider().listAccounts();
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.accounts).toHaveLength(fake.vps.size);
    expect(new Set(r.accounts.map((a) => a.ref)).size).toBe(fake.vps.size);
    expect(fake.count('vs', { reslen: '50' }) - pagesBefore).toBe(Math.floor(fake.vps.size / 50) + 1);
    const bulk = r.accounts.find((a) => a.domain === 'bulk3.example.test')!;
    const v = fake.findVps((x) => x.hostname === 'bulk3.example.test')[0];
    expect(bulk).toEqual({
      ref: String(v.vpsid), username: v.vps_name, domain: 'bulk3.example.test', email: 'bulk3@example.test', plan: '1', suspended: false,
      suspendReason: null, ip: v.ips[0].ip, diskUsedMb: null, diskLimitMb: 20 * 1024, bandwidthUsedMb: 1536, bandwidthLimitMb: 1000 * 1024,
    });
  });

  it('lists the plans', async () => {
    const r = await provider().listPlans();
    expect(r).toMatchObject({ ok: true });
    if (r.ok) expect(r.plans).toEqual(expect.arrayContaining([{ id: '1', name: 'vps-1g' }, { id: '2', name: 'vps-2g' }]));
  });

  it('never puts the API key or pass in a message', () => {
    expect(messages.length).toBeGreaterThan(15);
    for (const m of messages) {
      for (const secret of [fake.apiKey, fake.apiPass, WRONG_PASS]) expect(m).not.toContain(secret);
    }
  });
});
