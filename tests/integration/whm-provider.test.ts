import axios from 'axios';
import { recordingAnswers } from '../helpers/recording.js';
import type { HostingProvider, ProviderResult, ServerConnection } from '../../src/domain/provisioning/provider.js';
import { WhmProvider } from '../../src/integrations/provisioning/whm.js';
import { unusedPort } from '../fakes/smtp-server.js';
import { startFakeWhm, type FakeWhm } from '../fakes/whm-server.js';

/** The WHM module against the fake WHM over real HTTP on loopback: envelopes, error strings, transport failures. */
describe('WHM provider against the fake WHM', () => {
  let whm: FakeWhm;
  const extra: FakeWhm[] = [];
  /** Every result any provider call returned, checked for secrets at the end. */
  const seen: unknown[] = [];
  const secrets = new Set<string>();
  const PASSWORD = 'Gr33n-Lantern-42';

  const conn = (over: Partial<ServerConnection> = {}, server: FakeWhm = whm): ServerConnection => ({
    type: 'cpanel', hostname: '127.0.0.1', port: server.port, secure: false, verifyTls: true,
    username: server.user, password: null, apiToken: server.token, apiKey: null, apiPass: null,
    timeoutMs: 2000, createTimeoutMs: 2000, ...over,
  });
  /** The provider, with each result kept for the secrets check. */
  const provider = (c: ServerConnection = conn()): HostingProvider => {
    for (const s of [c.apiToken, c.password]) if (s) secrets.add(s);
    return recordingAnswers<HostingProvider>(new WhmProvider(c), (r) => seen.push(r));
  };
  const failed = (r: ProviderResult<any>) => {
    if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r)}`);
    return r;
  };
  const input = (over: Record<string, string> = {}) => ({
    username: 'acmeshop', domain: 'acme-shop.test', password: PASSWORD, contactEmail: 'owner@acme-shop.test', plan: 'starter', ...over,
  });
  const raw = (fn: string, query: string, auth = `whm ${whm.user}:${whm.token}`) =>
    axios.get(`${whm.url}/json-api/${fn}${query}`, { headers: { Authorization: auth }, validateStatus: () => true });

  beforeAll(async () => {
    whm = await startFakeWhm();
    secrets.add(whm.password);
    secrets.add(PASSWORD);
  });
  beforeEach(() => whm.reset());
  afterAll(async () => {
    await whm.close();
    for (const s of extra) await s.close();
  });

  it('tests the connection: version and latency, always with api.version=1', async () => {
    whm.set({ latencyMs: 60 });
    const r = await provider().testConnection();
    expect(r).toEqual({ ok: true, version: '11.120.0.9', latencyMs: expect.any(Number) });
    expect(r.ok && r.latencyMs).toBeGreaterThanOrEqual(60);
    expect(whm.calls.map((c) => [c.fn, c.apiVersion, c.auth])).toEqual([['version', '1', 'token']]);
  });

  it('creates an account with the package, domain and contact email, password in the POST body only', async () => {
    const r = await provider().createAccount(input({ username: 'AcmeShop' }));
    expect(r).toEqual({ ok: true, ref: 'acmeshop', ip: '192.0.2.10', details: { package: 'starter', nameservers: ['ns1.fake-whm.test', 'ns2.fake-whm.test'] } });
    const a = whm.accounts.get('acmeshop')!;
    expect(a).toMatchObject({ domain: 'acme-shop.test', plan: 'starter', email: 'owner@acme-shop.test', password: PASSWORD, suspended: false });
    const [call] = whm.callsTo('createacct');
    expect(call).toMatchObject({ method: 'POST', apiVersion: '1', query: { 'api.version': '1' } });
    expect(JSON.stringify(call.query)).not.toContain(PASSWORD);

    const found = await provider().findAccount({ username: 'acmeshop' });
    expect(found.ok && found.account).toMatchObject({ ref: 'acmeshop', domain: 'acme-shop.test', plan: 'starter', email: 'owner@acme-shop.test', suspended: false });
    expect(await provider().findAccount({ username: 'nobodyhere', domain: 'nowhere.test' })).toEqual({ ok: true, account: null });
    const byDomain = await provider().findAccount({ username: 'othername', domain: 'ACME-shop.test' });
    expect(byDomain.ok && byDomain.account?.ref).toBe('acmeshop');
  });

  it('refuses what WHM refuses, as permanent failures with WHM’s own reason and without the XID/Perl noise', async () => {
    whm.addAccount({ user: 'acmeshop', domain: 'acme-shop.test' });
    const p = provider();
    const cases: Array<[Record<string, string>, string]> = [
      [{ username: 'acmeshop', domain: 'other.test' }, 'This system already has an account named “acmeshop”.'],
      [{ username: 'acmeshop2', domain: 'other.test' }, 'The name of another account on this server has the same initial 8 characters as the given username (acmeshop2). Each username’s first 8 characters must be unique.'],
      [{ username: 'testshop', domain: 'other.test' }, '“testshop” is a reserved username on this system.'],
      [{ username: 'root', domain: 'other.test' }, '“root” is a reserved username on this system.'],
      [{ username: '1shop', domain: 'other.test' }, '“1shop” is not a valid username on this system.'],
      [{ username: 'shop-one', domain: 'other.test' }, '“shop-one” is not a valid username on this system.'],
      [{ username: 'newshop', domain: 'acme-shop.test' }, 'The domain “acme-shop.test” already exists in the userdata.'],
      [{ username: 'newshop', domain: 'other.test', plan: 'gold' }, 'Sorry, "gold" is not a valid pacakge name.'],
      [{ username: 'newshop', domain: 'other.test', password: 'short' }, 'too weak and would be too easy to guess'],
    ];
    for (const [over, reason] of cases) {
      const r = failed(await p.createAccount(input(over)));
      expect(r).toMatchObject({ failure: 'permanent' });
      expect(r.message).toContain(reason);
      expect(r.message).not.toMatch(/XID|API failure| at \/usr\//);
    }
    // the fake really sends the noise the module strips
    const call = await raw('createacct', '?api.version=1&username=acmeshop');
    expect(call.data.metadata.reason).toMatch(/^API failure: \(XID [a-z0-9]+\) This system already has an account named “acmeshop”\. at \/usr\/local\/cpanel\/\S+ line \d+\.$/);
    expect([...whm.accounts.keys()]).toEqual(['acmeshop']);
  });

  it('createacct that outlives the timeout still creates: transient timeout, then findAccount sees exactly one account', async () => {
    whm.set({ createTimesOutButCreates: true, createHoldMs: 1500 });
    const p = provider(conn({ createTimeoutMs: 300 }));
    const r = failed(await p.createAccount(input()));
    expect(r.failure).toBe('transient');
    expect(r.message).toMatch(/timeout/);
    expect(r.message).toContain('look it up before creating it again');
    const found = await p.findAccount({ username: 'acmeshop', domain: 'acme-shop.test' });
    expect(found.ok && found.account).toMatchObject({ ref: 'acmeshop', domain: 'acme-shop.test', plan: 'starter' });
    expect(whm.accounts.size).toBe(1);
    expect(whm.callsTo('createacct')).toHaveLength(1);
  });

  it('5xx is transient with the status, and the next call goes through', async () => {
    whm.failNext(2, { status: 503 });
    const p = provider();
    expect(await p.testConnection()).toMatchObject({ ok: false, failure: 'transient', status: 503, message: expect.stringContaining('HTTP 503') });
    expect(failed(await p.createAccount(input()))).toMatchObject({ failure: 'transient', status: 503 });
    expect(whm.accounts.size).toBe(0);
    expect(await p.createAccount(input())).toMatchObject({ ok: true, ref: 'acmeshop' });
  });

  it('rejected credentials are auth failures with the HTTP status; password (Basic) auth works', async () => {
    const bad = failed(await provider(conn({ apiToken: 'WRONGTOKEN0123456789ABCDEFGHIJKLM' })).testConnection());
    expect(bad).toMatchObject({ failure: 'auth', status: 403 });
    expect(bad.message).toMatch(/rejected the API token \(HTTP 403\)/);
    whm.set({ authFailureStatus: 401 });
    expect(await provider(conn({ apiToken: null, password: 'not-the-password' })).testConnection()).toMatchObject({ ok: false, failure: 'auth', status: 401 });
    expect(await provider(conn({ apiToken: null, password: whm.password })).testConnection()).toMatchObject({ ok: true });
    expect(whm.calls.map((c) => c.auth)).toEqual(['bad', 'bad', 'basic']);
    expect(await provider(conn({ apiToken: null, password: null })).testConnection()).toMatchObject({ ok: false, failure: 'auth' });
    const page = await raw('version', '?api.version=1', 'whm root:nope');
    expect(page.status).toBe(401);
    expect(String(page.headers['content-type'])).toMatch(/text\/html/);
    expect(page.data).toContain('Access denied');
  });

  it('an unreachable server is transient "refused"; the fake can refuse and accept again', async () => {
    const nothing = failed(await provider(conn({ port: await unusedPort() })).testConnection());
    expect(nothing).toMatchObject({ failure: 'transient' });
    expect(nothing.message).toMatch(/refused the connection/);
    await whm.refuse();
    expect(await provider().testConnection()).toMatchObject({ ok: false, failure: 'transient', message: expect.stringMatching(/refused/) });
    await whm.accept();
    expect(await provider().testConnection()).toMatchObject({ ok: true });
  });

  it('a server that never answers is a transient timeout', async () => {
    whm.set({ hang: true });
    const r = failed(await provider(conn({ timeoutMs: 300 })).testConnection());
    expect(r.failure).toBe('transient');
    expect(r.message).toMatch(/did not answer in time \(timeout\)/);
  });

  it('TLS: a self-signed certificate fails verification clearly, and works with verification off', async () => {
    const tls = await startFakeWhm({ tls: true });
    extra.push(tls);
    expect(tls.url).toMatch(/^https:/);
    const r = failed(await provider(conn({ secure: true, verifyTls: true }, tls)).testConnection());
    expect(r.failure).toBe('tls');
    expect(r.message).toMatch(/self[- ]signed certificate/i);
    expect(r.message).toMatch(/turn off TLS verification/);
    expect(await provider(conn({ secure: true, verifyTls: false }, tls)).testConnection()).toMatchObject({ ok: true, version: '11.120.0.9' });
  });

  it('suspend is harmless twice; unsuspend of an active account is ok; the reason is kept', async () => {
    whm.addAccount({ user: 'acmeshop', domain: 'acme-shop.test', plan: 'starter' });
    const p = provider();
    expect(await p.suspend('acmeshop', 'Overdue on payment')).toEqual({ ok: true });
    expect(await p.suspend('acmeshop', 'Overdue on payment')).toEqual({ ok: true });
    const again = await raw('suspendacct', '?api.version=1&user=acmeshop');
    expect(again.data.metadata).toMatchObject({ result: 1, output: { raw: expect.stringContaining('already suspended') } });
    expect(whm.accounts.get('acmeshop')).toMatchObject({ suspended: true, suspendreason: 'Overdue on payment' });
    const listed = await p.findAccount({ username: 'acmeshop' });
    expect(listed.ok && listed.account).toMatchObject({ suspended: true, suspendReason: 'Overdue on payment' });
    expect(failed(await p.loginUrl('acmeshop')).message).toContain('because they are currently suspended');

    expect(await p.unsuspend('acmeshop')).toEqual({ ok: true });
    expect(await p.unsuspend('acmeshop')).toEqual({ ok: true });
    const twice = await raw('unsuspendacct', '?api.version=1&user=acmeshop');
    expect(twice.data.metadata).toMatchObject({ result: 1, output: { raw: expect.stringContaining('is not in a suspended state') } });
    expect(whm.accounts.get('acmeshop')).toMatchObject({ suspended: false, suspendreason: 'not suspended' });
    expect(await p.suspend('ghost', 'x')).toMatchObject({ ok: false, failure: 'not_found', message: expect.stringContaining('You do not have a user named “ghost”.') });
  });

  it('terminate removes the account; a missing account is not_found', async () => {
    whm.addAccount({ user: 'acmeshop', domain: 'acme-shop.test' });
    const p = provider();
    expect(await p.terminate('acmeshop')).toEqual({ ok: true });
    expect(whm.accounts.has('acmeshop')).toBe(false);
    const gone = failed(await p.terminate('acmeshop'));
    expect(gone).toMatchObject({ failure: 'not_found' });
    expect(gone.message).toContain('You do not have a user named “acmeshop”.');
  });

  it('changes package and password; unknown package and weak password are permanent', async () => {
    whm.addAccount({ user: 'acmeshop', domain: 'acme-shop.test', plan: 'starter' });
    const p = provider();
    expect(await p.changePackage('acmeshop', 'business')).toEqual({ ok: true });
    expect(whm.accounts.get('acmeshop')).toMatchObject({ plan: 'business', diskLimitMb: 10240 });
    expect(await p.changePackage('acmeshop', 'platinum')).toMatchObject({ ok: false, failure: 'permanent', message: expect.stringContaining('Specified package does not exist.') });
    expect(await p.changePackage('ghost', 'business')).toMatchObject({ ok: false, failure: 'not_found' });

    const weak = failed(await p.changePassword('acmeshop', 'abc'));
    expect(weak.failure).toBe('permanent');
    expect(weak.message).toContain('Sorry, the password you selected cannot be used because it is too weak and would be too easy to guess.');
    expect(await p.changePassword('acmeshop', PASSWORD)).toEqual({ ok: true });
    expect(whm.accounts.get('acmeshop')!.password).toBe(PASSWORD);
    for (const c of whm.callsTo('passwd')) expect(c).toMatchObject({ method: 'POST', query: { 'api.version': '1' } });
    expect(await p.changePassword('ghost', PASSWORD)).toMatchObject({ ok: false, failure: 'not_found' });
  });

  it('gives a cPanel login URL', async () => {
    whm.addAccount({ user: 'acmeshop', domain: 'acme-shop.test' });
    const r = await provider().loginUrl('acmeshop');
    expect(r.ok && r.url).toMatch(/^https:\/\/[^/]+:2083\/cpsess\d{10}\/login\/\?session=acmeshop/);
    expect(whm.callsTo('create_user_session')[0].params).toMatchObject({ user: 'acmeshop', service: 'cpaneld' });
    expect(await provider().loginUrl('ghost')).toMatchObject({ ok: false, failure: 'not_found' });
  });

  it('lists accounts with disk and this month’s bandwidth, and the packages', async () => {
    whm.addAccount({ user: 'acmeshop', domain: 'acme-shop.test', plan: 'starter', email: 'a@acme.test', diskUsedMb: 14, bandwidthUsedBytes: 50 * 1048576 });
    whm.addAccount({ user: 'bigco', domain: 'bigco.test', plan: 'business', diskUsedMb: 2048, suspended: true, suspendreason: 'Abuse' });
    const p = provider();
    const r = await p.listAccounts();
    if (!r.ok) throw new Error(r.message);
    const by = Object.fromEntries(r.accounts.map((a) => [a.ref, a]));
    expect(by.acmeshop).toEqual({
      ref: 'acmeshop', username: 'acmeshop', domain: 'acme-shop.test', email: 'a@acme.test', plan: 'starter', suspended: false, suspendReason: null,
      ip: '192.0.2.10', diskUsedMb: 14, diskLimitMb: 1024, bandwidthUsedMb: 50, bandwidthLimitMb: 10240,
    });
    expect(by.bigco).toMatchObject({ email: null, suspended: true, suspendReason: 'Abuse', diskUsedMb: 2048, diskLimitMb: 10240, bandwidthUsedMb: 0, bandwidthLimitMb: null });
    const plans = await p.listPlans();
    expect(plans.ok && plans.plans).toEqual([{ id: 'default', name: 'default' }, { id: 'starter', name: 'starter' }, { id: 'business', name: 'business' }]);
    whm.accounts.clear();
    expect(await p.listAccounts()).toEqual({ ok: true, accounts: [] });
  });

  it('speaks WHM API 1 only: the fake answers API 0 without api.version and unknown functions as WHM does', async () => {
    const v0 = await raw('version', '');
    expect(v0.data.metadata).toBeUndefined();
    expect(v0.data).toMatchObject({ status: 1, version: '11.120.0.9' });
    const unknown = await raw('nosuchfn', '?api.version=1');
    expect(unknown.status).toBe(200);
    expect(unknown.data.metadata).toMatchObject({ result: 0, reason: 'Unknown app (nosuchfn) requested for this version (1) of the API.' });
    const none = await raw('listaccts', '?api.version=1&searchtype=user&search=ghost&searchmethod=exact');
    expect(none.data).toEqual({ metadata: { version: 1, command: 'listaccts', result: 1, reason: 'OK' } });
    whm.calls.splice(0);

    whm.addAccount({ user: 'acmeshop', domain: 'acme-shop.test' });
    const p = provider();
    await p.testConnection();
    await p.createAccount(input({ username: 'othershop', domain: 'other.test' }));
    await p.findAccount({ username: 'x', domain: 'y.test' });
    await p.suspend('acmeshop', 'r');
    await p.unsuspend('acmeshop');
    await p.changePackage('acmeshop', 'business');
    await p.changePassword('acmeshop', PASSWORD);
    await p.loginUrl('acmeshop');
    await p.listAccounts();
    await p.listPlans();
    await p.terminate('acmeshop');
    expect(new Set(whm.calls.map((c) => c.fn)).size).toBe(11);
    expect(whm.calls.filter((c) => c.apiVersion !== '1')).toEqual([]);
  });

  it('never returns a credential or an account password in any result', () => {
    expect(seen.length).toBeGreaterThan(40);
    expect(seen.some((r) => (r as { ok: boolean }).ok === false)).toBe(true);
    const text = JSON.stringify(seen);
    for (const s of secrets) expect(text).not.toContain(s);
  });
});
