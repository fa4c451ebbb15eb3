import { createStaff, startTestApp, type TestApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import { cpanelPlanOnFakeWhm } from '../helpers/hosting.js';
import * as fx from '../helpers/billing-fixtures.js';
import { records } from '../helpers/records.js';
import { csrfOf, loginAs, type Agent } from '../helpers/auth.js';
import { createClientUser, loginClient } from '../helpers/client.js';
import { startFakeStripe, type FakeStripe } from '../fakes/stripe-server.js';
import { startFakeWhm, type FakeWhm } from '../fakes/whm-server.js';
import { OrderService } from '../../src/domain/orders/order-service.js';
import { systemClock } from '../../src/domain/shared/clock.js';

type Row = Record<string, any>;

/**
 * Paying an invoice with Stripe, end to end over real HTTP: the client area starts a Checkout Session through the
 * official SDK pointed at the fake Stripe, the customer pays on the fake's hosted page, the fake delivers signed
 * webhooks to the app, the invoice is paid exactly once and the service is provisioned on the fake WHM. Then what
 * providers really do: the same event ten times at once, events out of order, forged and stale signatures, amounts
 * and currencies that do not match, a payment for a cancelled invoice, and a refund through the gateway.
 */
describe(`Stripe payments on ${testEngine()}`, () => {
  let t: TestApp;
  let stripe: FakeStripe;
  let whm: FakeWhm;
  let orders: OrderService;
  const ids: Record<string, number> = {};
  let seq = 0;
  const { save, invoice, paymentsOf, logs } = records(() => t.ds);


  /** A signed-in client with an unpaid order invoice for the hosting product. */
  async function clientWithInvoice(): Promise<{ agent: Agent; clientId: number; invoiceId: number; serviceId: number }> {
    const agent = t.agent();
    const user = await createClientUser(t.ds, { firstName: 'Pay', lastName: `Er ${++seq}` });
    await loginClient(agent, user.email, user.password);
    const placed = await orders.placeOrder({ clientId: user.clientId, items: [{ productId: ids.product, cycle: 'monthly', domain: `shop${seq}.example` }] as never });
    if (!placed.ok) throw new Error(placed.message);
    return { agent, clientId: user.clientId, invoiceId: placed.invoiceId, serviceId: placed.serviceIds[0] };
  }

  /** The client presses "Pay with Stripe": answers the Checkout Session the app created and the return URL. */
  async function startPayment(agent: Agent, invoiceId: number, extra: Record<string, string> = {}): Promise<{ session: Row }> {
    const csrf = await csrfOf(agent, `/invoices/${invoiceId}`);
    const res = await agent.post(`/invoices/${invoiceId}/pay`).type('form').send({ _csrf: csrf, method: 'stripe', ...extra });
    expect(res.status).toBe(200);
    const url = /<meta http-equiv="refresh" content="0;url=([^"]+)">/.exec(res.text)![1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
    const session = [...stripe.sessions.values()].find((s) => s.url === url);
    expect(session).toBeDefined();
    return { session: session! };
  }

  beforeAll(async () => {
    [stripe, whm] = await Promise.all([startFakeStripe(), startFakeWhm()]);
    t = await startTestApp({ APP_URL: 'http://shop.test' }, { payments: { apiBases: { stripe: stripe.url } } });
    stripe.setNotifyUrl(`${t.baseUrl}/payments/webhook/stripe`);
    orders = new OrderService(t.ds, systemClock, 'UTC');
    ids.usd = await fx.currency(t.ds);
    await save('PaymentGateway', { code: 'stripe', displayName: 'Card (Stripe)', enabled: true, testMode: true, sortOrder: 1, config: {}, credentials: JSON.stringify(stripe.credentials) });
    ids.product = (await cpanelPlanOnFakeWhm(t, whm, { currencyId: ids.usd })).productId;
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([stripe?.close(), whm?.close()]);
  });

  it('pays an invoice on the hosted page, records it once from two webhooks, and provisions the service', async () => {
    const { agent, invoiceId, serviceId } = await clientWithInvoice();
    const page = await agent.get(`/invoices/${invoiceId}`);
    expect(page.text).toContain('Pay with Card (Stripe)');

    const { session } = await startPayment(agent, invoiceId);
    expect([session.amount_total, session.currency, session.metadata.invoice_id]).toEqual([1500, 'usd', String(invoiceId)]);
    // What the app asked for is on record before the provider answered.
    const [attempt] = await logs({ gateway: 'stripe', direction: 'outbound', invoiceId });
    expect([attempt.eventType, attempt.result, attempt.reference, attempt.request.amount]).toEqual(['checkout.start', 'success', session.id, 1500]);

    const paid = await stripe.pay(session.id);
    expect(paid.deliveries.map((d) => [d.type, d.status])).toEqual(expect.arrayContaining([['payment_intent.succeeded', 200], ['checkout.session.completed', 200]]));
    const inv = await invoice(invoiceId);
    expect([inv.status, Number(inv.amountPaid)]).toEqual(['paid', 1500]);
    const txns = await paymentsOf(invoiceId);
    expect(txns).toHaveLength(1);
    expect([txns[0].gateway, txns[0].transactionId, Number(txns[0].amountIn)]).toEqual(['stripe', session.payment_intent ?? stripe.sessions.get(session.id)!.payment_intent, 1500]);
    expect(Number(txns[0].fees)).toBeGreaterThan(0);

    // The customer's browser comes back: the page says paid, without the provider's parameters in the final URL.
    const back = new URL(paid.returnUrl);
    const landed = await agent.get(`${back.pathname}${back.search}`).redirects(1);
    expect(landed.text).toContain('is paid');

    const ran = await t.built.provisioning.worker.runDue();
    expect(ran.map((r) => r.status)).toEqual(['succeeded']);
    expect(((await t.ds.getRepository('Service').findOneByOrFail({ id: serviceId })) as Row).status).toBe('active');
  });

  it('takes the same event delivered ten times at once as one payment', async () => {
    const { agent, invoiceId } = await clientWithInvoice();
    const { session } = await startPayment(agent, invoiceId);
    const paid = await stripe.pay(session.id);
    const completed = paid.deliveries.find((d) => d.type === 'checkout.session.completed')!;
    const statuses = await stripe.redeliver(completed, { times: 10, concurrent: true });
    expect(statuses).toEqual(Array(10).fill(200));
    expect(await paymentsOf(invoiceId)).toHaveLength(1);
    expect(await logs({ gateway: 'stripe', eventId: completed.eventId })).toHaveLength(1);
    expect(Number((await invoice(invoiceId)).amountPaid)).toBe(1500);
  });

  it('refuses forged and stale notifications, logs them, and changes nothing', async () => {
    const { agent, invoiceId } = await clientWithInvoice();
    const { session } = await startPayment(agent, invoiceId);
    const object = { ...stripe.sessions.get(session.id)!, status: 'complete', payment_status: 'paid', payment_intent: 'pi_forged000000000000' };
    const forged = stripe.event('checkout.session.completed', object, { secret: 'whsec_not_the_real_one' });
    expect(await stripe.send(forged)).toBe(400);
    const stale = stripe.event('checkout.session.completed', object, { timestamp: Math.floor(Date.now() / 1000) - 400 });
    expect(await stripe.send(stale)).toBe(400);
    const tampered = stripe.event('checkout.session.completed', object);
    const before = tampered.body;
    tampered.body = tampered.body.replace(/"amount_total":\s*1500/, '"amount_total": 15');
    expect(tampered.body).not.toBe(before);
    expect(await stripe.send(tampered)).toBe(400);

    expect((await invoice(invoiceId)).status).toBe('unpaid');
    expect(await paymentsOf(invoiceId)).toHaveLength(0);
    const refused = (await logs({ gateway: 'stripe', result: 'failure' })).slice(-3);
    expect(refused.map((l) => String(l.message).split(':')[0])).toEqual(['forged', 'stale', 'forged']);
  });

  it('flags an amount or currency other than asked, and an unknown attempt, without marking anything paid', async () => {
    const { agent, invoiceId } = await clientWithInvoice();
    const { session } = await startPayment(agent, invoiceId);
    const base = stripe.sessions.get(session.id)!;
    const wrongAmount = stripe.event('checkout.session.completed', { ...base, status: 'complete', payment_status: 'paid', amount_total: 100, payment_intent: 'pi_wrongamount0000000' });
    const wrongCurrency = stripe.event('checkout.session.completed', { ...base, status: 'complete', payment_status: 'paid', currency: 'eur', payment_intent: 'pi_wrongcurrency00000' });
    const unknown = stripe.event('checkout.session.completed', { ...base, id: 'cs_test_unknown0000000', status: 'complete', payment_status: 'paid', metadata: { invoice_id: String(invoiceId), attempt_id: 'no-such-attempt-000' }, payment_intent: 'pi_unknownattempt0000' });
    for (const d of [wrongAmount, wrongCurrency, unknown]) expect(await stripe.send(d)).toBe(200);
    const flagged = await logs({ gateway: 'stripe', result: 'flagged' });
    expect(flagged.map((l) => l.eventId)).toEqual(expect.arrayContaining([wrongAmount.eventId, wrongCurrency.eventId, unknown.eventId]));
    expect((await invoice(invoiceId)).status).toBe('unpaid');
    expect(await paymentsOf(invoiceId)).toHaveLength(0);
  });

  it('ends in the right state when events come out of order', async () => {
    const { agent, invoiceId } = await clientWithInvoice();
    const { session } = await startPayment(agent, invoiceId);
    const paid = await stripe.pay(session.id);
    expect((await invoice(invoiceId)).status).toBe('paid');
    // A failure of the same payment arriving late changes nothing.
    const pi = stripe.paymentIntents.get(String(stripe.sessions.get(session.id)!.payment_intent))!;
    const lateFailure = stripe.event('payment_intent.payment_failed', { ...pi, status: 'requires_payment_method', last_payment_error: { message: 'Your card was declined.' } });
    expect(await stripe.send(lateFailure)).toBe(200);
    expect((await invoice(invoiceId)).status).toBe('paid');
    expect(paid.deliveries.length).toBeGreaterThan(0);

    // A decline first, then the customer pays with another card: paid.
    const second = await clientWithInvoice();
    const { session: s2 } = await startPayment(second.agent, second.invoiceId);
    await stripe.pay(s2.id, { decline: true });
    expect((await invoice(second.invoiceId)).status).toBe('unpaid');
    const s2Again = await startPayment(second.agent, second.invoiceId);
    await stripe.pay(s2Again.session.id);
    expect((await invoice(second.invoiceId)).status).toBe('paid');
    expect(await paymentsOf(second.invoiceId)).toHaveLength(1);
  });

  it('keeps a payment for an invoice cancelled meanwhile as account credit, and flags it', async () => {
    const { agent, invoiceId, clientId } = await clientWithInvoice();
    const { session } = await startPayment(agent, invoiceId);
    const cancelled = await t.built.invoices.cancel({ invoiceId, reason: 'customer asked' });
    expect(cancelled.ok).toBe(true);
    await stripe.pay(session.id);
    expect((await invoice(invoiceId)).status).toBe('cancelled');
    const client = (await t.ds.getRepository('Client').findOneByOrFail({ id: clientId })) as Row;
    expect(Number(client.creditBalance)).toBe(1500);
    const credit = (await t.ds.getRepository('Transaction').find({ where: { clientId, gateway: 'stripe' } })) as Row[];
    expect(credit.map((c) => [c.invoiceId, Number(c.amountIn)])).toEqual([[null, 1500]]);
    expect((await logs({ gateway: 'stripe', invoiceId, result: 'flagged' })).length).toBeGreaterThan(0);
  });

  it('a late payment for a service suspended as overdue still applies and unsuspends it', async () => {
    const { agent, invoiceId, serviceId } = await clientWithInvoice();
    const { session } = await startPayment(agent, invoiceId);
    await t.ds.getRepository('Service').update({ id: serviceId }, { status: 'suspended', overdueSuspended: true, suspensionReason: 'Overdue on payment' });
    await stripe.pay(session.id);
    expect((await invoice(invoiceId)).status).toBe('paid');
    const s = (await t.ds.getRepository('Service').findOneByOrFail({ id: serviceId })) as Row;
    expect([s.status, s.overdueSuspended]).toEqual(['active', false]);
    const jobs = (await t.ds.getRepository('ProvisioningJob').find({ where: { serviceId } })) as Row[];
    expect(jobs.map((j) => j.action)).toContain('unsuspend');
  });

  it('refunds through Stripe: the provider refunds once, the refund and credit note are recorded, the invoice is refunded', async () => {
    const { agent, invoiceId } = await clientWithInvoice();
    const { session } = await startPayment(agent, invoiceId);
    await stripe.pay(session.id);
    const [payment] = await paymentsOf(invoiceId);
    const refunds = t.built.gatewayRefunds;
    const out = await refunds.refund({ transactionId: payment.id, amount: 1500, reason: 'customer changed their mind' });
    if (!out.ok) throw new Error(out.message);
    expect([out.invoiceStatus, out.creditNoteNumber !== null]).toEqual(['refunded', true]);
    expect([...stripe.refunds.values()].filter((r) => r.payment_intent === payment.transactionId).map((r) => r.amount)).toEqual([1500]);
    const again = await refunds.refund({ transactionId: payment.id, amount: 1500 });
    expect(again.ok).toBe(false);
    expect([...stripe.refunds.values()].filter((r) => r.payment_intent === payment.transactionId)).toHaveLength(1);
    // Stripe's charge.refunded webhook for that refund is already accounted for.
    const pi = stripe.paymentIntents.get(String(payment.transactionId))!;
    const charge = stripe.charges.get(String(pi.latest_charge))!;
    expect(await stripe.send(stripe.event('charge.refunded', { ...charge, amount_refunded: 1500, refunded: true }))).toBe(200);
    expect((await logs({ gateway: 'stripe', eventType: 'charge.refunded' })).at(-1)!.result).toBe('success');
  });

  it('never shows a gateway secret to staff', async () => {
    await createStaff(t.ds, { email: 'owner@shop.test', password: 'owner password 123', role: 'Full Administrator' });
    const staff = t.agent();
    await loginAs(staff, 'owner@shop.test', 'owner password 123');
    const gw = (await t.ds.getRepository('PaymentGateway').findOneByOrFail({ code: 'stripe' })) as Row;
    for (const path of [`/admin/api/resources/PaymentGateway/records/${gw.id}/show`, '/admin/api/resources/PaymentGateway/actions/list', `/admin/api/resources/PaymentGateway/records/${gw.id}/setCredentials`]) {
      const res = await staff.get(path);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(stripe.credentials.secretKey);
      expect(res.text).not.toContain(stripe.credentials.webhookSecret);
    }
  });
});
