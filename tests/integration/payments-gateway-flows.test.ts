import { startTestApp, type TestApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import { cpanelPlanOnFakeWhm } from '../helpers/hosting.js';
import * as fx from '../helpers/billing-fixtures.js';
import { records } from '../helpers/records.js';
import { csrfOf, type Agent } from '../helpers/auth.js';
import { createClientUser, loginClient } from '../helpers/client.js';
import { startFakePaypal, type FakePaypal } from '../fakes/paypal-server.js';
import { startFakeSslcommerz, type FakeSslcommerz } from '../fakes/sslcommerz-server.js';
import { startFakeWhm, type FakeWhm } from '../fakes/whm-server.js';
import { OrderService } from '../../src/domain/orders/order-service.js';
import { systemClock } from '../../src/domain/shared/clock.js';

type Row = Record<string, any>;

/**
 * The whole road for PayPal and SSLCommerz, through the app over real HTTP against their fakes: invoice → the
 * provider's hosted page → the customer's return (PayPal captures there; SSLCommerz posts a form that is checked
 * with its validation API) and the provider's notification → invoice paid once → service provisioned. Bank transfer
 * and account credit are shown beside them on the invoice.
 */
describe(`PayPal and SSLCommerz payments on ${testEngine()}`, () => {
  let t: TestApp;
  let paypal: FakePaypal;
  let ssl: FakeSslcommerz;
  let whm: FakeWhm;
  let orders: OrderService;
  const ids: Record<string, number> = {};
  let seq = 0;
  const { save, invoice, paymentsOf } = records(() => t.ds);


  async function clientWithInvoice(): Promise<{ agent: Agent; invoiceId: number; serviceId: number }> {
    const agent = t.agent();
    const user = await createClientUser(t.ds, { firstName: 'Pay', lastName: `Er ${++seq}` });
    await loginClient(agent, user.email, user.password);
    const placed = await orders.placeOrder({ clientId: user.clientId, items: [{ productId: ids.product, cycle: 'monthly', domain: `flow${seq}.example` }] as never });
    if (!placed.ok) throw new Error(placed.message);
    return { agent, invoiceId: placed.invoiceId, serviceId: placed.serviceIds[0] };
  }

  /** Presses "Pay with …" and answers the URL of the provider's hosted page the browser is sent to. */
  async function startPayment(agent: Agent, invoiceId: number, method: string): Promise<string> {
    const csrf = await csrfOf(agent, `/invoices/${invoiceId}`);
    const res = await agent.post(`/invoices/${invoiceId}/pay`).type('form').send({ _csrf: csrf, method });
    expect(res.status).toBe(200);
    return /<meta http-equiv="refresh" content="0;url=([^"]+)">/.exec(res.text)![1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
  }
  const local = (url: string) => {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  };

  beforeAll(async () => {
    [paypal, ssl, whm] = await Promise.all([startFakePaypal(), startFakeSslcommerz(), startFakeWhm()]);
    t = await startTestApp({ APP_URL: 'http://shop.test' }, { payments: { apiBases: { paypal: paypal.url, sslcommerz: ssl.url } } });
    paypal.setNotifyUrl(`${t.baseUrl}/payments/webhook/paypal`);
    ssl.setNotifyUrl(`${t.baseUrl}/payments/webhook/sslcommerz`);
    orders = new OrderService(t.ds, systemClock, 'UTC');
    ids.usd = await fx.currency(t.ds);
    await save('PaymentGateway', { code: 'paypal', displayName: 'PayPal', enabled: true, testMode: true, sortOrder: 2, config: {}, credentials: JSON.stringify(paypal.credentials) });
    await save('PaymentGateway', { code: 'sslcommerz', displayName: 'SSLCommerz', enabled: true, testMode: true, sortOrder: 3, config: {}, credentials: JSON.stringify(ssl.credentials) });
    await save('PaymentGateway', { code: 'banktransfer', displayName: 'Bank transfer', enabled: true, testMode: false, sortOrder: 4, config: { instructions: 'IBAN GB00 TEST 0000 0000 00' }, credentials: null });
    ids.product = (await cpanelPlanOnFakeWhm(t, whm, { currencyId: ids.usd })).productId;
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([paypal?.close(), ssl?.close(), whm?.close()]);
  });

  it('lists every way to pay on the invoice', async () => {
    const { agent, invoiceId } = await clientWithInvoice();
    const page = await agent.get(`/invoices/${invoiceId}`);
    expect(page.text).toContain('Pay with PayPal');
    expect(page.text).toContain('Pay with SSLCommerz');
    expect(page.text).toContain('IBAN GB00 TEST 0000 0000 00');
    // A gateway that is not enabled is refused, and nothing is started.
    const csrf = await csrfOf(agent, `/invoices/${invoiceId}`);
    const res = await agent.post(`/invoices/${invoiceId}/pay`).type('form').send({ _csrf: csrf, method: 'stripe' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('not available');
  });

  it('PayPal: approve on PayPal, capture on return, the webhook of the same capture changes nothing, service provisioned', async () => {
    const { agent, invoiceId, serviceId } = await clientWithInvoice();
    const approveUrl = await startPayment(agent, invoiceId, 'paypal');
    const order = [...paypal.orders.values()].find((o: Row) => (o.links as Row[]).some((l) => l.href === approveUrl)) as Row;
    expect(order).toBeDefined();
    const approved = await paypal.pay(order.id);
    const landed = await agent.get(local(approved.returnUrl));
    expect(landed.status).toBe(303);
    const page = await agent.get(landed.headers.location);
    expect(page.text).toContain('is paid');
    expect((await invoice(invoiceId)).status).toBe('paid');
    // PayPal notifies the capture on its own schedule, after answering it.
    for (let i = 0; i < 100 && !paypal.deliveries.some((d) => d.type === 'PAYMENT.CAPTURE.COMPLETED' && d.status); i++) await new Promise((r) => setTimeout(r, 30));
    const webhook = paypal.deliveries.find((d) => d.type === 'PAYMENT.CAPTURE.COMPLETED');
    expect(webhook?.status).toBe(200);
    expect(await paypal.redeliver(webhook!, { times: 5, concurrent: true })).toEqual(Array(5).fill(200));
    const txns = await paymentsOf(invoiceId);
    expect(txns.map((x) => [x.gateway, Number(x.amountIn)])).toEqual([['paypal', 1500]]);
    // The customer reloading the return URL captures nothing twice.
    await agent.get(local(approved.returnUrl));
    expect(await paymentsOf(invoiceId)).toHaveLength(1);
    expect((await t.built.provisioning.worker.runDue()).map((r) => r.status)).toEqual(['succeeded']);
    expect(((await t.ds.getRepository('Service').findOneByOrFail({ id: serviceId })) as Row).status).toBe('active');
  });

  it('SSLCommerz: pay on the hosted page, IPN checked with the validation API, the posted return is the same payment', async () => {
    const { agent, invoiceId, serviceId } = await clientWithInvoice();
    const hosted = await startPayment(agent, invoiceId, 'sslcommerz');
    const session = [...ssl.sessions.entries()].find(([, s]: [string, Row]) => hosted.includes(String(s.sessionkey)));
    expect(session).toBeDefined();
    const paid = await ssl.pay(session![0]);
    expect(paid.deliveries.map((d) => d.status)).toEqual([200]);
    expect((await invoice(invoiceId)).status).toBe('paid');
    // The browser posts the provider's form back, cross-site: no CSRF token, no session cookie needed.
    const back = await t.agent().post(local(paid.returnUrl)).type('form').send(paid.returnForm);
    expect(back.status).toBe(303);
    const page = await t.agent().get(back.headers.location);
    expect(page.text).toContain('is paid');
    expect(await paymentsOf(invoiceId)).toHaveLength(1);
    // A forged IPN (unsigned) is refused.
    const forged = ssl.ipn({ ...Object.fromEntries(new URLSearchParams(paid.deliveries[0].body)), amount: '1.00' }, { sign: false });
    expect(await ssl.send(forged)).toBe(400);
    expect(await paymentsOf(invoiceId)).toHaveLength(1);
    expect((await t.built.provisioning.worker.runDue()).map((r) => r.status)).toEqual(['succeeded']);
    expect(((await t.ds.getRepository('Service').findOneByOrFail({ id: serviceId })) as Row).status).toBe('active');
  });

  it('SSLCommerz: a declined payment leaves the invoice unpaid and says so', async () => {
    const { agent, invoiceId } = await clientWithInvoice();
    const hosted = await startPayment(agent, invoiceId, 'sslcommerz');
    const session = [...ssl.sessions.entries()].find(([, s]: [string, Row]) => hosted.includes(String(s.sessionkey)))!;
    const declined = await ssl.pay(session[0], { decline: true });
    const back = await t.agent().post(local(declined.returnUrl)).type('form').send(declined.returnForm);
    const page = await t.agent().get(back.headers.location);
    expect(page.text).toContain('declined');
    expect((await invoice(invoiceId)).status).toBe('unpaid');
    expect(await paymentsOf(invoiceId)).toHaveLength(0);
  });
});
