import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CheckoutRequest, GatewayEvent, GatewaySettings, IncomingNotification, PaymentGatewayModule, SavedMethodInfo } from '../../src/domain/payments/gateway.js';
import type { Failure } from '../../src/domain/shared/outcome.js';
import { stripeGateway } from '../../src/integrations/payments/stripe.js';
import { unusedPort } from '../fakes/smtp-server.js';
import { startFakeStripe, type Delivery, type FakeStripe } from '../fakes/stripe-server.js';

/** The Stripe module (official SDK) against the fake Stripe over real HTTP: checkout, webhooks, refunds, saved cards. */
describe('Stripe gateway against the fake Stripe', () => {
  let fake: FakeStripe;
  let stripe: PaymentGatewayModule;
  let hook: http.Server;
  let hookUrl: string;
  /** What the webhook endpoint received: the exact bytes and headers. */
  const received: Array<{ body: Buffer; headers: Record<string, string | undefined> }> = [];
  /** Every outcome the module returned, checked for secrets after each test. */
  const seen: unknown[] = [];

  const settings = (credentials: Record<string, string> = {}): GatewaySettings => ({
    code: 'stripe', displayName: 'Stripe', testMode: true, config: {}, credentials: { ...fake.credentials, ...credentials },
  });
  let attempt = 0;
  const checkout = (over: Partial<CheckoutRequest> = {}): CheckoutRequest => ({
    attemptId: `att_${++attempt}_${Date.now()}`,
    invoice: { id: 1042, number: 'INV-2025-0042', description: 'Web hosting, 12 months' },
    amount: 12345, currency: 'USD', exponent: 2,
    customer: { clientId: 7, email: 'ada@example.test', name: 'Ada Lovelace', country: 'GB', phone: null, address: null, city: null, postcode: null },
    providerCustomerId: null, saveMethod: false,
    returnUrl: 'https://billing.example.test/pay/return?attempt=a1', cancelUrl: 'https://billing.example.test/invoices/1042',
    notifyUrl: 'https://billing.example.test/webhooks/stripe',
    ...over,
  });
  const incoming = (body: Buffer | string, headers: Record<string, string | undefined>, receivedAt = new Date()): IncomingNotification => ({
    rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body), headers, form: {}, query: {}, ip: '127.0.0.1', receivedAt,
  });
  const fromDelivery = (d: Delivery, receivedAt?: Date) => incoming(d.body, d.headers, receivedAt);
  const track = <T>(r: T): T => { seen.push(r); return r; };
  const ok = <T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> => {
    track(r);
    if (!r.ok) throw new Error(`expected success, got ${JSON.stringify(r)}`);
    return r as Extract<T, { ok: true }>;
  };
  const failed = (r: { ok: boolean }): Failure => {
    track(r);
    if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r)}`);
    return r as Failure;
  };
  const verify = async (n: IncomingNotification, s = settings()): Promise<GatewayEvent> => ok(await stripe.verifyNotification(s, n)).event;
  const fee = (amount: number) => Math.floor((amount * 29 + 500) / 1000) + 30;
  /** A checkout paid on the fake, with the events the endpoint received. */
  async function paid(over: Partial<CheckoutRequest> = {}, pay: Parameters<FakeStripe['pay']>[1] = {}) {
    const req = checkout(over);
    const started = ok(await stripe.startCheckout(settings(), req));
    const from = received.length;
    const done = await fake.pay(started.reference, pay);
    const events = [];
    for (const r of received.slice(from)) events.push(await verify(incoming(r.body, r.headers)));
    return { req, started, done, events };
  }

  beforeAll(async () => {
    fake = await startFakeStripe();
    stripe = stripeGateway({ apiBase: fake.url, timeoutMs: 5000 });
    hook = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks), headers: req.headers as Record<string, string | undefined> });
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/webhooks/stripe`;
  });
  beforeEach(() => {
    fake.reset();
    fake.setNotifyUrl(hookUrl);
    received.splice(0);
  });
  afterEach(async () => {
    await fake.idle();
    // Nothing returned for logs or callers may carry the keys or a PaymentIntent's client secret.
    const text = JSON.stringify(seen.splice(0));
    for (const secret of [fake.credentials.secretKey, fake.credentials.webhookSecret, '_secret_']) expect(text).not.toContain(secret);
  });
  afterAll(async () => {
    await fake.close();
    await new Promise<void>((r) => hook.close(() => r()));
  });

  it('describes itself for the admin', () => {
    expect(stripe.code).toBe('stripe');
    expect(stripe.credentialFields).toEqual([
      { key: 'secretKey', label: 'Secret key (sk_…)' },
      { key: 'webhookSecret', label: 'Webhook signing secret (whsec_…)' },
    ]);
    expect(stripe.supports).toEqual({ refunds: true, savedMethods: true });
  });

  it('creates a hosted Checkout Session for the invoice amount, idempotently per attempt', async () => {
    const req = checkout();
    const started = ok(await stripe.startCheckout(settings(), req));
    expect(started.reference).toMatch(/^cs_test_/);
    expect(started.redirectUrl).toBe(`${fake.url}/c/pay/${started.reference}`);
    const s = fake.sessions.get(started.reference)!;
    expect(s).toMatchObject({
      object: 'checkout.session', mode: 'payment', amount_total: 12345, currency: 'usd', client_reference_id: '1042', customer: null,
      customer_email: 'ada@example.test', metadata: { invoice_id: '1042', attempt_id: req.attemptId }, status: 'open', payment_status: 'unpaid',
      success_url: 'https://billing.example.test/pay/return?attempt=a1&session_id={CHECKOUT_SESSION_ID}', cancel_url: req.cancelUrl,
    });
    const [call] = fake.calls;
    expect(call).toMatchObject({ method: 'POST', path: '/v1/checkout/sessions', idempotencyKey: req.attemptId, status: 200 });
    expect(call.params.line_items).toEqual([{ price_data: { currency: 'usd', unit_amount: '12345', product_data: { name: 'Invoice INV-2025-0042' } }, quantity: '1' }]);
    expect(call.params.payment_intent_data).toEqual({ metadata: { invoice_id: '1042', attempt_id: req.attemptId }, description: 'Invoice INV-2025-0042' });
    expect(call.params.customer_creation).toBeUndefined();

    // A retried start (double click, timeout) gets the same session back, not a second one.
    const again = ok(await stripe.startCheckout(settings(), req));
    expect(again.reference).toBe(started.reference);
    expect(fake.sessions.size).toBe(1);
    expect(fake.calls[1].replayed).toBe(true);
  });

  it('asks Stripe to keep the card when saveMethod, and reuses a known customer', async () => {
    ok(await stripe.startCheckout(settings(), checkout({ saveMethod: true, returnUrl: 'https://billing.example.test/return' })));
    expect(fake.calls[0].params).toMatchObject({
      customer_email: 'ada@example.test', customer_creation: 'always', success_url: 'https://billing.example.test/return?session_id={CHECKOUT_SESSION_ID}',
      payment_intent_data: { setup_future_usage: 'off_session' },
    });
    const first = await paid({ saveMethod: true });
    const cus = first.events[1].savedMethod!.providerCustomerId!;
    ok(await stripe.startCheckout(settings(), checkout({ saveMethod: true, providerCustomerId: cus })));
    const params = fake.calls.at(-1)!.params;
    expect(params.customer).toBe(cus);
    expect(params.customer_email).toBeUndefined();
    expect(params.customer_creation).toBeUndefined();
  });

  it('turns a paid checkout into two verified events of one payment, with the fee', async () => {
    const { req, started, done, events } = await paid();
    expect(done.returnUrl).toBe(`https://billing.example.test/pay/return?attempt=a1&session_id=${started.reference}`);
    expect(done.deliveries.map((d) => [d.type, d.status])).toEqual([['payment_intent.succeeded', 200], ['checkout.session.completed', 200]]);
    const pi = fake.sessions.get(started.reference)!.payment_intent as string;
    expect(pi).toMatch(/^pi_/);
    const common = { outcome: 'succeeded', transactionReference: pi, invoiceId: 1042, attemptId: req.attemptId, amount: 12345, currency: 'USD', fees: fee(12345), savedMethod: null, failureMessage: null };
    expect(events[0]).toMatchObject({ ...common, eventType: 'payment_intent.succeeded', checkoutReference: null, eventId: done.deliveries[0].eventId });
    expect(events[1]).toMatchObject({ ...common, eventType: 'checkout.session.completed', checkoutReference: started.reference, eventId: done.deliveries[1].eventId });
    expect(fee(12345)).toBe(388);
    expect(fake.balanceTransactions.get(fake.charges.get(fake.paymentIntents.get(pi)!.latest_charge)!.balance_transaction)!.fee).toBe(388);
    expect((events[1].payload as { id: string }).id).toBe(done.deliveries[1].eventId);

    expect(ok(await stripe.completeReturn(settings(), { session_id: started.reference }, started.reference)).event).toBeNull();
  });

  it('reports the saved card (customer, token, brand, last four, expiry) and keeps the token out of the log payload', async () => {
    const { events } = await paid({ saveMethod: true }, { card: { brand: 'mastercard', last4: '4444' } });
    const pm = [...fake.paymentMethods.values()][0];
    const expected: SavedMethodInfo = {
      providerCustomerId: pm.customer, token: pm.id, type: 'card', brand: 'mastercard', lastFour: '4444', expMonth: 12, expYear: pm.card.exp_year,
    };
    expect(pm.customer).toMatch(/^cus_/);
    for (const e of events) expect(e.savedMethod).toEqual(expected);
    for (const e of events) expect(JSON.stringify(e.payload)).not.toContain(pm.id);
  });

  it('reports a card declined at checkout as a failed payment, only once', async () => {
    const { req, started, done, events } = await paid({}, { decline: true });
    expect(done.returnUrl).toBe(req.cancelUrl);
    expect(done.deliveries.map((d) => d.type)).toEqual(['payment_intent.payment_failed']);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      outcome: 'failed', failureMessage: 'Your card was declined.', amount: 12345, currency: 'USD', invoiceId: 1042, attemptId: req.attemptId,
      transactionReference: fake.sessions.get(started.reference)!.payment_intent, fees: null, savedMethod: null,
    });
    expect(fake.sessions.get(started.reference)!.status).toBe('open');
  });

  it('rejects forged, tampered, stale and unreadable notifications', async () => {
    const { done } = await paid();
    const genuine = done.deliveries[1];
    // Signed with another secret.
    const forged = fake.event('checkout.session.completed', JSON.parse(genuine.body).data.object, { secret: 'whsec_attacker' });
    expect(failed(await stripe.verifyNotification(settings(), fromDelivery(forged))).error).toBe('forged');
    // A genuine signature over a body someone changed.
    const tampered = genuine.body.replace('"amount_total": 12345', '"amount_total": 1');
    expect(tampered).not.toBe(genuine.body);
    expect(failed(await stripe.verifyNotification(settings(), incoming(tampered, genuine.headers))).error).toBe('forged');
    // No signature at all; a signature we cannot parse.
    expect(failed(await stripe.verifyNotification(settings(), incoming(genuine.body, { 'content-type': 'application/json' }))).error).toBe('forged');
    expect(failed(await stripe.verifyNotification(settings(), incoming(genuine.body, { 'stripe-signature': 'garbage' }))).error).toBe('forged');
    // Genuine but old: signed 10 minutes ago, or received (replayed) 10 minutes after signing.
    const old = fake.event('payment_intent.succeeded', fake.paymentIntents.values().next().value!, { timestamp: Math.floor(Date.now() / 1000) - 600 });
    const stale = failed(await stripe.verifyNotification(settings(), fromDelivery(old)));
    expect(stale).toMatchObject({ error: 'stale' });
    expect(stale.message).toMatch(/5 minutes/);
    expect(failed(await stripe.verifyNotification(settings(), fromDelivery(genuine, new Date(Date.now() + 600_000)))).error).toBe('stale');
    const future = fake.event('payment_intent.succeeded', {}, { timestamp: Math.floor(Date.now() / 1000) + 600 });
    expect(failed(await stripe.verifyNotification(settings(), fromDelivery(future))).error).toBe('stale');
    // Within the tolerance is fine.
    const recent = fake.event('customer.created', { id: 'cus_1', object: 'customer' }, { timestamp: Math.floor(Date.now() / 1000) - 200 });
    expect((await verify(fromDelivery(recent))).outcome).toBe('ignored');
    // Correctly signed bytes that are not an event.
    const t = Math.floor(Date.now() / 1000);
    const junk = 'not json at all';
    const sig = createHmac('sha256', fake.credentials.webhookSecret).update(`${t}.${junk}`).digest('hex');
    expect(failed(await stripe.verifyNotification(settings(), incoming(junk, { 'stripe-signature': `t=${t},v1=${sig}` }))).error).toBe('invalid');
    // Without the signing secret nothing can be verified.
    const noSecret = failed(await stripe.verifyNotification(settings({ webhookSecret: '' }), fromDelivery(genuine)));
    expect(noSecret).toMatchObject({ error: 'config', field: 'webhookSecret' });
  });

  it('gives redelivered and out-of-order events the same keys, and ignores other event types', async () => {
    const req = checkout();
    const started = ok(await stripe.startCheckout(settings(), req));
    fake.setNotifyUrl(null); // hold the events back and deliver them ourselves
    const { deliveries } = await fake.pay(started.reference);
    expect(deliveries.map((d) => d.status)).toEqual([0, 0]);
    fake.setNotifyUrl(hookUrl);
    const [piEvent, sessionEvent] = deliveries;
    expect(await fake.send(sessionEvent)).toBe(200);
    expect(await fake.send(piEvent)).toBe(200);
    expect(await fake.redeliver(sessionEvent, { times: 3, concurrent: true })).toEqual([200, 200, 200]);
    const events = [];
    for (const r of received) events.push(await verify(incoming(r.body, r.headers)));
    expect(events.map((e) => e.eventType)).toEqual(['checkout.session.completed', 'payment_intent.succeeded', 'checkout.session.completed', 'checkout.session.completed', 'checkout.session.completed']);
    expect(new Set(events.map((e) => e.transactionReference)).size).toBe(1);
    expect(events.slice(2).every((e) => e.eventId === sessionEvent.eventId)).toBe(true);

    const other = await verify(fromDelivery(fake.event('invoice.paid', { id: 'in_1', object: 'invoice' })));
    expect(other).toMatchObject({ outcome: 'ignored', eventType: 'invoice.paid', transactionReference: null, amount: null });
    expect(other.eventId).toMatch(/^evt_/);
    const unpaid = await verify(fromDelivery(fake.event('checkout.session.completed', { ...JSON.parse(sessionEvent.body).data.object, payment_status: 'unpaid' })));
    expect(unpaid).toMatchObject({ outcome: 'pending', checkoutReference: started.reference, fees: null });
    const asyncFailed = await verify(fromDelivery(fake.event('checkout.session.async_payment_failed', JSON.parse(sessionEvent.body).data.object)));
    expect(asyncFailed).toMatchObject({ outcome: 'failed', invoiceId: 1042, attemptId: req.attemptId });
  });

  it('refunds in part and in full, once per idempotency key, and reads the refund notification', async () => {
    const { events } = await paid();
    const pi = events[0].transactionReference!;
    const refund = (amount: number, idempotencyKey: string) =>
      stripe.refund(settings(), { transactionReference: pi, amount, currency: 'USD', exponent: 2, reason: 'Customer asked', idempotencyKey });
    const part = ok(await refund(2000, 'rf-1'));
    expect(part).toMatchObject({ status: 'succeeded', refundReference: expect.stringMatching(/^re_/) });
    // The same request again (a retry after a timeout) is the same refund.
    expect(ok(await refund(2000, 'rf-1')).refundReference).toBe(part.refundReference);
    expect(fake.refunds.size).toBe(1);
    expect(fake.refunds.get(part.refundReference)).toMatchObject({ amount: 2000, payment_intent: pi, metadata: { reason: 'Customer asked' } });
    // The same key for a different refund is refused, not silently replayed.
    expect(failed(await refund(3000, 'rf-1')).error).toBe('invalid');

    await fake.idle();
    const refundedEvent = received.find((r) => r.body.toString().includes('"charge.refunded"'))!;
    expect(await verify(incoming(refundedEvent.body, refundedEvent.headers))).toMatchObject({
      outcome: 'refunded', transactionReference: pi, amount: 2000, currency: 'USD', invoiceId: 1042, attemptId: events[0].attemptId,
    });

    const rest = ok(await refund(12345 - 2000, 'rf-2'));
    expect(rest.status).toBe('succeeded');
    expect(fake.charges.get(fake.paymentIntents.get(pi)!.latest_charge)).toMatchObject({ amount_refunded: 12345, refunded: true });
    const over = failed(await refund(1, 'rf-3'));
    expect(over.error).toBe('invalid');
    expect(over.message).toMatch(/already been refunded/);
    expect(fake.refunds.size).toBe(2);

    expect(failed(await stripe.refund(settings(), { transactionReference: 'pi_nope', amount: 100, currency: 'USD', exponent: 2, reason: 'x', idempotencyKey: 'rf-4' })).error).toBe('not_found');
  });

  it('charges a saved card off-session; a decline is an answer, not an error', async () => {
    const { events } = await paid({ saveMethod: true });
    const method = events[1].savedMethod!;
    const charge = (idempotencyKey: string, amount = 5000) => stripe.chargeSavedMethod(settings(), {
      method, amount, currency: 'USD', exponent: 2, invoice: { id: 1043, number: 'INV-2025-0043', description: 'Renewal' }, idempotencyKey,
    });
    const done = ok(await charge('renew-1043-1'));
    expect(done).toMatchObject({ status: 'succeeded', transactionReference: expect.stringMatching(/^pi_/), fees: fee(5000), declineMessage: null });
    expect(fake.paymentIntents.get(done.transactionReference!)).toMatchObject({
      amount: 5000, currency: 'usd', customer: method.providerCustomerId, payment_method: method.token, status: 'succeeded', metadata: { invoice_id: '1043' },
    });
    expect(fake.calls.at(-1)!.params).toMatchObject({ off_session: 'true', confirm: 'true', customer: method.providerCustomerId });
    expect(JSON.stringify([done.request, done.response])).not.toContain(method.token);
    // A retry with the same key does not charge twice.
    expect(ok(await charge('renew-1043-1')).transactionReference).toBe(done.transactionReference);
    expect([...fake.paymentIntents.values()].filter((p) => p.metadata.invoice_id === '1043')).toHaveLength(1);
    await fake.idle();
    const renewalEvent = received.at(-1)!;
    expect(await verify(incoming(renewalEvent.body, renewalEvent.headers))).toMatchObject({
      outcome: 'succeeded', transactionReference: done.transactionReference, invoiceId: 1043, attemptId: 'renew-1043-1', amount: 5000, fees: fee(5000), savedMethod: null,
    });

    fake.declineCharges(method.token, 'Your card has insufficient funds.');
    const declined = ok(await charge('renew-1043-2'));
    expect(declined).toMatchObject({ status: 'declined', declineMessage: 'Your card has insufficient funds.', fees: null, transactionReference: expect.stringMatching(/^pi_/) });
    expect(fake.paymentIntents.get(declined.transactionReference!)!.status).toBe('requires_payment_method');
    await fake.idle();
    const failedEvent = received.at(-1)!;
    expect(await verify(incoming(failedEvent.body, failedEvent.headers))).toMatchObject({ outcome: 'failed', failureMessage: 'Your card has insufficient funds.', amount: 5000 });

    fake.requireAuthentication(method.token);
    const needsCustomer = ok(await charge('renew-1043-3'));
    expect(needsCustomer.status).toBe('declined');
    expect(needsCustomer.declineMessage).toMatch(/pay the invoice by hand/);
  });

  it('answers unavailable when Stripe fails or cannot be reached, and works again afterwards', async () => {
    fake.failNext(1);
    const down = failed(await stripe.startCheckout(settings(), checkout()));
    expect(down.error).toBe('unavailable');
    expect(down.message).toMatch(/HTTP 500/);
    expect(fake.calls.map((c) => c.status)).toEqual([500]); // no hidden SDK retries
    expect(fake.sessions.size).toBe(0);
    ok(await stripe.startCheckout(settings(), checkout()));

    const { events } = await paid();
    fake.failNext(1, 503);
    expect(failed(await stripe.refund(settings(), { transactionReference: events[0].transactionReference!, amount: 100, currency: 'USD', exponent: 2, reason: 'x', idempotencyKey: 'rf-x' })).error).toBe('unavailable');
    // A genuine payment event whose details cannot be read back is refused so that Stripe delivers it again.
    fake.failNext(1, 502);
    const last = received.at(-1)!;
    expect(failed(await stripe.verifyNotification(settings(), incoming(last.body, last.headers))).error).toBe('unavailable');
    expect((await verify(incoming(last.body, last.headers))).outcome).toBe('succeeded');
    // Details that cannot be had at all (a PaymentIntent Stripe does not know, a refused key) do not hold the event back.
    const session = JSON.parse(last.body.toString()).data.object;
    const unknownPi = await verify(fromDelivery(fake.event('checkout.session.completed', { ...session, payment_intent: 'pi_notatthefake0000' })));
    expect(unknownPi).toMatchObject({ outcome: 'succeeded', transactionReference: 'pi_notatthefake0000', amount: 12345, fees: null, savedMethod: null });
    expect((await verify(incoming(last.body, last.headers), settings({ secretKey: 'sk_test_51WrongKeyWrongKeyWrongKey' }))).fees).toBeNull();

    const nowhere = stripeGateway({ apiBase: `http://127.0.0.1:${await unusedPort()}`, timeoutMs: 2000 });
    const unreachable = failed(await nowhere.testConfiguration(settings()));
    expect(unreachable.error).toBe('unavailable');
    expect(unreachable.message).toMatch(/Could not reach Stripe/);
  });

  it('tests the configuration, and names the key at fault', async () => {
    expect(ok(await stripe.testConfiguration(settings())).message).toBe('Stripe accepted the secret key (test mode).');
    expect(fake.calls.at(-1)).toMatchObject({ method: 'GET', path: '/v1/balance', status: 200 });

    const wrong = failed(await stripe.testConfiguration(settings({ secretKey: 'sk_test_51WrongKeyWrongKeyWrongKey' })));
    expect(wrong).toMatchObject({ error: 'config', field: 'secretKey' });
    expect(wrong.message).toMatch(/Stripe refused the API key: check the secret key/);
    expect(fake.calls.at(-1)!.status).toBe(401);
    expect(failed(await stripe.startCheckout(settings({ secretKey: 'sk_test_51WrongKeyWrongKeyWrongKey' }), checkout())).error).toBe('config');

    const calls = fake.calls.length;
    expect(failed(await stripe.testConfiguration(settings({ secretKey: '' })))).toMatchObject({ error: 'config', field: 'secretKey' });
    expect(failed(await stripe.testConfiguration(settings({ secretKey: 'pk_test_123' }))).message).toMatch(/publishable key/);
    expect(fake.calls.length).toBe(calls); // refused before any request
    expect(failed(await stripe.testConfiguration(settings({ webhookSecret: '' })))).toMatchObject({ error: 'config', field: 'webhookSecret' });

    // Without apiBase the key must match the mode (Stripe has one host; the key decides).
    const real = stripeGateway();
    const mismatch = failed(await real.testConfiguration({ ...settings(), credentials: { secretKey: 'sk_live_51abc', webhookSecret: 'whsec_x' } }));
    expect(mismatch).toMatchObject({ error: 'config', field: 'secretKey' });
    expect(mismatch.message).toMatch(/live key/);
  });

  it('refuses bad amounts before calling Stripe, and reports Stripe\'s own validation as invalid', async () => {
    expect(failed(await stripe.startCheckout(settings(), checkout({ amount: 12.5 }))).error).toBe('invalid');
    expect(failed(await stripe.startCheckout(settings(), checkout({ amount: 0 }))).error).toBe('invalid');
    expect(fake.calls).toHaveLength(0);
    const tooSmall = failed(await stripe.startCheckout(settings(), checkout({ amount: 10 })));
    expect(tooSmall.error).toBe('invalid');
    expect(tooSmall.message).toMatch(/^Stripe refused to start the checkout: Amount must be at least 50/);
    expect(failed(await stripe.startCheckout(settings(), checkout({ providerCustomerId: 'cus_unknown' }))).error).toBe('not_found');
  });
});
