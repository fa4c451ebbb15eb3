import { createStaff, startTestApp, type TestApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import { loginAs, type Agent } from '../helpers/auth.js';
import { createClientUser } from '../helpers/client.js';
import { startFakeStripe, type FakeStripe } from '../fakes/stripe-server.js';
import { OrderService } from '../../src/domain/orders/order-service.js';
import { systemClock } from '../../src/domain/shared/clock.js';

type Row = Record<string, any>;

/**
 * The staff side of payments through the real admin API: setting a gateway's keys (write-only, encrypted, Full
 * Administrators only), Test configuration against the fake Stripe, Refund through gateway, Retry charge, and
 * Mark reviewed on a flagged notification — with no key ever in an answer.
 */
describe(`admin payment actions on ${testEngine()}`, () => {
  let t: TestApp;
  let stripe: FakeStripe;
  let admin: Agent;
  let billing: Agent;
  let gatewayId: number;
  const answers: string[] = [];
  const url = (resource: string, id: number | string, action: string) => `/admin/api/resources/${resource}/records/${id}/${action}`;
  const post = async (agent: Agent, path: string, form: Record<string, string> = {}) => {
    const res = await agent.post(path).type('form').send(form);
    answers.push(res.text);
    return res;
  };
  const get = async (agent: Agent, path: string) => {
    const res = await agent.get(path).set({ 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'cors' });
    answers.push(res.text);
    return res;
  };

  beforeAll(async () => {
    stripe = await startFakeStripe();
    t = await startTestApp({ APP_URL: 'http://shop.test' }, { payments: { apiBases: { stripe: stripe.url } } });
    stripe.setNotifyUrl(`${t.baseUrl}/payments/webhook/stripe`);
    await createStaff(t.ds, { email: 'owner@shop.test', password: 'owner password 123', role: 'Full Administrator' });
    await createStaff(t.ds, { email: 'billing@shop.test', password: 'billing password 123', role: 'Billing' });
    admin = t.agent();
    billing = t.agent();
    await loginAs(admin, 'owner@shop.test', 'owner password 123');
    await loginAs(billing, 'billing@shop.test', 'billing password 123');
    gatewayId = (await t.ds.getRepository('PaymentGateway').save(t.ds.getRepository('PaymentGateway').create({ code: 'stripe', displayName: 'Card', enabled: true, testMode: true, sortOrder: 1, config: {} })) as Row).id;
  });
  afterAll(async () => {
    await t?.close();
    await stripe?.close();
  });

  it('sets credentials write-only, refuses it to the Billing role, and tests them against Stripe', async () => {
    const form = await get(admin, url('PaymentGateway', gatewayId, 'setCredentials'));
    expect(JSON.parse(form.body.record.params.credentialFields).map((f: Row) => f.name)).toEqual(['secretKey', 'webhookSecret']);
    expect((await post(admin, url('PaymentGateway', gatewayId, 'testConfiguration'))).body.notice.type).toBe('error');

    const denied = await post(billing, url('PaymentGateway', gatewayId, 'setCredentials'), { secretKey: 'sk_test_evil' });
    expect(denied.status).toBe(403);
    const saved = await post(admin, url('PaymentGateway', gatewayId, 'setCredentials'), { secretKey: stripe.credentials.secretKey, webhookSecret: stripe.credentials.webhookSecret });
    expect(saved.body.notice).toMatchObject({ type: 'success' });
    const raw = (await t.ds.query('SELECT credentials FROM payment_gateways WHERE id = ?', [gatewayId])) as Row[];
    expect(String(raw[0].credentials)).not.toContain(stripe.credentials.secretKey);
    expect((await post(admin, url('PaymentGateway', gatewayId, 'testConfiguration'))).body.notice.type).toBe('success');

    // A blank field keeps the stored key; a wrong key is reported by the test.
    await post(admin, url('PaymentGateway', gatewayId, 'setCredentials'), { secretKey: 'sk_test_wrong_key_000000000000', webhookSecret: '' });
    const wrong = await post(admin, url('PaymentGateway', gatewayId, 'testConfiguration'));
    expect(wrong.body.notice.type).toBe('error');
    await post(admin, url('PaymentGateway', gatewayId, 'setCredentials'), { secretKey: stripe.credentials.secretKey });
    const gw = await t.built.gateways.get('stripe');
    expect(gw!.settings.credentials).toEqual(stripe.credentials);
    await get(admin, url('PaymentGateway', gatewayId, 'show'));
  });

  it('sets the currencies a gateway takes and its instructions, starting from the current ones', async () => {
    const bank = (await t.ds.getRepository('PaymentGateway').save(t.ds.getRepository('PaymentGateway').create({ code: 'banktransfer', displayName: 'Bank transfer', enabled: true, testMode: false, sortOrder: 2, config: { instructions: 'Old IBAN' } }))) as Row;
    const form = await get(admin, url('PaymentGateway', bank.id, 'gatewayOptions'));
    expect(JSON.parse(form.body.record.params.currentOptions)).toEqual({ currencies: '', instructions: 'Old IBAN' });
    const bad = await post(admin, url('PaymentGateway', bank.id, 'gatewayOptions'), { currencies: 'usd, dollars', instructions: 'New IBAN' });
    expect(bad.body.notice).toMatchObject({ type: 'error', message: expect.stringContaining('DOLLARS') });
    expect(((await t.ds.getRepository('PaymentGateway').findOneByOrFail({ id: bank.id })) as Row).config).toEqual({ instructions: 'Old IBAN' });
    const unknown = await post(admin, url('PaymentGateway', bank.id, 'gatewayOptions'), { currencies: 'USD, XTS', instructions: 'New IBAN' });
    expect(unknown.body.notice.message).toContain('XTS');
    await t.ds.getRepository('Currency').save(t.ds.getRepository('Currency').create({ code: 'USD', prefix: '$', isDefault: false, exchangeRate: '1' })).catch(() => undefined);
    const ok = await post(admin, url('PaymentGateway', bank.id, 'gatewayOptions'), { currencies: 'usd', instructions: 'New IBAN' });
    expect(ok.body.notice.type).toBe('success');
    expect(((await t.ds.getRepository('PaymentGateway').findOneByOrFail({ id: bank.id })) as Row).config).toEqual({ currencies: ['USD'], instructions: 'New IBAN' });
  });

  it('refunds through the gateway and retries a charge from the admin', async () => {
    const save = async (entity: string, data: Row) => (await t.ds.getRepository(entity).save(t.ds.getRepository(entity).create(data))) as Row;
    const usd = ((await t.ds.getRepository('Currency').findOneBy({ code: 'USD' })) as Row | null)?.id ?? (await save('Currency', { code: 'USD', prefix: '$', isDefault: true, exchangeRate: '1' })).id;
    const cat = (await save('ProductCategory', { name: 'Plans', slug: 'plans' })).id;
    const product = (await save('Product', { categoryId: cat, name: 'Plan', slug: 'plan', module: 'none', autoSetup: 'never', paymentType: 'recurring', requireDomain: false, taxable: false })).id;
    await save('ProductPrice', { productId: product, addonId: null, configOptionChoiceId: null, currencyId: usd, cycle: 'monthly', price: 1200, setupFee: 0, enabled: true });
    const user = await createClientUser(t.ds);
    const placed = await new OrderService(t.ds, systemClock, 'UTC').placeOrder({ clientId: user.clientId, items: [{ productId: product, cycle: 'monthly' }] as never });
    if (!placed.ok) throw new Error(placed.message);

    const noCard = await post(billing, url('Invoice', placed.invoiceId, 'retryCharge'));
    expect(noCard.body.notice).toMatchObject({ type: 'error', message: expect.stringContaining('no saved payment method') });

    const started = await t.built.checkout.start({ clientId: user.clientId, invoiceId: placed.invoiceId, gateway: 'stripe' });
    if (!started.ok) throw new Error(started.message);
    const session = [...stripe.sessions.values()].find((s) => s.url === started.redirectUrl)!;
    await stripe.pay(session.id);
    const [payment] = (await t.ds.getRepository('Transaction').find({ where: { invoiceId: placed.invoiceId, type: 'payment' } })) as Row[];
    const refunded = await post(billing, url('Transaction', payment.id, 'refundThroughGateway'), { amount: '5.00', reason: 'goodwill' });
    expect(refunded.body.notice).toMatchObject({ type: 'success' });
    expect([...stripe.refunds.values()].map((r) => r.amount)).toEqual([500]);
    const refunds = (await t.ds.getRepository('Transaction').find({ where: { refundOfId: payment.id } })) as Row[];
    expect(refunds.map((r) => [r.type, Number(r.amountOut), r.gateway])).toEqual([['refund', 500, 'stripe']]);
    const tooMuch = await post(billing, url('Transaction', payment.id, 'refundThroughGateway'), { amount: '50.00' });
    expect(tooMuch.body.notice.type).toBe('error');
    expect(stripe.refunds.size).toBe(1);
  });

  it('marks a flagged notification reviewed, with who and what', async () => {
    const log = (await t.ds.getRepository('GatewayLog').save(t.ds.getRepository('GatewayLog').create({ gateway: 'stripe', direction: 'inbound', eventId: 'evt_flagged_for_review', eventType: 'checkout.session.completed', result: 'flagged', message: 'amount not as asked' }))) as Row;
    const res = await post(billing, url('GatewayLog', log.id, 'markReviewed'), { note: 'Refunded at Stripe' });
    expect(res.body.notice).toMatchObject({ type: 'success' });
    const after = (await t.ds.getRepository('GatewayLog').findOneByOrFail({ id: log.id })) as Row;
    expect(after.result).toBe('reviewed');
    expect(after.message).toContain('Reviewed by billing@shop.test: Refunded at Stripe');
    const dashboard = await get(admin, '/admin/api/dashboard');
    expect(dashboard.body.flaggedPayments ?? 0).toBe(0);
  });

  afterAll(() => {
    for (const text of answers) {
      expect(text).not.toContain(stripe.credentials.secretKey);
      expect(text).not.toContain(stripe.credentials.webhookSecret);
    }
  });
});
