import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStaff, startTestApp, type TestApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import { csrfOf, loginAs, type Agent } from '../helpers/auth.js';
import { createClientUser, loginClient } from '../helpers/client.js';
import { startFakeSmtp, type FakeSmtp, type ReceivedMail } from '../fakes/smtp-server.js';
import { StaffDesk } from '../../src/domain/support/desk.js';
import { AttachmentStore } from '../../src/domain/support/attachments.js';
import { FixedClock } from '../../src/domain/shared/clock.js';

type Row = Record<string, any>;

const XSS = '<script>alert(1)</script>';
const NOTE = 'SECRET-NOTE-7f3a: customer is on the abuse watch list';

/**
 * The staff side of the support desk through the real admin API and a loopback SMTP server: the full ticket
 * lifecycle with its emails, internal notes that never reach the customer, assignment limited to the department's
 * staff, merge, bulk close, auto-close driven by a fixed clock, and the roles that may (Support) and may not
 * (Read-only) work tickets.
 */
describe(`support desk (staff) on ${testEngine()}`, () => {
  let t: TestApp;
  let smtp: FakeSmtp;
  let storage: string;
  let sam: Agent;
  let reader: Agent;
  let alice: Agent;
  const id: Record<string, number> = {};
  const who: Record<string, string> = {};
  let seq = 0;

  const url = (ticketId: number, action: string) => `/admin/api/resources/SupportTicket/records/${ticketId}/${action}`;
  const post = (agent: Agent, path: string, form: Record<string, string> = {}) => agent.post(path).type('form').send(form);
  const get = (agent: Agent, path: string) => agent.get(path).set({ 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'cors' });
  const ticket = async (ticketId: number) => (await t.ds.getRepository('SupportTicket').findOneByOrFail({ id: ticketId })) as Row;
  const mailTo = (address: string) => smtp.received.filter((m) => m.envelope.to.includes(address));
  const allMail = () => smtp.received.map((m: ReceivedMail) => m.raw).join('\n');

  /** A ticket written straight to the database, for the tests that are not about opening one. */
  async function makeTicket(over: Row = {}): Promise<{ id: number; number: string }> {
    seq++;
    const number = `TKT-9${String(seq).padStart(5, '0')}`;
    const res = await t.ds.getRepository('SupportTicket').insert({ ticketNumber: number, clientId: id.alice, departmentId: id.support, subject: `Test ticket ${seq}`, status: 'open', priority: 'medium', source: 'web', ...over });
    return { id: res.identifiers[0].id, number };
  }
  async function addReply(ticketId: number, message: string, createdAt: Date, over: Row = {}): Promise<number> {
    const res = await t.ds.getRepository('TicketReply').insert({ ticketId, authorType: 'client', authorName: 'Alice Customer', message, isInternalNote: false, createdAt, ...over });
    return res.identifiers[0].id;
  }

  beforeAll(async () => {
    storage = mkdtempSync(join(tmpdir(), 'meridian-desk-'));
    smtp = await startFakeSmtp();
    t = await startTestApp({ STORAGE_DIR: storage, SMTP_URL: smtp.url, APP_URL: 'http://desk.test' });
    const dept = t.ds.getRepository('TicketDepartment');
    id.support = (await dept.insert({ name: 'Technical Support', hidden: false, sortOrder: 1, autoRespond: true })).identifiers[0].id;
    id.billing = (await dept.insert({ name: 'Billing Desk', hidden: false, sortOrder: 2 })).identifiers[0].id;
    id.general = (await dept.insert({ name: 'General', hidden: false, sortOrder: 3 })).identifiers[0].id;
    who.sam = 'sam@desk.test';
    who.bea = 'bea@desk.test';
    who.nora = 'nora@desk.test';
    id.sam = await createStaff(t.ds, { email: who.sam, password: 'sam password 1234', role: 'Support', firstName: 'Sam' });
    id.bea = await createStaff(t.ds, { email: who.bea, password: 'bea password 1234', role: 'Support', firstName: 'Bea' });
    id.nora = await createStaff(t.ds, { email: who.nora, password: 'nora password 1234', role: 'Support', firstName: 'Nora' });
    await createStaff(t.ds, { email: 'reader@desk.test', password: 'reader password 1234', role: 'Read-only' });
    await t.ds.getRepository('DepartmentStaff').insert([
      { departmentId: id.support, userId: id.sam, notify: true },
      { departmentId: id.billing, userId: id.bea, notify: true },
    ]);
    const a = await createClientUser(t.ds, { firstName: 'Alice', lastName: 'Customer' });
    const b = await createClientUser(t.ds, { firstName: 'Bob' });
    id.alice = a.clientId;
    id.bob = b.clientId;
    who.alice = a.email;
    who.contact = 'it-team@alice.example';
    await t.ds.getRepository('ClientContact').insert({ clientId: a.clientId, contactType: 'technical', firstName: 'IT', lastName: 'Team', email: who.contact, supportEmails: true });
    id.canned = (await t.ds.getRepository('PredefinedReply').insert({ title: 'PHP restarted', category: 'Hosting', message: 'Hello {{client.firstName}}, about {{ticket.number}}: we restarted PHP-FPM. — {{staff.firstName}}', usedCount: 0 })).identifiers[0].id;
    sam = t.agent();
    reader = t.agent();
    alice = t.agent();
    await loginAs(sam, who.sam, 'sam password 1234');
    await loginAs(reader, 'reader@desk.test', 'reader password 1234');
    await loginClient(alice, a.email, a.password);
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    rmSync(storage, { recursive: true, force: true });
  });

  test('a ticket from open to close: staff emails, predefined reply, internal note kept from the customer, escaping', async () => {
    // The customer opens a ticket in the client area.
    const token = await csrfOf(alice, '/tickets/new');
    const opened = await alice
      .post(`/tickets/new?_csrf=${encodeURIComponent(token)}`)
      .field('departmentId', String(id.support))
      .field('priority', 'high')
      .field('subject', 'Site answers 500')
      .field('message', 'Since this morning every page is an error.')
      .field('serviceId', '');
    expect(opened.status).toBe(303);
    const ticketId = Number(/^\/tickets\/(\d+)$/.exec(opened.headers.location)![1]);
    const number = (await ticket(ticketId)).ticketNumber as string;

    // The department's staff (Sam) hear of it; staff of other departments do not.
    const [toSam] = mailTo(who.sam);
    expect(toSam.subject).toBe(`[Ticket ${number}] New in Technical Support: Site answers 500`);
    expect(toSam.text).toContain('Since this morning every page is an error.');
    expect(toSam.text).toContain(`http://desk.test/admin/resources/SupportTicket/records/${ticketId}/thread`);
    expect(mailTo(who.bea)).toHaveLength(0);
    expect(mailTo(who.nora)).toHaveLength(0);

    // Sam answers with the predefined reply plus a line of his own containing markup.
    const before = smtp.received.length;
    const replied = await post(sam, url(ticketId, 'reply'), { predefinedReplyId: String(id.canned), message: `Also check ${XSS} in your theme.` });
    expect(replied.body.notice).toMatchObject({ type: 'success' });
    expect(((await t.ds.getRepository('PredefinedReply').findOneByOrFail({ id: id.canned })) as Row).usedCount).toBe(1);
    const afterReply = await ticket(ticketId);
    expect(afterReply).toMatchObject({ status: 'answered', lastReplyBy: 'staff', assignedToId: null });
    expect(afterReply.firstResponseAt).not.toBeNull();
    const firstResponse = new Date(afterReply.firstResponseAt).getTime();
    const staffReply = (await t.ds.getRepository('TicketReply').findOneByOrFail({ ticketId, authorType: 'staff' })) as Row;
    expect(staffReply.message).toBe(`Hello Alice, about ${number}: we restarted PHP-FPM. — Sam\n\nAlso check ${XSS} in your theme.`);

    // The customer and the contact who takes support mail get one email, with the reply in it (escaped in HTML).
    await smtp.waitFor(before + 1);
    const toCustomer = smtp.received.slice(before);
    expect(toCustomer).toHaveLength(1);
    expect(toCustomer[0].envelope.to.sort()).toEqual([who.alice, who.contact].sort());
    expect(toCustomer[0].subject).toBe(`[Ticket ${number}] Site answers 500`);
    expect(toCustomer[0].text).toContain(`Hello Alice, about ${number}: we restarted PHP-FPM.`);
    expect(toCustomer[0].html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(toCustomer[0].html).not.toContain(XSS);

    // The client area shows the reply, escaped.
    const page = await alice.get(`/tickets/${ticketId}`).expect(200);
    expect(page.text).toContain(`Hello Alice, about ${number}: we restarted PHP-FPM.`);
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).not.toContain(XSS);

    // An internal note: on the staff thread, highlighted as internal; nowhere for the customer and in no email.
    const mailBeforeNote = smtp.received.length;
    expect((await post(sam, url(ticketId, 'addNote'), { message: NOTE })).body.notice).toMatchObject({ type: 'success' });
    expect(smtp.received.length).toBe(mailBeforeNote);
    expect((await ticket(ticketId)).status).toBe('answered');
    const thread = JSON.parse((await get(sam, url(ticketId, 'thread'))).body.record.params.thread);
    expect(thread.messages.map((m: Row) => [m.authorType, m.internal])).toEqual([['client', false], ['staff', false], ['staff', true]]);
    expect(thread.messages[2].message).toBe(NOTE);
    for (const path of [`/tickets/${ticketId}`, '/tickets', '/tickets?filter=all', '/']) {
      const res = await alice.get(path);
      expect(res.text).not.toContain('SECRET-NOTE-7f3a');
    }

    // The customer replies: the ticket waits for staff, and Sam is told (with the customer's words, not the note).
    const staffMailBefore = mailTo(who.sam).length;
    const replyToken = await csrfOf(alice, '/tickets');
    const answer = await alice.post(`/tickets/${ticketId}/reply?_csrf=${encodeURIComponent(replyToken)}`).field('message', 'Thanks, it works again.');
    expect(answer.status).toBe(303);
    expect((await ticket(ticketId)).status).toBe('customer_reply');
    const staffMail = mailTo(who.sam);
    expect(staffMail).toHaveLength(staffMailBefore + 1);
    expect(staffMail.at(-1)!.subject).toBe(`[Ticket ${number}] Customer reply: Site answers 500`);
    expect(staffMail.at(-1)!.text).toContain('Thanks, it works again.');

    // Sam closes it. The first response time stays that of the first reply.
    expect((await post(sam, url(ticketId, 'changeStatus'), { status: 'Closed' })).body.notice).toMatchObject({ type: 'success', message: 'Status is now Closed.' });
    const closed = await ticket(ticketId);
    expect(closed.status).toBe('closed');
    expect(closed.closedAt).not.toBeNull();
    expect(new Date(closed.firstResponseAt).getTime()).toBe(firstResponse);

    expect(allMail()).not.toContain('SECRET-NOTE-7f3a');
    const logs = (await t.ds.getRepository('EmailLog').find()) as Row[];
    expect(JSON.stringify(logs)).not.toContain('SECRET-NOTE-7f3a');
  });

  test('assignment is limited to the department’s staff, or open to all when the department has none', async () => {
    const tk = await makeTicket();
    const form = await get(sam, url(tk.id, 'assign'));
    const choices = JSON.parse(form.body.record.params.staffChoices).map((c: Row) => c.value);
    expect(choices).toEqual(['', String(id.sam)]);

    const refused = await post(sam, url(tk.id, 'assign'), { staffId: String(id.nora) });
    expect(refused.body.notice.type).toBe('error');
    expect((await ticket(tk.id)).assignedToId).toBeNull();
    expect((await post(sam, url(tk.id, 'assign'), { staffId: String(id.sam) })).body.notice.type).toBe('success');
    expect((await ticket(tk.id)).assignedToId).toBe(id.sam);

    // Moving the ticket to Billing drops Sam, who does not work there.
    const moved = await post(sam, url(tk.id, 'changeDepartment'), { departmentId: String(id.billing), priority: 'urgent' });
    expect(moved.body.notice.type).toBe('success');
    expect(await ticket(tk.id)).toMatchObject({ departmentId: id.billing, priority: 'urgent', assignedToId: null });

    const general = await makeTicket({ departmentId: id.general });
    const everyone = JSON.parse((await get(sam, url(general.id, 'assign'))).body.record.params.staffChoices).map((c: Row) => c.value);
    for (const s of [id.sam, id.bea, id.nora]) expect(everyone).toContain(String(s));
    expect((await post(sam, url(general.id, 'assign'), { staffId: String(id.nora) })).body.notice.type).toBe('success');
    expect((await ticket(general.id)).assignedToId).toBe(id.nora);
  });

  test('merge moves every message and file in order, closes the merged ticket with a pointer, and is audited', async () => {
    const keep = await makeTicket({ subject: 'Email bounces' });
    const gone = await makeTicket({ subject: 'Email bounces again' });
    const bobs = await makeTicket({ clientId: id.bob });
    const d = (s: string) => new Date(`2026-03-0${s}T10:00:00Z`);
    const k1 = await addReply(keep.id, 'keep first', d('1'));
    const g1 = await addReply(gone.id, 'gone first', d('2'));
    const k2 = await addReply(keep.id, 'keep second', d('3'), { authorType: 'staff', authorName: 'Sam Support' });
    const g2 = await addReply(gone.id, 'gone second', d('4'));
    const file = (await t.ds.getRepository('TicketAttachment').insert({ ticketId: gone.id, replyId: g2, fileName: 'bounce.txt', contentType: 'text/plain', sizeBytes: 10, storagePath: 'tickets/00/none' })).identifiers[0].id;

    const other = await post(sam, url(gone.id, 'mergeInto'), { intoNumber: bobs.number });
    expect(other.body.notice).toMatchObject({ type: 'error', message: expect.stringContaining('different customers') });
    expect(await t.ds.getRepository('TicketReply').countBy({ ticketId: gone.id })).toBe(2);
    expect((await ticket(gone.id)).status).toBe('open');

    const merged = await post(sam, url(gone.id, 'mergeInto'), { intoNumber: keep.number.toLowerCase() });
    expect(merged.body.notice).toMatchObject({ type: 'success' });
    const survivor = (await t.ds.getRepository('TicketReply').find({ where: { ticketId: keep.id }, order: { createdAt: 'ASC', id: 'ASC' } })) as Row[];
    expect(survivor.filter((r) => r.authorType !== 'system').map((r) => r.id)).toEqual([k1, g1, k2, g2]);
    expect(survivor.some((r) => r.authorType === 'system' && r.isInternalNote && r.message.includes(gone.number))).toBe(true);
    expect(((await t.ds.getRepository('TicketAttachment').findOneByOrFail({ id: file })) as Row).ticketId).toBe(keep.id);

    const left = (await t.ds.getRepository('TicketReply').find({ where: { ticketId: gone.id } })) as Row[];
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ authorType: 'system', isInternalNote: false });
    expect(left[0].message).toContain(keep.number);
    expect((await ticket(gone.id)).status).toBe('closed');
    const audit = (await t.ds.getRepository('AuditLog').find({ where: { event: 'ticket_merged' } })) as Row[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ userId: id.sam, auditableType: 'SupportTicket', auditableId: String(keep.id) });
    expect(audit[0].description).toContain(`${gone.number} merged into ${keep.number}`);
  });

  test('bulk close closes every selected ticket', async () => {
    const a = await makeTicket({ status: 'answered' });
    const b = await makeTicket({ status: 'on_hold' });
    const c = await makeTicket();
    const res = await sam.post(`/admin/api/resources/SupportTicket/bulk/bulkClose?recordIds=${a.id},${b.id}`).type('form').send({});
    expect(res.body.notice).toMatchObject({ type: 'success', message: '2 closed.' });
    expect([(await ticket(a.id)).status, (await ticket(b.id)).status, (await ticket(c.id)).status]).toEqual(['closed', 'closed', 'open']);

    const assign = await sam.post(`/admin/api/resources/SupportTicket/bulk/bulkAssign?recordIds=${c.id}`).type('form').send({ staffEmail: who.sam.toUpperCase() });
    expect(assign.body.notice).toMatchObject({ type: 'success', message: '1 assigned.' });
    expect((await ticket(c.id)).assignedToId).toBe(id.sam);
  });

  test('answered tickets without a customer reply for N days close on their own, and the customer is told', async () => {
    await t.ds.getRepository('Setting').insert({ key: 'support.closeAnsweredAfterDays', value: '3', type: 'int' });
    const now = new Date('2026-05-10T08:00:00Z');
    const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
    const stale = await makeTicket({ status: 'answered', lastReplyAt: daysAgo(4), lastReplyBy: 'staff' });
    const recent = await makeTicket({ status: 'answered', lastReplyAt: daysAgo(2), lastReplyBy: 'staff' });
    const waiting = await makeTicket({ status: 'customer_reply', lastReplyAt: daysAgo(10), lastReplyBy: 'client' });
    const clock = new FixedClock(now);
    const desk = new StaffDesk({ ds: t.ds, clock, email: t.built.email, store: new AttachmentStore(storage), appUrl: 'http://desk.test' });
    const before = smtp.received.length;

    const first = await desk.autoClose();
    expect(first.closed).toEqual([stale.number]);
    expect((await ticket(stale.id)).status).toBe('closed');
    expect((await ticket(recent.id)).status).toBe('answered');
    expect((await ticket(waiting.id)).status).toBe('customer_reply');
    await smtp.waitFor(before + 1);
    const told = smtp.received.slice(before);
    expect(told).toHaveLength(1);
    expect(told[0].subject).toBe(`[Ticket ${stale.number}] Closed: Test ticket ${seq - 2}`);
    expect(told[0].envelope.to).toContain(who.alice);

    clock.advanceDays(1);
    expect((await desk.autoClose()).closed).toEqual([recent.number]);
    expect((await desk.autoClose()).closed).toEqual([]);
    expect((await ticket(waiting.id)).status).toBe('customer_reply');
  });

  test('staff attachments follow the client area’s limits, reach the customer, and a refused one saves nothing', async () => {
    const tk = await makeTicket();
    const desk = new StaffDesk({ ds: t.ds, clock: new FixedClock(new Date()), email: t.built.email, store: new AttachmentStore(storage), appUrl: 'http://desk.test' });
    const count = async () => [await t.ds.getRepository('TicketReply').countBy({ ticketId: tk.id }), await t.ds.getRepository('TicketAttachment').countBy({ ticketId: tk.id })];

    const exe = Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03]);
    const refused = await desk.reply({ ticketId: tk.id, staff: { id: id.sam }, message: 'See the file.', files: [{ fileName: 'fix.txt', data: exe, size: exe.length }] });
    expect(refused).toMatchObject({ ok: false, error: 'invalid_attachment' });
    expect(await count()).toEqual([0, 0]);
    const tooMany = Array.from({ length: 6 }, (_, i) => ({ fileName: `log${i}.txt`, data: Buffer.from('ok\n'), size: 3 }));
    expect(await desk.reply({ ticketId: tk.id, staff: { id: id.sam }, message: 'Logs.', files: tooMany })).toMatchObject({ ok: false, error: 'invalid_attachment' });
    expect(await count()).toEqual([0, 0]);

    const log = Buffer.from('php-fpm restarted at 10:02\n');
    const ok = await desk.reply({ ticketId: tk.id, staff: { id: id.sam }, message: 'The log is attached.', files: [{ fileName: 'restart.log', data: log, size: log.length }] });
    expect(ok.ok).toBe(true);
    expect(await count()).toEqual([1, 1]);
    const page = await alice.get(`/tickets/${tk.id}`).expect(200);
    const link = /href="(\/tickets\/\d+\/attachments\/\d+)">restart\.log</.exec(page.text);
    expect(link).not.toBeNull();
    const file = await alice.get(link![1]).expect(200);
    expect(file.text).toBe(log.toString());
  });

  test('the Read-only role cannot work tickets (403) and nothing changes', async () => {
    const tk = await makeTicket();
    const replies = await t.ds.getRepository('TicketReply').count();
    for (const [action, form] of [['reply', { message: 'hi' }], ['addNote', { message: 'x' }], ['changeStatus', { status: 'closed' }], ['assign', { staffId: String(id.sam) }], ['mergeInto', { intoNumber: 'TKT-900001' }]] as const) {
      expect((await post(reader, url(tk.id, action), form)).status).toBe(403);
    }
    expect((await reader.post(`/admin/api/resources/SupportTicket/bulk/bulkClose?recordIds=${tk.id}`).type('form').send({})).status).toBe(403);
    expect(await t.ds.getRepository('TicketReply').count()).toBe(replies);
    expect(await ticket(tk.id)).toMatchObject({ status: 'open', assignedToId: null });
    // Reading the ticket is still allowed.
    expect((await get(reader, `/admin/api/resources/SupportTicket/records/${tk.id}/show`)).status).toBe(200);
  });
});
