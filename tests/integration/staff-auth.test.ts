import { Secret, TOTP } from 'otpauth';
import bcrypt from 'bcryptjs';
import { startTestApp, createStaff, type TestApp } from '../helpers/app.js';
import { csrfFrom, csrfOf, loginAs, type Agent } from '../helpers/auth.js';
import { testEngine } from '../helpers/db.js';
import { AuthService, ipThrottleKey, passwordProblem } from '../../src/domain/access/auth-service.js';
import { safeNext } from '../../src/admin/auth-routes.js';

/**
 * Staff authentication over real HTTP: login, lockout, IP throttling, TOTP, recovery codes, password changes, logout
 * and CSRF, each checked against the activity log (audit_logs). The auth clock is injected, so "15 minutes later"
 * costs nothing; every test starts 20 minutes after the previous one, so throttle windows never leak between tests.
 */

type Row = Record<string, any>;

let clock = Date.now();
const now = () => new Date(clock);
const advance = (ms: number) => {
  clock += ms;
};
const MIN = 60_000;

const totpFor = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
/** The stored express-session JSON of a sessions row. */
const sessionData = (row: Record<string, any>) => JSON.parse(row.sessionData ?? row.data);
const codeAt = (secret: string, offsetSteps = 0) => totpFor(secret).generate({ timestamp: clock + offsetSteps * 30_000 });

describe(`staff authentication on ${testEngine()}`, () => {
  let t: TestApp;
  let seq = 0;

  const audit = async (where: Row = {}): Promise<Row[]> => t.ds.getRepository('AuditLog').find({ where, order: { id: 'ASC' } });
  const user = async (id: number): Promise<Row> => (await t.ds.getRepository('User').findOneOrFail({ where: { id } })) as Row;
  const newStaff = async (password = 'correct horse battery', role = 'Support') => {
    const email = `staff${++seq}@auth.test`;
    const id = await createStaff(t.ds, { email, password, role });
    return { id, email, password };
  };
  const postLogin = async (agent: Agent, email: string, password: string, extra: Row = {}) => {
    const csrf = await csrfOf(agent);
    return agent.post('/admin/login').type('form').set('User-Agent', 'jest-browser/1.0').send({ email, password, _csrf: csrf, ...extra });
  };
  const post = async (agent: Agent, path: string, body: Row) => {
    const csrf = await csrfOf(agent, '/admin/account');
    return agent.post(path).type('form').send({ ...body, _csrf: csrf });
  };

  beforeAll(async () => {
    t = await startTestApp({}, { auth: { now } });
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(() => advance(20 * MIN));

  describe('login', () => {
    it('logs a staff member in with a new session id, records the login and redirects to /admin', async () => {
      const s = await newStaff();
      const agent = t.agent();
      const form = await agent.get('/admin/login').expect(200);
      expect(form.headers['content-type']).toMatch(/text\/html/);
      expect(form.headers['cache-control']).toBe('no-store');
      expect(form.text).toContain('name="_csrf"');
      const before = String(form.headers['set-cookie']);

      const res = await agent.post('/admin/login').type('form').set('User-Agent', 'jest-browser/1.0').send({ email: s.email, password: s.password, _csrf: csrfFrom(form.text) });
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/admin');
      const after = String(res.headers['set-cookie']);
      expect(after).toMatch(/meridian\.sid=/);
      expect(after.split(';')[0]).not.toBe(before.split(';')[0]);

      const account = await agent.get('/admin/account').expect(200);
      expect(account.text).toContain(s.email);

      const sessions = (await t.ds.getRepository('Session').find({ where: { userId: s.id } })) as Row[];
      expect(sessions).toHaveLength(1);
      expect(sessionData(sessions[0]).adminUser).toEqual({ id: s.id, email: s.email, title: 'Support Tester' });

      const rows = await audit({ userId: s.id, event: 'login' });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actorType: 'staff', actorName: s.email, auditableType: 'User', auditableId: String(s.id), ipAddress: '127.0.0.1', userAgent: 'jest-browser/1.0' });
      const u = await user(s.id);
      expect(u.lastLoginIp).toBe('127.0.0.1');
      expect(u.lastLoginAt).toBeInstanceOf(Date);
      expect(u.failedLoginCount).toBe(0);
    });

    it('accepts the email in any case and goes to a safe `next`, never elsewhere', async () => {
      const s = await newStaff();
      const a = t.agent();
      const ok = await postLogin(a, s.email.toUpperCase(), s.password, { next: '/admin/resources/Invoice?page=2' });
      expect(ok.status).toBe(302);
      expect(ok.headers.location).toBe('/admin/resources/Invoice?page=2');
      for (const next of ['https://evil.example/admin', '//evil.example/admin', '/admin/../../x', '/\\evil.example', '/adminx']) {
        advance(MIN);
        const res = await postLogin(t.agent(), s.email, s.password, { next });
        expect(res.status).toBe(302);
        expect(res.headers.location).toBe('/admin');
      }
    });

    it('refuses a wrong password and an unknown email alike (401, same message), and records both', async () => {
      const s = await newStaff();
      const wrong = await postLogin(t.agent(), s.email, 'not the password');
      const unknown = await postLogin(t.agent(), 'nobody@auth.test', 'not the password');
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      const message = (html: string) => /<div class="alert error" role="alert">([^<]*)<\/div>/.exec(html)?.[1];
      expect(message(wrong.text)).toBe('The email address or password is incorrect.');
      expect(message(unknown.text)).toBe(message(wrong.text));
      expect(wrong.text).not.toContain('not the password');

      const failed = await audit({ event: 'login_failed', userId: s.id });
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ actorType: 'staff', ipAddress: '127.0.0.1', userAgent: 'jest-browser/1.0' });
      const anon = await audit({ event: 'login_failed', actorName: 'nobody@auth.test' });
      expect(anon).toHaveLength(1);
      expect(anon[0].userId).toBeNull();
      expect((await user(s.id)).failedLoginCount).toBe(1);
      expect(await t.ds.getRepository('LoginThrottle').findOne({ where: { key: `email:${s.email}` } })).toMatchObject({ attempts: 1 });
      expect(await t.ds.getRepository('LoginThrottle').findOne({ where: { key: 'ip:127.0.0.1' } })).toBeTruthy();
    });

    it('lets only active staff in: clients, deactivated and soft-deleted users are refused', async () => {
      const s = await newStaff();
      await t.ds.getRepository('User').update({ id: s.id }, { status: 'inactive' });
      const inactive = await postLogin(t.agent(), s.email, s.password);
      expect(inactive.status).toBe(403);
      expect(inactive.text).toContain('disabled');
      // The wrong password on a deactivated account says no more than for anyone else.
      expect((await postLogin(t.agent(), s.email, 'wrong password!')).status).toBe(401);

      const clientEmail = `client${++seq}@auth.test`;
      await t.ds.getRepository('User').insert({ userType: 'client', email: clientEmail, displayName: 'C', passwordHash: await bcrypt.hash('client password 1', 4), status: 'active' });
      expect((await postLogin(t.agent(), clientEmail, 'client password 1')).status).toBe(401);

      const gone = await newStaff();
      await t.ds.getRepository('User').softDelete({ id: gone.id });
      expect((await postLogin(t.agent(), gone.email, gone.password)).status).toBe(401);
    });

    it('rejects empty input with 400 and escapes what it echoes', async () => {
      const res = await postLogin(t.agent(), '<script>alert(1)</script>', '');
      expect(res.status).toBe(400);
      expect(res.text).not.toContain('<script>alert(1)</script>');
      expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    });

    it('ends a session when its user is deactivated', async () => {
      const s = await newStaff();
      const a = t.agent();
      await loginAs(a, s.email, s.password);
      await a.get('/admin/account').expect(200);
      await t.ds.getRepository('User').update({ id: s.id }, { status: 'suspended' });
      const res = await a.get('/admin/account');
      expect(res.status).toBe(302);
      expect(res.headers.location).toMatch(/^\/admin\/login/);
      expect(await t.ds.getRepository('Session').count({ where: { userId: s.id } })).toBe(0);
    });
  });

  describe('lockout and throttling', () => {
    it('locks an account for 15 minutes after 5 failures, refuses even the right password, then lets it in', async () => {
      const s = await newStaff();
      for (let i = 1; i <= 4; i++) expect((await postLogin(t.agent(), s.email, `wrong ${i}`)).status).toBe(401);
      const fifth = await postLogin(t.agent(), s.email, 'wrong 5');
      expect(fifth.status).toBe(423);
      expect(fifth.text).toContain('locked');
      expect(Number(fifth.headers['retry-after'])).toBeGreaterThan(14 * 60);

      const locked = await user(s.id);
      expect(locked.failedLoginCount).toBe(5);
      expect(locked.lockedUntil.getTime()).toBeGreaterThan(clock + 14 * MIN);
      expect(await t.ds.getRepository('LoginThrottle').findOne({ where: { key: `email:${s.email}` } })).toMatchObject({ attempts: 5 });

      const right = await postLogin(t.agent(), s.email, s.password);
      expect(right.status).toBe(423);

      const lockouts = await audit({ userId: s.id, event: 'lockout' });
      expect(lockouts).toHaveLength(1);
      expect(lockouts[0]).toMatchObject({ actorType: 'staff', ipAddress: '127.0.0.1' });
      const failed = await audit({ userId: s.id, event: 'login_failed' });
      expect(failed).toHaveLength(6);
      expect(failed[5].description).toMatch(/locked/);

      advance(14 * MIN);
      expect((await postLogin(t.agent(), s.email, s.password)).status).toBe(423);
      advance(MIN + 2000);
      const ok = await postLogin(t.agent(), s.email, s.password);
      expect(ok.status).toBe(302);
      const after = await user(s.id);
      expect(after.failedLoginCount).toBe(0);
      expect(after.lockedUntil).toBeNull();
      expect(await t.ds.getRepository('LoginThrottle').findOne({ where: { key: `email:${s.email}` } })).toBeNull();
    });

    it('counts consecutive failures only: a success resets the account counter', async () => {
      const s = await newStaff();
      for (let i = 0; i < 4; i++) expect((await postLogin(t.agent(), s.email, 'wrong')).status).toBe(401);
      expect((await postLogin(t.agent(), s.email, s.password)).status).toBe(302);
      expect((await user(s.id)).failedLoginCount).toBe(0);
      for (let i = 0; i < 4; i++) expect((await postLogin(t.agent(), s.email, 'wrong')).status).toBe(401);
      expect((await postLogin(t.agent(), s.email, s.password)).status).toBe(302);
    });

    it('locks unknown emails the same way, so lockouts reveal nothing', async () => {
      for (let i = 0; i < 4; i++) expect((await postLogin(t.agent(), 'ghost@auth.test', 'whatever')).status).toBe(401);
      expect((await postLogin(t.agent(), 'ghost@auth.test', 'whatever')).status).toBe(423);
      expect(await audit({ event: 'lockout', actorName: 'ghost@auth.test' })).toHaveLength(1);
    });

    it('throttles an IP address after 20 failures in 15 minutes, until the window ends', async () => {
      const s = await newStaff();
      for (let i = 1; i <= 19; i++) {
        const res = await postLogin(t.agent(), `probe${i}@auth.test`, 'guess');
        expect(res.status).toBe(401);
      }
      const twentieth = await postLogin(t.agent(), 'probe20@auth.test', 'guess');
      expect(twentieth.status).toBe(429);
      // Now even a correct login from this address waits.
      const blocked = await postLogin(t.agent(), s.email, s.password);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(blocked.text).toContain('Too many failed logins');
      expect(await audit({ userId: s.id, event: 'login' })).toHaveLength(0);

      const throttle = (await t.ds.getRepository('LoginThrottle').findOneOrFail({ where: { key: 'ip:127.0.0.1' } })) as Row;
      expect(throttle.attempts).toBe(20);
      expect(throttle.lockedUntil.getTime()).toBeGreaterThan(clock);
      const events = await audit({ event: 'throttle' });
      expect(events.at(-1)).toMatchObject({ actorType: 'staff', ipAddress: '127.0.0.1', userAgent: 'jest-browser/1.0' });

      advance(15 * MIN + 2000);
      expect((await postLogin(t.agent(), s.email, s.password)).status).toBe(302);
    });
  });

  describe('two-factor authentication', () => {
    const enrol = async (agent: Agent) => {
      const start = await post(agent, '/admin/account/2fa/start', {});
      expect(start.status).toBe(200);
      const secret = /class="secret"><strong>([A-Z2-7]+)<\/strong>/.exec(start.text)?.[1];
      expect(secret).toBeTruthy();
      expect(start.text).toContain('src="data:image/png;base64,');
      return { secret: secret!, page: start.text };
    };
    const codesFrom = (html: string) => [...html.matchAll(/<li>([a-z2-9]{5}-[a-z2-9]{5})<\/li>/g)].map((m) => m[1]);

    it('enrols with a QR code, confirms with a code, and hands out 10 recovery codes once', async () => {
      const s = await newStaff();
      const a = t.agent();
      await loginAs(a, s.email, s.password);
      const { secret } = await enrol(a);

      const raw: Row[] = await t.ds.query('SELECT two_factor_secret AS s, two_factor_enabled AS e FROM users WHERE id = ?', [s.id]);
      expect(String(raw[0].s)).toMatch(/^enc:v1:/);
      expect(Number(raw[0].e)).toBe(0);
      // The pending set-up survives a reload.
      expect((await a.get('/admin/account').expect(200)).text).toContain(secret);

      const bad = await post(a, '/admin/account/2fa/confirm', { code: '000000' === codeAt(secret) ? '111111' : '000000' });
      expect(bad.status).toBe(400);
      expect((await user(s.id)).twoFactorEnabled).toBe(false);

      const ok = await post(a, '/admin/account/2fa/confirm', { code: codeAt(secret) });
      expect(ok.status).toBe(200);
      const codes = codesFrom(ok.text);
      expect(codes).toHaveLength(10);
      expect(new Set(codes).size).toBe(10);
      const u = await user(s.id);
      expect(u.twoFactorEnabled).toBe(true);
      expect(u.twoFactorRecoveryCodes).toHaveLength(10);
      for (const h of u.twoFactorRecoveryCodes) expect(h).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(u.twoFactorRecoveryCodes)).not.toContain(codes[0]);

      const page = await a.get('/admin/account').expect(200);
      expect(codesFrom(page.text)).toHaveLength(0);
      expect(page.text).toContain('Recovery codes left: <strong>10</strong>');
      expect(await audit({ userId: s.id, event: '2fa_enabled' })).toHaveLength(1);
    });

    it('asks for a code after the password, refuses a replayed code, and accepts each recovery code once', async () => {
      const s = await newStaff();
      const a = t.agent();
      await loginAs(a, s.email, s.password);
      const { secret } = await enrol(a);
      const confirmed = await post(a, '/admin/account/2fa/confirm', { code: codeAt(secret) });
      const recovery = codesFrom(confirmed.text);
      advance(MIN);

      // Password step: only a pending marker, no access yet.
      const b = t.agent();
      const first = await postLogin(b, s.email, s.password);
      expect(first.status).toBe(302);
      expect(first.headers.location).toBe('/admin/login/2fa');
      const pending = (await t.ds.getRepository('Session').find()) as Row[];
      const marker = pending.map(sessionData).find((d) => d.pendingSecondFactor?.userId === s.id);
      expect(marker).toBeTruthy();
      expect(marker.adminUser).toBeUndefined();
      expect((await b.get('/admin/account')).status).toBe(302);
      expect(await audit({ userId: s.id, event: 'login' })).toHaveLength(1); // only the enrolment session's

      const page = await b.get('/admin/login/2fa').expect(200);
      const code = codeAt(secret);
      const second = await b.post('/admin/login/2fa').type('form').send({ code, _csrf: csrfFrom(page.text) });
      expect(second.status).toBe(302);
      expect(second.headers.location).toBe('/admin');
      await b.get('/admin/account').expect(200);
      expect(await audit({ userId: s.id, event: 'login' })).toHaveLength(2);

      // The same code again, from another browser, within its validity: refused.
      const c = t.agent();
      expect((await postLogin(c, s.email, s.password)).headers.location).toBe('/admin/login/2fa');
      const replay = await c.post('/admin/login/2fa').type('form').send({ code, _csrf: await csrfOf(c, '/admin/login/2fa') });
      expect(replay.status).toBe(401);
      expect(replay.text).toContain('already been used');
      const previous = await c.post('/admin/login/2fa').type('form').send({ code: codeAt(secret, -1), _csrf: await csrfOf(c, '/admin/login/2fa') });
      expect(previous.status).toBe(401);
      expect((await c.get('/admin/account')).status).toBe(302);
      expect(await audit({ userId: s.id, event: 'login_failed' })).toHaveLength(2);
      // The next time step's code works.
      advance(30_000);
      const fresh = await c.post('/admin/login/2fa').type('form').send({ code: codeAt(secret), _csrf: await csrfOf(c, '/admin/login/2fa') });
      expect(fresh.status).toBe(302);

      // A recovery code, typed in upper case with spaces, logs in once.
      const d = t.agent();
      await postLogin(d, s.email, s.password);
      const typed = ` ${recovery[3].toUpperCase()} `;
      const viaRecovery = await d.post('/admin/login/2fa').type('form').send({ code: typed, _csrf: await csrfOf(d, '/admin/login/2fa') });
      expect(viaRecovery.status).toBe(302);
      expect(viaRecovery.headers.location).toBe('/admin/account');
      expect((await d.get('/admin/account').expect(200)).text).toContain('9 left');
      expect((await user(s.id)).twoFactorRecoveryCodes).toHaveLength(9);
      const used = await audit({ userId: s.id, event: 'recovery_code_used' });
      expect(used).toHaveLength(1);
      expect(used[0]).toMatchObject({ actorType: 'staff', ipAddress: '127.0.0.1' });

      const e = t.agent();
      await postLogin(e, s.email, s.password);
      const again = await e.post('/admin/login/2fa').type('form').send({ code: recovery[3], _csrf: await csrfOf(e, '/admin/login/2fa') });
      expect(again.status).toBe(401);
      expect((await user(s.id)).twoFactorRecoveryCodes).toHaveLength(9);
      expect(await audit({ userId: s.id, event: 'recovery_code_used' })).toHaveLength(1);
    });

    it('locks the account after 5 wrong codes', async () => {
      const s = await newStaff();
      const a = t.agent();
      await loginAs(a, s.email, s.password);
      const { secret } = await enrol(a);
      await post(a, '/admin/account/2fa/confirm', { code: codeAt(secret) });
      const b = t.agent();
      await postLogin(b, s.email, s.password);
      const wrong = codeAt(secret, 5);
      for (let i = 0; i < 4; i++) expect((await b.post('/admin/login/2fa').type('form').send({ code: wrong, _csrf: await csrfOf(b, '/admin/login/2fa') })).status).toBe(401);
      expect((await b.post('/admin/login/2fa').type('form').send({ code: wrong, _csrf: await csrfOf(b, '/admin/login/2fa') })).status).toBe(423);
      advance(30_000);
      expect((await b.post('/admin/login/2fa').type('form').send({ code: codeAt(secret), _csrf: await csrfOf(b, '/admin/login/2fa') })).status).toBe(423);
      expect(await audit({ userId: s.id, event: 'lockout' })).toHaveLength(1);
    });

    it('turns off only with the current password or a current code', async () => {
      const s = await newStaff();
      const a = t.agent();
      await loginAs(a, s.email, s.password);
      const { secret } = await enrol(a);
      await post(a, '/admin/account/2fa/confirm', { code: codeAt(secret) });

      expect((await post(a, '/admin/account/2fa/disable', {})).status).toBe(400);
      expect((await post(a, '/admin/account/2fa/disable', { password: 'not my password' })).status).toBe(400);
      expect((await user(s.id)).twoFactorEnabled).toBe(true);
      expect(await audit({ userId: s.id, event: '2fa_disable_failed' })).toHaveLength(1);

      advance(30_000);
      const off = await post(a, '/admin/account/2fa/disable', { code: codeAt(secret) });
      expect(off.status).toBe(302);
      const u = await user(s.id);
      expect(u).toMatchObject({ twoFactorEnabled: false, twoFactorSecret: null, twoFactorRecoveryCodes: null });
      expect(await audit({ userId: s.id, event: '2fa_disabled' })).toHaveLength(1);
      // Password-only login again.
      expect((await postLogin(t.agent(), s.email, s.password)).headers.location).toBe('/admin');
    });

    it('regenerates recovery codes with the password; the old ones stop working', async () => {
      const s = await newStaff();
      const a = t.agent();
      await loginAs(a, s.email, s.password);
      const { secret } = await enrol(a);
      const old = codesFrom((await post(a, '/admin/account/2fa/confirm', { code: codeAt(secret) })).text);
      const res = await post(a, '/admin/account/2fa/recovery-codes', { password: s.password });
      expect(res.status).toBe(200);
      const fresh = codesFrom(res.text);
      expect(fresh).toHaveLength(10);
      const b = t.agent();
      await postLogin(b, s.email, s.password);
      expect((await b.post('/admin/login/2fa').type('form').send({ code: old[0], _csrf: await csrfOf(b, '/admin/login/2fa') })).status).toBe(401);
      expect((await b.post('/admin/login/2fa').type('form').send({ code: fresh[0], _csrf: await csrfOf(b, '/admin/login/2fa') })).status).toBe(302);
      expect(await audit({ userId: s.id, event: 'recovery_codes_regenerated' })).toHaveLength(1);
    });
  });

  describe('password change', () => {
    it('changes the password, ends the other sessions and keeps this one', async () => {
      const s = await newStaff();
      const mine = t.agent();
      const other = t.agent();
      await loginAs(mine, s.email, s.password);
      await loginAs(other, s.email, s.password);
      await other.get('/admin/account').expect(200);

      const res = await post(mine, '/admin/account/password', { current_password: s.password, new_password: 'a much better passphrase', new_password_confirmation: 'a much better passphrase' });
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/admin/account');
      expect((await mine.get('/admin/account').expect(200)).text).toContain('Your password has been changed');
      expect((await other.get('/admin/account')).status).toBe(302);
      expect(await t.ds.getRepository('Session').count({ where: { userId: s.id } })).toBe(1);

      const u = await user(s.id);
      expect(u.passwordChangedAt).toBeInstanceOf(Date);
      expect(await bcrypt.compare('a much better passphrase', u.passwordHash)).toBe(true);
      expect(bcrypt.getRounds(u.passwordHash)).toBe(4); // lowered for tests; 12 in production
      const rows = await audit({ userId: s.id, event: 'password_changed' });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actorType: 'staff', ipAddress: '127.0.0.1' });
      expect(JSON.stringify(await audit({ userId: s.id }))).not.toContain('much better');

      expect((await postLogin(t.agent(), s.email, s.password)).status).toBe(401);
      expect((await postLogin(t.agent(), s.email, 'a much better passphrase')).status).toBe(302);
    });

    it('refuses a wrong current password, a short one, the email, and a mismatch', async () => {
      const s = await newStaff();
      const a = t.agent();
      await loginAs(a, s.email, s.password);
      const hash = (await user(s.id)).passwordHash;
      const tries: Array<[Row, string]> = [
        [{ current_password: 'wrong current', new_password: 'long enough password', new_password_confirmation: 'long enough password' }, 'current password is not correct'],
        [{ current_password: s.password, new_password: 'short', new_password_confirmation: 'short' }, 'at least 10 characters'],
        [{ current_password: s.password, new_password: s.email.toUpperCase(), new_password_confirmation: s.email.toUpperCase() }, 'not be your email'],
        [{ current_password: s.password, new_password: 'long enough password', new_password_confirmation: 'long enough passw0rd' }, 'do not match'],
        [{ current_password: s.password, new_password: s.password, new_password_confirmation: s.password }, 'differ from the current'],
      ];
      for (const [body, message] of tries) {
        const res = await post(a, '/admin/account/password', body);
        expect(res.status).toBe(400);
        expect(res.text).toContain(message);
      }
      expect((await user(s.id)).passwordHash).toBe(hash);
      expect(await audit({ userId: s.id, event: 'password_change_failed' })).toHaveLength(1);
      expect(await audit({ userId: s.id, event: 'password_changed' })).toHaveLength(0);
    });
  });

  describe('logout and CSRF', () => {
    it('logs out with GET (AdminJS link) and with POST, destroying the session', async () => {
      const s = await newStaff();
      const a = t.agent();
      await loginAs(a, s.email, s.password);
      const out = await a.get('/admin/logout');
      expect(out.status).toBe(302);
      expect(out.headers.location).toBe('/admin/login');
      expect((await a.get('/admin/account')).status).toBe(302);
      expect(await t.ds.getRepository('Session').count({ where: { userId: s.id } })).toBe(0);
      const rows = await audit({ userId: s.id, event: 'logout' });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actorType: 'staff', ipAddress: '127.0.0.1' });

      await loginAs(a, s.email, s.password);
      expect((await post(a, '/admin/logout', {})).status).toBe(302);
      expect((await a.get('/admin/account')).status).toBe(302);
      expect(await audit({ userId: s.id, event: 'logout' })).toHaveLength(2);
    });

    it('answers 403 and changes nothing when a form comes without a valid token', async () => {
      const s = await newStaff();
      const a = t.agent();
      await a.get('/admin/login').expect(200);
      const noToken = await a.post('/admin/login').type('form').send({ email: s.email, password: s.password });
      expect(noToken.status).toBe(403);
      const forged = await a.post('/admin/login').type('form').send({ email: s.email, password: s.password, _csrf: 'x'.repeat(43) });
      expect(forged.status).toBe(403);
      expect((await a.get('/admin/account')).status).toBe(302);
      expect(await audit({ userId: s.id })).toHaveLength(0);

      await loginAs(a, s.email, s.password);
      const hash = (await user(s.id)).passwordHash;
      const change = await a.post('/admin/account/password').type('form').send({ current_password: s.password, new_password: 'attacker chosen pw', new_password_confirmation: 'attacker chosen pw' });
      expect(change.status).toBe(403);
      expect((await user(s.id)).passwordHash).toBe(hash);
      expect((await a.post('/admin/account/2fa/start').type('form').send({})).status).toBe(403);
      expect((await user(s.id)).twoFactorSecret).toBeNull();
      expect((await a.post('/admin/logout').type('form').send({})).status).toBe(403);
      await a.get('/admin/account').expect(200);
      // Another session's token is no good either.
      const b = t.agent();
      const othersToken = await csrfOf(b);
      expect((await a.post('/admin/account/2fa/start').type('form').send({ _csrf: othersToken })).status).toBe(403);
    });

    it('sends the account pages to the login when not logged in', async () => {
      const res = await t.agent().get('/admin/account');
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/admin/login?next=%2Fadmin%2Faccount');
      expect((await t.agent().post('/admin/account/password').type('form').send({})).status).toBe(302);
      expect((await t.agent().get('/admin/login/2fa')).headers.location).toBe('/admin/login');
    });
  });

  describe('AuthService', () => {
    it('resets another user\'s two-factor authentication as an administrator, ending their sessions', async () => {
      const target = await newStaff();
      const admin = await newStaff('admin password 99', 'Full Administrator');
      const a = t.agent();
      await loginAs(a, target.email, target.password);
      const start = await post(a, '/admin/account/2fa/start', {});
      const secret = /class="secret"><strong>([A-Z2-7]+)<\/strong>/.exec(start.text)![1];
      await post(a, '/admin/account/2fa/confirm', { code: codeAt(secret) });
      expect((await user(target.id)).twoFactorEnabled).toBe(true);

      const svc = new AuthService(t.ds, { now, sessions: t.built.sessionStore }, { bcryptCost: 4 });
      expect((await svc.resetTwoFactor(admin.id, { id: admin.id, email: admin.email }, { ip: '10.0.0.1' })).ok).toBe(false);
      const res = await svc.resetTwoFactor(target.id, { id: admin.id, email: admin.email }, { ip: '10.0.0.1', userAgent: 'ua' });
      expect(res.ok).toBe(true);
      expect(await user(target.id)).toMatchObject({ twoFactorEnabled: false, twoFactorSecret: null, twoFactorRecoveryCodes: null });
      expect((await a.get('/admin/account')).status).toBe(302);
      const rows = await audit({ event: '2fa_reset' });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ userId: admin.id, auditableType: 'User', auditableId: String(target.id), actorType: 'staff', ipAddress: '10.0.0.1' });
    });

    it('uses its options: a custom lockout threshold and duration, and unlockAccount', async () => {
      const s = await newStaff();
      const svc = new AuthService(t.ds, { now }, { maxAccountFailures: 2, accountLockMs: 60_000, bcryptCost: 4 });
      expect((await svc.authenticate(s.email, 'nope', '192.0.2.10')).code).toBe('invalid_credentials');
      const second = await svc.authenticate(s.email, 'nope', '192.0.2.10');
      expect(second).toMatchObject({ code: 'locked', retryAfterSeconds: 60 });
      expect((await svc.authenticate(s.email, s.password, '192.0.2.10')).code).toBe('locked');
      await svc.unlockAccount(s.id, { ip: '192.0.2.1' });
      expect((await svc.authenticate(s.email, s.password, '192.0.2.10')).code).toBe('ok');
      expect((await audit({ event: 'unlock', auditableId: String(s.id) })).length).toBe(1);
    });

    it('throttles by IP independently of the account, and keys IPv6 by /64', async () => {
      const s = await newStaff();
      const svc = new AuthService(t.ds, { now }, { maxIpFailures: 3, bcryptCost: 4 });
      await svc.authenticate('x1@auth.test', 'nope', '2001:db8:1:2::10');
      await svc.authenticate('x2@auth.test', 'nope', '2001:db8:1:2:aaaa::20');
      expect((await svc.authenticate('x3@auth.test', 'nope', '2001:db8:1:2:ffff:ffff:ffff:ffff')).code).toBe('throttled');
      expect((await svc.authenticate(s.email, s.password, '2001:db8:1:2::99')).code).toBe('throttled');
      expect((await svc.authenticate(s.email, s.password, '2001:db8:1:3::1')).code).toBe('ok');
      expect(await t.ds.getRepository('LoginThrottle').findOne({ where: { key: 'ip:2001:db8:1:2::/64' } })).toMatchObject({ attempts: 3 });
      // Once the window and its throttle are long over, a periodic prune removes the rows.
      advance(10 * MIN);
      await svc.pruneThrottles();
      expect(await t.ds.getRepository('LoginThrottle').findOne({ where: { key: 'ip:2001:db8:1:2::/64' } })).toBeTruthy();
      advance(20 * MIN);
      expect(await svc.pruneThrottles()).toBeGreaterThan(0);
      expect(await t.ds.getRepository('LoginThrottle').findOne({ where: { key: 'ip:2001:db8:1:2::/64' } })).toBeNull();
    });

    it('needs_second_factor after the right password when 2FA is on; recovery codes are single-use', async () => {
      const s = await newStaff();
      const svc = new AuthService(t.ds, { now }, { bcryptCost: 4 });
      const start = await svc.startTwoFactorEnrolment(s.id);
      if (!start.ok) throw new Error(start.message);
      expect(start.enrolment.uri).toMatch(/^otpauth:\/\/totp\/Meridian:.*secret=/);
      expect(start.enrolment.qrDataUrl).toMatch(/^data:image\/png;base64,/);
      const confirm = await svc.confirmTwoFactorEnrolment(s.id, codeAt(start.enrolment.secret), { ip: '198.51.100.7' });
      if (!confirm.ok) throw new Error(confirm.message);
      expect((await svc.startTwoFactorEnrolment(s.id)).ok).toBe(false);

      const first = await svc.authenticate(s.email, s.password, '198.51.100.7');
      expect(first.code).toBe('needs_second_factor');
      expect(await audit({ userId: s.id, event: 'login' })).toHaveLength(0);
      const [r1, r2] = await Promise.all([
        svc.verifySecondFactor(s.id, confirm.recoveryCodes[0], { ip: '198.51.100.7' }),
        svc.verifySecondFactor(s.id, confirm.recoveryCodes[0], { ip: '198.51.100.7' }),
      ]);
      expect([r1.code, r2.code].sort()).toEqual(['invalid_code', 'ok']);
      expect((await svc.verifySecondFactor(s.id, confirm.recoveryCodes[1], { ip: '198.51.100.7' })).recoveryCodesLeft).toBe(8);
    });

    it('validates passwords, next targets and IP keys', () => {
      expect(passwordProblem('short', 'a@b.c')).toMatch(/at least 10/);
      expect(passwordProblem('A@Example.com', 'a@example.com', 5)).toMatch(/email/);
      expect(passwordProblem('x'.repeat(73), 'a@b.c')).toMatch(/72 bytes/);
      expect(passwordProblem('long enough password', 'a@b.c')).toBeNull();
      expect(safeNext('/admin')).toBe('/admin');
      expect(safeNext('/admin/resources/Client/records/5/show')).toBe('/admin/resources/Client/records/5/show');
      expect(safeNext('/admin/logout')).toBe('/admin');
      expect(safeNext('/admin/%2e%2e/%2e%2e/etc')).toBe('/admin');
      expect(safeNext('javascript:alert(1)')).toBe('/admin');
      expect(safeNext(['/admin'])).toBe('/admin');
      expect(ipThrottleKey('::ffff:203.0.113.9')).toBe('ip:203.0.113.9');
      expect(ipThrottleKey('2001:DB8::1')).toBe('ip:2001:db8:0:0::/64');
      expect(ipThrottleKey(null)).toBe('ip:unknown');
    });
  });
});
