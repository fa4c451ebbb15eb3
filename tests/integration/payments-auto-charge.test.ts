import { startTestApp, type TestApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import * as fx from '../helpers/billing-fixtures.js';
import { records } from '../helpers/records.js';
import { csrfOf, type Agent } from '../helpers/auth.js';
import { createClientUser, loginClient } from '../helpers/client.js';
import { startFakeStripe, type FakeStripe } from '../fakes/stripe-server.js';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server.js';
import { OrderService } from '../../src/domain/orders/order-service.js';
import { AutoCharge } from '../../src/domain/payments/auto-charge.js';
import { chargeFailedNotifier } from '../../src/domain/payments/charge-notices.js';
import { FixedClock, businessDate, systemClock } from '../../src/domain/shared/clock.js';

type Row = Record<string, any>;

/**
 * Saved cards: a card kept with a Stripe Checkout payment, listed and managed in the client area, and charged
 * automatically when an invoice comes due — once per attempt, retried on the staff's schedule after a decline with
 * an email each time, given up after the last attempt, and never charged twice for one invoice.
 */
describe(`saved cards and automatic charges on ${testEngine()}`, () => {
  let t: TestApp;
  let stripe: FakeStripe;
  let smtp: FakeSmtp;
  let orders: OrderService;
  const ids: Record<string, number> = {};
  let seq = 0;
  const { save, invoice, paymentsOf } = records(() => t.ds);

  const chargesOf = (invoiceId: number) => [...stripe.paymentIntents.values()].filter((pi) => pi.metadata?.invoice_id === String(invoiceId));
  const today = () => businessDate(new Date(), 'UTC');

  async function newInvoice(clientId: number, dueDate = today()): Promise<number> {
    const placed = await orders.placeOrder({ clientId, items: [{ productId: ids.product, cycle: 'monthly' }] as never });
    if (!placed.ok) throw new Error(placed.message);
    await t.ds.getRepository('Invoice').update({ id: placed.invoiceId }, { dueDate });
    return placed.invoiceId;
  }

  /** A client who paid a first invoice by card and ticked "save this card". */
  async function clientWithSavedCard(): Promise<{ agent: Agent; clientId: number; methodId: number; token: string }> {
    const agent = t.agent();
    const user = await createClientUser(t.ds, { firstName: 'Card', lastName: `Holder ${++seq}` });
    await loginClient(agent, user.email, user.password);
    const first = await newInvoice(user.clientId);
    const csrf = await csrfOf(agent, `/invoices/${first}`);
    const res = await agent.post(`/invoices/${first}/pay`).type('form').send({ _csrf: csrf, method: 'stripe', saveMethod: '1' });
    const url = /content="0;url=([^"]+)"/.exec(res.text)![1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
    const session = [...stripe.sessions.values()].find((s) => s.url === url)!;
    await stripe.pay(session.id, { saveMethod: true, card: { brand: 'visa', last4: '4242' } });
    expect((await invoice(first)).status).toBe('paid');
    const [method] = (await t.ds.getRepository('PaymentMethod').find({ where: { clientId: user.clientId } })) as Row[];
    return { agent, clientId: user.clientId, methodId: method.id, token: method.gatewayToken };
  }

  beforeAll(async () => {
    [stripe, smtp] = await Promise.all([startFakeStripe(), startFakeSmtp()]);
    t = await startTestApp({ APP_URL: 'http://shop.test', SMTP_URL: smtp.url }, { payments: { apiBases: { stripe: stripe.url } } });
    stripe.setNotifyUrl(`${t.baseUrl}/payments/webhook/stripe`);
    orders = new OrderService(t.ds, systemClock, 'UTC');
    ids.usd = await fx.currency(t.ds);
    await save('PaymentGateway', { code: 'stripe', displayName: 'Card', enabled: true, testMode: true, sortOrder: 1, config: {}, credentials: JSON.stringify(stripe.credentials) });
    const category = (await save('ProductCategory', { name: 'Hosting', slug: 'hosting' })).id;
    ids.product = (await save('Product', { categoryId: category, name: 'Plan', slug: 'plan', type: 'other', module: 'none', autoSetup: 'never', paymentType: 'recurring', requireDomain: false, taxable: false })).id;
    await save('ProductPrice', { productId: ids.product, addonId: null, configOptionChoiceId: null, currencyId: ids.usd, cycle: 'monthly', price: 2000, setupFee: 0, enabled: true });
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([stripe?.close(), smtp?.close()]);
  });
  afterEach(() => smtp.clear());

  it('keeps the card from a checkout as a token and shows it to its owner only', async () => {
    const { agent, methodId, token } = await clientWithSavedCard();
    expect(token).toMatch(/^pm_/);
    const raw = (await t.ds.query('SELECT gateway_token FROM payment_methods WHERE id = ?', [methodId])) as Row[];
    expect(String(raw[0].gateway_token)).not.toContain(token);
    const page = await agent.get('/payment-methods');
    expect(page.text).toContain('•••• 4242');
    expect(page.text).toContain('Default');
    expect(page.text).not.toContain(token);

    const other = await clientWithSavedCard();
    const csrf = await csrfOf(other.agent, '/payment-methods');
    expect((await other.agent.post(`/payment-methods/${methodId}/remove`).type('form').send({ _csrf: csrf })).status).toBe(404);
    expect((await other.agent.post(`/payment-methods/${other.methodId}/remove`).type('form').send({})).status).toBe(403);
    expect((await t.ds.getRepository('PaymentMethod').findOneByOrFail({ id: methodId })) as Row).toMatchObject({ status: 'active', isDefault: true });
    const removed = await other.agent.post(`/payment-methods/${other.methodId}/remove`).type('form').send({ _csrf: csrf });
    expect(removed.status).toBe(303);
    expect((await t.ds.getRepository('PaymentMethod').findOneByOrFail({ id: other.methodId })) as Row).toMatchObject({ status: 'invalid', isDefault: false, gatewayToken: null });
  });

  it('charges the saved card on the due date, once, and the later webhook of that charge changes nothing', async () => {
    const { clientId } = await clientWithSavedCard();
    const inv = await newInvoice(clientId);
    const notDue = await newInvoice(clientId, '2099-01-01');
    const results = await t.built.autoCharge.runDue();
    expect(results.find((r) => r.invoiceId === inv)?.outcome).toBe('paid');
    expect(results.find((r) => r.invoiceId === notDue)).toBeUndefined();
    await stripe.idle();
    expect((await invoice(inv)).status).toBe('paid');
    expect(await paymentsOf(inv)).toHaveLength(1);
    expect(chargesOf(inv)).toHaveLength(1);
    const webhooks = stripe.deliveries.filter((d) => d.type === 'payment_intent.succeeded' && JSON.parse(d.body).data.object.metadata.invoice_id === String(inv));
    expect(webhooks.map((d) => d.status)).toEqual([200]);
    expect((await t.built.autoCharge.runDue()).find((r) => r.invoiceId === inv)).toBeUndefined();
    expect(chargesOf(inv)).toHaveLength(1);
    // A charge's attempt id is guessable, so it opens no return page.
    expect((await t.agent().get(`/payments/return/stripe?attempt=ch${inv}n1&done=1`)).status).toBe(404);
  });

  it('never charges one invoice twice, even with two schedulers at once', async () => {
    const { clientId } = await clientWithSavedCard();
    const inv = await newInvoice(clientId);
    const [a, b] = await Promise.all([t.built.autoCharge.charge(inv), t.built.autoCharge.charge(inv)]);
    expect([a.outcome, b.outcome].sort()).toEqual(['paid', 'skipped']);
    await stripe.idle();
    expect(chargesOf(inv)).toHaveLength(1);
    expect(await paymentsOf(inv)).toHaveLength(1);
  });

  it('after a decline, emails the customer, retries on schedule, gives up after the last attempt; staff can retry', async () => {
    const { agent, clientId, token } = await clientWithSavedCard();
    const inv = await newInvoice(clientId, '2030-03-01');
    stripe.declineCharges(token, 'Your card has insufficient funds.');
    const clock = new FixedClock(new Date('2030-03-01T10:00:00Z'));
    const auto = new AutoCharge({
      ds: t.ds, clock, timeZone: 'UTC', gateways: t.built.gateways, notifications: t.built.notifications,
      notifyFailure: chargeFailedNotifier(t.ds, t.built.email, { appUrl: 'http://shop.test', today: () => businessDate(clock.now(), 'UTC') }),
    });
    const attempt = async () => (await auto.runDue()).find((r) => r.invoiceId === inv)?.outcome ?? 'not due';

    expect(await attempt()).toBe('declined');
    const [first] = await smtp.waitFor(1);
    expect(first.subject).toContain('Payment failed');
    expect(first.text).toContain('insufficient funds');
    expect(first.text).toContain('We will try again on 2030-03-04');
    clock.advanceDays(1);
    expect(await attempt()).toBe('skipped');
    clock.advanceDays(2);
    expect(await attempt()).toBe('declined');
    clock.advanceDays(3);
    expect(await attempt()).toBe('declined');
    const mails = await smtp.waitFor(3);
    expect(mails[2].text).toContain('We will not try this card again');
    clock.advanceDays(3);
    expect(await attempt()).toBe('skipped');
    expect(chargesOf(inv)).toHaveLength(3);
    expect((await invoice(inv)).status).toBe('unpaid');
    expect(await paymentsOf(inv)).toHaveLength(0);

    // The customer saves another card with a payment, makes it the default, and staff press Retry charge.
    const other = await newInvoice(clientId);
    const csrf = await csrfOf(agent, `/invoices/${other}`);
    const res = await agent.post(`/invoices/${other}/pay`).type('form').send({ _csrf: csrf, method: 'stripe', saveMethod: '1' });
    const url = /content="0;url=([^"]+)"/.exec(res.text)![1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
    await stripe.pay([...stripe.sessions.values()].find((x) => x.url === url)!.id, { saveMethod: true, card: { brand: 'mastercard', last4: '4444' } });
    const methods = (await t.ds.getRepository('PaymentMethod').find({ where: { clientId, status: 'active' }, order: { id: 'ASC' } })) as Row[];
    expect(methods.map((m) => [m.lastFour, m.isDefault])).toEqual([['4242', true], ['4444', false]]);
    const page = await agent.get('/payment-methods');
    expect((await agent.post(`/payment-methods/${methods[1].id}/default`).type('form').send({ _csrf: (/name="_csrf" value="([^"]+)"/.exec(page.text) ?? [])[1] })).status).toBe(303);
    const retried = await t.built.autoCharge.charge(inv, { manual: true });
    expect(retried.outcome).toBe('paid');
    await stripe.idle();
    expect(await paymentsOf(inv)).toHaveLength(1);
    expect((await invoice(inv)).status).toBe('paid');
  });
});
