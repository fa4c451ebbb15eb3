import { startTestApp, createStaff, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/auth.js';
import { testEngine } from '../helpers/db.js';
import * as fx from '../helpers/billing-fixtures.js';
import { systemClock } from '../../src/domain/shared/clock.js';
import { OrderService } from '../../src/domain/orders/order-service.js';

type Row = Record<string, any>;

/** Process Order, Cancel Order and Mark Fraud from the admin, one order at a time and in bulk: thin actions over OrderService. */
describe(`order actions in the admin on ${testEngine()}`, () => {
  let t: TestApp;
  let billing: ReturnType<TestApp['agent']>;
  let support: ReturnType<TestApp['agent']>;
  let orders: OrderService;
  let productId: number;
  let billingUserId: number;
  const order = async (id: number) => (await t.ds.getRepository('Order').findOneByOrFail({ id })) as Row;
  const serviceStatuses = async (orderId: number) => ((await t.ds.getRepository('Service').find({ where: { orderId } })) as Row[]).map((s) => s.status);
  const jobsOf = async (orderId: number) => t.ds.getRepository('ProvisioningJob').createQueryBuilder('j').innerJoin('services', 's', 's.id = j.service_id').where('s.order_id = :orderId', { orderId }).getCount();
  const url = (id: number, action: string) => `/admin/api/resources/Order/records/${id}/${action}`;
  const bulkUrl = (ids: number[], action: string) => `/admin/api/resources/Order/bulk/${action}?recordIds=${ids.join(',')}`;

  async function newOrder(): Promise<{ orderId: number; orderNumber: string; invoiceId: number; total: number }> {
    const out = await orders.placeOrder({ clientId: await fx.client(t.ds), items: [{ productId, cycle: 'monthly' }] });
    if (!out.ok) throw new Error(out.message);
    return out;
  }

  beforeAll(async () => {
    t = await startTestApp();
    billingUserId = await createStaff(t.ds, { email: 'bill@orders.local', password: 'billing person 1', role: 'Billing' });
    await createStaff(t.ds, { email: 'help@orders.local', password: 'support person 1', role: 'Support' });
    billing = t.agent();
    await loginAs(billing, 'bill@orders.local', 'billing person 1');
    support = t.agent();
    await loginAs(support, 'help@orders.local', 'support person 1');
    orders = new OrderService(t.ds, systemClock, 'UTC');
    const currencyId = await fx.currency(t.ds);
    const cat = await t.ds.getRepository('ProductCategory').insert({ name: 'Hosting', slug: 'hosting' });
    const product = await t.ds.getRepository('Product').insert({
      categoryId: cat.identifiers[0].id, name: 'Starter', slug: 'starter', paymentType: 'recurring', module: 'cpanel', autoSetup: 'accept', requireDomain: false, taxable: true,
    });
    productId = product.identifiers[0].id as number;
    await t.ds.getRepository('ProductPrice').insert({ productId, currencyId, cycle: 'monthly', price: 1299, setupFee: 0, enabled: true, priceKey: `product:${productId}:${currencyId}:monthly` });
  });
  afterAll(async () => t.close());

  it('Process Order shows its form, accepts the order with provisioning, and is audited', async () => {
    const o = await newOrder();
    expect((await billing.get(url(o.orderId, 'processOrder'))).status).toBe(200);
    const res = await billing.post(url(o.orderId, 'processOrder')).type('form').send({ provision: 'true' });
    expect(res.body.notice).toEqual({ type: 'success', message: `Order ${o.orderNumber} accepted: 1 service(s) active, 1 queued for provisioning.` });
    expect(res.body.record.params.status).toBe('active');
    expect(await order(o.orderId)).toMatchObject({ status: 'active', acceptedById: billingUserId });
    expect(await serviceStatuses(o.orderId)).toEqual(['active']);
    expect(await jobsOf(o.orderId)).toBe(1);
    const audited = () => t.ds.getRepository('AuditLog').count({ where: { event: 'action', auditableType: 'Order', auditableId: String(o.orderId) } });
    for (let n = 0; n < 50 && !(await audited()); n++) await new Promise((r) => setTimeout(r, 20));
    expect(await audited()).toBe(1);

    const again = await billing.post(url(o.orderId, 'processOrder')).type('form').send({ provision: 'true' });
    expect(again.body.notice).toMatchObject({ type: 'error', message: expect.stringMatching(/not pending/) });
    expect(await jobsOf(o.orderId)).toBe(1);
  });

  it('Process Order without the checkbox accepts without provisioning', async () => {
    const o = await newOrder();
    const res = await billing.post(url(o.orderId, 'processOrder')).type('form').send({});
    expect(res.body.notice).toEqual({ type: 'success', message: `Order ${o.orderNumber} accepted: 1 service(s) active.` });
    expect(await jobsOf(o.orderId)).toBe(0);
  });

  it('Cancel Order cancels the order, its service and invoice, with the reason in the history', async () => {
    const o = await newOrder();
    const res = await billing.post(url(o.orderId, 'cancelOrder')).type('form').send({ reason: 'Duplicate order' });
    expect(res.body.notice).toEqual({ type: 'success', message: `Order ${o.orderNumber} cancelled.` });
    expect(await order(o.orderId)).toMatchObject({ status: 'cancelled' });
    expect(await serviceStatuses(o.orderId)).toEqual(['cancelled']);
    expect(((await t.ds.getRepository('Invoice').findOneByOrFail({ id: o.invoiceId })) as Row).status).toBe('cancelled');
    const last = (await t.ds.getRepository('OrderStatusHistory').findOneByOrFail({ orderId: o.orderId, newStatus: 'cancelled' })) as Row;
    expect(last).toMatchObject({ note: 'Order cancelled: Duplicate order', changedById: billingUserId });
  });

  it('refuses bad input with a clear notice and changes nothing', async () => {
    const o = await newOrder();
    const long = await billing.post(url(o.orderId, 'cancelOrder')).type('form').send({ reason: 'x'.repeat(2001) });
    expect(long.body.notice).toEqual({ type: 'error', message: 'Keep the reason under 2,000 characters.' });
    await t.built.payments.recordPayment({ invoiceId: o.invoiceId, amount: 100, gateway: 'manual' });
    const paid = await billing.post(url(o.orderId, 'cancelOrder')).type('form').send({ reason: 'Changed mind' });
    expect(paid.body.notice).toMatchObject({ type: 'error', message: expect.stringMatching(/refund them first/) });
    const fraud = await billing.post(url(o.orderId, 'markFraud')).type('form').send({});
    expect(fraud.body.notice).toMatchObject({ type: 'error', message: expect.stringMatching(/refund them first/) });
    expect(await order(o.orderId)).toMatchObject({ status: 'pending' });
    expect(await serviceStatuses(o.orderId)).toEqual(['pending']);
    const missing = await billing.post(url(987654, 'processOrder')).type('form').send({ provision: 'true' });
    expect(missing.body.notice).toEqual({ type: 'error', message: 'Record with given id: "987654" cannot be found in resource "Order"' });
  });

  it('Mark Fraud acts on POST, and on GET only from the admin’s own page (a cross-site link does nothing)', async () => {
    const o = await newOrder();
    const plain = await billing.get(url(o.orderId, 'markFraud'));
    expect(plain.status).toBe(200);
    expect(plain.body.notice).toBeUndefined();
    const crossSite = await billing.get(url(o.orderId, 'markFraud')).set('Sec-Fetch-Site', 'cross-site').set('Sec-Fetch-Mode', 'navigate');
    expect(crossSite.body.notice).toBeUndefined();
    const navigated = await billing.get(url(o.orderId, 'markFraud')).set('Sec-Fetch-Site', 'same-origin').set('Sec-Fetch-Mode', 'navigate');
    expect(navigated.body.notice).toBeUndefined();
    expect(await order(o.orderId)).toMatchObject({ status: 'pending' });

    const fromAdmin = await billing.get(url(o.orderId, 'markFraud')).set('Sec-Fetch-Site', 'same-origin').set('Sec-Fetch-Mode', 'cors');
    expect(fromAdmin.body.notice).toEqual({ type: 'success', message: `Order ${o.orderNumber} marked as fraud.` });
    expect(await order(o.orderId)).toMatchObject({ status: 'fraud' });
    expect(await serviceStatuses(o.orderId)).toEqual(['fraud']);

    const p = await newOrder();
    const posted = await billing.post(url(p.orderId, 'markFraud')).type('form').send({});
    expect(posted.body.notice).toMatchObject({ type: 'success' });
    expect(await order(p.orderId)).toMatchObject({ status: 'fraud' });
  });

  it('refuses a Support user every order action with 403 and changes nothing', async () => {
    const o = await newOrder();
    for (const action of ['processOrder', 'cancelOrder', 'markFraud']) {
      expect((await support.post(url(o.orderId, action)).type('form').send({ provision: 'true', reason: 'x' })).status).toBe(403);
    }
    for (const action of ['bulkProcessOrders', 'bulkCancelOrders', 'bulkMarkFraud']) {
      expect((await support.post(bulkUrl([o.orderId], action)).type('form').send({})).status).toBe(403);
    }
    expect(await order(o.orderId)).toMatchObject({ status: 'pending' });
    expect(await serviceStatuses(o.orderId)).toEqual(['pending']);
    expect(await jobsOf(o.orderId)).toBe(0);
  });

  it('accepts orders in bulk and reports each order that could not be accepted', async () => {
    const pending = [await newOrder(), await newOrder(), await newOrder()];
    const cancelled = await newOrder();
    await orders.cancelOrder({ orderId: cancelled.orderId });
    const ids = [...pending.map((o) => o.orderId), cancelled.orderId];

    const preview = await billing.get(bulkUrl(ids, 'bulkProcessOrders'));
    expect(preview.status).toBe(200);
    expect(preview.body.records).toHaveLength(4);
    expect(preview.body.notice).toBeUndefined();
    expect((await order(pending[0].orderId)).status).toBe('pending');

    const res = await billing.post(bulkUrl(ids, 'bulkProcessOrders')).type('form').send({});
    expect(res.body.notice).toEqual({ type: 'info', message: `3 accepted; ${cancelled.orderNumber}: not pending` });
    for (const o of pending) {
      expect(await order(o.orderId)).toMatchObject({ status: 'active', acceptedById: billingUserId });
      expect(await jobsOf(o.orderId)).toBe(1);
    }
    expect(await order(cancelled.orderId)).toMatchObject({ status: 'cancelled' });
    expect(res.body.records.map((r: Row) => r.params.status).sort()).toEqual(['active', 'active', 'active', 'cancelled']);
  });

  it('cancels and marks fraud in bulk', async () => {
    const a = [await newOrder(), await newOrder()];
    const cancel = await billing.post(bulkUrl(a.map((o) => o.orderId), 'bulkCancelOrders')).type('form').send({});
    expect(cancel.body.notice).toEqual({ type: 'success', message: '2 cancelled' });
    for (const o of a) expect(await order(o.orderId)).toMatchObject({ status: 'cancelled' });
    const again = await billing.post(bulkUrl(a.map((o) => o.orderId), 'bulkMarkFraud')).type('form').send({});
    expect(again.body.notice).toEqual({ type: 'error', message: `0 marked as fraud; ${a[0].orderNumber}: not pending; ${a[1].orderNumber}: not pending` });
    const b = await newOrder();
    const fraud = await billing.post(bulkUrl([b.orderId], 'bulkMarkFraud')).type('form').send({});
    expect(fraud.body.notice).toEqual({ type: 'success', message: '1 marked as fraud' });
    expect(await order(b.orderId)).toMatchObject({ status: 'fraud' });
  });
});
