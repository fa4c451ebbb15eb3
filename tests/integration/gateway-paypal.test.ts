import { randomUUID } from 'node:crypto';
import { recordingAnswers } from '../helpers/recording.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  CheckoutRequest, GatewayEvent, GatewaySettings, IncomingNotification, PaymentGatewayModule,
} from '../../src/domain/payments/gateway.js';
import type { Failure } from '../../src/domain/shared/outcome.js';
import { paypalGateway } from '../../src/integrations/payments/paypal.js';
import { toPaypalValue, fromPaypalMoney } from '../../src/integrations/payments/paypal-events.js';
import { unusedPort } from '../fakes/smtp-server.js';
import { startFakePaypal, type Delivery, type FakePaypal } from '../fakes/paypal-server.js';

/** The PayPal module (official SDK) against the fake PayPal over real HTTP on loopback. */
describe('PayPal gateway against the fake PayPal', () => {
  let fake: FakePaypal;
  let gw: PaymentGatewayModule;
  /** Every result the module returned, checked for secrets at the end. */
  const seen: unknown[] = [];

  const settings = (creds: Partial<FakePaypal['credentials']> = {}): GatewaySettings => ({
    code: 'paypal', displayName: 'PayPal', testMode: true, config: {}, credentials: { ...fake.credentials, ...creds },
  });
  const checkout = (over: Partial<CheckoutRequest> = {}): CheckoutRequest => ({
    attemptId: randomUUID(),
    invoice: { id: 42, number: 'INV-2024-0042', description: 'Invoice INV-2024-0042: Business hosting' },
    amount: 12345, currency: 'USD', exponent: 2,
    customer: { clientId: 7, email: 'jane@example.com', name: 'Jane Doe', country: 'US', phone: null, address: null, city: null, postcode: null },
    providerCustomerId: null, saveMethod: false,
    returnUrl: 'https://billing.example.com/pay/paypal/return?attempt=1', cancelUrl: 'https://billing.example.com/invoices/42',
    notifyUrl: 'https://billing.example.com/webhooks/paypal',
    ...over,
  });
  const module = (g: PaymentGatewayModule): PaymentGatewayModule => recordingAnswers(g, (r) => seen.push(r));
  const ok = <T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> => {
    if (!r.ok) throw new Error(`expected success, got ${JSON.stringify(r)}`);
    return r as Extract<T, { ok: true }>;
  };
  const failed = (r: { ok: boolean }): Failure => {
    if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r)}`);
    return r as Failure;
  };
  const incoming = (d: Delivery, o: { receivedAt?: Date; body?: string; headers?: Record<string, string | undefined> } = {}): IncomingNotification => ({
    rawBody: Buffer.from(o.body ?? d.body), headers: o.headers ?? { ...d.headers }, form: {}, query: {}, ip: '127.0.0.1',
    receivedAt: o.receivedAt ?? new Date(Date.parse(d.headers['paypal-transmission-time']) + 2000),
  });
  const queryOf = (url: string) => Object.fromEntries(new URL(url).searchParams);
  const deliveryFor = (type: string, resourceId: string) => {
    const d = fake.deliveries.find((x) => x.type === type && JSON.parse(x.body).resource.id === resourceId);
    if (!d) throw new Error(`no ${type} delivery for ${resourceId}`);
    return d;
  };
  const tokenCalls = () => fake.calls.filter((c) => c.path === '/v1/oauth2/token').length;

  /** Checkout → buyer approves on PayPal → return captures; the event it reports. */
  async function paidOrder(over: Partial<CheckoutRequest> = {}, pay: { pending?: boolean } = {}) {
    const req = checkout(over);
    const started = ok(await gw.startCheckout(settings(), req));
    const back = await fake.pay(started.reference, pay);
    const done = ok(await gw.completeReturn(settings(), queryOf(back.returnUrl), started.reference));
    return { req, orderId: started.reference, event: done.event as GatewayEvent };
  }

  beforeAll(async () => {
    fake = await startFakePaypal();
    gw = module(paypalGateway({ apiBase: fake.url, timeoutMs: 5000 }));
  });
  afterAll(async () => {
    await fake.close();
    const text = JSON.stringify(seen);
    expect(text).not.toContain(fake.credentials.clientSecret);
    expect(text).not.toMatch(/A21AA[\w-]{10,}/); // the fake's access tokens
  });

  it('describes itself', () => {
    expect(gw.code).toBe('paypal');
    expect(gw.credentialFields.map((f) => f.key)).toEqual(['clientId', 'clientSecret', 'webhookId']);
    expect(gw.supports).toEqual({ refunds: true, savedMethods: false });
  });

  it('creates an order the way PayPal wants it and sends the customer to payer-action', async () => {
    const req = checkout();
    const r = ok(await gw.startCheckout(settings(), req));
    const call = fake.calls.filter((c) => c.path === '/v2/checkout/orders').at(-1)!;
    expect(call.headers['paypal-request-id']).toBe(req.attemptId);
    expect(call.headers.authorization).toMatch(/^Bearer A21AA/);
    const body = call.body as any;
    expect(body.intent).toBe('CAPTURE');
    expect(body.purchase_units).toEqual([{
      reference_id: '42', custom_id: req.attemptId, invoice_id: `INV-2024-0042-${req.attemptId.slice(0, 8)}`,
      description: 'Invoice INV-2024-0042: Business hosting', amount: { currency_code: 'USD', value: '123.45' },
    }]);
    expect(body.payment_source.paypal.experience_context).toEqual({
      return_url: req.returnUrl, cancel_url: req.cancelUrl, user_action: 'PAY_NOW', shipping_preference: 'NO_SHIPPING',
    });
    expect(fake.orders.get(r.reference)?.status).toBe('PAYER_ACTION_REQUIRED');
    expect(r.redirectUrl).toBe(`${fake.url}/checkoutnow?token=${r.reference}`);
    expect(fake.orders.get(r.reference)?.links.find((l) => l.rel === 'payer-action')?.href).toBe(r.redirectUrl);
    expect(JSON.stringify(r.request)).toContain(req.attemptId);
    expect(r.response).toMatchObject({ id: r.reference, status: 'PAYER_ACTION_REQUIRED' });
  });

  it('replays the same order for the same attempt (PayPal-Request-Id)', async () => {
    const req = checkout();
    const a = ok(await gw.startCheckout(settings(), req));
    const size = fake.orders.size;
    const b = ok(await gw.startCheckout(settings(), req));
    expect(b.reference).toBe(a.reference);
    expect(fake.orders.size).toBe(size);
  });

  it('formats amounts without floats, per PayPal currency rules', async () => {
    expect(toPaypalValue(5, 'USD', 2)).toBe('0.05');
    expect(toPaypalValue(1500, 'JPY', 0)).toBe('1500');
    expect(toPaypalValue(150000, 'HUF', 2)).toBe('1500');
    expect(toPaypalValue(150050, 'HUF', 2)).toBeNull();
    expect(toPaypalValue(900719925474099, 'USD', 2)).toBe('9007199254740.99');
    expect(fromPaypalMoney({ currency_code: 'HUF', value: '1500' })).toEqual({ amount: 150000, currency: 'HUF' });
    expect(fromPaypalMoney({ currency_code: 'JPY', value: '1500' })).toEqual({ amount: 1500, currency: 'JPY' });
    expect(fromPaypalMoney({ currency_code: 'USD', value: '0.10' })).toEqual({ amount: 10, currency: 'USD' });

    const jpy = ok(await gw.startCheckout(settings(), checkout({ amount: 1500, currency: 'JPY', exponent: 0 })));
    expect(fake.orders.get(jpy.reference)?.purchaseUnit.amount).toEqual({ currency_code: 'JPY', value: '1500' });
    expect(failed(await gw.startCheckout(settings(), checkout({ amount: 150050, currency: 'HUF', exponent: 2 }))).error).toBe('invalid');
    const xyz = failed(await gw.startCheckout(settings(), checkout({ currency: 'XYZ' })));
    expect(xyz.error).toBe('invalid');
    expect(xyz.message).toContain('CURRENCY_NOT_SUPPORTED');
    expect(failed(await gw.startCheckout(settings(), checkout({ amount: 0 }))).error).toBe('invalid');
  });

  it('cuts a long description to the 127 characters PayPal accepts', async () => {
    const r = ok(await gw.startCheckout(settings(), checkout({ invoice: { id: 43, number: 'INV-43', description: 'x'.repeat(300) } })));
    expect(fake.orders.get(r.reference)?.purchaseUnit.description).toHaveLength(127);
  });

  it('captures on return and reports the capture; the webhook reports the same capture', async () => {
    const { req, orderId, event } = await paidOrder();
    const order = fake.orders.get(orderId)!;
    const capture = fake.captures.get(order.captureId!)!;
    expect(fake.calls.find((c) => c.path === `/v2/checkout/orders/${orderId}/capture`)?.headers['paypal-request-id']).toBe(`capture-${orderId}`);
    expect(event).toMatchObject({
      eventId: `capture:${capture.id}`, eventType: 'PAYMENT.CAPTURE.COMPLETED', outcome: 'succeeded', attemptId: req.attemptId,
      checkoutReference: orderId, transactionReference: capture.id, invoiceId: 42, amount: 12345, currency: 'USD',
      fees: 480, failureMessage: null, savedMethod: null,
    });

    const d = deliveryFor('PAYMENT.CAPTURE.COMPLETED', capture.id);
    expect(d.status).toBe(0); // no notify URL set: recorded, not sent
    const v = ok(await gw.verifyNotification(settings(), incoming(d)));
    expect(v.event).toMatchObject({
      eventId: d.eventId, eventType: 'PAYMENT.CAPTURE.COMPLETED', outcome: 'succeeded', attemptId: req.attemptId,
      checkoutReference: orderId, transactionReference: capture.id, invoiceId: 42, amount: 12345, currency: 'USD', fees: 480,
    });
    expect(v.event.eventId).toMatch(/^WH-/);
    expect((v.event.payload as any).resource.id).toBe(capture.id);
  });

  it('reports the same capture when the customer comes back twice', async () => {
    const { orderId, event, req } = await paidOrder();
    const again = ok(await gw.completeReturn(settings(), { token: orderId, PayerID: 'X' }, orderId));
    expect(again.event).toMatchObject({ eventId: event.eventId, transactionReference: event.transactionReference, amount: 12345, attemptId: req.attemptId });
    expect([...fake.captures.values()].filter((c) => c.orderId === orderId)).toHaveLength(1);
  });

  it('reports the earlier capture when PayPal answers ORDER_ALREADY_CAPTURED', async () => {
    const req = checkout();
    const started = ok(await gw.startCheckout(settings(), req));
    await fake.pay(started.reference);
    // Someone captured with another request id (another tab, an older code path).
    const tok = await fetch(`${fake.url}/v1/oauth2/token`, {
      method: 'POST', body: 'grant_type=client_credentials',
      headers: { authorization: `Basic ${Buffer.from(`${fake.credentials.clientId}:${fake.credentials.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    const first = await fetch(`${fake.url}/v2/checkout/orders/${started.reference}/capture`, {
      method: 'POST', headers: { authorization: `Bearer ${tok.access_token}`, 'content-type': 'application/json', 'paypal-request-id': 'other-key' },
    });
    expect(first.status).toBe(201);
    const captureId = fake.orders.get(started.reference)!.captureId!;
    const r = ok(await gw.completeReturn(settings(), { token: started.reference, PayerID: 'P' }, started.reference));
    expect(fake.calls.filter((c) => c.path === `/v2/checkout/orders/${started.reference}/capture`).map((c) => c.status)).toEqual([201, 422]);
    expect(r.event).toMatchObject({ eventId: `capture:${captureId}`, outcome: 'succeeded', transactionReference: captureId, invoiceId: 42, attemptId: req.attemptId, amount: 12345 });
  });

  it('refuses a return before the buyer approved, and a return for another order', async () => {
    const started = ok(await gw.startCheckout(settings(), checkout()));
    expect(failed(await gw.completeReturn(settings(), { token: started.reference }, started.reference)).error).toBe('not_approved');
    expect(fake.captures.size === 0 || ![...fake.captures.values()].some((c) => c.orderId === started.reference)).toBe(true);
    expect(failed(await gw.completeReturn(settings(), { token: 'SOMEOTHERORDER' }, started.reference)).error).toBe('invalid');
    expect(failed(await gw.completeReturn(settings(), {}, started.reference)).error).toBe('invalid');
  });

  it('reports a declined funding source, then the capture after the buyer picks another', async () => {
    const req = checkout();
    const started = ok(await gw.startCheckout(settings(), req));
    await fake.pay(started.reference, { decline: true });
    const declined = ok(await gw.completeReturn(settings(), { token: started.reference, PayerID: 'P' }, started.reference));
    expect(declined.event).toMatchObject({
      outcome: 'failed', eventType: 'PAYMENT.CAPTURE.DECLINED', transactionReference: null, checkoutReference: started.reference,
      attemptId: req.attemptId, invoiceId: 42, amount: null,
    });
    expect(declined.event!.failureMessage).toMatch(/declined/);
    expect(declined.event!.eventId).toMatch(new RegExp(`^declined:${started.reference}:`));
    expect(fake.orders.get(started.reference)?.captureId).toBeNull();

    const back = await fake.pay(started.reference);
    const paid = ok(await gw.completeReturn(settings(), queryOf(back.returnUrl), started.reference));
    expect(paid.event).toMatchObject({ outcome: 'succeeded', transactionReference: fake.orders.get(started.reference)!.captureId, amount: 12345 });
  });

  it('reports a pending capture, then its completion or denial by webhook', async () => {
    const a = await paidOrder({}, { pending: true });
    expect(a.event).toMatchObject({ outcome: 'pending', eventType: 'PAYMENT.CAPTURE.PENDING', amount: 12345, fees: null });
    const done = await fake.settlePending(a.event.transactionReference!);
    const v = ok(await gw.verifyNotification(settings(), incoming(done)));
    expect(v.event).toMatchObject({ outcome: 'succeeded', transactionReference: a.event.transactionReference, invoiceId: 42, attemptId: a.req.attemptId });

    const b = await paidOrder({}, { pending: true });
    const denied = await fake.settlePending(b.event.transactionReference!, { deny: true });
    const w = ok(await gw.verifyNotification(settings(), incoming(denied)));
    expect(w.event).toMatchObject({ outcome: 'failed', eventType: 'PAYMENT.CAPTURE.DENIED', transactionReference: b.event.transactionReference, attemptId: b.req.attemptId });
    expect(w.event.failureMessage).toBeTruthy();
  });

  describe('webhook verification', () => {
    let genuine: Delivery;
    let captureId: string;
    beforeAll(async () => {
      const { event } = await paidOrder();
      captureId = event.transactionReference!;
      genuine = deliveryFor('PAYMENT.CAPTURE.COMPLETED', captureId);
    });

    it('accepts the genuine delivery', async () => {
      expect(ok(await gw.verifyNotification(settings(), incoming(genuine))).event.transactionReference).toBe(captureId);
    });

    it('refuses a wrong signature', async () => {
      const forged = fake.event('PAYMENT.CAPTURE.COMPLETED', JSON.parse(genuine.body).resource, { forge: true });
      expect(failed(await gw.verifyNotification(settings(), incoming(forged))).error).toBe('forged');
    });

    it('refuses a tampered body', async () => {
      const body = genuine.body.replace('"value":"123.45"', '"value":"1.00"');
      expect(body).not.toBe(genuine.body);
      expect(failed(await gw.verifyNotification(settings(), incoming(genuine, { body }))).error).toBe('forged');
    });

    it('refuses a delivery signed for another webhook id', async () => {
      expect(failed(await gw.verifyNotification(settings({ webhookId: '9XL90610J3647323C' }), incoming(genuine))).error).toBe('forged');
    });

    it('refuses missing headers and an empty webhook id', async () => {
      const headers = { ...genuine.headers };
      delete headers['paypal-transmission-sig'];
      expect(failed(await gw.verifyNotification(settings(), incoming(genuine, { headers }))).error).toBe('forged');
      const cfg = failed(await gw.verifyNotification(settings({ webhookId: '' }), incoming(genuine)));
      expect(cfg.error).toBe('config');
      expect(cfg.message).toContain('Webhook ID');
    });

    it('refuses a transmission more than 300 s from arrival, either way', async () => {
      const sent = Date.parse(genuine.headers['paypal-transmission-time']);
      expect(failed(await gw.verifyNotification(settings(), incoming(genuine, { receivedAt: new Date(sent + 301_000) }))).error).toBe('stale');
      expect(failed(await gw.verifyNotification(settings(), incoming(genuine, { receivedAt: new Date(sent - 301_000) }))).error).toBe('stale');
      expect(ok(await gw.verifyNotification(settings(), incoming(genuine, { receivedAt: new Date(sent + 299_000) }))).event.eventId).toBe(genuine.eventId);
      const old = fake.event('PAYMENT.CAPTURE.COMPLETED', JSON.parse(genuine.body).resource, { transmissionTime: new Date(sent - 3600_000) });
      expect(failed(await gw.verifyNotification(settings(), incoming(old, { receivedAt: new Date(sent) }))).error).toBe('stale');
    });

    it('refuses a body that is not a PayPal event', async () => {
      expect(failed(await gw.verifyNotification(settings(), incoming(genuine, { body: 'not json' }))).error).toBe('invalid');
    });

    it('ignores event types it has no use for', async () => {
      const d = fake.event('CHECKOUT.ORDER.APPROVED', { id: 'ORDER1', status: 'APPROVED' });
      expect(ok(await gw.verifyNotification(settings(), incoming(d))).event).toMatchObject({ outcome: 'ignored', eventId: d.eventId, amount: null });
    });

    it('answers unavailable when PayPal cannot verify right now', async () => {
      fake.failNext(1, 503);
      expect(failed(await gw.verifyNotification(settings(), incoming(genuine))).error).toBe('unavailable');
    });

    it('works through real HTTP deliveries, resends included', async () => {
      const seenIds: string[] = [];
      const receiver = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', async () => {
          const r = await gw.verifyNotification(settings(), {
            rawBody: Buffer.concat(chunks), headers: req.headers as Record<string, string>, form: {}, query: {}, ip: null, receivedAt: new Date(),
          });
          if (r.ok) seenIds.push(r.event.eventId);
          res.writeHead(r.ok ? 200 : 400).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
      fake.setNotifyUrl(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/paypal`);
      try {
        const { event } = await paidOrder();
        await fake.flush();
        const d = deliveryFor('PAYMENT.CAPTURE.COMPLETED', event.transactionReference!);
        expect(d.status).toBe(200);
        expect(await fake.redeliver(d, { times: 3, concurrent: true })).toEqual([200, 200, 200]);
        expect(seenIds).toEqual([d.eventId, d.eventId, d.eventId, d.eventId]);
        expect(await fake.send(fake.event('PAYMENT.CAPTURE.COMPLETED', { id: 'X' }, { forge: true }))).toBe(400);
      } finally {
        fake.setNotifyUrl(null);
        await new Promise<void>((resolve) => receiver.close(() => resolve()));
      }
    });
  });

  describe('refunds', () => {
    it('refunds part, replays the same key, refunds the rest, then refuses more', async () => {
      const { event, req } = await paidOrder();
      const captureId = event.transactionReference!;
      const key = randomUUID();
      const refund = (amount: number, idempotencyKey = randomUUID()) => gw.refund(settings(), {
        transactionReference: captureId, amount, currency: 'USD', exponent: 2, reason: 'Customer asked', idempotencyKey,
      });
      const part = ok(await refund(2345, key));
      expect(part.status).toBe('succeeded');
      expect(fake.refunds.get(part.refundReference)).toMatchObject({ captureId, minor: 2345, currency: 'USD' });
      const call = fake.calls.filter((c) => c.path === `/v2/payments/captures/${captureId}/refund`).at(-1)!;
      expect(call.headers['paypal-request-id']).toBe(key);
      expect(call.body).toEqual({ amount: { currency_code: 'USD', value: '23.45' } });
      expect(fake.captures.get(captureId)?.status).toBe('PARTIALLY_REFUNDED');

      const count = fake.refunds.size;
      const again = ok(await refund(2345, key));
      expect(again.refundReference).toBe(part.refundReference);
      expect(fake.refunds.size).toBe(count);

      const d = deliveryFor('PAYMENT.CAPTURE.REFUNDED', part.refundReference);
      const v = ok(await gw.verifyNotification(settings(), incoming(d)));
      expect(v.event).toMatchObject({
        outcome: 'refunded', eventType: 'PAYMENT.CAPTURE.REFUNDED', transactionReference: captureId, amount: 2345, currency: 'USD',
        invoiceId: 42, attemptId: req.attemptId, checkoutReference: fake.captures.get(captureId)!.orderId,
      });

      const exceed = failed(await refund(10001));
      expect(exceed.error).toBe('invalid');
      expect(exceed.message).toContain('REFUND_AMOUNT_EXCEEDED');
      expect(ok(await refund(10000)).status).toBe('succeeded');
      expect(fake.captures.get(captureId)?.status).toBe('REFUNDED');
      expect(failed(await refund(1)).message).toContain('CAPTURE_FULLY_REFUNDED');
    });

    it('refunds in full and says not_found for an unknown capture', async () => {
      const { event } = await paidOrder({ amount: 999 });
      const full = ok(await gw.refund(settings(), {
        transactionReference: event.transactionReference!, amount: 999, currency: 'USD', exponent: 2, reason: 'Cancelled', idempotencyKey: randomUUID(),
      }));
      expect(fake.refunds.get(full.refundReference)?.minor).toBe(999);
      expect(fake.captures.get(event.transactionReference!)?.status).toBe('REFUNDED');
      expect(failed(await gw.refund(settings(), {
        transactionReference: 'NOSUCHCAPTURE0000', amount: 1, currency: 'USD', exponent: 2, reason: '', idempotencyKey: randomUUID(),
      })).error).toBe('not_found');
    });
  });

  it('does not charge saved methods', async () => {
    const r = failed(await gw.chargeSavedMethod(settings(), {
      method: { providerCustomerId: null, token: 'x', type: 'paypal', brand: null, lastFour: null, expMonth: null, expYear: null },
      amount: 100, currency: 'USD', exponent: 2, invoice: { id: 1, number: 'INV-1', description: 'x' }, idempotencyKey: 'k',
    }));
    expect(r.error).toBe('unsupported');
  });

  describe('configuration and outages', () => {
    it('tests the configuration: keys, then the webhook id', async () => {
      const good = ok(await gw.testConfiguration(settings()));
      expect(good.message).toContain(fake.credentials.webhookId);
      const bad = failed(await gw.testConfiguration(settings({ clientSecret: 'wrong-secret' })));
      expect(bad).toMatchObject({ error: 'config' });
      expect(bad.message).toMatch(/Client ID and Client secret/);
      expect(failed(await gw.testConfiguration(settings({ webhookId: 'NOSUCHWEBHOOK0000' })))).toMatchObject({ error: 'config', field: 'webhookId' });
      expect(failed(await gw.testConfiguration(settings({ clientId: '' })))).toMatchObject({ error: 'config', field: 'clientId' });
    });

    it('says config when the keys are wrong for a checkout', async () => {
      const r = failed(await gw.startCheckout(settings({ clientId: 'AZsomeoneElse' }), checkout()));
      expect(r.error).toBe('config');
    });

    it('caches the access token per app and fetches a new one when PayPal drops it', async () => {
      const fresh = paypalGateway({ apiBase: fake.url });
      const before = tokenCalls();
      ok(await fresh.startCheckout(settings(), checkout()));
      ok(await fresh.startCheckout(settings(), checkout()));
      expect(tokenCalls()).toBe(before + 1);
      fake.revokeTokens();
      ok(await fresh.startCheckout(settings(), checkout()));
      expect(tokenCalls()).toBe(before + 2);
    });

    it('answers unavailable on PayPal 5xx (API or token) and when PayPal cannot be reached', async () => {
      fake.failNext(1, 503);
      expect(failed(await gw.startCheckout(settings(), checkout())).error).toBe('unavailable');
      fake.failNext(1, 500);
      const noToken = failed(await paypalGateway({ apiBase: fake.url }).startCheckout(settings(), checkout()));
      expect(noToken.error).toBe('unavailable');
      const { orderId } = await (async () => {
        const s = ok(await gw.startCheckout(settings(), checkout()));
        await fake.pay(s.reference);
        return { orderId: s.reference };
      })();
      fake.failNext(1, 502);
      expect(failed(await gw.completeReturn(settings(), { token: orderId }, orderId)).error).toBe('unavailable');
      // A retry of the same return still captures once.
      expect(ok(await gw.completeReturn(settings(), { token: orderId }, orderId)).event?.outcome).toBe('succeeded');

      const down = paypalGateway({ apiBase: `http://127.0.0.1:${await unusedPort()}`, timeoutMs: 2000 });
      expect(failed(await down.testConfiguration(settings())).error).toBe('unavailable');
      expect(failed(await down.startCheckout(settings(), checkout())).error).toBe('unavailable');
    });
  });
});
