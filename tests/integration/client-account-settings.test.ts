import { Secret, TOTP } from 'otpauth';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createClientUser, loginClient } from '../helpers/client.js';
import { csrfFrom, csrfOf, type Agent } from '../helpers/auth.js';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server.js';

/**
 * The signed-in customer's account pages: details (validation, XSS), password, two-factor authentication, email
 * change with re-verification, and contacts with logins limited by permissions.
 */

const TOKEN = '([A-Za-z0-9_-]{43})';
const linkIn = (text: string | null, path: string): string => {
  const m = new RegExp(`${path}/${TOKEN}`).exec(text ?? '');
  if (!m) throw new Error(`no ${path} link in: ${text}`);
  return `${path}/${m[1]}`;
};
const totpFor = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });

const profile = (over: Record<string, string> = {}) => ({
  firstName: 'Casey',
  lastName: 'Customer',
  companyName: 'Casey Ltd',
  phone: '+49 30 1234567',
  address1: 'Hauptstraße 1',
  address2: '',
  city: 'Berlin',
  state: '',
  postcode: '10115',
  country: 'DE',
  taxId: 'DE123456789',
  ...over,
});

describe('client account: details, security, contacts', () => {
  let t: TestApp;
  let smtp: FakeSmtp;
  beforeAll(async () => {
    smtp = await startFakeSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url, APP_URL: 'http://client.test' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });
  beforeEach(async () => {
    smtp.clear();
    await t.ds.getRepository('LoginThrottle').clear();
  });

  async function signedIn(opts: Parameters<typeof createClientUser>[1] = {}) {
    const c = await createClientUser(t.ds, opts);
    const agent = t.agent();
    await loginClient(agent, c.email, c.password);
    return { ...c, agent };
  }
  const clientRow = async (id: number) => (await t.ds.getRepository('Client').findOneByOrFail({ id })) as Record<string, unknown>;
  const userRow = async (id: number) => (await t.ds.getRepository('User').findOneByOrFail({ id })) as Record<string, unknown>;
  const post = async (agent: Agent, page: string, path: string, form: Record<string, unknown>) => agent.post(path).type('form').send({ ...form, _csrf: await csrfOf(agent, page) });

  describe('details', () => {
    it('saves the details and shows them', async () => {
      const c = await signedIn();
      const res = await post(c.agent, '/account', '/account', profile());
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/account');
      expect(await clientRow(c.clientId)).toMatchObject({ firstName: 'Casey', companyName: 'Casey Ltd', city: 'Berlin', country: 'DE', taxId: 'DE123456789', phone: '+49 30 1234567', displayName: 'Casey Ltd', address2: null });
      const page = await c.agent.get('/account').expect(200);
      expect(page.text).toContain('Your details have been saved.');
      expect(page.text).toContain('value="Hauptstraße 1"');
      expect(page.text).toMatch(/<option value="DE" selected>/);
    });

    it('refuses bad input with 422 beside the fields, keeps the input, saves nothing', async () => {
      const c = await signedIn();
      const before = await clientRow(c.clientId);
      const res = await post(c.agent, '/account', '/account', profile({ firstName: '', country: 'QQ', phone: 'call me maybe', city: 'Bonn', taxId: '<>' }));
      expect(res.status).toBe(422);
      expect(res.text).toContain('Enter your first name.');
      expect(res.text).toContain('Choose a country from the list.');
      expect(res.text).toContain('id="phone-error"');
      expect(res.text).toContain('id="taxId-error"');
      expect(res.text).toMatch(/id="phone"[^>]*aria-invalid="true"/);
      expect(res.text).toContain('value="Bonn"');
      expect(await clientRow(c.clientId)).toMatchObject({ firstName: before.firstName, city: before.city, country: before.country });
      const long = await post(c.agent, '/account', '/account', profile({ postcode: '1'.repeat(500) }));
      expect(long.status).toBe(422);
      expect(long.text).toContain('At most 20 characters.');
    });

    it('escapes markup typed into the details', async () => {
      const c = await signedIn();
      const xss = '<script>alert(1)</script>';
      expect((await post(c.agent, '/account', '/account', profile({ firstName: xss, companyName: `"><img src=x onerror=alert(1)>`, address1: xss }))).status).toBe(303);
      expect(await clientRow(c.clientId)).toMatchObject({ firstName: xss });
      const page = await c.agent.get('/account').expect(200);
      expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(page.text).not.toContain(xss);
      expect(page.text).not.toContain('<img src=x');
      expect(page.text).toContain('value="&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;"');
    });

    it('refuses a change posted without the CSRF token', async () => {
      const c = await signedIn();
      const before = await clientRow(c.clientId);
      const res = await c.agent.post('/account').type('form').send(profile({ firstName: 'Mallory' }));
      expect(res.status).toBe(403);
      expect((await clientRow(c.clientId)).firstName).toBe(before.firstName);
    });

    it('ends the session of a login that staff disabled', async () => {
      const c = await signedIn();
      expect((await c.agent.get('/account')).status).toBe(200);
      await t.ds.getRepository('User').update({ id: c.userId }, { status: 'inactive' });
      const res = await c.agent.get('/account');
      expect([res.status, res.headers.location]).toEqual([303, '/login?next=%2Faccount']);
      await t.ds.getRepository('User').update({ id: c.userId }, { status: 'active' });
      expect((await c.agent.get('/account')).status).toBe(303);
    });

    it('sends visitors who are not signed in to the login page', async () => {
      const agent = t.agent();
      for (const path of ['/account', '/account/security', '/account/contacts', '/account/contacts/new']) {
        const res = await agent.get(path);
        expect([path, res.status, res.headers.location]).toEqual([path, 303, `/login?next=${encodeURIComponent(path)}`]);
      }
    });
  });

  describe('password and two-factor authentication', () => {
    it('changes the password with the current one, and logs out the other sessions', async () => {
      const c = await signedIn();
      const other = t.agent();
      await loginClient(other, c.email, c.password);
      const wrong = await post(c.agent, '/account/security', '/account/security/password', { currentPassword: 'not it at all', newPassword: 'brand new password', newPasswordConfirm: 'brand new password' });
      expect(wrong.status).toBe(422);
      expect(wrong.text).toContain('Your current password is not correct.');
      const differ = await post(c.agent, '/account/security', '/account/security/password', { currentPassword: c.password, newPassword: 'brand new password', newPasswordConfirm: 'brand new passw0rd' });
      expect(differ.status).toBe(422);
      expect(differ.text).toContain('The two passwords differ.');
      const weak = await post(c.agent, '/account/security', '/account/security/password', { currentPassword: c.password, newPassword: 'short', newPasswordConfirm: 'short' });
      expect(weak.status).toBe(422);
      expect(await loginClient(t.agent(), c.email, c.password)).toBe('/');

      const ok = await post(c.agent, '/account/security', '/account/security/password', { currentPassword: c.password, newPassword: 'brand new password', newPasswordConfirm: 'brand new password' });
      expect(ok.status).toBe(303);
      expect((await c.agent.get('/account/security')).status).toBe(200);
      expect((await other.get('/account')).status).toBe(303);
      await expect(loginClient(t.agent(), c.email, c.password)).rejects.toThrow(/401/);
      expect(await loginClient(t.agent(), c.email, 'brand new password')).toBe('/');
    });

    it('turns on TOTP, then asks for a code at login; turns it off with the password', async () => {
      const c = await signedIn();
      expect((await post(c.agent, '/account/security', '/account/security/2fa/start', {})).status).toBe(303);
      const setup = await c.agent.get('/account/security').expect(200);
      expect(setup.text).toContain('src="data:image/png;base64,');
      const secret = /Key: <code>([A-Z2-7]+)<\/code>/.exec(setup.text)![1];
      const totp = totpFor(secret);
      const bad = await c.agent.post('/account/security/2fa/confirm').type('form').send({ code: '000000', _csrf: csrfFrom(setup.text) });
      expect(bad.status).toBe(422);
      const on = await c.agent.post('/account/security/2fa/confirm').type('form').send({ code: totp.generate(), _csrf: csrfFrom(setup.text) });
      expect(on.status).toBe(200);
      const codes = [...on.text.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map((m) => m[1]);
      expect(codes).toHaveLength(10);
      expect(await userRow(c.userId)).toMatchObject({ twoFactorEnabled: true });

      const agent = t.agent();
      expect(await loginClient(agent, c.email, c.password)).toBe('/login/2fa');
      // Password accepted, code still due: not signed in yet.
      expect((await agent.get('/account')).status).toBe(303);
      const step = await agent.get('/login/2fa').expect(200);
      const wrong = await agent.post('/login/2fa').type('form').send({ code: '123456', _csrf: csrfFrom(step.text) });
      expect(wrong.status).toBe(401);
      // The code of the next step: the one used to confirm cannot be replayed.
      const done = await agent.post('/login/2fa').type('form').send({ code: totp.generate({ timestamp: Date.now() + 30_000 }), _csrf: csrfFrom(step.text) });
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe('/');
      expect((await agent.get('/account')).status).toBe(200);

      // A recovery code instead of the app, once.
      const lost = t.agent();
      expect(await loginClient(lost, c.email, c.password)).toBe('/login/2fa');
      const step2 = await lost.get('/login/2fa').expect(200);
      const recovered = await lost.post('/login/2fa').type('form').send({ code: codes[0].toUpperCase(), _csrf: csrfFrom(step2.text) });
      expect(recovered.status).toBe(303);
      expect((await lost.get('/account/security').expect(200)).text).toContain('You used a recovery code; 9 left.');
      const reuse = t.agent();
      await loginClient(reuse, c.email, c.password);
      const step3 = await reuse.get('/login/2fa').expect(200);
      expect((await reuse.post('/login/2fa').type('form').send({ code: codes[0], _csrf: csrfFrom(step3.text) })).status).toBe(401);

      const refused = await post(agent, '/account/security', '/account/security/2fa/disable', { currentPassword: 'wrong password!' });
      expect(refused.status).toBe(422);
      expect(await userRow(c.userId)).toMatchObject({ twoFactorEnabled: true });
      const off = await post(agent, '/account/security', '/account/security/2fa/disable', { currentPassword: c.password });
      expect(off.status).toBe(303);
      expect(await userRow(c.userId)).toMatchObject({ twoFactorEnabled: false });
      expect(await loginClient(t.agent(), c.email, c.password)).toBe('/');
    });

    it('sends the two-factor step back to the login when there is no password step', async () => {
      const agent = t.agent();
      expect((await agent.get('/login/2fa')).headers.location).toBe('/login');
      const csrf = await csrfOf(agent, '/login');
      const res = await agent.post('/login/2fa').type('form').send({ code: '123456', _csrf: csrf });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/login');
    });
  });

  describe('email change', () => {
    it('changes the login email only after the new address confirms it', async () => {
      const c = await signedIn();
      const newEmail = `new-${Date.now()}@example.test`;
      const wrong = await post(c.agent, '/account/security', '/account/email', { newEmail, currentPassword: 'not my password' });
      expect(wrong.status).toBe(422);
      expect(wrong.text).toContain('Your current password is not correct.');
      const invalid = await post(c.agent, '/account/security', '/account/email', { newEmail: 'nope', currentPassword: c.password });
      expect(invalid.status).toBe(422);
      const taken = await createClientUser(t.ds);
      const dup = await post(c.agent, '/account/security', '/account/email', { newEmail: taken.email, currentPassword: c.password });
      expect(dup.status).toBe(422);
      expect(dup.text).toContain('Another account already uses this email address.');
      expect(smtp.received).toHaveLength(0);

      const ok = await post(c.agent, '/account/security', '/account/email', { newEmail, currentPassword: c.password });
      expect(ok.status).toBe(303);
      const [mail] = await smtp.waitFor(1);
      expect(mail.envelope.to).toEqual([newEmail]);
      const link = linkIn(mail.text, '/account/email/confirm');
      expect(await userRow(c.userId)).toMatchObject({ email: c.email });
      const page = await c.agent.get('/account/security').expect(200);
      expect(page.text).toContain(`we sent a link to ${newEmail}`);

      const confirmed = await t.agent().get(link);
      expect(confirmed.status).toBe(303);
      expect(confirmed.headers.location).toBe('/login');
      expect(await userRow(c.userId)).toMatchObject({ email: newEmail });
      expect((await userRow(c.userId)).emailVerifiedAt).toBeInstanceOf(Date);
      expect(await clientRow(c.clientId)).toMatchObject({ email: newEmail });
      expect((await t.agent().get(link)).status).toBe(400);
      await expect(loginClient(t.agent(), c.email, c.password)).rejects.toThrow(/401/);
      expect(await loginClient(t.agent(), newEmail, c.password)).toBe('/');
    });
  });

  describe('contacts', () => {
    const contactForm = (over: Record<string, unknown> = {}) => ({ firstName: 'Sam', lastName: 'Support', email: `sam-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.test`, phone: '', companyName: '', contactType: 'technical', emails: ['supportEmails'], ...over });

    it('adds a contact with a support-only login, who is kept out of the rest of the account', async () => {
      const owner = await signedIn();
      const form = contactForm({ login: 'on', permissions: ['support'] });
      const added = await post(owner.agent, '/account/contacts/new', '/account/contacts', form);
      expect(added.status).toBe(303);
      const contact = (await t.ds.getRepository('ClientContact').findOneByOrFail({ email: form.email as string })) as Record<string, unknown>;
      expect(contact).toMatchObject({ clientId: owner.clientId, contactType: 'technical', supportEmails: true, invoiceEmails: false, permissions: ['support'] });
      expect(contact.userId).toEqual(expect.any(Number));
      const list = await owner.agent.get('/account/contacts').expect(200);
      expect(list.text).toContain(form.email as string);
      expect(list.text).toContain('invited');

      const [mail] = await smtp.waitFor(1);
      expect(mail.envelope.to).toEqual([form.email]);
      const link = linkIn(mail.text, '/account/invite');
      // An invited contact cannot log in before choosing a password.
      await expect(loginClient(t.agent(), form.email as string, 'anything at all')).rejects.toThrow(/401/);
      const agent = t.agent();
      const page = await agent.get(link).expect(200);
      expect((await agent.post(link).type('form').send({ password: 'contact password 1', passwordConfirm: 'contact password 1', _csrf: csrfFrom(page.text) })).status).toBe(303);
      expect((await agent.get(link)).status).toBe(400);

      expect(await loginClient(agent, form.email as string, 'contact password 1')).toBe('/');
      expect((await agent.get('/account/contacts')).status).toBe(403);
      const account = await agent.get('/account');
      expect([account.status, account.headers.location]).toEqual([303, '/account/security']);
      const security = await agent.get('/account/security').expect(200);
      expect(security.text).not.toContain('href="/account/contacts"');
      const csrf = csrfFrom(security.text);
      expect((await agent.post('/account/contacts').type('form').send({ ...contactForm({ login: 'on', permissions: ['billing'] }), _csrf: csrf })).status).toBe(403);
      expect((await agent.post('/account').type('form').send({ ...profile({ firstName: 'Hijack' }), _csrf: csrf })).status).toBe(403);
      expect((await clientRow(owner.clientId)).firstName).not.toBe('Hijack');

      // The owner widens the permissions: the contact's session ends, and the next login has them.
      const edit = await post(owner.agent, `/account/contacts/${contact.id}`, `/account/contacts/${contact.id}`, { ...form, permissions: ['support', 'profile'] });
      expect(edit.status).toBe(303);
      expect((await agent.get('/account/security')).status).toBe(303);
      const again = t.agent();
      await loginClient(again, form.email as string, 'contact password 1');
      expect((await again.get('/account')).status).toBe(200);
      expect((await again.get('/account/contacts')).status).toBe(403);

      // Removing the contact removes its login.
      expect((await post(owner.agent, '/account/contacts', `/account/contacts/${contact.id}/delete`, {})).status).toBe(303);
      expect((await again.get('/account/security')).status).toBe(303);
      await expect(loginClient(t.agent(), form.email as string, 'contact password 1')).rejects.toThrow(/401/);
      expect(await t.ds.getRepository('ClientContact').countBy({ id: contact.id as number })).toBe(0);
    });

    it('refuses bad contact input with 422 and saves nothing', async () => {
      const owner = await signedIn();
      const res = await post(owner.agent, '/account/contacts/new', '/account/contacts', contactForm({ firstName: '', email: 'bad', login: 'on', permissions: ['billing', 'root'] }));
      expect(res.status).toBe(422);
      expect(res.text).toContain('Enter a first name.');
      expect(res.text).toContain('id="email-error"');
      expect(res.text).toContain('Choose permissions from the list.');
      const none = await post(owner.agent, '/account/contacts/new', '/account/contacts', contactForm({ login: 'on' }));
      expect(none.status).toBe(422);
      expect(none.text).toContain('A login needs at least one permission.');
      const ownerEmail = await post(owner.agent, '/account/contacts/new', '/account/contacts', contactForm({ email: owner.email, login: 'on', permissions: ['billing'] }));
      expect(ownerEmail.status).toBe(422);
      expect(await t.ds.getRepository('ClientContact').countBy({ clientId: owner.clientId })).toBe(0);
      // Without a login, the contact may share an address (a shared billing mailbox).
      expect((await post(owner.agent, '/account/contacts/new', '/account/contacts', contactForm({ email: owner.email }))).status).toBe(303);
    });

    it("another client's contact is not found, for reading and for changing", async () => {
      const owner = await signedIn();
      const stranger = await signedIn();
      const form = contactForm({ firstName: '<script>x</script>' });
      await post(owner.agent, '/account/contacts/new', '/account/contacts', form);
      const contact = (await t.ds.getRepository('ClientContact').findOneByOrFail({ email: form.email as string })) as { id: number };
      const mine = await owner.agent.get('/account/contacts').expect(200);
      expect(mine.text).toContain('&lt;script&gt;x&lt;/script&gt;');
      expect(mine.text).not.toContain('<script>x</script>');

      expect((await stranger.agent.get(`/account/contacts/${contact.id}`)).status).toBe(404);
      expect((await post(stranger.agent, '/account/contacts', `/account/contacts/${contact.id}`, contactForm({ firstName: 'Stolen' }))).status).toBe(404);
      expect((await post(stranger.agent, '/account/contacts', `/account/contacts/${contact.id}/delete`, {})).status).toBe(404);
      expect((await stranger.agent.get('/account/contacts/abc')).status).toBe(404);
      expect((await t.ds.getRepository('ClientContact').findOneByOrFail({ id: contact.id })) as Record<string, unknown>).toMatchObject({ firstName: '<script>x</script>' });
      const theirs = await stranger.agent.get('/account/contacts').expect(200);
      expect(theirs.text).not.toContain(form.email as string);
    });
  });
});
