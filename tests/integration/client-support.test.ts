import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import { createClientUser, loginClient } from '../helpers/client.js';
import { csrfOf, csrfFrom, type Agent } from '../helpers/auth.js';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server.js';

type Row = Record<string, any>;

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR fake image bytes')]);
const XSS = '<script>alert(1)</script>';

/**
 * Customers' support tickets end to end: open with files, read, reply, close, download — and every way of getting
 * it wrong (another client's ticket, forged or missing CSRF, bad input, disallowed or oversized files) refused with
 * nothing saved and no file left behind.
 */
describe(`client-area tickets on ${testEngine()}`, () => {
  let t: TestApp;
  let smtp: FakeSmtp;
  let storage: string;
  let alice: Agent;
  let bob: Agent;
  const id: Record<string, number> = {};
  let attachmentUrl = '';

  const filesOnDisk = (dir = storage): string[] =>
    readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesOnDisk(join(dir, n)) : [join(dir, n)]));
  const count = (entity: string) => t.ds.getRepository(entity).count();
  const ticket = async (ticketId: number) => (await t.ds.getRepository('SupportTicket').findOneByOrFail({ id: ticketId })) as Row;
  const snapshot = async () => ({ tickets: await count('SupportTicket'), replies: await count('TicketReply'), attachments: await count('TicketAttachment'), files: filesOnDisk().length });

  /** Opens a ticket through the real multipart form; `csrf: false` leaves the token out. */
  async function open(agent: Agent, fields: Record<string, string>, files: Array<[string, Buffer]> = [], opts: { csrf?: boolean } = {}) {
    const token = await csrfOf(agent, '/tickets/new');
    let req = agent.post(opts.csrf === false ? '/tickets/new' : `/tickets/new?_csrf=${encodeURIComponent(token)}`);
    const all = { departmentId: String(id.support), priority: 'medium', subject: 'Site is down', message: 'It answers 500 since this morning.', serviceId: '', ...fields };
    for (const [k, v] of Object.entries(all)) req = req.field(k, v);
    for (const [name, data] of files) req = req.attach('attachments', data, name);
    return req;
  }
  async function reply(agent: Agent, ticketId: number, message: string, files: Array<[string, Buffer]> = []) {
    const token = await csrfOf(agent, '/tickets');
    let req = agent.post(`/tickets/${ticketId}/reply?_csrf=${encodeURIComponent(token)}`).field('message', message);
    for (const [name, data] of files) req = req.attach('attachments', data, name);
    return req;
  }
  const ticketIdFrom = (location: string) => Number(/^\/tickets\/(\d+)$/.exec(location)?.[1]);

  beforeAll(async () => {
    storage = mkdtempSync(join(tmpdir(), 'meridian-support-'));
    smtp = await startFakeSmtp();
    t = await startTestApp({ STORAGE_DIR: storage, SMTP_URL: smtp.url });
    const dept = t.ds.getRepository('TicketDepartment');
    id.support = (await dept.insert({ name: 'Technical Support', hidden: false, sortOrder: 1, autoRespond: true })).identifiers[0].id;
    id.hidden = (await dept.insert({ name: 'Abuse desk', hidden: true, sortOrder: 2 })).identifiers[0].id;
    const a = await createClientUser(t.ds, { firstName: 'Alice' });
    const b = await createClientUser(t.ds, { firstName: 'Bob' });
    id.alice = a.clientId;
    id.bob = b.clientId;
    const cat = await t.ds.getRepository('ProductCategory').insert({ name: 'Hosting', slug: 'hosting' });
    const product = await t.ds.getRepository('Product').insert({ categoryId: cat.identifiers[0].id, name: 'Starter Hosting', slug: 'starter' });
    const currencyId = ((await t.ds.getRepository('Client').findOneByOrFail({ id: a.clientId })) as Row).currencyId;
    const service = (clientId: number, domain: string) => t.ds.getRepository('Service').insert({ clientId, productId: product.identifiers[0].id, currencyId, domain, status: 'active' });
    id.aliceService = (await service(a.clientId, 'alice.example')).identifiers[0].id;
    id.bobService = (await service(b.clientId, 'bob.example')).identifiers[0].id;
    alice = t.agent();
    bob = t.agent();
    await loginClient(alice, a.email, a.password);
    await loginClient(bob, b.email, b.password);
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    rmSync(storage, { recursive: true, force: true });
  });

  test('a ticket opened with an attachment is listed, shown and its file downloadable by its owner', async () => {
    const res = await open(alice, { subject: 'Site is down', serviceId: String(id.aliceService), priority: 'high' }, [['screen shot.png', PNG]]);
    expect(res.status).toBe(303);
    const ticketId = ticketIdFrom(res.headers.location);
    id.ticket = ticketId;
    const row = await ticket(ticketId);
    expect(row).toMatchObject({ clientId: id.alice, departmentId: id.support, serviceId: id.aliceService, status: 'open', priority: 'high', source: 'web', lastReplyBy: 'client' });
    expect(row.ticketNumber).toMatch(/^TKT-\d{6}$/);

    const list = await alice.get('/tickets').expect(200);
    expect(list.text).toContain(row.ticketNumber);
    expect(list.text).toContain('Technical Support');

    const page = await alice.get(`/tickets/${ticketId}`).expect(200);
    expect(page.text).toContain('It answers 500 since this morning.');
    expect(page.text).toContain('Starter Hosting — alice.example');
    const link = /href="(\/tickets\/\d+\/attachments\/\d+)">screen shot\.png</.exec(page.text);
    expect(link).not.toBeNull();
    attachmentUrl = link![1];

    const file = await alice.get(link![1]).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(file.status).toBe(200);
    expect(Buffer.compare(file.body as Buffer, PNG)).toBe(0);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['content-disposition']).toBe('attachment; filename="screen shot.png"');
    expect(file.headers['x-content-type-options']).toBe('nosniff');

    const stored = (await t.ds.getRepository('TicketAttachment').findOneByOrFail({ ticketId })) as Row;
    expect(stored).toMatchObject({ fileName: 'screen shot.png', contentType: 'image/png', sizeBytes: PNG.length });
    expect(stored.storagePath).not.toContain('screen');
    expect(filesOnDisk()).toHaveLength(1);

    const [mail] = await smtp.waitFor(1);
    expect(mail.subject).toContain(`[Ticket ${row.ticketNumber}] Site is down`);
  });

  test("another client gets 404 for the ticket, its reply, close and attachment, and nothing changes", async () => {
    const before = await snapshot();
    await bob.get(`/tickets/${id.ticket}`).expect(404);
    await bob.get(attachmentUrl).expect(404);
    expect((await reply(bob, id.ticket, 'mine now')).status).toBe(404);
    const token = await csrfOf(bob, '/tickets');
    await bob.post(`/tickets/${id.ticket}/close`).type('form').send({ _csrf: token }).expect(404);
    expect((await bob.get('/tickets').expect(200)).text).not.toContain('Site is down');
    expect(await snapshot()).toEqual(before);
    expect((await ticket(id.ticket)).status).toBe('open');
  });

  test.each([
    ['a disallowed type', [['tool.exe', Buffer.from('MZ\x90\x00binary')]], /tool\.exe is not an allowed type/],
    ['content that does not match its name', [['photo.png', Buffer.from('just some text')]], /photo\.png does not contain what its name says/],
    ['an oversized file', [['big.pdf', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(5 * 1024 * 1024 + 10, 0x20)])]], /big\.pdf is larger than 5 MB/],
    ['too many files', Array.from({ length: 6 }, (_, i) => [`note${i}.txt`, Buffer.from('hello')]), /at most 5 files/],
  ] as Array<[string, Array<[string, Buffer]>, RegExp]>)('%s is refused with 422, nothing saved, no file left', async (_label, files, reason) => {
    const before = await snapshot();
    const res = await open(alice, { subject: 'With files' }, [['fine.txt', Buffer.from('a good log line\n')], ...files]);
    expect(res.status).toBe(422);
    expect(res.text).toMatch(reason);
    expect(res.text).toContain('value="With files"');
    expect(await snapshot()).toEqual(before);

    const replied = await reply(alice, id.ticket, 'here are the logs', files);
    expect(replied.status).toBe(422);
    expect(replied.text).toMatch(reason);
    expect(replied.text).toContain('here are the logs');
    expect(await snapshot()).toEqual(before);
  });

  test('a request far over the limits is cut off unread (413), nothing saved', async () => {
    const before = await snapshot();
    const huge = Array.from({ length: 6 }, (_, i) => [`part${i}.zip`, Buffer.alloc(6 * 1024 * 1024, 0x50)] as [string, Buffer]);
    const res = await open(alice, { subject: 'Huge' }, huge).catch((e: { response?: { status: number } }) => e.response ?? { status: 0 });
    // The server answers before reading the body; a client still sending may see the connection close instead.
    expect([413, 0]).toContain(res.status);
    expect(await snapshot()).toEqual(before);
    await alice.get('/tickets').expect(200);
  });

  test('when saving fails after the files were written, the files are removed again', async () => {
    // The number the next ticket will claim is already taken: the insert fails inside the transaction.
    const seq = (await t.ds.getRepository('NumberSequence').findOneByOrFail({ name: 'ticket' })) as Row;
    const taken = `TKT-${String(seq.nextValue).padStart(6, '0')}`;
    const blocker = await t.ds.getRepository('SupportTicket').insert({ ticketNumber: taken, clientId: id.bob, departmentId: id.support, subject: 'Blocker' });
    const before = await snapshot();
    const res = await open(alice, { subject: 'Unlucky' }, [['fine.txt', Buffer.from('hello\n')], ['shot.png', PNG]]);
    expect(res.status).toBe(500);
    expect(await snapshot()).toEqual(before);
    await t.ds.getRepository('SupportTicket').delete({ id: blocker.identifiers[0].id });
  });

  test('the customer replies (the ticket waits for staff), closes, and a reply reopens it', async () => {
    const res = await reply(alice, id.ticket, 'Still down, log attached.', [['error.log', Buffer.from('[error] PHP Fatal error\n')]]);
    expect(res.status).toBe(303);
    expect(await ticket(id.ticket)).toMatchObject({ status: 'customer_reply', lastReplyBy: 'client' });
    const page = await alice.get(`/tickets/${id.ticket}`).expect(200);
    expect(page.text.indexOf('It answers 500')).toBeLessThan(page.text.indexOf('Still down, log attached.'));
    expect(page.text).toContain('error.log');

    const token = csrfFrom(page.text);
    await alice.post(`/tickets/${id.ticket}/close`).type('form').send({ _csrf: token }).expect(303);
    const closed = await ticket(id.ticket);
    expect(closed.status).toBe('closed');
    expect(closed.closedAt).not.toBeNull();
    expect((await alice.get('/tickets?status=closed').expect(200)).text).toContain(closed.ticketNumber);
    expect((await alice.get('/tickets?status=open').expect(200)).text).not.toContain(closed.ticketNumber);

    expect((await reply(alice, id.ticket, 'Sorry, one more thing.')).status).toBe(303);
    expect(await ticket(id.ticket)).toMatchObject({ status: 'customer_reply', closedAt: null });
  });

  test("staff replies are shown oldest first; staff-only notes and their files are not", async () => {
    const replies = t.ds.getRepository('TicketReply');
    await replies.insert({ ticketId: id.ticket, authorType: 'staff', authorName: 'Fatima (Support)', message: 'We restarted PHP-FPM.', isInternalNote: false });
    const note = await replies.insert({ ticketId: id.ticket, authorType: 'staff', authorName: 'Fatima (Support)', message: 'Customer runs an old plugin — internal', isInternalNote: true });
    mkdirSync(join(storage, 'tickets', 'zz'), { recursive: true });
    writeFileSync(join(storage, 'tickets', 'zz', 'internalfile'), 'secret notes');
    const hidden = await t.ds.getRepository('TicketAttachment').insert({ ticketId: id.ticket, replyId: note.identifiers[0].id, fileName: 'notes.txt', contentType: 'text/plain', sizeBytes: 12, storagePath: 'tickets/zz/internalfile' });

    const page = await alice.get(`/tickets/${id.ticket}`).expect(200);
    expect(page.text).toContain('We restarted PHP-FPM.');
    expect(page.text).not.toContain('internal');
    expect(page.text).not.toContain('notes.txt');
    await alice.get(`/tickets/${id.ticket}/attachments/${hidden.identifiers[0].id}`).expect(404);
  });

  test('a subject and message with <script> show as text', async () => {
    const res = await open(alice, { subject: `Hello ${XSS}`, message: `Body ${XSS}` });
    expect(res.status).toBe(303);
    const page = await alice.get(res.headers.location).expect(200);
    const list = await alice.get('/tickets').expect(200);
    for (const html of [page.text, list.text]) {
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).not.toContain(XSS);
    }
  });

  test('a form without the CSRF token is refused (403), multipart included, and nothing is saved', async () => {
    const before = await snapshot();
    const res = await open(alice, { subject: 'Forged' }, [['fine.txt', Buffer.from('hello\n')]], { csrf: false });
    expect(res.status).toBe(403);
    await alice.post(`/tickets/${id.ticket}/reply`).field('message', 'forged').expect(403);
    await alice.post(`/tickets/${id.ticket}/reply?_csrf=not-the-token`).field('message', 'forged').expect(403);
    await alice.post(`/tickets/${id.ticket}/close`).type('form').send({}).expect(403);
    expect(await snapshot()).toEqual(before);
    expect((await ticket(id.ticket)).status).toBe('customer_reply');
  });

  test.each([
    ['empty subject and message', { subject: '', message: '  ' }, ['subject', 'message']],
    ['an unknown department', { departmentId: '999999' }, ['departmentId']],
    ['a hidden department', { departmentId: 'HIDDEN' }, ['departmentId']],
    ["another client's service", { serviceId: 'BOB' }, ['serviceId']],
    ['a priority only staff may set', { priority: 'urgent' }, ['priority']],
  ] as Array<[string, Record<string, string>, string[]]>)('%s → 422 with the field errors, nothing saved', async (_label, fields, wrong) => {
    const before = await snapshot();
    const resolved = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v === 'HIDDEN' ? String(id.hidden) : v === 'BOB' ? String(id.bobService) : v]));
    const res = await open(alice, resolved);
    expect(res.status).toBe(422);
    for (const name of wrong) expect(res.text).toMatch(new RegExp(`id="${name}-error"`));
    expect(await snapshot()).toEqual(before);
    const empty = await reply(alice, id.ticket, '   ');
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('id="message-error"');
    expect(await snapshot()).toEqual(before);
  });

  test('tickets need a login, and a contact needs the support permission', async () => {
    const anon = t.agent();
    const res = await anon.get('/tickets').expect(303);
    expect(res.headers.location).toBe('/login?next=%2Ftickets');
    await anon.get(`/tickets/${id.ticket}`).expect(303);

    const contact = async (permissions: string[]) => {
      const email = `contact-${permissions.join('-') || 'none'}@client.example`;
      const user = await t.ds.getRepository('User').insert({ userType: 'client', email, firstName: 'Con', lastName: 'Tact', displayName: 'Con Tact', passwordHash: await bcrypt.hash('contact password 1', 4), status: 'active', emailVerifiedAt: new Date() });
      await t.ds.getRepository('ClientContact').insert({ clientId: id.alice, firstName: 'Con', lastName: 'Tact', email, userId: user.identifiers[0].id, permissions });
      const agent = t.agent();
      await loginClient(agent, email, 'contact password 1');
      return agent;
    };
    const billingOnly = await contact(['billing']);
    await billingOnly.get('/tickets').expect(403);
    await billingOnly.get(`/tickets/${id.ticket}`).expect(403);
    const support = await contact(['support']);
    expect((await support.get(`/tickets/${id.ticket}`).expect(200)).text).toContain('We restarted PHP-FPM.');
  });

  test('the list is paginated', async () => {
    const repo = t.ds.getRepository('SupportTicket');
    for (let i = 0; i < 21; i++) await repo.insert({ ticketNumber: `BULK-${i}`, clientId: id.bob, departmentId: id.support, subject: `Bulk ${i}` });
    const first = await bob.get('/tickets').expect(200);
    expect(first.text).toContain('Page 1 of 2');
    const second = await bob.get('/tickets?page=2').expect(200);
    expect((first.text.match(/BULK-/g) ?? []).length + (second.text.match(/BULK-/g) ?? []).length).toBe(21);
  });
});
