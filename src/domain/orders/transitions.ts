/**
 * Order status changes, each run inside the caller's transaction (the order service's own, or the payment's when an
 * invoice is paid): Pending → Active (accept), Pending → Cancelled, Pending → Fraud — WHMCS's order life cycle. Every
 * change writes an OrderStatusHistory row and moves the order's services and addons with it.
 *
 * Lock order, the same everywhere so two transactions never wait on each other in a circle: the order's invoice
 * first (a payment locks it before its paid hooks run), then the order row.
 */
import { In, type EntityManager } from 'typeorm';
import { forUpdate } from '../../db/locking.js';
import { requestProvisioning } from '../provisioning/requests.js';
import { fail, type Failure } from '../shared/outcome.js';
import { abort } from './atomic.js';
import { Order, type OrderStatus } from '../../entities/orders/order.entity.js';
import { OrderItem } from '../../entities/orders/order-item.entity.js';
import { OrderStatusHistory } from '../../entities/orders/order-status-history.entity.js';
import { Service } from '../../entities/hosting/service.entity.js';
import { ServiceAddon } from '../../entities/hosting/service-addon.entity.js';
import { Product, type AutoSetupMode } from '../../entities/catalog/product.entity.js';
import { Promotion } from '../../entities/marketing/promotion.entity.js';
import { PromotionUsage } from '../../entities/marketing/promotion-usage.entity.js';
import { Invoice } from '../../entities/billing/invoice.entity.js';
import { InvoiceItem } from '../../entities/billing/invoice-item.entity.js';

/** Invoice statuses an order cancellation may cancel (InvoiceService.cancel's rule). */
const CANCELLABLE_INVOICE = new Set(['draft', 'unpaid', 'payment_pending', 'collections']);

export const ref = (o: Pick<Order, 'orderNumber' | 'id'>) => o.orderNumber ?? `#${o.id}`;

export function notPending(order: Pick<Order, 'orderNumber' | 'id' | 'status'>): Failure {
  return fail('not_pending', `Order ${ref(order)} is ${order.status}, not pending; only pending orders can be changed.`);
}

export async function lockOrder(m: EntityManager, where: { id: number } | { invoiceId: number }): Promise<Order | null> {
  const qb = m.getRepository(Order).createQueryBuilder('o');
  if ('id' in where) qb.where('o.id = :id', { id: where.id });
  else qb.where('o.invoiceId = :inv', { inv: where.invoiceId });
  return forUpdate(qb).getOne();
}

export async function writeHistory(m: EntityManager, orderId: number, oldStatus: string | null, newStatus: string, changedById: number | null, note: string | null): Promise<void> {
  await m.getRepository(OrderStatusHistory).insert({ orderId, oldStatus, newStatus, changedById, note: note ? note.slice(0, 10_000) : null });
}

/** The products behind the order's services (one entry per service). */
async function servicesWithProducts(m: EntityManager, orderId: number): Promise<Array<{ service: Service; product: Product }>> {
  // A locking read: in the payment's transaction an earlier plain read may have fixed an older snapshot.
  const services = await forUpdate(m.getRepository(Service).createQueryBuilder('s').where('s.orderId = :orderId', { orderId }).orderBy('s.id', 'ASC')).getMany();
  if (!services.length) return [];
  const products = new Map((await m.getRepository(Product).findBy({ id: In([...new Set(services.map((s) => s.productId))]) })).map((p) => [p.id, p]));
  return services.map((service) => ({ service, product: products.get(service.productId)! }));
}

/**
 * Whether the order accepts itself on an event, from the autoSetup of its products (Product.autoSetup):
 * - on order: every product says 'order';
 * - on payment of its invoice: every product says 'order' or 'payment'.
 * One product that waits for staff ('accept') or is set up by hand ('never') keeps the whole order pending for
 * review, so nothing is handed out before someone looked at it.
 */
export function acceptsAutomatically(modes: AutoSetupMode[], event: 'order' | 'payment'): boolean {
  if (!modes.length) return false;
  return event === 'order' ? modes.every((x) => x === 'order') : modes.every((x) => x === 'order' || x === 'payment');
}

export async function autoSetupModes(m: EntityManager, orderId: number): Promise<AutoSetupMode[]> {
  const services = (await servicesWithProducts(m, orderId)).map((x) => x.product.autoSetup);
  // Domains are registered once paid for: they never hold an order back, nor accept one on their own before payment.
  const domains = await m.getRepository('Domain').count({ where: { orderId } });
  return [...services, ...Array.from({ length: domains }, () => 'payment' as const)];
}

/** The order's domains still waiting to be registered or transferred in. */
async function pendingDomains(m: EntityManager, orderId: number): Promise<Array<{ id: number; registrationType: string }>> {
  return (await m.getRepository('Domain').find({ where: { orderId, status: 'pending' }, select: ['id', 'registrationType'], order: { id: 'ASC' } })) as Array<{ id: number; registrationType: string }>;
}

export interface AcceptResult {
  servicesActivated: number;
  provisioningQueued: number;
}

/**
 * Pending → Active. Pending services and addons become active; with `provision`, a 'create' provisioning job is
 * queued per service whose product has a module (idempotency key `create:<serviceId>`, so accepting can never ask
 * for a second account). Products with module 'none' are set up by hand: there is nothing to queue for them.
 */
export async function acceptIn(m: EntityManager, order: Order, o: { provision: boolean; adminId: number | null; note: string; now: Date }): Promise<AcceptResult> {
  if (order.status !== 'pending') abort(notPending(order));
  await m.getRepository(Order).update({ id: order.id }, { status: 'active', acceptedAt: o.now, acceptedById: o.adminId });
  const pending = (await servicesWithProducts(m, order.id)).filter((x) => x.service.status === 'pending');
  if (pending.length) await m.getRepository(Service).update({ id: In(pending.map((x) => x.service.id)) }, { status: 'active' });
  await m.getRepository(ServiceAddon).update({ orderId: order.id, status: 'pending' }, { status: 'active' });
  let queued = 0;
  if (o.provision) {
    for (const { service, product } of pending) {
      if (product.module === 'none') continue;
      await requestProvisioning(m, { serviceId: service.id, action: 'create', key: String(service.id), reason: `Order ${ref(order)} accepted`, requestedById: o.adminId, now: o.now });
      queued++;
    }
    // Keyed by the domain: accepting twice, or staff's Register after the order did it, queues one registration.
    for (const d of await pendingDomains(m, order.id)) {
      const action = d.registrationType === 'transfer' ? 'domain_transfer' : 'domain_register';
      await requestProvisioning(m, { domainId: d.id, action, key: String(d.id), reason: `Order ${ref(order)} accepted`, requestedById: o.adminId, now: o.now });
      queued++;
    }
  }
  const provisioning = o.provision ? `; provisioning queued for ${queued} service${queued === 1 ? '' : 's'}` : '; not provisioned';
  await writeHistory(m, order.id, order.status, 'active', o.adminId, `${o.note}${provisioning}`);
  return { servicesActivated: pending.length, provisioningQueued: queued };
}

export interface CloseResult {
  invoiceCancelled: boolean;
  promotionReleased: boolean;
  servicesClosed: number;
}

/**
 * Pending → Cancelled or Fraud. The order's unpaid invoice is cancelled and its billing keys cleared (the
 * InvoiceService.cancel rule); an invoice with money or credit on it refuses the change ('has_payments': refund
 * first). Pending services go to the same status (addons, which have no 'fraud', to cancelled); the promotion use
 * is given back and stock units return to the shelf.
 * `invoice` is the order's invoice, already locked by the caller before the order (see the lock order above).
 */
export async function closeIn(
  m: EntityManager,
  order: Order,
  invoice: Invoice | null,
  o: { to: Extract<OrderStatus, 'cancelled' | 'fraud'>; reason: string | null; adminId: number | null; now: Date },
): Promise<CloseResult> {
  if (order.status !== 'pending') abort(notPending(order));
  if (invoice && (invoice.amountPaid !== 0 || invoice.credit !== 0)) {
    abort(fail('has_payments', `Invoice ${invoice.invoiceNumber ?? invoice.id} of order ${ref(order)} has payments or credit applied: refund them first.`));
  }
  const what = o.to === 'fraud' ? 'Order marked as fraud' : 'Order cancelled';
  const note = `${what}${o.reason ? `: ${o.reason}` : ''}`;

  let invoiceCancelled = false;
  if (invoice && CANCELLABLE_INVOICE.has(invoice.status)) {
    await m.getRepository(Invoice).update({ id: invoice.id }, { status: 'cancelled', cancelledAt: o.now, adminNotes: invoice.adminNotes ? `${invoice.adminNotes}\n${note}` : note });
    await m.getRepository(InvoiceItem).update({ invoiceId: invoice.id }, { billingKey: null });
    invoiceCancelled = true;
  }

  // Updated by condition, not by ids read earlier: an UPDATE sees the latest committed rows.
  const closed = await m.getRepository(Service).update({ orderId: order.id, status: 'pending' }, { status: o.to });
  await m.getRepository(ServiceAddon).update({ orderId: order.id, status: 'pending' }, { status: 'cancelled' });
  await m.getRepository('Domain').update({ orderId: order.id, status: 'pending' }, { status: o.to === 'fraud' ? 'fraud' : 'cancelled' });

  let promotionReleased = false;
  if (order.promotionId) {
    const removed = await m.getRepository(PromotionUsage).delete({ promotionId: order.promotionId, orderId: order.id });
    if (removed.affected) {
      await m.createQueryBuilder().update(Promotion).set({ uses: () => 'uses - 1' }).where('id = :id AND uses > 0', { id: order.promotionId }).execute();
      promotionReleased = true;
    }
  }
  await restock(m, order.id);

  await m.getRepository(Order).update({ id: order.id }, { status: o.to });
  await writeHistory(m, order.id, order.status, o.to, o.adminId, note);
  return { invoiceCancelled, promotionReleased, servicesClosed: closed.affected ?? 0 };
}

/** Puts back the units taken by the order's product lines, for products that still count stock. */
async function restock(m: EntityManager, orderId: number): Promise<void> {
  const lines = await m.getRepository(OrderItem).find({ where: { orderId, itemType: 'product' }, select: ['productId'] });
  const counts = new Map<number, number>();
  for (const l of lines) if (l.productId) counts.set(l.productId, (counts.get(l.productId) ?? 0) + 1);
  for (const [productId, n] of counts) {
    await m.createQueryBuilder().update(Product).set({ stockQuantity: () => `stock_quantity + ${Number(n)}` }).where('id = :id AND stock_control = 1', { id: productId }).execute();
  }
}
