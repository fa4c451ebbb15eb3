import request from 'supertest';
import { IsNull } from 'typeorm';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createClientUser, loginClient } from '../helpers/client.js';
import { csrfFrom, csrfOf, type Agent } from '../helpers/auth.js';
import { currency } from '../helpers/billing-fixtures.js';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server.js';

/**
 * The customer's account over real HTTP: registration with email verification, login (throttle, lockout, safe
 * redirects, session regeneration), logout, password reset by emailed single-use link, CSRF.
 */

const TOKEN = '([A-Za-z0-9_-]{43})';
const linkIn = (text: string | null, path: string): string => {
  const m = new RegExp(`${path}/${TOKEN}`).exec(text ?? '');
  if (!m) throw new Error(`no ${path} link in: ${text}`);
  return `${path}/${m[1]}`;
};
const sessionCookie = (res: { headers: Record<string, unknown> }): string | undefined =>
  ((res.headers['set-cookie'] as string[] | undefined) ?? []).find((c) => c.startsWith('meridian.client='))?.split(';')[0];

const registration = (over: Record<string, string> = {}) => ({
  firstName: 'Robin',
  lastName: 'Register',
  companyName: '',
  email: `robin-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.test`,
  country: 'DE',
  password: 'a long enough password',
  passwordConfirm: 'a long enough password',
  ...over,
});

describe('client account: register, log in, reset', () => {
  let t: TestApp;
  let smtp: FakeSmtp;
  beforeAll(async () => {
    smtp = await startFakeSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url, APP_URL: 'http://client.test' });
    await currency(t.ds);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });
  beforeEach(async () => {
    smtp.clear();
    // Every request comes from 127.0.0.1: each test starts with no failures counted against it.
    await t.ds.getRepository('LoginThrottle').clear();
  });

  const count = async (entity: string, where: Record<string, unknown>) => t.ds.getRepository(entity).count({ where });

  async function register(agent: Agent, form: Record<string, string>) {
    const csrf = await csrfOf(agent, '/register');
    return agent.post('/register').type('form').send({ ...form, _csrf: csrf });
  }

  describe('registration', () => {
    it('registers, emails a verification link, verifies, and logs in', async () => {
      const agent = t.agent();
      const form = registration({ companyName: 'Robin & Co' });
      const res = await register(agent, form);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/login');

      const user = (await t.ds.getRepository('User').findOneByOrFail({ email: form.email })) as Record<string, unknown>;
      expect(user).toMatchObject({ userType: 'client', status: 'active', emailVerifiedAt: null, firstName: 'Robin' });
      expect(user.passwordHash).not.toContain(form.password);
      const client = (await t.ds.getRepository('Client').findOneByOrFail({ userId: user.id as number })) as Record<string, unknown>;
      expect(client).toMatchObject({ email: form.email, country: 'DE', companyName: 'Robin & Co', currencyId: await currency(t.ds), status: 'active' });

      const [mail] = await smtp.waitFor(1);
      expect(mail.envelope.to).toEqual([form.email]);
      expect(mail.subject).toBe('Please confirm your email address');
      const link = linkIn(mail.text, '/verify-email');
      expect(mail.text).toContain(`http://client.test${link}`);
      // Only a hash of the token is stored.
      expect(JSON.stringify(await t.ds.getRepository('UserToken').find())).not.toContain(link.split('/').pop());

      // Before verifying, the login works and says the address still needs verifying.
      const early = t.agent();
      expect(await loginClient(early, form.email, form.password)).toBe('/');
      const banner = await early.get('/account').expect(200);
      expect(banner.text).toContain('Please verify your email address');

      const verified = await agent.get(link);
      expect(verified.status).toBe(303);
      expect(verified.headers.location).toBe('/login');
      expect(((await t.ds.getRepository('User').findOneByOrFail({ id: user.id as number })) as { emailVerifiedAt: Date | null }).emailVerifiedAt).toBeInstanceOf(Date);
      // Single use.
      expect((await agent.get(link)).status).toBe(400);

      const loggedIn = t.agent();
      expect(await loginClient(loggedIn, form.email, form.password)).toBe('/');
      const page = await loggedIn.get('/account').expect(200);
      expect(page.text).not.toContain('Please verify your email address');
      expect(page.text).toContain('Robin &amp; Co');
    });

    it('refuses bad input with 422 and field errors, keeps the values, saves nothing', async () => {
      const agent = t.agent();
      const users = await t.ds.getRepository('User').count();
      const res = await register(agent, registration({ firstName: '', email: 'not-an-email', country: 'XX', password: 'short', passwordConfirm: 'short', lastName: 'Kept<b>' }));
      expect(res.status).toBe(422);
      expect(res.text).toContain('id="firstName-error"');
      expect(res.text).toContain('Enter your first name.');
      expect(res.text).toContain('Enter a valid email address');
      expect(res.text).toContain('Choose a country from the list.');
      expect(res.text).toContain('Use at least 10 characters.');
      expect(res.text).toMatch(/id="email"[^>]*aria-invalid="true"/);
      expect(res.text).toContain('value="Kept&lt;b&gt;"');
      expect(res.text).toContain('value="not-an-email"');
      expect(res.text).not.toContain('value="short"');
      expect(await t.ds.getRepository('User').count()).toBe(users);

      const mismatch = await register(agent, registration({ passwordConfirm: 'something else entirely' }));
      expect(mismatch.status).toBe(422);
      expect(mismatch.text).toContain('The two passwords differ.');

      // Absurd input is a form error too, never a 500.
      const huge = await register(agent, registration({ firstName: 'x'.repeat(5000), email: `${'y'.repeat(300)}@example.test` }));
      expect(huge.status).toBe(422);
      expect(await t.ds.getRepository('User').count()).toBe(users);
      expect(smtp.received).toHaveLength(0);
    });

    it('refuses an email address that already has an account, in any case', async () => {
      const existing = await createClientUser(t.ds);
      const before = await t.ds.getRepository('User').count();
      const res = await register(t.agent(), registration({ email: existing.email.toUpperCase() }));
      expect(res.status).toBe(422);
      expect(res.text).toContain('An account with this email address already exists');
      expect(await t.ds.getRepository('User').count()).toBe(before);
    });

    it('refuses a form posted without its CSRF token (403) and creates nothing', async () => {
      const agent = t.agent();
      await agent.get('/register').expect(200);
      const form = registration();
      const res = await agent.post('/register').type('form').send(form);
      expect(res.status).toBe(403);
      expect(await count('User', { email: form.email })).toBe(0);
      const wrong = await agent.post('/register').type('form').send({ ...form, _csrf: 'x'.repeat(43) });
      expect(wrong.status).toBe(403);
      expect(await count('User', { email: form.email })).toBe(0);
    });

    it('refuses a verification link that is unknown or expired', async () => {
      const agent = t.agent();
      const form = registration();
      expect((await register(agent, form)).status).toBe(303);
      const [mail] = await smtp.waitFor(1);
      const link = linkIn(mail.text, '/verify-email');
      await t.ds.getRepository('UserToken').update({ purpose: 'verify_email', usedAt: IsNull() }, { expiresAt: new Date(Date.now() - 1000) });
      expect((await agent.get(link)).status).toBe(400);
      expect((await agent.get('/verify-email/not-a-token')).status).toBe(400);
      expect((await agent.get(`/verify-email/${'A'.repeat(43)}`)).status).toBe(400);
      expect(((await t.ds.getRepository('User').findOneByOrFail({ email: form.email })) as { emailVerifiedAt: Date | null }).emailVerifiedAt).toBeNull();
    });
  });

  describe('login and logout', () => {
    it('gives a new session id at login and ends the session at logout', async () => {
      const c = await createClientUser(t.ds);
      const agent = t.agent();
      const form = await agent.get('/login').expect(200);
      const before = sessionCookie(form);
      expect(before).toBeDefined();
      const res = await agent.post('/login').type('form').send({ email: c.email, password: c.password, _csrf: csrfFrom(form.text) });
      expect(res.status).toBe(303);
      const after = sessionCookie(res);
      expect(after).toBeDefined();
      expect(after).not.toBe(before);
      // The pre-login session id is worth nothing.
      const planted = await request(t.baseUrl).get('/account').set('Cookie', before!);
      expect(planted.status).toBe(303);
      expect(planted.headers.location).toBe('/login?next=%2Faccount');

      const account = await agent.get('/account').expect(200);
      expect(account.text).toContain(c.email);
      const out = await agent.post('/logout').type('form').send({ _csrf: csrfFrom(account.text) });
      expect(out.status).toBe(303);
      expect(out.headers.location).toBe('/login');
      const stale = await request(t.baseUrl).get('/account').set('Cookie', after!);
      expect(stale.status).toBe(303);
      expect((await agent.get('/account')).status).toBe(303);
    });

    it('refuses logout without the CSRF token', async () => {
      const c = await createClientUser(t.ds);
      const agent = t.agent();
      await loginClient(agent, c.email, c.password);
      expect((await agent.post('/logout').type('form').send({})).status).toBe(403);
      expect((await agent.get('/account')).status).toBe(200);
    });

    it('answers a wrong password and an unknown email the same way', async () => {
      const c = await createClientUser(t.ds);
      const agent = t.agent();
      const csrf = await csrfOf(agent, '/login');
      const wrong = await agent.post('/login').type('form').send({ email: c.email, password: 'not the password', _csrf: csrf });
      const unknown = await agent.post('/login').type('form').send({ email: `nobody-${Date.now()}@example.test`, password: 'not the password', _csrf: csrf });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.text).toContain('The email address or password is incorrect.');
      expect(unknown.text).toContain('The email address or password is incorrect.');
      expect(wrong.text).toContain(`value="${c.email}"`);
      const empty = await agent.post('/login').type('form').send({ email: '', password: '', _csrf: csrf });
      expect(empty.status).toBe(422);
      expect((await agent.get('/account')).status).toBe(303);
    });

    it('does not let a staff login into the client area', async () => {
      const { createStaff } = await import('../helpers/app.js');
      const email = `staff-${Date.now()}@example.test`;
      await createStaff(t.ds, { email, password: 'staff password 123', role: 'Support' }).catch(async () => createStaff(t.ds, { email, password: 'staff password 123', role: 'Administrator' }));
      const agent = t.agent();
      const csrf = await csrfOf(agent, '/login');
      expect((await agent.post('/login').type('form').send({ email, password: 'staff password 123', _csrf: csrf })).status).toBe(401);
    });

    it('locks the account after repeated failures, even for the right password, across requests', async () => {
      const c = await createClientUser(t.ds);
      const agent = t.agent();
      const csrf = await csrfOf(agent, '/login');
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await agent.post('/login').type('form').send({ email: c.email, password: `wrong ${i}`, _csrf: csrf })).status);
      expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
      expect(statuses[4]).toBe(429);
      const right = await agent.post('/login').type('form').send({ email: c.email, password: c.password, _csrf: csrf });
      expect(right.status).toBe(429);
      expect(right.headers['retry-after']).toMatch(/^\d+$/);
      expect(right.text).toContain('Too many attempts');
      expect((await agent.get('/account')).status).toBe(303);
      // The counters are in the database, so every node sees them.
      expect(await t.ds.getRepository('LoginThrottle').count()).toBeGreaterThan(0);
    });

    it('throttles an address that fails on many accounts', async () => {
      const agent = t.agent();
      const csrf = await csrfOf(agent, '/login');
      let last = 0;
      for (let i = 0; i < 20; i++) last = (await agent.post('/login').type('form').send({ email: `spray-${i}@example.test`, password: 'guess guess', _csrf: csrf })).status;
      expect(last).toBe(429);
      const c = await createClientUser(t.ds);
      expect((await agent.post('/login').type('form').send({ email: c.email, password: c.password, _csrf: csrf })).status).toBe(429);
    });

    it('goes back to a relative `next` after login, never to another site', async () => {
      const c = await createClientUser(t.ds);
      for (const [next, expected] of [
        ['/invoices?status=unpaid', '/invoices?status=unpaid'],
        ['//evil.example/x', '/'],
        ['https://evil.example/', '/'],
        ['/\\evil.example', '/'],
        ['/logout', '/'],
      ]) {
        const agent = t.agent();
        const form = await agent.get(`/login?next=${encodeURIComponent(next)}`).expect(200);
        const res = await agent.post('/login').type('form').send({ email: c.email, password: c.password, next, _csrf: csrfFrom(form.text) });
        expect([next, res.headers.location]).toEqual([next, expected]);
      }
      const agent = t.agent();
      const bounce = await agent.get('/account/security');
      expect(bounce.headers.location).toBe('/login?next=%2Faccount%2Fsecurity');
      const form = await agent.get(bounce.headers.location).expect(200);
      expect(form.text).toContain('name="next" value="/account/security"');
    });

    it('refuses the login of a closed account', async () => {
      const c = await createClientUser(t.ds, { over: { status: 'closed' } });
      const agent = t.agent();
      const csrf = await csrfOf(agent, '/login');
      expect((await agent.post('/login').type('form').send({ email: c.email, password: c.password, _csrf: csrf })).status).toBe(403);
      expect((await agent.get('/account')).status).toBe(303);
    });
  });

  describe('password reset', () => {
    async function askReset(agent: Agent, email: string) {
      const csrf = await csrfOf(agent, '/password/forgot');
      return agent.post('/password/forgot').type('form').send({ email, _csrf: csrf });
    }

    it('resets the password with a single-use link and ends the other sessions', async () => {
      const c = await createClientUser(t.ds);
      const elsewhere = t.agent();
      await loginClient(elsewhere, c.email, c.password);
      expect((await elsewhere.get('/account')).status).toBe(200);

      const agent = t.agent();
      const res = await askReset(agent, c.email.toUpperCase());
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/password/forgot/sent');
      const sent = await agent.get('/password/forgot/sent').expect(200);
      expect(sent.text).toContain('If an account uses this address');
      const [mail] = await smtp.waitFor(1);
      expect(mail.envelope.to).toEqual([c.email]);
      const link = linkIn(mail.text, '/password/reset');

      const form = await agent.get(link).expect(200);
      expect(form.headers['referrer-policy']).toBe('no-referrer');
      const weak = await agent.post(link).type('form').send({ password: 'short', passwordConfirm: 'short', _csrf: csrfFrom(form.text) });
      expect(weak.status).toBe(422);
      expect(weak.text).toContain('Use at least 10 characters.');
      const differ = await agent.post(link).type('form').send({ password: 'new password 2026', passwordConfirm: 'new password 2027', _csrf: csrfFrom(form.text) });
      expect(differ.status).toBe(422);

      const done = await agent.post(link).type('form').send({ password: 'new password 2026', passwordConfirm: 'new password 2026', _csrf: csrfFrom(form.text) });
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe('/login');
      // Used once, never again.
      expect((await agent.get(link)).status).toBe(400);
      expect((await agent.post(link).type('form').send({ password: 'other password 2026', passwordConfirm: 'other password 2026', _csrf: csrfFrom(form.text) })).status).toBe(400);

      expect((await elsewhere.get('/account')).status).toBe(303);
      await expect(loginClient(t.agent(), c.email, c.password)).rejects.toThrow(/401/);
      expect(await loginClient(t.agent(), c.email, 'new password 2026')).toBe('/');
    });

    it('gives the same answer for an unknown address, and sends nothing', async () => {
      const agent = t.agent();
      const res = await askReset(agent, `nobody-${Date.now()}@example.test`);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/password/forgot/sent');
      const page = await agent.get('/password/forgot/sent').expect(200);
      expect(page.text).toContain('If an account uses this address');
      const malformed = await askReset(agent, 'not an address');
      expect(malformed.headers.location).toBe('/password/forgot/sent');
      await new Promise((r) => setTimeout(r, 200));
      expect(smtp.received).toHaveLength(0);
    });

    it('refuses an expired link', async () => {
      const c = await createClientUser(t.ds);
      const agent = t.agent();
      await askReset(agent, c.email);
      const [mail] = await smtp.waitFor(1);
      const link = linkIn(mail.text, '/password/reset');
      await t.ds.getRepository('UserToken').update({ purpose: 'reset_password', usedAt: IsNull() }, { expiresAt: new Date(Date.now() - 1000) });
      expect((await agent.get(link)).status).toBe(400);
      const csrf = await csrfOf(agent, '/password/forgot');
      expect((await agent.post(link).type('form').send({ password: 'new password 2026', passwordConfirm: 'new password 2026', _csrf: csrf })).status).toBe(400);
      expect(await loginClient(t.agent(), c.email, c.password)).toBe('/');
    });

    it('only the newest link works', async () => {
      const c = await createClientUser(t.ds);
      const agent = t.agent();
      await askReset(agent, c.email);
      await smtp.waitFor(1);
      await askReset(agent, c.email);
      const [first, second] = await smtp.waitFor(2);
      expect((await agent.get(linkIn(first.text, '/password/reset'))).status).toBe(400);
      expect((await agent.get(linkIn(second.text, '/password/reset'))).status).toBe(200);
    });

    it('limits reset requests per address and per IP', async () => {
      const c = await createClientUser(t.ds);
      const agent = t.agent();
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await askReset(agent, c.email)).status);
      expect(statuses).toEqual([303, 303, 303, 303, 303, 429]);
      await smtp.waitFor(5);
      let last = 0;
      for (let i = 0; i < 10; i++) last = (await askReset(agent, `other-${i}@example.test`)).status;
      expect(last).toBe(429);
    });

    it('throttles guessing of reset links', async () => {
      const agent = t.agent();
      const csrf = await csrfOf(agent, '/password/forgot');
      let last = 0;
      for (let i = 0; i < 21; i++) {
        last = (await agent.post(`/password/reset/${String(i).padStart(43, 'A')}`).type('form').send({ password: 'new password 2026', passwordConfirm: 'new password 2026', _csrf: csrf })).status;
      }
      expect(last).toBe(429);
    });
  });
});
