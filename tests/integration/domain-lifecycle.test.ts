import { startTestApp, type TestApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import * as fx from '../helpers/billing-fixtures.js';
import { startFakeLogicBoxes, type FakeLogicBoxes } from '../fakes/logicboxes-server.js';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server.js';
import { payInFull, runDueJobs, sellTld, useFakeRegistrar } from '../helpers/domains.js';
import { businessDate } from '../../src/domain/shared/clock.js';
import { addYears } from '../../src/domain/domains/manual-registrar.js';
import { addDays } from '../../src/domain/billing/periods.js';

type Row = Record<string, any>;

/**
 * A domain's life through the real services and the LogicBoxes fake on loopback: ordered, invoiced, paid, registered
 * by the job queue with the years and nameservers asked; renewed from the renewal run's invoice; reminded of its expiry
 * once per reminder; corrected by the daily sync; a transfer refused for a wrong EPP code returning the money as
 * credit; a registration whose answer was lost registering once; names refused with reasons.
 */
describe(`domain lifecycle on ${testEngine()}`, () => {
  let t: TestApp;
  let lb: FakeLogicBoxes;
  let smtp: FakeSmtp;
  let clientId: number;
  let clientEmail: string;
  let today: string;

  const domain = async (where: Row) => (await t.ds.getRepository('Domain').findOneByOrFail(where)) as Row;
  const jobsOf = async (domainId: number) => (await t.ds.getRepository('ProvisioningJob').find({ where: { domainId }, order: { id: 'ASC' } })) as Row[];
  const mailsTo = (to: string, subject: RegExp) => smtp.received.filter((m) => m.envelope.to.includes(to) && subject.test(m.subject));
  const waitMail = async (to: string, subject: RegExp, count = 1) => {
    for (let i = 0; i < 250 && mailsTo(to, subject).length < count; i++) await new Promise((r) => setTimeout(r, 20));
    return mailsTo(to, subject);
  };
  const order = (items: Row[]) => t.built.orders.placeOrder({ clientId, items: items as never });
  const pay = (invoiceId: number) => payInFull(t, invoiceId);
  const runJobs = () => runDueJobs(t);

  beforeAll(async () => {
    smtp = await startFakeSmtp();
    lb = await startFakeLogicBoxes();
    t = await startTestApp({ SMTP_URL: smtp.url, APP_URL: 'http://domains.test' }, { domains: { apiBases: { logicboxes: lb.url }, timeoutMs: 800 } });
    today = businessDate(new Date(), 'UTC');
    await useFakeRegistrar(t, lb);
    await t.ds.getRepository('Setting').save(t.ds.getRepository('Setting').create({ key: 'billing.invoiceDaysBefore', value: '14', type: 'int' }));
    // Domains are invoiced earlier than hosting: the registry will not wait for a bank transfer.
    await t.ds.getRepository('Setting').save(t.ds.getRepository('Setting').create({ key: 'billing.domainInvoiceDaysBefore', value: '30', type: 'int' }));
    const usd = await fx.currency(t.ds);
    await sellTld(t, '.com', { currencyId: usd, register: 1200, renew: 1400, transfer: 1000, graceFee: 500, redemptionFee: 8000 });
    await sellTld(t, '.net', { currencyId: usd, registrar: null, register: 1200, renew: 1400, transfer: 1000 });
    clientEmail = `ada-${Date.now()}@example.org`;
    clientId = await fx.client(t.ds, { firstName: 'Ada', lastName: 'Lovelace', email: clientEmail, phone: '+44 20 7123 4567', address1: '12 St James Square', city: 'London', postcode: 'SW1Y 4JH', country: 'GB' });
  });

  afterAll(async () => {
    await t?.close();
    await lb?.close();
    await smtp?.close();
  });

  it('orders, invoices and, once paid, registers a domain at the registrar for the years and nameservers asked', async () => {
    const placed = await order([{ type: 'domain', domain: 'Lovelace-Engines.COM', action: 'register', years: 2, nameservers: 'ns1.hostco.net\nns2.hostco.net' }]);
    if (!placed.ok) throw new Error(placed.message);
    const d = await domain({ domainName: 'lovelace-engines.com' });
    expect([d.status, d.registrationPeriod, d.firstPaymentAmount, d.recurringAmount, d.tld]).toEqual(['pending', 2, 2400, 2800, '.com']);
    const items = (await t.ds.getRepository('InvoiceItem').find({ where: { invoiceId: placed.invoiceId } })) as Row[];
    expect(items.map((i) => [i.itemType, i.amount, i.domainId, i.billingKey])).toEqual([['domain', 2400, d.id, `domain:${d.id}:${today}`]]);
    expect(placed.total).toBe(2400);
    // Nothing reaches the registrar before the money does.
    await runJobs();
    expect(lb.callsTo('domains/register')).toHaveLength(0);

    await pay(placed.invoiceId);
    const outcomes = await runJobs();
    expect(outcomes.map((o: Row) => [o.action, o.status])).toEqual([['domain_register', 'succeeded']]);
    const registered = lb.callsTo('domains/register');
    expect(registered).toHaveLength(1);
    expect([registered[0].params['domain-name'], registered[0].params.years, registered[0].params.ns]).toEqual(['lovelace-engines.com', '2', ['ns1.hostco.net', 'ns2.hostco.net']]);
    const after = await domain({ id: d.id });
    expect([after.status, after.registrar, after.expiryDate, after.nextDueDate, after.nextInvoiceDate]).toEqual(['active', 'logicboxes', addYears(today, 2), addYears(today, 2), addYears(today, 2)]);
    expect(after.registrarRef).toBeTruthy();
    expect((await waitMail(clientEmail, /lovelace-engines\.com is registered/)).length).toBe(1);
    // The order was accepted by the payment; running the queue again does nothing more.
    expect(((await t.ds.getRepository('Order').findOneByOrFail({ id: placed.orderId })) as Row).status).toBe('active');
    await runJobs();
    expect(lb.callsTo('domains/register')).toHaveLength(1);
  });

  it('registers once when the first answer was lost to a timeout and the job is retried', async () => {
    const placed = await order([{ type: 'domain', domain: 'analytical-engine.com', action: 'register', years: 1 }]);
    if (!placed.ok) throw new Error(placed.message);
    lb.delayNext('domains/register', 1500);
    await pay(placed.invoiceId);
    const first = await runJobs();
    expect(first.map((o: Row) => o.status)).toEqual(['queued']);
    const d = await domain({ domainName: 'analytical-engine.com' });
    expect(d.status).toBe('pending');
    await new Promise((r) => setTimeout(r, 900)); // the fake finishes answering the abandoned request
    const second = await runJobs();
    expect(second.map((o: Row) => [o.status, o.result?.alreadyOurs])).toEqual([['succeeded', true]]);
    expect(lb.callsTo('domains/register').filter((c) => c.params['domain-name'] === 'analytical-engine.com')).toHaveLength(1);
    expect((await domain({ id: d.id })).status).toBe('active');
    expect((await jobsOf(d.id)).map((j) => [j.action, j.status, j.attempts])).toEqual([['domain_register', 'succeeded', 2]]);
  });

  it('a transfer refused for a wrong EPP code fails with the registrar’s words and returns the money as credit, once', async () => {
    lb.registered('babbage-family.com', { authCode: 'Right-Code-1' });
    const creditBefore = ((await t.ds.getRepository('Client').findOneByOrFail({ id: clientId })) as Row).creditBalance;
    const placed = await order([{ type: 'domain', domain: 'babbage-family.com', action: 'transfer', years: 1, eppCode: 'Wrong-Code' }]);
    if (!placed.ok) throw new Error(placed.message);
    await pay(placed.invoiceId);
    const out = await runJobs();
    expect(out.map((o: Row) => o.status)).toEqual(['failed']);
    expect(out[0].message).toMatch(/Invalid Auth Code/i);
    const d = await domain({ domainName: 'babbage-family.com' });
    expect(d.status).toBe('cancelled');
    expect(d.notes).toMatch(/Invalid Auth Code/i);
    const client = (await t.ds.getRepository('Client').findOneByOrFail({ id: clientId })) as Row;
    expect(client.creditBalance - creditBefore).toBe(1000);
    const entries = (await t.ds.getRepository('CreditEntry').find({ where: { clientId, source: 'refund_to_credit' } })) as Row[];
    expect(entries.map((e) => [e.amount, e.invoiceId])).toEqual([[1000, placed.invoiceId]]);
    const mail = await waitMail(clientEmail, /could not transfer babbage-family\.com/);
    expect(mail).toHaveLength(1);
    expect(mail[0].text).toMatch(/Invalid Auth Code/i);
    // Staff retrying the failed job cannot credit twice: the domain is no longer pending.
    const retried = await t.built.provisioning.retryJob(out[0].jobId);
    expect(retried.ok && retried.job?.status).toBe('succeeded');
    expect(((await t.ds.getRepository('Client').findOneByOrFail({ id: clientId })) as Row).creditBalance - creditBefore).toBe(1000);
  });

  it('a transfer with the right code is submitted and becomes active when the registrar completes it', async () => {
    const code = lb.registered('ada-notes.com', { authCode: 'Notes-Code-7', expiry: addDays(today, 100) });
    const placed = await order([{ type: 'domain', domain: 'ada-notes.com', action: 'transfer', years: 1, eppCode: code }]);
    if (!placed.ok) throw new Error(placed.message);
    await pay(placed.invoiceId);
    expect((await runJobs()).map((o: Row) => o.status)).toEqual(['succeeded']);
    const d = await domain({ domainName: 'ada-notes.com' });
    expect(d.status).toBe('pending_transfer');
    await t.ds.getRepository('Domain').update({ id: d.id }, { lastSyncAt: null });
    await t.built.domainDaily.pollTransfers();
    expect((await domain({ id: d.id })).status).toBe('pending_transfer');
    lb.completeTransfer('ada-notes.com');
    await t.ds.getRepository('Domain').update({ id: d.id }, { lastSyncAt: null });
    await t.built.domainDaily.pollTransfers();
    const done = await domain({ id: d.id });
    expect(done.status).toBe('active');
    expect(done.expiryDate > today).toBe(true);
    expect(done.nextDueDate).toBe(done.expiryDate);
    expect((await waitMail(clientEmail, /ada-notes\.com is transferred to us/)).length).toBe(1);
  });

  it('invoices the renewal before expiry (the domains’ own lead time) and renews at the registrar once paid', async () => {
    const expiry = addDays(today, 25);
    const held = lb.own('countess.com', { expiry, customerEmail: clientEmail });
    const d = (await t.ds.getRepository('Domain').save(t.ds.getRepository('Domain').create({
      clientId, domainName: 'countess.com', tld: '.com', registrar: 'logicboxes', registrarRef: held.orderId, status: 'active', registrationDate: addDays(today, -355),
      expiryDate: expiry, nextDueDate: expiry, nextInvoiceDate: expiry, registrationPeriod: 1, recurringAmount: 1400, currencyId: await fx.currency(t.ds), lastSyncAt: new Date(),
    }))) as Row;
    const run = await t.built.billing.run({});
    expect(run.ok).toBe(true);
    const line = (await t.ds.getRepository('InvoiceItem').findOneByOrFail({ domainId: d.id })) as Row;
    expect([line.itemType, line.amount, line.periodStart, line.periodEnd]).toEqual(['domain', 1400, expiry, addDays(addYears(expiry, 1), -1)]);
    // A second run bills nothing more.
    await t.built.billing.run({});
    expect(await t.ds.getRepository('InvoiceItem').count({ where: { domainId: d.id } })).toBe(1);
    await pay(line.invoiceId);
    const out = await runJobs();
    expect(out.map((o: Row) => [o.action, o.status])).toEqual([['domain_renew', 'succeeded']]);
    const renewed = await domain({ id: d.id });
    expect([renewed.expiryDate, renewed.nextDueDate, renewed.status]).toEqual([addYears(expiry, 1), addYears(expiry, 1), 'active']);
    expect(lb.callsTo('domains/renew')).toHaveLength(1);
    expect(new Date(lb.state.orders.get('countess.com')!.expiry! * 1000).toISOString().slice(0, 10)).toBe(addYears(expiry, 1));
    expect((await waitMail(clientEmail, /countess\.com is renewed/)).length).toBe(1);
  });

  it('sends each expiry reminder once, however often the daily task runs', async () => {
    const usd = await fx.currency(t.ds);
    for (const [name, days] of [['thirty.net', 30], ['seven.net', 7], ['one.net', 1], ['far.net', 45]] as const) {
      const expiry = addDays(today, days);
      await t.ds.getRepository('Domain').save(t.ds.getRepository('Domain').create({ clientId, domainName: name, tld: '.net', registrar: 'manual', status: 'active', expiryDate: expiry, nextDueDate: expiry, nextInvoiceDate: expiry, currencyId: usd, autoRenew: false }));
    }
    await t.built.domainDaily.run();
    await t.built.domainDaily.run();
    const reminders = await waitMail(clientEmail, /\.net expires on/, 3);
    expect(reminders.map((m) => m.subject).sort()).toEqual([`Your domain one.net expires on ${addDays(today, 1)}`, `Your domain seven.net expires on ${addDays(today, 7)}`, `Your domain thirty.net expires on ${addDays(today, 30)}`]);
    const rows = (await t.ds.getRepository('DomainReminder').find()) as Row[];
    expect(rows.map((r) => r.daysBefore).sort((a, b) => a - b)).toEqual([1, 7, 30]);
    expect(rows.every((r) => r.sentAt)).toBe(true);
    await t.built.domainDaily.run();
    await new Promise((r) => setTimeout(r, 200));
    expect(mailsTo(clientEmail, /\.net expires on/)).toHaveLength(3);
  });

  it('moves domains past expiry into grace, redemption and expired by their TLD’s days, and prices late renewals with the fee', async () => {
    const usd = await fx.currency(t.ds);
    const lapsed = async (name: string, tld: string, daysAgo: number, over: Row = {}) => {
      const expiry = addDays(today, -daysAgo);
      return (await t.ds.getRepository('Domain').save(t.ds.getRepository('Domain').create({
        clientId, domainName: name, tld, registrar: 'manual', status: 'active', expiryDate: expiry, nextDueDate: expiry, nextInvoiceDate: expiry, currencyId: usd, autoRenew: false, ...over,
      }))) as Row;
    };
    // .net: 30 grace days, then 30 redemption days.
    const grace = await lapsed('late-by-ten.net', '.net', 10);
    const redemption = await lapsed('late-by-forty-five.net', '.net', 45);
    const gone = await lapsed('late-by-ninety.net', '.net', 90);
    const report = await t.built.domainDaily.run();
    expect(report.statusChanged).toBeGreaterThanOrEqual(3);
    expect([(await domain({ id: grace.id })).status, (await domain({ id: redemption.id })).status, (await domain({ id: gone.id })).status]).toEqual(['grace', 'redemption', 'expired']);

    // .com has a grace fee of 5.00 and a restore fee of 80.00 on top of the 14.00 renewal.
    const graceCom = await lapsed('late-grace.com', '.com', 5, { status: 'grace' });
    const restoreCom = await lapsed('late-restore.com', '.com', 40, { status: 'redemption' });
    const g = await t.built.domains.renewalInvoice(graceCom.id, 1, { clientId });
    const r = await t.built.domains.renewalInvoice(restoreCom.id, 1, { clientId });
    if (!g.ok || !r.ok) throw new Error('renewal refused');
    expect([g.total, r.total]).toEqual([1400 + 500, 1400 + 8000]);
    // Asking again while unpaid answers the same invoice; an expired domain is refused with a reason.
    expect(await t.built.domains.renewalInvoice(graceCom.id, 1, { clientId })).toMatchObject({ ok: true, invoiceId: g.invoiceId, existing: true });
    expect(await t.built.domains.renewalInvoice(gone.id, 1, { clientId })).toMatchObject({ ok: false, error: 'not_renewable' });
  });

  it('the daily sync corrects an expiry changed at the registrar, and billing follows it', async () => {
    const expiry = addDays(today, 200);
    const held = lb.own('difference-engine.com', { expiry, customerEmail: clientEmail });
    const d = (await t.ds.getRepository('Domain').save(t.ds.getRepository('Domain').create({
      clientId, domainName: 'difference-engine.com', tld: '.com', registrar: 'logicboxes', registrarRef: held.orderId, status: 'active',
      expiryDate: expiry, nextDueDate: expiry, nextInvoiceDate: expiry, registrationPeriod: 1, recurringAmount: 1400, currencyId: await fx.currency(t.ds),
    }))) as Row;
    lb.setExpiry('difference-engine.com', addYears(expiry, 2));
    const report = await t.built.domainDaily.run();
    expect(report.syncErrors).toEqual([]);
    const synced = await domain({ id: d.id });
    expect([synced.expiryDate, synced.nextDueDate, synced.nextInvoiceDate]).toEqual([addYears(expiry, 2), addYears(expiry, 2), addYears(expiry, 2)]);
    expect(synced.lastSyncAt).toBeTruthy();
  });

  it('sends the client’s changed profile to the registrar as the registrant, and tests a TLD’s registrar settings', async () => {
    const d = await domain({ domainName: 'lovelace-engines.com' });
    await t.ds.getRepository('Client').update({ id: clientId }, { address1: '5 Marylebone Road', city: 'London', postcode: 'NW1 5LS' });
    const out = await t.built.domains.updateContact(d.id, { clientId });
    expect(out.ok && out.message).toContain('Ada Lovelace');
    const order = lb.state.orders.get('lovelace-engines.com')!;
    expect(lb.state.contacts.get(order.contacts.reg)).toMatchObject({ address1: '5 Marylebone Road', zipcode: 'NW1 5LS', email: clientEmail });
    // Another client asking is told there is no such domain, and nothing is sent.
    const calls = lb.calls.length;
    expect(await t.built.domains.updateContact(d.id, { clientId: clientId + 999 })).toMatchObject({ ok: false, error: 'domain_not_found' });
    expect(lb.calls.length).toBe(calls);

    expect(await t.built.domains.testRegistrar('logicboxes')).toMatchObject({ ok: true });
    expect(await t.built.domains.testRegistrar(null)).toMatchObject({ ok: true, message: expect.stringContaining('staff to-dos') });
    await t.ds.getRepository('Setting').update({ key: 'registrar.logicboxes.apiKey' }, { secretValue: 'wrong-key' });
    const refused = await t.built.domains.testRegistrar('logicboxes');
    await t.ds.getRepository('Setting').update({ key: 'registrar.logicboxes.apiKey' }, { secretValue: lb.apiKey });
    expect(refused).toMatchObject({ ok: false, error: 'registrar_auth' });
    expect(refused.ok || refused.message).not.toContain('wrong-key');
    expect(await t.built.domains.testRegistrar('nosuch')).toMatchObject({ ok: false, error: 'unknown_registrar' });
  });

  it('asks the registrar about names whose registry has no WHOIS server we know', async () => {
    await sellTld(t, '.meridiantest', { currencyId: await fx.currency(t.ds), register: 500, renew: 500, transfer: 500 });
    lb.registered('taken.meridiantest');
    const free = await t.built.whois.lookup('free-name.meridiantest');
    const taken = await t.built.whois.lookup('taken.meridiantest');
    expect(free.ok && [free.status, free.raw.split('\n')[0]]).toEqual(['available', 'Registrar ResellerClub / LogicBoxes']);
    expect(taken.ok && taken.status).toBe('registered');
    expect(lb.callsTo('domains/available').map((c) => c.params['domain-name'])).toEqual(expect.arrayContaining(['free-name', 'taken']));
  });

  it('a TLD without a registrar module becomes a staff to-do, and Mark registered makes it active', async () => {
    const placed = await order([{ type: 'domain', domain: 'by-hand.net', action: 'register', years: 1 }]);
    if (!placed.ok) throw new Error(placed.message);
    await pay(placed.invoiceId);
    const out = await runJobs();
    expect(out.map((o: Row) => [o.status, o.result?.manual])).toEqual([['succeeded', true]]);
    const todo = (await t.ds.getRepository('TodoItem').findOneByOrFail({ title: 'Register by-hand.net for 1 year' })) as Row;
    expect(todo.description).toContain('Mark registered');
    const d = await domain({ domainName: 'by-hand.net' });
    expect(d.status).toBe('pending');
    const marked = await t.built.domains.markRegistered(d.id, null, { adminId: null });
    expect(marked.ok).toBe(true);
    expect(await domain({ id: d.id })).toMatchObject({ status: 'active', expiryDate: addYears(today, 1), nextDueDate: addYears(today, 1) });

    // Registered by staff before the order was paid: paying the order's invoice pays for that registration and
    // renews nothing.
    const early = await order([{ type: 'domain', domain: 'early-bird.net', action: 'register', years: 2 }]);
    if (!early.ok) throw new Error(early.message);
    const e = await domain({ domainName: 'early-bird.net' });
    expect((await t.built.domains.markRegistered(e.id, null, { adminId: null })).ok).toBe(true);
    await pay(early.invoiceId);
    await runJobs();
    expect((await jobsOf(e.id)).map((j) => j.action)).toEqual([]);
    expect(await domain({ id: e.id })).toMatchObject({ status: 'active', expiryDate: addYears(today, 2), nextDueDate: addYears(today, 2) });
  });

  it('prices later renewals from the renew list, and never renews automatically at a price nobody set', async () => {
    const usd = await fx.currency(t.ds);
    const product = async (tld: string, renew: Record<number, number | null>) => {
      const p = (await t.ds.getRepository('DomainProduct').save(t.ds.getRepository('DomainProduct').create({ tld, registrar: 'logicboxes', minYears: 1, maxYears: 10 }))) as Row;
      for (const years of [1, 3]) await t.ds.getRepository('DomainPrice').save(t.ds.getRepository('DomainPrice').create({ domainProductId: p.id, currencyId: usd, years, register: 900 * years, renew: renew[years] ?? null, transfer: null }));
    };
    await product('.org', { 1: 1100 });
    await product('.info', {});
    const placed = await order([{ type: 'domain', domain: 'three-years.org', action: 'register', years: 3 }, { type: 'domain', domain: 'no-renewal.info', action: 'register', years: 1 }]);
    if (!placed.ok) throw new Error(placed.message);
    expect(placed.total).toBe(2700 + 900);
    expect(await domain({ domainName: 'three-years.org' })).toMatchObject({ recurringAmount: 3300, autoRenew: true, registrationPeriod: 3 });
    expect(await domain({ domainName: 'no-renewal.info' })).toMatchObject({ recurringAmount: 0, autoRenew: false });
  });

  it('refuses bad names, unsupported endings, bad terms and transfers without a code, and accepts IDNs as punycode', async () => {
    const refusal = async (item: Row) => {
      const out = await order([item]);
      return out.ok ? 'accepted' : [out.error, out.message, out.field];
    };
    expect(await refusal({ type: 'domain', domain: 'not a name.com', action: 'register', years: 1 })).toEqual(['invalid_domain', expect.stringContaining('is not a domain name'), 'items.0.domain']);
    expect(await refusal({ type: 'domain', domain: 'example.xyz', action: 'register', years: 1 })).toEqual(['unsupported_tld', 'Line 1: We do not sell domains ending in .xyz.', 'items.0.domain']);
    expect(await refusal({ type: 'domain', domain: 'example.com', action: 'register', years: 11 })).toEqual(['years_out_of_range', expect.stringContaining('1 to 10 years'), 'items.0.years']);
    expect(await refusal({ type: 'domain', domain: 'example.com', action: 'register', years: 4 })).toEqual(['not_offered', expect.stringContaining('not offered for 4 years'), 'items.0.years']);
    expect(await refusal({ type: 'domain', domain: 'example.com', action: 'transfer', years: 1 })).toEqual(['epp_code_required', expect.stringContaining('EPP'), 'items.0.eppCode']);
    expect(await refusal({ type: 'domain', domain: 'lovelace-engines.com', action: 'register', years: 1 })).toEqual(['domain_exists', expect.stringContaining('already registered with us'), 'items.0.domain']);
    expect(await refusal({ type: 'domain', domain: 'ns-bad.com', action: 'register', years: 1, nameservers: 'only-one.example' })).toEqual(['nameservers_invalid', expect.stringContaining('at least two'), 'items.0.nameservers']);
    const domainsBefore = await t.ds.getRepository('Domain').count();
    expect(await t.ds.getRepository('Domain').count()).toBe(domainsBefore);
    const idn = await order([{ type: 'domain', domain: 'Bücher-Lovelace.com', action: 'register', years: 1 }]);
    expect(idn.ok).toBe(true);
    expect((await domain({ domainName: 'xn--bcher-lovelace-gsb.com' })).status).toBe('pending');
  });
});
