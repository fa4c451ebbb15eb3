import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTransport } from 'nodemailer';
import { BaseEntity, type DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source.js';
import { setAppKey } from '../../src/db/secrets.js';
import { ensureEmailTemplates } from '../../src/domain/notifications/standard-templates.js';
import { EmailService } from '../../src/domain/notifications/email-service.js';
import { createMailer } from '../../src/integrations/mail/mailer.js';
import { systemClock } from '../../src/domain/shared/clock.js';
import { AttachmentStore } from '../../src/domain/support/attachments.js';
import { EmailPiping } from '../../src/domain/support/piping.js';
import { startInboundSmtp, type InboundSmtp } from '../../src/integrations/mail/inbound-smtp.js';
import { scratchDatabase, testEngine, TEST_APP_KEY } from '../helpers/db.js';

type Row = Record<string, any>;

const SUPPORT = 'support@meridian-test.example';
const pipeScript = fileURLToPath(new URL('../../src/cli/pipe.js', import.meta.url));

function fixture(name: string, vars: Record<string, string> = {}): Buffer {
  const text = readFileSync(new URL(`../../../tests/fixtures/mail/${name}`, import.meta.url), 'utf8');
  return Buffer.from(text.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => vars[k] ?? `{{${k}}}`));
}
const retitled = (name: string, subject: string) => Buffer.from(fixture(name).toString('utf8').replace(/^Subject: .*$/m, `Subject: ${subject}`));

/**
 * The two ways mail reaches the piping service: `npm run pipe` (a separate process reading stdin, against a file
 * database) and the SMTP listener (a real SMTP conversation over loopback with nodemailer). Both must answer so a
 * mail server does the right thing: success only once the message is stored, a bounce for bad mail, a retry when
 * the failure is ours.
 */
describe(`email piping transports on ${testEngine()}`, () => {
  let ds: DataSource;
  let url: string;
  let drop: () => Promise<void>;
  let dir: string;
  let storage: string;
  let piping: EmailPiping;
  const listeners: InboundSmtp[] = [];
  const id: Record<string, number> = {};

  const filesOnDisk = (root = storage): string[] => readdirSync(root).flatMap((n) => (statSync(join(root, n)).isDirectory() ? filesOnDisk(join(root, n)) : [join(root, n)]));
  const snapshot = async () => ({
    tickets: await ds.getRepository('SupportTicket').count(),
    replies: await ds.getRepository('TicketReply').count(),
    attachments: await ds.getRepository('TicketAttachment').count(),
    files: filesOnDisk().length,
  });
  const ticketBySubject = async (subject: string) => (await ds.getRepository('SupportTicket').findOneBy({ subject })) as Row | null;

  function runPipe(message: Buffer, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      // cwd is a scratch directory so no developer .env is read by the child.
      const child = spawn(process.execPath, [pipeScript, ...args], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: url, APP_KEY: TEST_APP_KEY, STORAGE_DIR: storage, APP_URL: 'http://meridian.test', LOG_LEVEL: 'silent' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('exit', (code) => resolve({ code, stdout: stdout.trim(), stderr }));
      child.stdin.end(message);
    });
  }

  async function send(port: number, raw: Buffer, envelope: { from: string; to: string[] }, auth?: { user: string; pass: string }) {
    const transport = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, auth, connectionTimeout: 10_000, socketTimeout: 30_000 });
    try {
      return await transport.sendMail({ envelope, raw });
    } finally {
      transport.close();
    }
  }
  const smtpFailure = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      return e as { responseCode?: number; response?: string };
    }
    throw new Error('the SMTP listener accepted a message it should have refused');
  };

  beforeAll(async () => {
    setAppKey(TEST_APP_KEY);
    dir = mkdtempSync(join(tmpdir(), 'meridian-pipe-'));
    storage = join(dir, 'storage');
    mkdirSync(storage);
    const scratch = await scratchDatabase({ file: join(dir, 'pipe.sqlite') });
    url = scratch.url;
    drop = scratch.drop;
    ds = await createDataSource({ databaseUrl: url });
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    BaseEntity.useDataSource(ds);
    await ensureEmailTemplates(ds);
    const currency = (await ds.getRepository('Currency').insert({ code: 'USD', prefix: '$', isDefault: true, exchangeRate: '1' })).identifiers[0].id;
    id.support = (await ds.getRepository('TicketDepartment').insert({ name: 'Technical Support', email: SUPPORT, hidden: false, autoRespond: true })).identifiers[0].id;
    const client = (email: string, firstName: string) =>
      ds.getRepository('Client').save(ds.getRepository('Client').create({ firstName, lastName: 'Tester', email, country: 'US', currencyId: currency })) as Promise<Row>;
    id.alice = (await client('alice@client.example', 'Alice')).id;
    id.bob = (await client('bob@client.example', 'Bob')).id;
    // Mail out goes nowhere (no SMTP_URL): the email log records that, and piping carries on.
    const email = new EmailService({ ds, mailer: createMailer({}), clock: systemClock, appUrl: 'http://meridian.test' });
    piping = new EmailPiping({ ds, clock: systemClock, store: new AttachmentStore(storage), email, timeZone: 'UTC', appUrl: 'http://meridian.test' });
  });

  afterAll(async () => {
    for (const l of listeners) await l.close();
    await ds?.destroy();
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  test('npm run pipe: a message on stdin opens a ticket, a reply finds it by the headers alone, exit 0', async () => {
    const opened = await runPipe(fixture('new-ticket.eml'), ['--to', SUPPORT]);
    expect(opened.stderr).not.toContain('temporary failure');
    expect(opened).toMatchObject({ code: 0 });
    expect(opened.code).toBe(0);
    const row = await ticketBySubject('Website is down');
    expect(row).toMatchObject({ clientId: id.alice, departmentId: id.support, source: 'email' });
    expect(opened.stdout).toBe(`opened ${row!.ticketNumber} (ticket #${row!.id})`);

    const replied = await runPipe(fixture('reply-quoted.eml', { TICKET: row!.ticketNumber }), []);
    expect(replied.code).toBe(0);
    expect(replied.stdout).toBe(`replied to ${row!.ticketNumber} (ticket #${row!.id})`);
    const messages = (await ds.getRepository('TicketReply').find({ where: { ticketId: row!.id }, order: { id: 'ASC' } })) as Row[];
    expect(messages.map((m) => m.message.split('\n')[0])).toEqual(['Hello,', 'It works again after clearing the cache, thank you.']);

    const ignored = await runPipe(fixture('auto-reply.eml', { TICKET: row!.ticketNumber }), ['--to=' + SUPPORT]);
    expect(ignored).toMatchObject({ code: 0, stdout: 'ignored: automatic message (Auto-Submitted: auto-replied)' });
  });

  test('npm run pipe: malformed mail and an unknown recipient exit non-zero with the reason and save nothing', async () => {
    const before = await snapshot();
    const malformed = await runPipe(fixture('malformed.eml'), ['--to', SUPPORT]);
    expect(malformed.code).toBe(65);
    expect(malformed.stdout).toMatch(/^rejected: The message has no valid header section/);
    const misaddressed = await runPipe(fixture('new-ticket.eml'), ['--to', 'nobody@meridian-test.example']);
    expect(misaddressed.code).toBe(65);
    expect(misaddressed.stdout).toBe('rejected: nobody@meridian-test.example is not the address of any support department.');
    expect(await snapshot()).toEqual(before);
  });

  test('SMTP listener: stores mail for a department address with 250, refuses other recipients and bad mail with 550', async () => {
    const listener = await startInboundSmtp({ piping, port: 0 });
    listeners.push(listener);
    const info = await send(listener.port, retitled('attachments.eml', 'Sent over SMTP'), { from: 'alice@client.example', to: [SUPPORT] });
    expect(info.response).toMatch(/^250 /);
    const row = await ticketBySubject('Sent over SMTP');
    expect(row).toMatchObject({ clientId: id.alice, departmentId: id.support, source: 'email' });
    expect(info.response).toContain(`Stored on ticket ${row!.ticketNumber}`);
    expect(await ds.getRepository('TicketAttachment').count({ where: { ticketId: row!.id } })).toBe(2);

    const before = await snapshot();
    const unknown = await smtpFailure(send(listener.port, retitled('new-ticket.eml', 'Wrong address'), { from: 'alice@client.example', to: ['nobody@meridian-test.example'] }));
    expect(unknown.responseCode).toBe(550);
    expect(unknown.response).toContain('no support department receives mail at this address');
    const malformed = await smtpFailure(send(listener.port, fixture('malformed.eml'), { from: 'alice@client.example', to: [SUPPORT] }));
    expect(malformed.responseCode).toBe(550);
    expect(malformed.response).toContain('no valid header section');
    const bounce = await send(listener.port, fixture('bounce.eml'), { from: '', to: [SUPPORT] });
    expect(bounce.response).toMatch(/^250 .*ignored: bounce/);
    expect(await snapshot()).toEqual(before);
  });

  test('SMTP listener: when storing fails it answers 451 so the sender retries, and leaves nothing behind', async () => {
    // An attachment store whose root is a file: writing the first attachment fails, as on a full or read-only disk.
    const blocked = join(dir, 'not-a-directory');
    writeFileSync(blocked, 'x');
    const broken = new EmailPiping({ ds, clock: systemClock, store: new AttachmentStore(blocked), email: { sendTemplate: async () => ({ ok: false, error: 'mail_not_configured', message: 'off' }) }, timeZone: 'UTC', appUrl: 'http://meridian.test' });
    const listener = await startInboundSmtp({ piping: broken, port: 0 });
    listeners.push(listener);
    const before = await snapshot();
    const failure = await smtpFailure(send(listener.port, retitled('attachments.eml', 'Disk trouble'), { from: 'alice@client.example', to: [SUPPORT] }));
    expect(failure.responseCode).toBe(451);
    expect(await snapshot()).toEqual(before);
    expect(await ticketBySubject('Disk trouble')).toBeNull();
  });

  test('SMTP listener: a message over the size limit is refused and nothing is stored', async () => {
    const listener = await startInboundSmtp({ piping, port: 0, maxBytes: 1024 });
    listeners.push(listener);
    const before = await snapshot();
    const big = retitled('attachments.eml', 'Too big');
    expect(big.length).toBeGreaterThan(1024);
    const failure = await smtpFailure(send(listener.port, big, { from: 'alice@client.example', to: [SUPPORT] }));
    expect(failure.responseCode).toBe(552);
    expect(failure.response).toContain('Message larger than 1 KB');
    expect(await snapshot()).toEqual(before);
  });

  test('SMTP listener with AUTH: refuses a sender that does not log in, accepts one that does', async () => {
    const listener = await startInboundSmtp({ piping, port: 0, auth: { user: 'mx', pass: 'forwarding secret' } });
    listeners.push(listener);
    const anonymous = await smtpFailure(send(listener.port, retitled('new-ticket.eml', 'Anonymous'), { from: 'bob@client.example', to: [SUPPORT] }));
    expect(anonymous.responseCode).toBe(530);
    const wrong = await smtpFailure(send(listener.port, retitled('new-ticket.eml', 'Wrong password'), { from: 'bob@client.example', to: [SUPPORT] }, { user: 'mx', pass: 'guess' }));
    expect(wrong.responseCode).toBe(535);
    expect(await ticketBySubject('Anonymous')).toBeNull();
    const info = await send(listener.port, retitled('wrong-sender.eml', 'Logged in'), { from: 'bob@client.example', to: [SUPPORT] }, { user: 'mx', pass: 'forwarding secret' });
    expect(info.response).toMatch(/^250 /);
    expect(await ticketBySubject('Logged in')).toMatchObject({ clientId: id.bob });
  });
});
