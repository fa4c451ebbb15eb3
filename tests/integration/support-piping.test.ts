import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, createStaff, type TestApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import { createClientUser, loginClient } from '../helpers/client.js';
import type { Agent } from '../helpers/auth.js';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server.js';
import { systemClock } from '../../src/domain/shared/clock.js';
import { AttachmentStore } from '../../src/domain/support/attachments.js';
import { EmailPiping, type PipeOutcome } from '../../src/domain/support/piping.js';

type Row = Record<string, any>;

const SUPPORT = 'support@meridian-test.example';
const SALES = 'sales@meridian-test.example';
/** The bytes base64-encoded in attachments.eml, written out again here so the download is compared with the source. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00fixture', 'latin1')]);

/** A raw message from tests/fixtures/mail, with {{NAME}} placeholders filled in. */
function fixture(name: string, vars: Record<string, string> = {}): Buffer {
  const text = readFileSync(new URL(`../../../tests/fixtures/mail/${name}`, import.meta.url), 'utf8');
  return Buffer.from(text.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => vars[k] ?? `{{${k}}}`));
}

function expectAction<A extends string>(out: PipeOutcome, action: A): asserts out is Extract<PipeOutcome, { action: A }> {
  expect({ ok: out.ok, action: out.action, ...(out.ok ? {} : { message: out.message }) }).toMatchObject({ action });
}

/**
 * Email piping on real MIME messages: new tickets, replies matched by number and sender, unknown senders by the
 * department's rule, automatic mail ignored, attachments stored and served only to their owner, broken mail refused
 * with nothing saved.
 */
describe(`email piping on ${testEngine()}`, () => {
  let t: TestApp;
  let smtp: FakeSmtp;
  let storage: string;
  let piping: EmailPiping;
  const id: Record<string, number> = {};
  let number = '';

  const filesOnDisk = (dir = storage): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesOnDisk(join(dir, n)) : [join(dir, n)]));
  const count = (entity: string, where: Row = {}) => t.ds.getRepository(entity).count({ where });
  const snapshot = async () => ({ tickets: await count('SupportTicket'), replies: await count('TicketReply'), attachments: await count('TicketAttachment'), files: filesOnDisk().length });
  const ticket = async (ticketId: number) => (await t.ds.getRepository('SupportTicket').findOneByOrFail({ id: ticketId })) as Row;
  const messages = async (ticketId: number) => (await t.ds.getRepository('TicketReply').find({ where: { ticketId }, order: { id: 'ASC' } })) as Row[];
  const setting = async (key: string, value: string) => {
    await t.ds.getRepository('Setting').delete({ key });
    await t.ds.getRepository('Setting').insert({ key, value, type: 'string', groupName: 'Support' });
  };

  beforeAll(async () => {
    storage = mkdtempSync(join(tmpdir(), 'meridian-piping-'));
    smtp = await startFakeSmtp();
    t = await startTestApp({ STORAGE_DIR: storage, SMTP_URL: smtp.url });
    const dept = t.ds.getRepository('TicketDepartment');
    id.support = (await dept.insert({ name: 'Technical Support', email: SUPPORT, hidden: false, sortOrder: 1, autoRespond: true, clientsOnly: false })).identifiers[0].id;
    id.sales = (await dept.insert({ name: 'Sales', email: 'Sales@Meridian-Test.example', hidden: false, sortOrder: 2, autoRespond: true, clientsOnly: true })).identifiers[0].id;
    const alice = await createClientUser(t.ds, { email: 'alice@client.example', firstName: 'Alice', lastName: 'Able' });
    const bob = await createClientUser(t.ds, { email: 'bob@client.example', firstName: 'Bob', lastName: 'Baker' });
    Object.assign(id, { alice: alice.clientId, aliceUser: alice.userId, bob: bob.clientId });
    id.sam = await createStaff(t.ds, { email: 'sam@meridian-test.example', password: 'support person 1', role: 'Support', firstName: 'Sam' });
    await t.ds.getRepository('DepartmentStaff').insert({ departmentId: id.support, userId: id.sam, notify: true });
    await setting('mail.fromEmail', 'noreply@meridian-test.example');
    // Every test here writes as alice; the flood test sets its own, lower limit.
    await setting('support.pipeRateLimit', '100');
    piping = new EmailPiping({ ds: t.ds, clock: systemClock, store: new AttachmentStore(storage), email: t.built.email, timeZone: 'UTC', appUrl: t.baseUrl });
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    rmSync(storage, { recursive: true, force: true });
  });

  test('a plain message from a client opens a ticket in the department it was sent to, and is acknowledged', async () => {
    const out = await piping.pipe(fixture('new-ticket.eml'), { recipient: SUPPORT });
    expectAction(out, 'opened');
    id.ticket = out.ticketId;
    number = out.ticketNumber;
    expect(await ticket(out.ticketId)).toMatchObject({ ticketNumber: number, clientId: id.alice, guestEmail: null, departmentId: id.support, subject: 'Website is down', status: 'open', source: 'email', lastReplyBy: 'client' });
    const [first, ...rest] = await messages(out.ticketId);
    expect(rest).toHaveLength(0);
    expect(first).toMatchObject({ authorType: 'client', userId: id.aliceUser, authorName: 'Alice Able', authorEmail: 'alice@client.example', isInternalNote: false });
    expect(first.message).toBe('Hello,\n\nSince this morning alice.example answers with a 500 error on every page.\nNothing changed on our side — can you have a look?\n\nThanks,\nAlice');
    const mail = (await smtp.waitFor(1)).find((m) => m.envelope.to.includes('alice@client.example'));
    expect(mail?.subject).toBe(`[Ticket ${number}] Website is down`);
    // The department's staff hear of it as they do of a ticket opened in the client area.
    expect(smtp.received.filter((m) => m.envelope.to.includes('sam@meridian-test.example'))).toHaveLength(1);
  });

  test('a reply carrying the ticket number is added to that ticket without the quoted history', async () => {
    await t.ds.getRepository('SupportTicket').update({ id: id.ticket }, { status: 'answered' });
    const out = await piping.pipe(fixture('reply-quoted.eml', { TICKET: number }));
    expectAction(out, 'replied');
    expect(out).toMatchObject({ ticketId: id.ticket, reopened: false, byStaff: false });
    const all = await messages(id.ticket);
    expect(all).toHaveLength(2);
    expect(all[1]).toMatchObject({ authorType: 'client', authorEmail: 'alice@client.example' });
    expect(all[1].message).toBe('It works again after clearing the cache, thank you.\nOne more question: can you enable HTTP/2 as well?');
    expect(await ticket(id.ticket)).toMatchObject({ status: 'customer_reply', lastReplyBy: 'client' });
  });

  test("a department's staff member answers by mail: the reply is staff's and the customer is mailed it", async () => {
    smtp.clear();
    const out = await piping.pipe(fixture('staff-reply.eml', { TICKET: number }), { recipient: SUPPORT });
    expectAction(out, 'replied');
    expect(out.byStaff).toBe(true);
    const last = (await messages(id.ticket)).at(-1)!;
    expect(last).toMatchObject({ authorType: 'staff', userId: id.sam, message: 'HTTP/2 is now enabled on your server.' });
    const row = await ticket(id.ticket);
    expect(row).toMatchObject({ status: 'answered', lastReplyBy: 'staff' });
    expect(row.firstResponseAt).not.toBeNull();
    const [mail] = await smtp.waitFor(1);
    expect(mail.envelope.to).toEqual(['alice@client.example']);
    expect(mail.text).toContain('HTTP/2 is now enabled on your server.');
  });

  test('a ticket number from the wrong sender does not reach that ticket: the sender gets a ticket of their own', async () => {
    const before = (await messages(id.ticket)).length;
    const out = await piping.pipe(fixture('wrong-sender.eml', { TICKET: number }), { recipient: SUPPORT });
    expectAction(out, 'opened');
    expect(out.ticketId).not.toBe(id.ticket);
    expect(await ticket(out.ticketId)).toMatchObject({ clientId: id.bob, departmentId: id.support });
    expect(await messages(id.ticket)).toHaveLength(before);
  });

  test('an unknown sender gets a guest ticket where the department takes guests, and is refused where it takes clients only', async () => {
    smtp.clear();
    const guest = await piping.pipe(fixture('unknown-sender.eml', { TO: SUPPORT }), { recipient: SUPPORT });
    expectAction(guest, 'opened');
    expect(guest.guest).toBe(true);
    expect(await ticket(guest.ticketId)).toMatchObject({ clientId: null, guestName: 'Vera Visitor', guestEmail: 'visitor@elsewhere.example', departmentId: id.support });
    expect((await messages(guest.ticketId))[0]).toMatchObject({ authorType: 'guest', userId: null, authorEmail: 'visitor@elsewhere.example' });
    // No acknowledgement to an address nobody has vouched for.
    expect(smtp.received.filter((m) => m.envelope.to.includes('visitor@elsewhere.example'))).toHaveLength(0);

    const before = await snapshot();
    const refused = await piping.pipe(fixture('unknown-sender.eml', { TO: SALES }));
    expectAction(refused, 'rejected');
    expect(refused.error).toBe('unknown_sender');
    expect(refused.message).toContain('Sales takes tickets from registered clients only');
    expect(await snapshot()).toEqual(before);
  });

  test('automatic replies, out-of-office notes, loops, bounces and our own mail are ignored and save nothing', async () => {
    smtp.clear();
    const before = await snapshot();
    const replies = await messages(id.ticket);
    const reasons: string[] = [];
    for (const name of ['auto-reply.eml', 'out-of-office.eml', 'mail-loop.eml', 'bounce.eml']) {
      const out = await piping.pipe(fixture(name, { TICKET: number }), { recipient: SUPPORT });
      expectAction(out, 'ignored');
      reasons.push(out.reason);
    }
    const ownMail = Buffer.from(fixture('new-ticket.eml').toString('utf8').replace('From: Alice Able <alice@client.example>', 'From: Meridian <NoReply@meridian-test.example>'));
    const own = await piping.pipe(ownMail, { recipient: SUPPORT });
    expectAction(own, 'ignored');
    reasons.push(own.reason);
    expect(reasons).toEqual([
      'automatic message (Auto-Submitted: auto-replied)',
      'automatic reply (X-Autoreply)',
      'mail loop (X-Loop names this desk)',
      'bounce (empty return path)',
      "mail from this desk's own address (noreply@meridian-test.example)",
    ]);
    expect(await snapshot()).toEqual(before);
    expect(await messages(id.ticket)).toEqual(replies);
    expect(smtp.received).toHaveLength(0);
  });

  test('a flood from one address is cut off after the configured number of messages', async () => {
    await setting('support.pipeRateLimit', '3');
    try {
      const flood = () => Buffer.from(fixture('unknown-sender.eml', { TO: SUPPORT }).toString('utf8').replace(/visitor@elsewhere\.example/g, 'robot@elsewhere.example'));
      const actions: string[] = [];
      for (let i = 0; i < 4; i++) actions.push((await piping.pipe(flood(), { recipient: SUPPORT })).action);
      expect(actions).toEqual(['opened', 'opened', 'opened', 'ignored']);
      expect(await count('SupportTicket', { guestEmail: 'robot@elsewhere.example' })).toBe(3);
    } finally {
      await setting('support.pipeRateLimit', '100');
    }
  });

  test('attachments are kept under the client-area rules and downloadable only by the ticket owner', async () => {
    const filesBefore = filesOnDisk().length;
    const out = await piping.pipe(fixture('attachments.eml'), { recipient: SUPPORT });
    expectAction(out, 'opened');
    expect(out.droppedFiles).toHaveLength(1);
    expect(out.droppedFiles[0]).toContain('setup.exe');
    const rows = (await t.ds.getRepository('TicketAttachment').find({ where: { ticketId: out.ticketId }, order: { id: 'ASC' } })) as Row[];
    expect(rows.map((r) => [r.fileName, r.contentType, r.sizeBytes])).toEqual([
      ['error report.pdf', 'application/pdf', PDF.length],
      ['screenshot.png', 'image/png', PNG.length],
    ]);
    const [message] = await messages(out.ticketId);
    expect(rows.every((r) => r.replyId === message.id)).toBe(true);
    expect(message.message).toContain('Attached: the error report and a screenshot.');
    expect(message.message).toContain('setup.exe is not an allowed type');
    expect(filesOnDisk()).toHaveLength(filesBefore + 2);

    const alice: Agent = t.agent();
    await loginClient(alice, 'alice@client.example', 'correct horse battery 1');
    const page = await alice.get(`/tickets/${out.ticketId}`).expect(200);
    const link = new RegExp(`href="(/tickets/${out.ticketId}/attachments/${rows[0].id})"`).exec(page.text);
    expect(link).not.toBeNull();
    const binary = (r: any, cb: (e: Error | null, b: Buffer) => void) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    };
    const pdf = await alice.get(link![1]).buffer(true).parse(binary).expect(200);
    expect(Buffer.compare(pdf.body as Buffer, PDF)).toBe(0);
    const png = await alice.get(`/tickets/${out.ticketId}/attachments/${rows[1].id}`).buffer(true).parse(binary).expect(200);
    expect(Buffer.compare(png.body as Buffer, PNG)).toBe(0);

    const bob: Agent = t.agent();
    await loginClient(bob, 'bob@client.example', 'correct horse battery 1');
    await bob.get(link![1]).expect(404);
    await bob.get(`/tickets/${out.ticketId}`).expect(404);
  });

  test('HTML mail: the plain alternative is kept as written, an HTML-only body is turned into text', async () => {
    const alt = await piping.pipe(fixture('html-alternative.eml'), { recipient: SUPPORT });
    expectAction(alt, 'opened');
    expect((await messages(alt.ticketId))[0].message).toBe('Why was I charged twice on invoice INV-2026-00012?\n\nRegards, Alice');
    const html = await piping.pipe(fixture('html-only.eml'), { recipient: SUPPORT });
    expectAction(html, 'opened');
    expect((await messages(html.ticketId))[0].message).toBe('Our mail server rejects messages since the update.\n\n- first error\n- second error');
  });

  test('a reply to a ticket closed long ago opens a new ticket naming the old one; to one closed recently, reopens it', async () => {
    const day = 86_400_000;
    await t.ds.getRepository('SupportTicket').update({ id: id.ticket }, { status: 'closed', closedAt: new Date(Date.now() - 10 * day) });
    const before = (await messages(id.ticket)).length;
    const late = await piping.pipe(fixture('reply-quoted.eml', { TICKET: number }), { recipient: SUPPORT });
    expectAction(late, 'opened');
    expect(late.continues).toBe(number);
    expect(await ticket(late.ticketId)).toMatchObject({ clientId: id.alice, subject: 'Website is down', status: 'open' });
    expect((await messages(late.ticketId))[0].message).toBe(`(This continues ticket ${number}, which was closed.)\n\nIt works again after clearing the cache, thank you.\nOne more question: can you enable HTTP/2 as well?`);
    expect(await ticket(id.ticket)).toMatchObject({ status: 'closed' });
    expect(await messages(id.ticket)).toHaveLength(before);

    await t.ds.getRepository('SupportTicket').update({ id: id.ticket }, { closedAt: new Date(Date.now() - 2 * day) });
    const recent = await piping.pipe(fixture('reply-quoted.eml', { TICKET: number }), { recipient: SUPPORT });
    expectAction(recent, 'replied');
    expect(recent).toMatchObject({ ticketId: id.ticket, reopened: true });
    expect(await ticket(id.ticket)).toMatchObject({ status: 'customer_reply', closedAt: null });
    expect(await messages(id.ticket)).toHaveLength(before + 1);
  });

  test('malformed, oversize and misaddressed mail is refused with nothing saved', async () => {
    const before = await snapshot();
    const malformed = await piping.pipe(fixture('malformed.eml'), { recipient: SUPPORT });
    expectAction(malformed, 'rejected');
    expect(malformed.error).toBe('malformed');
    const noBoundary = Buffer.from(fixture('new-ticket.eml').toString('utf8').replace('Content-Type: text/plain; charset=utf-8', 'Content-Type: multipart/mixed'));
    expect(await piping.pipe(noBoundary, { recipient: SUPPORT })).toMatchObject({ ok: false, error: 'malformed' });
    const huge = Buffer.concat([fixture('new-ticket.eml'), Buffer.alloc(25 * 1024 * 1024, 'a')]);
    const oversize = await piping.pipe(huge, { recipient: SUPPORT });
    expectAction(oversize, 'rejected');
    expect(oversize.message).toContain('over 25 MB');
    const elsewhere = await piping.pipe(fixture('new-ticket.eml'), { recipient: 'nobody@meridian-test.example' });
    expect(elsewhere).toMatchObject({ ok: false, error: 'unknown_recipient' });
    expect(await snapshot()).toEqual(before);
  });
});
