import axios from 'axios';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CheckoutRequest, GatewayEvent, GatewaySettings, IncomingNotification, PaymentGatewayModule } from '../../src/domain/payments/gateway.js';
import type { Failure, Outcome } from '../../src/domain/shared/outcome.js';
import { sslcommerzGateway } from '../../src/integrations/payments/sslcommerz.js';
import { unusedPort } from '../fakes/smtp-server.js';
import { startFakeSslcommerz, type Delivery, type FakeSslcommerz } from '../fakes/sslcommerz-server.js';

/** The SSLCommerz module against the fake SSLCommerz over real HTTP: session init, signed IPN/return forms, validation, refunds. */
describe('SSLCommerz gateway against the fake SSLCommerz', () => {
  let fake: FakeSslcommerz;
  let gw: PaymentGatewayModule;
  /** Our side: receives the IPNs the fake posts. */
  let shop: http.Server;
  let shopUrl: string;
  const received: Array<{ path: string; form: Record<string, string> }> = [];
  /** Every result the module returned, checked for the store password at the end. */
  const seen: unknown[] = [];
  let n = 0;

  const settings = (over: Partial<GatewaySettings['credentials']> = {}, testMode = true): GatewaySettings => ({
    code: 'sslcommerz', displayName: 'SSLCommerz', testMode, config: {},
    credentials: { storeId: fake.credentials.storeId, storePassword: fake.credentials.storePassword, ...over },
  });
  const request = (over: Partial<CheckoutRequest> = {}): CheckoutRequest => ({
    attemptId: `att-${++n}-${Date.now().toString(36)}`,
    invoice: { id: 42, number: 'INV-0042', description: 'Hosting renewal' },
    amount: 123456, currency: 'BDT', exponent: 2,
    customer: { clientId: 7, email: 'rahim@example.test', name: 'Rahim Uddin', country: 'BD', phone: null, address: null, city: 'Dhaka', postcode: null },
    providerCustomerId: null, saveMethod: false,
    returnUrl: `${shopUrl}/pay/return`, cancelUrl: `${shopUrl}/pay/cancel`, notifyUrl: `${shopUrl}/ipn/sslcommerz`,
    ...over,
  });
  const incoming = (d: Delivery | Record<string, string>): IncomingNotification => {
    const body = 'body' in d && typeof d.body === 'string' ? d.body : new URLSearchParams(d as Record<string, string>).toString();
    return { rawBody: Buffer.from(body), headers: { 'content-type': 'application/x-www-form-urlencoded' }, form: Object.fromEntries(new URLSearchParams(body)), query: {}, ip: '127.0.0.1', receivedAt: new Date() };
  };
  const keep = <T>(r: T): T => { seen.push(r); return r; };
  const ok = <T extends object>(r: Outcome<T>): T => {
    if (!r.ok) throw new Error(`expected success, got ${JSON.stringify(r)}`);
    return r;
  };
  const failed = (r: Outcome<object>): Failure => {
    if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r)}`);
    return r;
  };
  const verify = async (d: Delivery | Record<string, string>, s = settings()) => keep(await gw.verifyNotification(s, incoming(d)));
  const event = async (d: Delivery | Record<string, string>, s = settings()): Promise<GatewayEvent> => ok(await verify(d, s)).event;
  const start = async (over: Partial<CheckoutRequest> = {}) => {
    const req = request(over);
    return { req, started: ok(keep(await gw.startCheckout(settings(), req))) };
  };
  /** Checkout, and the customer pays: the IPN delivery and the form the browser posts back. */
  const paid = async (over: Partial<CheckoutRequest> = {}, how: { decline?: boolean; cancel?: boolean } = {}) => {
    const { req, started } = await start(over);
    const result = await fake.pay(started.reference, how);
    return { req, started, ...result, ipn: result.deliveries[0] };
  };
  const txOf = (tranId: string) => [...fake.transactions.values()].find((t) => t.tranId === tranId)!;

  beforeAll(async () => {
    fake = await startFakeSslcommerz();
    gw = sslcommerzGateway({ apiBase: fake.url, timeoutMs: 5000 });
    shop = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', form: Object.fromEntries(new URLSearchParams(body)) });
        res.end('OK');
      });
    });
    await new Promise<void>((r) => shop.listen(0, '127.0.0.1', r));
    shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
  });
  beforeEach(() => fake.setNotifyUrl(null));
  afterAll(async () => {
    await fake.close();
    shop.closeAllConnections();
    await new Promise((r) => shop.close(r));
  });

  it('describes itself as SSLCommerz with a Store ID and Store password, refunds but no saved methods', () => {
    expect(gw.code).toBe('sslcommerz');
    expect(gw.credentialFields).toEqual([{ key: 'storeId', label: 'Store ID' }, { key: 'storePassword', label: 'Store password' }]);
    expect(gw.supports).toEqual({ refunds: true, savedMethods: false });
  });

  it('opens a session with the documented fields and sends the customer to the GatewayPageURL', async () => {
    const { req, started } = await start();
    const session = fake.sessions.get(started.reference)!;
    expect(session).toBeDefined();
    expect(started.redirectUrl).toBe(`${fake.url}/EasyCheckOut/testcde${started.reference}`);
    expect(session.fields).toMatchObject({
      store_id: fake.credentials.storeId, store_passwd: fake.credentials.storePassword,
      total_amount: '1234.56', currency: 'BDT', tran_id: req.attemptId,
      success_url: req.returnUrl, fail_url: req.returnUrl, cancel_url: req.cancelUrl, ipn_url: req.notifyUrl,
      cus_name: 'Rahim Uddin', cus_email: 'rahim@example.test', cus_add1: 'N/A', cus_city: 'Dhaka', cus_postcode: 'N/A', cus_country: 'BD', cus_phone: 'N/A',
      shipping_method: 'NO', product_name: 'Invoice INV-0042', product_category: 'hosting', product_profile: 'non-physical-goods',
      value_a: '42', value_b: req.attemptId,
    });
    // The official client posts multipart form data.
    expect(fake.callsTo('init').at(-1)!.method).toBe('POST');
    const page = await axios.get(started.redirectUrl);
    expect(page.status).toBe(200);
    expect(page.data).toContain('1234.56 BDT');
    expect(JSON.stringify([started.request, started.response])).not.toContain(fake.credentials.storePassword);
  });

  it('turns the paid IPN into a succeeded event only after the validation API says VALID, amounts from the validation', async () => {
    const { req, started, ipn, returnForm, returnUrl, returnMethod } = await paid();
    expect(ipn.status).toBe(200);
    expect(received.at(-1)).toEqual({ path: '/ipn/sslcommerz', form: returnForm });
    const tx = txOf(req.attemptId);
    expect(tx.status).toBe('VALID');

    const e = await event(ipn);
    expect(tx.status).toBe('VALIDATED');
    expect(e).toEqual({
      eventId: `val:${tx.valId}`, eventType: 'validation.valid', outcome: 'succeeded', attemptId: req.attemptId, checkoutReference: null,
      transactionReference: tx.bankTranId, invoiceId: 42, amount: 123456, currency: 'BDT',
      fees: 123456 - tx.storeAmountBdt, failureMessage: null, savedMethod: null, payload: expect.any(Object),
    });
    expect(e.fees).toBe(3086); // 2.5 % of 1234.56, half-up
    expect(fake.callsTo('validation').at(-1)!.params).toMatchObject({ val_id: tx.valId, store_id: fake.credentials.storeId, format: 'json' });

    // The browser's POST to the success URL: same verification, same event although the validation now says VALIDATED.
    expect([returnUrl, returnMethod]).toEqual([req.returnUrl, 'POST']);
    const back = ok(keep(await gw.completeReturn(settings(), returnForm, started.reference))).event!;
    expect({ ...back, payload: null }).toEqual({ ...e, payload: null });
    expect(JSON.stringify(e.payload)).not.toMatch(/432149XXXXXX0667|store_passwd/);
  });

  it('reports a USD invoice in USD cents from currency_amount, the BDT settlement staying in the payload', async () => {
    const { req, ipn } = await paid({ amount: 1999, currency: 'USD' });
    const e = await event(ipn);
    expect([e.amount, e.currency, e.fees]).toEqual([1999, 'USD', null]);
    expect(txOf(req.attemptId).amountBdt).toBe(242879); // 19.99 × 121.50
    expect((e.payload as any).validation).toMatchObject({ amount: '2428.79', currency: 'BDT', currency_type: 'USD', currency_amount: '19.99' });
  });

  it('refuses forms whose verify_sign does not hold, before asking the validation API', async () => {
    const { ipn, returnForm } = await paid();
    const validations = fake.callsTo('validation').length;
    const tampered = { ...returnForm, amount: '1.00' };
    expect(failed(await verify(tampered)).error).toBe('forged');
    expect(failed(await verify(ipn, settings({ storePassword: 'not-the-password' }))).error).toBe('forged');
    const unsigned = { ...returnForm };
    delete (unsigned as Record<string, string>).verify_sign;
    expect(failed(await verify(unsigned)).error).toBe('forged');
    // A signature that leaves out the fields we act on proves nothing about them.
    const partial = fake.ipn({ amount: returnForm.amount, status: 'VALID', tran_id: returnForm.tran_id, val_id: returnForm.val_id, verify_key: 'amount,status,tran_id' });
    expect(failed(await verify(partial)).message).toMatch(/val_id/);
    expect(fake.callsTo('validation').length).toBe(validations);
    expect((await event(ipn)).outcome).toBe('succeeded');
  });

  it('refuses a correctly signed VALID form for a val_id the validation API does not know', async () => {
    const { returnForm } = await paid();
    const { verify_key: _k, verify_sign: _s, ...rest } = returnForm;
    const r = failed(await verify(fake.ipn({ ...rest, val_id: '2406011200000000NotAPayment' })));
    expect(r.error).toBe('forged');
    expect(fake.callsTo('validation').at(-1)!.params.val_id).toBe('2406011200000000NotAPayment');
  });

  it('takes the amount, currency and invoice from the validation answer, not from the (signed) form', async () => {
    const { req, returnForm } = await paid({ amount: 50000 });
    const { verify_key: _k, verify_sign: _s, ...rest } = returnForm;
    const lying = fake.ipn({ ...rest, amount: '5000000.00', currency_amount: '5000000.00', store_amount: '1.00', value_a: '999' });
    const e = await event(lying);
    expect([e.amount, e.currency, e.invoiceId, e.attemptId]).toEqual([50000, 'BDT', 42, req.attemptId]);
    expect(e.fees).toBe(1250);
  });

  it('refuses a signed form whose tran_id is not the one the validation API has for that val_id', async () => {
    const first = await paid();
    const second = await paid();
    const { verify_key: _k, verify_sign: _s, ...rest } = first.returnForm;
    const swapped = fake.ipn({ ...rest, tran_id: second.req.attemptId });
    expect(failed(await verify(swapped)).error).toBe('invalid');
  });

  it('reports declined and cancelled payments as failed events, without a validation call, to the fail and cancel URLs', async () => {
    const validations = fake.callsTo('validation').length;
    const declined = await paid({}, { decline: true });
    expect(declined.returnUrl).toBe(declined.req.returnUrl);
    const e = await event(declined.ipn);
    expect(e).toMatchObject({
      eventId: `fail:${declined.req.attemptId}:FAILED`, outcome: 'failed', attemptId: declined.req.attemptId, invoiceId: 42,
      transactionReference: null, amount: null, failureMessage: expect.stringContaining('Declined by issuer'),
    });
    const back = ok(await gw.completeReturn(settings(), declined.returnForm, declined.started.reference)).event!;
    expect(back.eventId).toBe(e.eventId);

    const cancelled = await paid({}, { cancel: true });
    expect(cancelled.returnUrl).toBe(cancelled.req.cancelUrl);
    expect(await event(cancelled.ipn)).toMatchObject({ eventId: `fail:${cancelled.req.attemptId}:CANCELLED`, outcome: 'failed' });
    expect(fake.callsTo('validation').length).toBe(validations);

    const unsignedFailure = fake.ipn({ status: 'FAILED', tran_id: declined.req.attemptId, value_a: '42' }, { sign: false });
    expect(failed(await verify(unsignedFailure)).error).toBe('forged');
  });

  it('answers null on a return that carries nothing to verify', async () => {
    expect(ok(await gw.completeReturn(settings(), {}, 'ABC'))).toEqual({ ok: true, event: null });
  });

  it('gives the same event for redelivered IPNs, posted concurrently', async () => {
    const { ipn } = await paid();
    fake.setNotifyUrl(`${shopUrl}/ipn/again`);
    const again = fake.ipn(Object.fromEntries(new URLSearchParams(ipn.body)));
    expect(again.url).toBe(`${shopUrl}/ipn/again`);
    expect(await fake.redeliver(ipn, { times: 3, concurrent: true })).toEqual([200, 200, 200]);
    const events = await Promise.all([ipn, ipn, ipn].map((d) => event(d)));
    // A caller that hands over only the raw body gets the same answer.
    events.push(ok(keep(await gw.verifyNotification(settings(), { ...incoming(ipn), form: {} }))).event);
    expect(new Set(events.map((e) => `${e.eventId}|${e.transactionReference}|${e.amount}`)).size).toBe(1);
  });

  it('refunds in part and in full, at most what was paid, each idempotency key once', async () => {
    const { req, ipn } = await paid({ amount: 100000 });
    const ref = (await event(ipn)).transactionReference!;
    const refund = (amount: number, key: string, currency = 'BDT') =>
      gw.refund(settings(), { transactionReference: ref, amount, currency, exponent: 2, reason: 'Customer asked', idempotencyKey: key });

    const part = ok(keep(await refund(30000, `rf-${req.attemptId}-1`)));
    expect(part.status).toBe('succeeded');
    expect(fake.refunds.get(part.refundReference)).toMatchObject({ amount: 30000, bankTranId: ref, refundTransId: `rf-${req.attemptId}-1`, remarks: 'Customer asked' });
    expect(JSON.stringify([part.request, part.response])).not.toContain(fake.credentials.storePassword);

    const before = fake.refunds.size;
    const replay = ok(await refund(30000, `rf-${req.attemptId}-1`));
    expect(replay.refundReference).toBe(part.refundReference);
    expect(replay.status).toBe('pending'); // SSLCommerz: "processing", already initiated
    expect(fake.refunds.size).toBe(before);

    expect(failed(await refund(70001, `rf-${req.attemptId}-2`)).error).toBe('invalid');
    const rest = ok(await refund(70000, `rf-${req.attemptId}-3`));
    expect(rest.status).toBe('succeeded');
    expect(txOf(req.attemptId).refunded).toBe(100000);
    expect(failed(await refund(1, `rf-${req.attemptId}-4`)).message).toMatch(/exceeds/);

    // A long idempotency key is fitted into refund_trans_id's 30 characters, the same way on every retry.
    const long = `refund-${'x'.repeat(60)}`;
    const { ipn: ipn2 } = await paid({ amount: 20000 });
    const ref2 = (await event(ipn2)).transactionReference!;
    const longRefund = () => gw.refund(settings(), { transactionReference: ref2, amount: 500, currency: 'BDT', exponent: 2, reason: '', idempotencyKey: long });
    const a = ok(await longRefund());
    const b = ok(await longRefund());
    expect(b.refundReference).toBe(a.refundReference);
    expect(fake.refunds.get(a.refundReference)!.refundTransId).toHaveLength(30);
    expect(failed(await refund(100, 'usd-1', 'USD')).error).toBe('unsupported');
  });

  it('says config when the store credentials are wrong, and which key is missing', async () => {
    const bad = settings({ storePassword: 'wrong-password' });
    const r = failed(await gw.startCheckout(bad, request()));
    expect(r.error).toBe('config');
    expect(r.message).toMatch(/Store ID and Store password/);
    expect(failed(await gw.testConfiguration(bad)).error).toBe('config');
    expect(failed(await gw.refund(bad, { transactionReference: 'X', amount: 100, currency: 'BDT', exponent: 2, reason: 'r', idempotencyKey: 'k-bad' })).error).toBe('config');
    expect(failed(await gw.startCheckout(settings({ storeId: '' }), request()))).toMatchObject({ error: 'config', field: 'storeId' });
    expect(failed(await gw.testConfiguration(settings({ storePassword: '' })))).toMatchObject({ error: 'config', field: 'storePassword' });

    // A genuine form, but validated with the wrong Store ID: the validation API refuses, nothing is reported paid.
    const { ipn } = await paid();
    expect(failed(await verify(ipn, settings({ storeId: 'someotherstore' }))).error).toBe('config');

    const good = ok(keep(await gw.testConfiguration(settings())));
    expect(good.message).toMatch(/sandbox/);
    expect(fake.callsTo('merchantTrans').at(-1)!.params.tran_id).toMatch(/^MERIDIAN-CHECK-/);
  });

  it('says unavailable when SSLCommerz answers 5xx, times out or cannot be reached, and works on the retry', async () => {
    fake.failNext(1, 503);
    expect(failed(await gw.startCheckout(settings(), request())).error).toBe('unavailable');

    const { ipn } = await paid();
    fake.failNext(1, 502);
    expect(failed(await verify(ipn)).error).toBe('unavailable');
    expect((await event(ipn)).outcome).toBe('succeeded');

    const ref = (await event(ipn)).transactionReference!;
    fake.failNext(1, 500);
    const refundReq = { transactionReference: ref, amount: 1000, currency: 'BDT', exponent: 2, reason: 'r', idempotencyKey: `k-${ref}` };
    expect(failed(await gw.refund(settings(), refundReq)).error).toBe('unavailable');
    expect(ok(await gw.refund(settings(), refundReq)).status).toBe('succeeded');

    fake.failNext(1, 503);
    expect(failed(await gw.testConfiguration(settings())).error).toBe('unavailable');

    const down = sslcommerzGateway({ apiBase: `http://127.0.0.1:${await unusedPort()}`, timeoutMs: 2000 });
    expect(failed(await down.testConfiguration(settings())).error).toBe('unavailable');

    const hang = http.createServer(() => { /* never answers */ });
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    const slow = sslcommerzGateway({ apiBase: `http://127.0.0.1:${(hang.address() as AddressInfo).port}`, timeoutMs: 300 });
    expect(failed(await slow.startCheckout(settings(), request())).error).toBe('unavailable');
    hang.closeAllConnections();
    await new Promise((r) => hang.close(r));
  });

  it('refuses what SSLCommerz cannot take: non-two-decimal currencies and tran_ids over 30 characters', async () => {
    expect(failed(await gw.startCheckout(settings(), request({ currency: 'JPY', exponent: 0 }))).error).toBe('invalid');
    expect(failed(await gw.startCheckout(settings(), request({ attemptId: 'a'.repeat(31) }))).error).toBe('invalid');
    expect(failed(await gw.startCheckout(settings(), request({ amount: 500 }))).message).toMatch(/10\.00 BDT/);
    expect(failed(await gw.chargeSavedMethod(settings(), {} as any)).error).toBe('unsupported');
  });

  it('fake: checks required fields and amounts, answers VALID then VALIDATED, and lists transactions by tran_id', async () => {
    const form = (over: Record<string, string>) => new URLSearchParams({
      store_id: fake.credentials.storeId, store_passwd: fake.credentials.storePassword, total_amount: '100.00', currency: 'BDT', tran_id: 'T-raw-1',
      success_url: 'http://x/s', fail_url: 'http://x/f', cancel_url: 'http://x/c', cus_name: 'A', cus_email: 'a@b.c', cus_add1: 'x', cus_city: 'x',
      cus_postcode: 'x', cus_country: 'x', cus_phone: 'x', shipping_method: 'NO', product_name: 'p', product_category: 'c', product_profile: 'general', ...over,
    }).toString();
    const init = (body: string) => axios.post(`${fake.url}/gwprocess/v4/api.php`, body, { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect((await init(form({ cus_email: '' }))).data).toMatchObject({ status: 'FAILED', failedreason: expect.stringContaining('cus_email') });
    expect((await init(form({ total_amount: '100.001' }))).data).toMatchObject({ status: 'FAILED', failedreason: 'Invalid Amount' });
    expect((await init(form({ store_passwd: 'nope' }))).data).toMatchObject({ status: 'FAILED', failedreason: 'Store Credential Error Or Store is De-active' });
    const okInit = (await init(form({}))).data;
    expect(okInit.status).toBe('SUCCESS');
    await fake.pay(okInit.sessionkey);
    const tx = txOf('T-raw-1');
    const creds = `store_id=${fake.credentials.storeId}&store_passwd=${encodeURIComponent(fake.credentials.storePassword)}&format=json`;
    const validate = async () => (await axios.get(`${fake.url}/validator/api/validationserverAPI.php?val_id=${tx.valId}&${creds}`)).data.status;
    expect([await validate(), await validate()]).toEqual(['VALID', 'VALIDATED']);
    const q = (await axios.get(`${fake.url}/validator/api/merchantTransIDvalidationAPI.php?tran_id=T-raw-1&${creds}`)).data;
    expect(q).toMatchObject({ APIConnect: 'DONE', no_of_trans_found: 1, element: [{ tran_id: 'T-raw-1', bank_tran_id: tx.bankTranId, amount: '100.00' }] });
    expect((await axios.get(`${fake.url}/validator/api/merchantTransIDvalidationAPI.php?tran_id=T-raw-1&store_id=x&store_passwd=y`)).data).toEqual({ APIConnect: 'FAILED' });
  });

  it('never hands the store password back in anything it returned', () => {
    expect(seen.length).toBeGreaterThan(20);
    expect(JSON.stringify(seen)).not.toContain(fake.credentials.storePassword);
  });
});
