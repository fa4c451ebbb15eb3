import type { ActionContext, ActionRequest } from 'adminjs';
import { emailTemplateActions } from '../../actions/system/email-template-actions.js';
import { DEMO_EMAIL_TEMPLATES } from '../../src/demo/content-text.js';
import { EmailService } from '../../src/domain/notifications/email-service.js';
import { FixedClock } from '../../src/domain/shared/clock.js';
import { createMailer, type Mailer } from '../../src/integrations/mail/mailer.js';
import { startFakeSmtp, unusedPort, type FakeSmtp } from '../fakes/smtp-server.js';
import { openTestDb, testEngine, type TestDb } from '../helpers/db.js';

type Row = Record<string, any>;

/** Templated email from the database, through nodemailer, to a real SMTP server on loopback, with its log row. */
describe(`email on ${testEngine()}`, () => {
  let db: TestDb;
  let smtp: FakeSmtp;
  let mailer: Mailer;
  let email: EmailService;
  let clientId: number;
  const clock = new FixedClock(new Date('2026-03-01T09:30:00Z'));
  const opened: Array<{ close(): unknown }> = [];
  const fast = { connectionTimeoutMs: 2000, greetingTimeoutMs: 2000, socketTimeoutMs: 5000 };

  const invoiceContext = (firstName = 'Alex') => ({
    client: { firstName, email: 'alex@example.test' },
    invoice: { number: 'INV-2026-00042', total: '$118.00', balance: '$118.00', dueDate: '2026-03-15', url: 'https://billing.example.test/client/invoices/42' },
  });
  const logs = async () => (await db.ds.getRepository('EmailLog').find({ order: { id: 'ASC' } })) as Row[];
  const lastLog = async () => (await logs()).at(-1)!;
  const serviceWith = (m: Mailer) => new EmailService({ ds: db.ds, mailer: m, clock, timeZone: 'UTC', appUrl: 'https://billing.example.test' });

  beforeAll(async () => {
    db = await openTestDb();
    smtp = await startFakeSmtp();
    mailer = createMailer({ SMTP_URL: smtp.url }, fast);
    email = serviceWith(mailer);
    const currency = await db.ds.getRepository('Currency').insert({ code: 'USD', prefix: '$', suffix: '', exponent: 2, exchangeRate: '1', isDefault: true });
    const client = await db.ds.getRepository('Client').insert({ firstName: 'Alex', lastName: 'Morgan', displayName: 'Alex Morgan', email: 'alex@example.test', country: 'US', currencyId: currency.identifiers[0].id });
    clientId = client.identifiers[0].id;
    const setting = (key: string, value: string) => ({ key, value, type: 'string', groupName: 'General', description: null, isPublic: false, secretValue: null });
    await db.ds.getRepository('Setting').insert([
      setting('company.name', 'Meridian Demo Hosting'),
      setting('company.url', 'https://meridian-demo.test'),
      setting('mail.fromName', 'Meridian Billing'),
      setting('mail.fromEmail', 'noreply@meridian-demo.test'),
    ]);
    const row = (t: (typeof DEMO_EMAIL_TEMPLATES)[number], over: Row = {}) => ({ ...t, language: 'en', enabled: true, isSystem: true, fromName: null, fromEmail: null, bcc: null, ...over });
    const demo = (name: string) => DEMO_EMAIL_TEMPLATES.find((t) => t.name === name)!;
    await db.ds.getRepository('EmailTemplate').insert([
      // no text body: the text part is generated from the HTML
      row(demo('invoice_created'), { bodyText: null }),
      row(demo('invoice_created'), { language: 'fr', subject: 'Facture {{invoice.number}} de {{invoice.total}}', bodyHtml: '<p>Bonjour {{client.firstName}},</p>', bodyText: 'Bonjour {{client.firstName}},' }),
      row(demo('payment_received'), { fromName: 'Accounts', fromEmail: 'accounts@meridian-demo.test', bcc: 'archive@meridian-demo.test, not an address' }),
      row(demo('invoice_reminder'), { enabled: false }),
      row(demo('invoice_overdue_1'), { bodyHtml: '<p>Dear {{{client.firstName}}}</p>' }),
    ]);
  });
  afterEach(() => smtp.clear());
  afterAll(async () => {
    mailer?.close();
    for (const o of opened) o.close();
    await smtp?.close();
    await db?.close();
  });

  it('sends a templated email that arrives with the right subject, body and recipients, and logs it once', async () => {
    const outcome = await email.sendTemplate({ templateName: 'invoice_created', to: 'alex@example.test', context: invoiceContext(), clientId, related: { type: 'Invoice', id: 42 } });
    expect(outcome).toEqual({ ok: true, logId: expect.any(Number), messageId: expect.stringMatching(/^<.+@.+>$/) });
    const [mail] = await smtp.waitFor(1);
    expect(smtp.received).toHaveLength(1);
    expect(mail.envelope).toEqual({ from: 'noreply@meridian-demo.test', to: ['alex@example.test'] });
    expect(mail.headers.get('from')).toBe('Meridian Billing <noreply@meridian-demo.test>');
    expect(mail.headers.get('to')).toBe('alex@example.test');
    expect(mail.subject).toBe('Invoice INV-2026-00042 for $118.00');
    expect(mail.text).toBe(
      'Dear Alex,\n\nA new invoice has been issued to your account.\n\nInvoice: INV-2026-00042\nAmount due: $118.00\nDue date: 2026-03-15\n\n' +
        'You can view and pay it online: https://billing.example.test/client/invoices/42\n\nKind regards,\nMeridian Demo Hosting\nhttps://meridian-demo.test',
    );
    expect(mail.html).toBe(
      '<p>Dear Alex,</p>\n<p>A new invoice has been issued to your account.</p>\n<p>Invoice: INV-2026-00042<br>Amount due: $118.00<br>Due date: 2026-03-15</p>\n' +
        '<p>You can view and pay it online: <a href="https://billing.example.test/client/invoices/42">https://billing.example.test/client/invoices/42</a></p>\n' +
        '<p>Kind regards,<br>Meridian Demo Hosting<br><a href="https://meridian-demo.test">https://meridian-demo.test</a></p>',
    );
    const all = await logs();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      id: outcome.ok ? outcome.logId : -1,
      clientId,
      toAddress: 'alex@example.test',
      subject: 'Invoice INV-2026-00042 for $118.00',
      templateName: 'invoice_created',
      status: 'sent',
      error: null,
      messageId: mail.headers.get('message-id'),
      relatedType: 'Invoice',
      relatedId: 42,
    });
    expect(new Date(all[0].sentAt).toISOString()).toBe('2026-03-01T09:30:00.000Z');
  });

  it('escapes HTML in variables in the HTML part; the text part carries them as text', async () => {
    const name = '<img src=x onerror=alert(1)> & "Bob"';
    const outcome = await email.sendTemplate({ templateName: 'invoice_created', to: 'alex@example.test', context: invoiceContext(name), clientId, related: { type: 'Invoice', id: 43 } });
    expect(outcome.ok).toBe(true);
    const [mail] = await smtp.waitFor(1);
    expect(mail.html!.split('\n')[0]).toBe('<p>Dear &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; &amp; &quot;Bob&quot;,</p>');
    expect(mail.html).not.toContain('<img');
    expect(mail.text!.split('\n')[0]).toBe('Dear <img src=x onerror=alert(1)> & "Bob",');
  });

  it('picks the template in the client language, then its base language, then English', async () => {
    for (const language of ['fr', 'FR-ca', 'de', null]) {
      expect(await email.sendTemplate({ templateName: 'invoice_created', to: 'alex@example.test', language, context: invoiceContext(), related: { type: 'Invoice', id: 44 } })).toMatchObject({ ok: true });
    }
    const mails = await smtp.waitFor(4);
    expect(mails.map((m) => m.subject)).toEqual(['Facture INV-2026-00042 de $118.00', 'Facture INV-2026-00042 de $118.00', 'Invoice INV-2026-00042 for $118.00', 'Invoice INV-2026-00042 for $118.00']);
  });

  it('uses the sender and blind copy of the template; an invalid bcc entry is skipped', async () => {
    const context = { client: { firstName: 'Alex' }, invoice: { number: 'INV-7', balance: '$0.00' }, payment: { amount: '$10.00', reference: 'TX-9' } };
    expect(await email.sendTemplate({ templateName: 'payment_received', to: ['alex@example.test', 'bob@example.test'], context, clientId, related: { type: 'Invoice', id: 7 } })).toMatchObject({ ok: true });
    const [mail] = await smtp.waitFor(1);
    expect(mail.envelope).toEqual({ from: 'accounts@meridian-demo.test', to: ['alex@example.test', 'bob@example.test', 'archive@meridian-demo.test'] });
    expect(mail.headers.get('from')).toBe('Accounts <accounts@meridian-demo.test>');
    expect(mail.headers.has('bcc')).toBe(false);
    expect(mail.subject).toBe('Payment received — invoice INV-7');
    expect(await lastLog()).toMatchObject({ toAddress: 'alex@example.test, bob@example.test', status: 'sent' });
  });

  it('sends 12 emails at once over the pool: 12 arrive, 12 log rows, distinct message ids', async () => {
    const before = (await logs()).length;
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => email.sendTemplate({ templateName: 'invoice_created', to: `c${i}@example.test`, context: invoiceContext(`C${i}`), related: { type: 'Invoice', id: 100 + i } })),
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    await smtp.waitFor(12);
    expect(smtp.received.map((m) => m.envelope.to[0]).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `c${i}@example.test`).sort());
    const rows = (await logs()).slice(before);
    expect(rows.map((r) => r.status)).toEqual(Array(12).fill('sent'));
    expect(new Set(rows.map((r) => r.messageId)).size).toBe(12);
    expect(rows.map((r) => r.relatedId).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => 100 + i));
  });

  it('records a refused recipient as a failed send with the server reply', async () => {
    const picky = await startFakeSmtp({ rejectRecipients: (a) => a.startsWith('gone@') });
    opened.push({ close: () => picky.close() });
    const m = createMailer({ SMTP_URL: picky.url }, fast);
    opened.push(m);
    const outcome = await serviceWith(m).sendTemplate({ templateName: 'invoice_created', to: 'gone@example.test', context: invoiceContext(), clientId, related: { type: 'Invoice', id: 45 } });
    expect(outcome).toEqual({ ok: false, error: 'send_failed', message: `The mail server 127.0.0.1:${picky.port} refused the message: 550 5.1.1 No such user here` });
    expect(picky.received).toHaveLength(0);
    expect(await lastLog()).toMatchObject({
      toAddress: 'gone@example.test',
      subject: 'Invoice INV-2026-00042 for $118.00',
      status: 'failed',
      error: `send_failed: The mail server 127.0.0.1:${picky.port} refused the message: 550 5.1.1 No such user here`,
      messageId: null,
      sentAt: null,
      relatedType: 'Invoice',
      relatedId: 45,
    });
  });

  it('records an unreachable mail server as a failed send, quickly', async () => {
    const port = await unusedPort();
    const m = createMailer({ SMTP_URL: `smtp://127.0.0.1:${port}` }, fast);
    opened.push(m);
    const started = Date.now();
    const outcome = await serviceWith(m).sendTemplate({ templateName: 'invoice_created', to: 'alex@example.test', context: invoiceContext(), related: { type: 'Invoice', id: 46 } });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(outcome).toMatchObject({ ok: false, error: 'send_failed', message: expect.stringMatching(new RegExp(`^Could not reach the mail server 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`)) });
    expect(await lastLog()).toMatchObject({ status: 'failed', error: expect.stringMatching(/^send_failed: Could not reach the mail server .*ECONNREFUSED/), sentAt: null, relatedId: 46 });
  });

  it('without SMTP_URL: mail_not_configured, logged as failed, no crash', async () => {
    const m = createMailer({});
    expect(m.configured).toBe(false);
    const outcome = await serviceWith(m).sendTemplate({ templateName: 'invoice_created', to: 'alex@example.test', context: invoiceContext(), clientId, related: { type: 'Invoice', id: 47 } });
    const message = 'Outgoing mail is not configured: set SMTP_URL (smtp://user:pass@host:587 or smtps://…).';
    expect(outcome).toEqual({ ok: false, error: 'mail_not_configured', message });
    expect(await lastLog()).toMatchObject({ status: 'failed', error: `mail_not_configured: ${message}`, subject: 'Invoice INV-2026-00042 for $118.00', relatedId: 47 });
  });

  it('logs in with the credentials of an smtps:// URL (TLS from the first byte)', async () => {
    const secure = await startFakeSmtp({ secure: true, auth: { user: 'mailer@meridian.test', pass: 'p@ss:w/rd' } });
    opened.push({ close: () => secure.close() });
    const url = `smtps://${encodeURIComponent('mailer@meridian.test')}:${encodeURIComponent('p@ss:w/rd')}@127.0.0.1:${secure.port}?tls.rejectUnauthorized=false`;
    const m = createMailer({ SMTP_URL: url }, fast);
    opened.push(m);
    expect(await m.verify()).toEqual({ ok: true });
    expect(await serviceWith(m).sendTemplate({ templateName: 'invoice_created', to: 'alex@example.test', context: invoiceContext(), related: { type: 'Invoice', id: 48 } })).toMatchObject({ ok: true });
    const [mail] = await secure.waitFor(1);
    expect(mail.user).toBe('mailer@meridian.test');
    expect(mail.subject).toBe('Invoice INV-2026-00042 for $118.00');

    const wrong = createMailer({ SMTP_URL: url.replace(encodeURIComponent('p@ss:w/rd'), 'guess') }, fast);
    opened.push(wrong);
    const outcome = await serviceWith(wrong).sendTemplate({ templateName: 'invoice_created', to: 'alex@example.test', context: invoiceContext(), related: { type: 'Invoice', id: 49 } });
    expect(outcome).toMatchObject({ ok: false, error: 'send_failed', message: expect.stringMatching(/^The mail server 127\.0\.0\.1:\d+ refused the login in SMTP_URL: 535/) });
    expect((await lastLog()).error).not.toContain('guess');
  });

  it('missing template: template_missing, logged, nothing sent', async () => {
    const outcome = await email.sendTemplate({ templateName: 'no_such_template', to: 'alex@example.test', context: {}, clientId, related: { type: 'Invoice', id: 50 } });
    const message = 'There is no email template named "no_such_template". Create it under System Settings › Email Templates.';
    expect(outcome).toEqual({ ok: false, error: 'template_missing', message });
    expect(await lastLog()).toMatchObject({ status: 'failed', templateName: 'no_such_template', subject: 'no_such_template', error: `template_missing: ${message}`, relatedId: 50 });
    expect(smtp.received).toHaveLength(0);
  });

  it('disabled template: not sent and no log row', async () => {
    const before = (await logs()).length;
    const outcome = await email.sendTemplate({ templateName: 'invoice_reminder', to: 'alex@example.test', context: invoiceContext(), clientId, related: { type: 'Invoice', id: 51 } });
    expect(outcome).toEqual({ ok: false, error: 'template_disabled', message: 'The email template "invoice_reminder" (en) is disabled; nothing was sent.' });
    expect(await logs()).toHaveLength(before);
    await new Promise((r) => setTimeout(r, 100));
    expect(smtp.received).toHaveLength(0);
  });

  it('a stored template that breaks the rules is refused at send time too', async () => {
    const outcome = await email.sendTemplate({ templateName: 'invoice_overdue_1', to: 'alex@example.test', context: invoiceContext(), clientId, related: { type: 'Invoice', id: 52 } });
    const message = 'The email template "invoice_overdue_1" cannot be rendered — HTML body: unescaped output {{{ … }}} or {{& … }} is not allowed (line 1): use {{ … }}, which escapes HTML';
    expect(outcome).toEqual({ ok: false, error: 'template_invalid', message });
    expect(await lastLog()).toMatchObject({ status: 'failed', error: `template_invalid: ${message}` });
    expect(smtp.received).toHaveLength(0);
  });

  it('refuses a bad recipient address', async () => {
    const outcome = await email.sendTemplate({ templateName: 'invoice_created', to: 'alex@example.test, not-an-address', context: invoiceContext(), related: { type: 'Invoice', id: 53 } });
    expect(outcome).toEqual({ ok: false, error: 'invalid_recipient', message: 'Not an email address: not-an-address', field: 'to' });
    expect(await lastLog()).toMatchObject({ status: 'failed', toAddress: 'alex@example.test, not-an-address', error: 'invalid_recipient: Not an email address: not-an-address' });
    expect(await email.sendTemplate({ templateName: 'invoice_created', to: [], context: {} })).toMatchObject({ ok: false, error: 'invalid_recipient', message: 'No recipient address was given.' });
    expect(smtp.received).toHaveLength(0);
  });

  describe('admin actions', () => {
    const templateId = async (name: string, language = 'en') => ((await db.ds.getRepository('EmailTemplate').findOneByOrFail({ name, language })) as Row).id as number;
    const ctxFor = (id: number) =>
      ({
        record: { id: () => String(id), params: { id }, toJSON: () => ({ id: String(id) }) },
        resource: { findOne: async () => null },
        currentAdmin: { id: 1, email: 'admin@test.local' },
      }) as unknown as ActionContext;
    const post = (payload: Row) => ({ method: 'post', payload }) as unknown as ActionRequest;

    it('sendTest renders the template with sample data, sends it marked [Test] — even a disabled one — and logs it', async () => {
      const actions = emailTemplateActions({ email });
      const id = await templateId('invoice_reminder');
      const response = (await actions.sendTest.handler(post({ to: 'staff@meridian-demo.test' }), {}, ctxFor(id))) as Row;
      expect(response.notice).toEqual({ message: 'Test email sent to staff@meridian-demo.test.', type: 'success' });
      const [mail] = await smtp.waitFor(1);
      expect(mail.envelope.to).toEqual(['staff@meridian-demo.test']);
      expect(mail.subject).toBe('[Test] Reminder: invoice INV-2026-00042 is due on 2026-03-15');
      expect(mail.text).toContain('Dear Alex,\n\nThis is a friendly reminder that invoice INV-2026-00042 for $118.00 is due on 2026-03-15.');
      expect(mail.text).toContain('Kind regards,\nMeridian Demo Hosting\nhttps://meridian-demo.test');
      expect(await lastLog()).toMatchObject({ status: 'sent', templateName: 'invoice_reminder', relatedType: 'EmailTemplate', relatedId: id, clientId: null });

      const bad = (await actions.sendTest.handler(post({ to: 'nope' }), {}, ctxFor(id))) as Row;
      expect(bad.notice).toEqual({ message: 'Not an email address: nope', type: 'error' });
      const form = (await actions.sendTest.handler({ method: 'get' } as ActionRequest, {}, ctxFor(id))) as Row;
      expect(form.notice).toBeUndefined();
      expect(smtp.received).toHaveLength(1);
    });

    it('preview shows the rendered subject and text, and the reason when the template is broken', async () => {
      const actions = emailTemplateActions({ email });
      const ok = (await actions.preview.handler(post({}), {}, ctxFor(await templateId('invoice_created', 'fr')))) as Row;
      expect(ok.notice).toEqual({ message: 'Subject: Facture INV-2026-00042 de $118.00 — Bonjour Alex,', type: 'success' });
      expect(ok.preview).toEqual({ subject: 'Facture INV-2026-00042 de $118.00', html: '<p>Bonjour Alex,</p>', text: 'Bonjour Alex,' });
      const broken = (await actions.preview.handler(post({}), {}, ctxFor(await templateId('invoice_overdue_1')))) as Row;
      expect(broken.notice).toEqual({ message: 'HTML body: unescaped output {{{ … }}} or {{& … }} is not allowed (line 1): use {{ … }}, which escapes HTML', type: 'error' });
      expect(smtp.received).toHaveLength(0);
    });
  });
});
