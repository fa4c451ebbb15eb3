import { createStaff, startTestApp, type TestApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import { csrfOf, loginAs, type Agent } from '../helpers/auth.js';
import { createClientUser, loginClient } from '../helpers/client.js';
import * as fx from '../helpers/billing-fixtures.js';
import { spawnSync } from 'node:child_process';
import { simpleParser } from 'mailparser';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server.js';
import { CancellationDesk } from '../../src/domain/backoffice/cancellations.js';
import { QuoteDesk } from '../../src/domain/backoffice/quotes.js';
import { requestCancellation } from '../../src/domain/client-views/cancellation.js';
import { BillingRunService } from '../../src/domain/billing/run/billing-run.js';
import { FixedClock, addDays } from '../../src/domain/shared/clock.js';

type Row = Record<string, any>;

/**
 * The back office's workflows end to end on a real database: cancellation requests approved (at the end of the
 * period — the billing run then terminates the service and never invoices it again — or at once, with a terminate
 * job) and rejected (nothing changes, the client is told); quotes accepted in the client area into one invoice
 * with the same lines; and the admin actions through the admin API, refused to the Read-only role.
 * Client merge is in backoffice-merge.test.ts.
 */
describe(`back office on ${testEngine()}`, () => {
  let t: TestApp;
  let smtp: FakeSmtp;
  let owner: Agent;
  let readOnly: Agent;
  let productId: number;
  let alice: { clientId: number; email: string; password: string };
  let bob: { clientId: number; email: string; password: string };

  const repo = (name: string) => t.ds.getRepository(name);
  const one = async (name: string, id: number) => (await repo(name).findOneByOrFail({ id })) as Row;
  const url = (resource: string, id: number, action: string) => `/admin/api/resources/${resource}/records/${id}/${action}`;

  async function service(clientId: number, nextDueDate: string, over: Row = {}): Promise<number> {
    const res = await repo('Service').insert({
      clientId, productId, currencyId: await fx.currency(t.ds), billingCycle: 'monthly', recurringAmount: 1500, firstPaymentAmount: 1500,
      registrationDate: addDays(nextDueDate, -31), nextDueDate, nextInvoiceDate: nextDueDate, status: 'active', domain: `s${Math.random().toString(36).slice(2, 8)}.example`, ...over,
    });
    return res.identifiers[0].id as number;
  }

  async function request(clientId: number, serviceId: number, type: string, reason = 'Moving to another host'): Promise<number> {
    const out = await requestCancellation(t.ds, { clientId, serviceId, type, reason });
    if (!out.ok) throw new Error(out.message);
    return out.requestId;
  }

  const mailTo = (address: string) => smtp.received.filter((m) => m.envelope.to.includes(address));

  beforeAll(async () => {
    smtp = await startFakeSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url, APP_URL: 'http://shop.test' });
    await createStaff(t.ds, { email: 'owner@shop.test', password: 'owner password 123', role: 'Full Administrator' });
    await createStaff(t.ds, { email: 'viewer@shop.test', password: 'viewer password 123', role: 'Read-only' });
    owner = t.agent();
    readOnly = t.agent();
    await loginAs(owner, 'owner@shop.test', 'owner password 123');
    await loginAs(readOnly, 'viewer@shop.test', 'viewer password 123');
    const categoryId = (await repo('ProductCategory').insert({ name: 'Hosting', slug: 'hosting' })).identifiers[0].id;
    productId = (await repo('Product').insert({ categoryId, name: 'Shared Starter', slug: 'shared-starter', type: 'shared', taxable: true })).identifiers[0].id as number;
    await repo('TaxRate').insert({ name: 'Sales tax', country: 'US', rate: '8.25', level: 1, priority: 1 });
    alice = await createClientUser(t.ds, { firstName: 'Alice' });
    bob = await createClientUser(t.ds, { firstName: 'Bob' });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('approves an end-of-period cancellation: the billing run terminates the service on its due date and never invoices it again', async () => {
    // Nobody pays here: with overdue suspension off, the control service keeps renewing.
    await repo('Setting').insert([{ key: 'billing.suspendAfterDays', value: '0' }, { key: 'billing.terminateAfterDays', value: '0' }]);
    const clock = new FixedClock(new Date('2026-04-20T09:00:00Z'));
    const runs = new BillingRunService(t.ds, clock, 'UTC');
    const desk = new CancellationDesk({ ds: t.ds, clock, timeZone: 'UTC', email: t.built.email });
    const cancelled = await service(alice.clientId, '2026-05-10');
    const kept = await service(alice.clientId, '2026-05-10');
    // Already invoiced (14 days ahead) when the request is approved: that unpaid renewal is taken back.
    const invoicedAlready = await service(alice.clientId, '2026-05-01');
    const first = await runs.run();
    if (!first.ok) throw new Error(first.message);
    const earlyLine = (await repo('InvoiceItem').findOneByOrFail({ serviceId: invoicedAlready })) as Row;
    expect((await one('Invoice', earlyLine.invoiceId)).status).toBe('unpaid');

    const mails = smtp.received.length;
    const r1 = await request(alice.clientId, cancelled, 'end_of_period');
    const r2 = await request(alice.clientId, invoicedAlready, 'end_of_period');
    const a1 = await desk.approve({ requestId: r1, adminId: null });
    const a2 = await desk.approve({ requestId: r2, adminId: null });
    if (!a1.ok || !a2.ok) throw new Error('approval refused');
    expect(a1.terminationDate).toBe('2026-05-10');
    expect(await one('Service', cancelled)).toMatchObject({ status: 'active', terminationDate: '2026-05-10' });
    expect(await one('CancellationRequest', r1)).toMatchObject({ status: 'approved' });
    expect(a2.withdrawn.cancelled).toHaveLength(1);
    expect(await one('Invoice', earlyLine.invoiceId)).toMatchObject({ status: 'cancelled' });
    await smtp.waitFor(mails + 2);
    expect(mailTo(alice.email).slice(-1)[0].subject).toMatch(/^Cancellation confirmed/);

    for (let day = '2026-04-21'; day <= '2026-06-12'; day = addDays(day, 1)) {
      clock.set(`${day}T09:00:00Z`);
      const out = await runs.run();
      if (!out.ok) throw new Error(out.message);
      if (day === '2026-05-09') expect((await one('Service', cancelled)).status).toBe('active');
    }
    // The control service renewed; the cancelled ones were never billed again.
    expect(await repo('InvoiceItem').count({ where: { serviceId: kept } })).toBeGreaterThanOrEqual(2);
    expect(await repo('InvoiceItem').count({ where: { serviceId: cancelled } })).toBe(0);
    expect(await repo('InvoiceItem').count({ where: { serviceId: invoicedAlready } })).toBe(1);
    expect(await one('Service', cancelled)).toMatchObject({ status: 'terminated', terminationDate: '2026-05-10' });
    expect(await one('Service', invoicedAlready)).toMatchObject({ status: 'terminated' });
    expect(await repo('ProvisioningJob').count({ where: { serviceId: cancelled, action: 'terminate' } })).toBe(1);
    expect(await one('CancellationRequest', r1)).toMatchObject({ status: 'completed' });
  });

  it('approves an immediate cancellation: terminated today with a terminate job queued, its unpaid renewal cancelled', async () => {
    const clock = new FixedClock(new Date('2026-07-01T10:00:00Z'));
    const desk = new CancellationDesk({ ds: t.ds, clock, timeZone: 'UTC', email: t.built.email });
    const s = await service(alice.clientId, '2026-07-05', { providerRef: 'alice4', username: 'alice4' });
    const inv = await fx.invoice(t.ds, alice.clientId, 1500, { dueDate: '2026-07-05' });
    await repo('InvoiceItem').update({ invoiceId: inv }, { serviceId: s, periodStart: '2026-07-05', itemType: 'service' });
    const r = await request(alice.clientId, s, 'immediate');
    const out = await desk.approve({ requestId: r, adminId: null });
    if (!out.ok) throw new Error(out.message);
    expect(await one('Service', s)).toMatchObject({ status: 'terminated', terminationDate: '2026-07-01' });
    expect(await one('CancellationRequest', r)).toMatchObject({ status: 'completed' });
    const jobs = (await repo('ProvisioningJob').find({ where: { serviceId: s } })) as Row[];
    expect(jobs.map((j) => [j.action, j.status])).toEqual([['terminate', 'queued']]);
    expect(await one('Invoice', inv)).toMatchObject({ status: 'cancelled' });
    // Approving again changes nothing.
    const again = await desk.approve({ requestId: r, adminId: null });
    expect(again.ok ? 'ok' : again.error).toBe('not_pending');
    expect(await repo('ProvisioningJob').count({ where: { serviceId: s } })).toBe(1);
  });

  it('rejects a request: the service is unchanged and the client is told why', async () => {
    const desk = new CancellationDesk({ ds: t.ds, clock: new FixedClock(new Date('2026-07-02T10:00:00Z')), timeZone: 'UTC', email: t.built.email });
    const s = await service(bob.clientId, '2026-08-01');
    const before = await one('Service', s);
    const r = await request(bob.clientId, s, 'immediate');
    const empty = await desk.reject({ requestId: r, adminId: null, reason: '  ' });
    expect(empty.ok ? 'ok' : empty.error).toBe('reason_required');
    expect((await one('CancellationRequest', r)).status).toBe('pending');
    const mails = smtp.received.length;
    const out = await desk.reject({ requestId: r, adminId: null, reason: 'Minimum term runs until 2026-12-31.' });
    expect(out.ok && out.emailed).toBe(true);
    expect(await one('CancellationRequest', r)).toMatchObject({ status: 'rejected' });
    expect(await one('Service', s)).toEqual(before);
    await smtp.waitFor(mails + 1);
    const mail = mailTo(bob.email).slice(-1)[0];
    expect(mail.subject).toMatch(/cancellation request/i);
    expect(mail.text).toContain('Minimum term runs until 2026-12-31.');
  });

  it('turns an accepted quote into one invoice with the same lines and total, for its own client only, not once expired', async () => {
    const desk = new QuoteDesk({ ds: t.ds, clock: new FixedClock(new Date()), timeZone: 'UTC' });
    const lines = [
      { description: 'Site migration', quantity: 3, unitPrice: 3333, discountPercent: '10' },
      { description: 'Setup', quantity: 2, unitPrice: 2500 },
      { description: 'Licence', quantity: 1, unitPrice: 1200, taxable: false },
    ];
    const created = await desk.create({ subject: 'Move to Meridian', clientId: alice.clientId, validUntil: '2099-12-31', lines });
    if (!created.ok) throw new Error(created.message);
    const quoteId = created.quoteId;
    await desk.setStage(quoteId, 'delivered');
    // Expected figures from the lines as written: 10 % off 3 × 33.33, tax 8.25 % on the taxable lines, half-up.
    const migration = 3 * 3333 - Math.round((3 * 3333 * 10) / 100);
    const taxable = migration + 2 * 2500;
    const tax = Number((BigInt(taxable) * 825n + 5000n) / 10000n);
    const total = taxable + 1200 + tax;
    expect(await one('Quote', quoteId)).toMatchObject({ subtotal: taxable + 1200, tax, total });

    const bobAgent = t.agent();
    await loginClient(bobAgent, bob.email, bob.password);
    expect((await bobAgent.get(`/quotes/${quoteId}`)).status).toBe(404);
    const bobCsrf = await csrfOf(bobAgent, '/quotes');
    expect((await bobAgent.post(`/quotes/${quoteId}/accept`).type('form').send({ _csrf: bobCsrf })).status).toBe(404);

    const agent = t.agent();
    await loginClient(agent, alice.email, alice.password);
    expect((await agent.get('/quotes')).text).toContain(created.quoteNumber);
    expect((await agent.post(`/quotes/${quoteId}/accept`).type('form').send({})).status).toBe(403);
    const csrf = await csrfOf(agent, `/quotes/${quoteId}`);
    const accepted = await agent.post(`/quotes/${quoteId}/accept`).type('form').send({ _csrf: csrf });
    expect(accepted.status).toBe(303);
    const invoiceId = Number(/^\/invoices\/(\d+)$/.exec(accepted.headers.location)?.[1]);
    const invoice = await one('Invoice', invoiceId);
    expect(invoice).toMatchObject({ clientId: alice.clientId, status: 'unpaid', total, tax1: tax });
    const items = (await repo('InvoiceItem').find({ where: { invoiceId }, order: { sortOrder: 'ASC' } })) as Row[];
    const quoteItems = (await repo('QuoteItem').find({ where: { quoteId }, order: { sortOrder: 'ASC' } })) as Row[];
    expect(items.map((i) => i.amount)).toEqual(quoteItems.map((q) => q.amount));
    expect(items.map((i) => i.amount)).toEqual([migration, 5000, 1200]);
    expect(items.map((i) => i.taxable)).toEqual([true, true, false]);

    const again = await agent.post(`/quotes/${quoteId}/accept`).type('form').send({ _csrf: csrf });
    expect(again.headers.location).toBe(`/invoices/${invoiceId}`);
    expect(await repo('Invoice').count({ where: { clientId: alice.clientId, notes: `Quote ${created.quoteNumber}: Move to Meridian` } })).toBe(1);
    expect(await one('Quote', quoteId)).toMatchObject({ stage: 'accepted', invoiceId });

    const old = await desk.create({ subject: 'Old offer', clientId: alice.clientId, validUntil: '2020-01-31', lines: [{ description: 'Anything', unitPrice: 100 }] });
    if (!old.ok) throw new Error(old.message);
    await desk.setStage(old.quoteId, 'delivered');
    const invoicesBefore = await repo('Invoice').count();
    const expired = await agent.post(`/quotes/${old.quoteId}/accept`).type('form').send({ _csrf: csrf });
    expect(expired.headers.location).toBe(`/quotes/${old.quoteId}`);
    expect((await agent.get(`/quotes/${old.quoteId}`)).text).toContain('expired');
    expect(await repo('Invoice').count()).toBe(invoicesBefore);
    expect((await one('Quote', old.quoteId)).invoiceId).toBeNull();
  });

  it('runs the cancellation and quote actions through the admin API, and refuses them to the Read-only role', async () => {
    const s1 = await service(bob.clientId, '2099-09-01');
    const s2 = await service(bob.clientId, '2099-09-01');
    const r1 = await request(bob.clientId, s1, 'end_of_period');
    const r2 = await request(bob.clientId, s2, 'end_of_period');
    const denied = await readOnly.post(url('CancellationRequest', r1, 'approveCancellation')).type('form').send({});
    expect(denied.status).toBe(403);
    expect((await one('CancellationRequest', r1)).status).toBe('pending');
    const approved = await owner.post(url('CancellationRequest', r1, 'approveCancellation')).type('form').send({ notes: 'Called the client' });
    expect(approved.body.notice).toMatchObject({ type: 'success' });
    expect(await one('Service', s1)).toMatchObject({ terminationDate: '2099-09-01' });
    expect(await one('CancellationRequest', r1)).toMatchObject({ status: 'approved', staffNotes: 'Called the client' });
    const noReason = await owner.post(url('CancellationRequest', r2, 'rejectCancellation')).type('form').send({ reason: '' });
    expect(noReason.body.notice).toMatchObject({ type: 'error' });
    const rejected = await owner.post(url('CancellationRequest', r2, 'rejectCancellation')).type('form').send({ reason: 'Contract term' });
    expect(rejected.body.notice).toMatchObject({ type: 'success' });
    expect((await one('CancellationRequest', r2)).status).toBe('rejected');

    // Made on the admin's New form: numbered from the quote sequence; lines added, then Recalculate.
    const currencyId = await fx.currency(t.ds);
    const made = await owner.post('/admin/api/resources/Quote/actions/new').type('form').send({ subject: 'Made in the admin', clientId: String(bob.clientId), currencyId: String(currencyId), stage: 'draft' });
    const madeId = Number(made.body.record?.id);
    expect((await one('Quote', madeId)).quoteNumber).toMatch(/^Q-\d{5}$/);
    await repo('QuoteItem').insert({ quoteId: madeId, description: 'Consulting', quantity: 2, unitPrice: 5000, discountPercent: '0', amount: 0, taxable: true });
    const recalculated = await owner.post(url('Quote', madeId, 'recalculateQuote')).type('form').send({});
    expect(recalculated.body.notice).toMatchObject({ type: 'success' });
    expect(await one('Quote', madeId)).toMatchObject({ subtotal: 10000, tax: 825, total: 10825 });

    const desk = new QuoteDesk({ ds: t.ds, clock: new FixedClock(new Date()), timeZone: 'UTC' });
    const q = await desk.create({ subject: 'Dedicated server', clientId: bob.clientId, validUntil: '2099-01-01', lines: [{ description: 'Server, first month', unitPrice: 12000 }] });
    if (!q.ok) throw new Error(q.message);
    expect((await readOnly.post(url('Quote', q.quoteId, 'sendQuote')).type('form').send({})).status).toBe(403);
    const mails = smtp.received.length;
    const sent = await owner.post(url('Quote', q.quoteId, 'sendQuote')).type('form').send({});
    expect(sent.body.notice).toMatchObject({ type: 'success' });
    const [mail] = (await smtp.waitFor(mails + 1)).slice(mails);
    expect(mail.envelope.to).toEqual([bob.email]);
    expect(mail.raw).toContain('application/pdf');
    const attachment = (await simpleParser(mail.raw)).attachments.find((a) => a.filename === `${q.quoteNumber}.pdf`);
    const printed = spawnSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: attachment!.content }).stdout.toString().replace(/\s+/g, ' ');
    expect(printed).toContain(q.quoteNumber);
    expect(printed).toContain('Server, first month');
    expect(printed).toContain('$129.90'); // 120.00 + 8.25 % tax
    expect((await one('Quote', q.quoteId)).stage).toBe('delivered');
    expect((await readOnly.post(url('Quote', q.quoteId, 'markQuoteAccepted')).type('form').send({})).status).toBe(403);
    const accepted = await owner.post(url('Quote', q.quoteId, 'markQuoteAccepted')).type('form').send({});
    expect(accepted.body.notice).toMatchObject({ type: 'success' });
    const quote = await one('Quote', q.quoteId);
    expect(quote.stage).toBe('accepted');
    expect((await one('Invoice', quote.invoiceId)).total).toBe(quote.total);
    // Two accepts at the same moment (staff and client) make one invoice.
    const race = await desk.create({ subject: 'Race', clientId: bob.clientId, validUntil: '2099-01-01', lines: [{ description: 'Anything', unitPrice: 700 }] });
    if (!race.ok) throw new Error(race.message);
    await desk.setStage(race.quoteId, 'delivered');
    const both = await Promise.all([desk.accept({ quoteId: race.quoteId }), desk.accept({ quoteId: race.quoteId, clientId: bob.clientId })]);
    const ids = both.map((b) => (b.ok ? b.invoiceId : b.error));
    expect(ids[0]).toBe(ids[1]);
    expect(both.filter((b) => b.ok && b.already)).toHaveLength(1);
    const lost = await owner.post(url('Quote', q.quoteId, 'markQuoteLost')).type('form').send({});
    expect(lost.body.notice).toMatchObject({ type: 'error' });
    expect((await one('Quote', q.quoteId)).stage).toBe('accepted');
  });
});
