/**
 * Orders (WHMCS order life cycle): place, accept ("Process Order"), cancel, mark as fraud, and accept on payment.
 * Every verb is one transaction and returns an Outcome with a stable code:
 *   placeOrder   invalid_request, unknown_client, client_closed, no_items, too_many_items, invalid_cycle,
 *                invalid_domain, invalid_username, invalid_gateway, invalid_ip, domain_required, out_of_stock,
 *                the quote's codes (unknown_product, not_offered, foreign_option, foreign_addon, invalid_quantity,
 *                currency_mismatch) and the promo_* codes;
 *   acceptOrder  order_not_found, not_pending;
 *   cancelOrder / markFraud  order_not_found, not_pending, has_payments, reason_too_long.
 * The AdminJS actions, the client area and the payment hook call these; none of them holds order rules itself.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { forUpdate } from '../../db/locking.js';
import { businessDate, type Clock } from '../shared/clock.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import type { InvoiceRow } from '../billing/payments.js';
import { atomically } from './atomic.js';
import { cleanOrder, type PlaceOrderInput } from './input.js';
import { placeOrderIn, type PlacedOrder } from './place-order.js';
import { acceptIn, acceptsAutomatically, autoSetupModes, closeIn, lockOrder, type AcceptResult, type CloseResult } from './transitions.js';
import { Order } from '../../entities/orders/order.entity.js';
import { Invoice } from '../../entities/billing/invoice.entity.js';

export type { PlaceOrderInput, PlacedOrder, AcceptResult, CloseResult };

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
const notFound = (id: unknown) => fail('order_not_found', `Order #${String(id)} does not exist.`, 'orderId');

export class OrderService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    /** Business timezone (APP_TIMEZONE): the order date, registration date and due dates are dates there. */
    private readonly timezone: string,
  ) {}

  async placeOrder(input: PlaceOrderInput): Promise<Outcome<PlacedOrder>> {
    const clean = cleanOrder(input);
    if (!clean.ok) return clean;
    const now = this.clock.now();
    return atomically(this.ds, (m) => placeOrderIn(m, clean.order, { today: businessDate(now, this.timezone), now }));
  }

  /** Process Order: Pending → Active, services active, and with `provision` a create job per service. */
  async acceptOrder(input: { orderId: number; provision: boolean; adminId?: number | null }): Promise<Outcome<AcceptResult & { orderNumber: string }>> {
    if (!isId(input.orderId)) return notFound(input.orderId);
    return atomically(this.ds, async (m) => {
      const order = await lockOrder(m, { id: input.orderId });
      if (!order) return notFound(input.orderId);
      const done = await acceptIn(m, order, { provision: Boolean(input.provision), adminId: input.adminId ?? null, note: 'Accepted by staff', now: this.clock.now() });
      return succeed({ ...done, orderNumber: order.orderNumber });
    });
  }

  async cancelOrder(input: { orderId: number; reason?: string | null; adminId?: number | null }): Promise<Outcome<CloseResult & { orderNumber: string }>> {
    return this.close(input, 'cancelled');
  }

  async markFraud(input: { orderId: number; reason?: string | null; adminId?: number | null }): Promise<Outcome<CloseResult & { orderNumber: string }>> {
    return this.close(input, 'fraud');
  }

  private async close(input: { orderId: number; reason?: string | null; adminId?: number | null }, to: 'cancelled' | 'fraud'): Promise<Outcome<CloseResult & { orderNumber: string }>> {
    if (!isId(input.orderId)) return notFound(input.orderId);
    const reason = typeof input.reason === 'string' && input.reason.trim() ? input.reason.trim() : null;
    if (reason && reason.length > 2000) return fail('reason_too_long', 'Keep the reason under 2,000 characters.', 'reason');
    return atomically(this.ds, async (m) => {
      // The invoice is locked before the order, as a payment does (see transitions.ts), then the order re-read locked.
      const seen = await m.getRepository(Order).findOne({ where: { id: input.orderId }, select: ['id', 'invoiceId'] });
      if (!seen) return notFound(input.orderId);
      const invoice = seen.invoiceId ? await forUpdate(m.getRepository(Invoice).createQueryBuilder('i').where('i.id = :id', { id: seen.invoiceId })).getOne() : null;
      const order = await lockOrder(m, { id: input.orderId });
      if (!order) return notFound(input.orderId);
      if (order.invoiceId !== seen.invoiceId) throw new Error(`order ${order.id} changed invoice while being closed`);
      const done = await closeIn(m, order, invoice, { to, reason, adminId: input.adminId ?? null, now: this.clock.now() });
      return succeed({ ...done, orderNumber: order.orderNumber });
    });
  }

  /**
   * PaymentService.onInvoicePaid hook, run inside the payment's transaction: when the paid invoice is a pending
   * order's, and every product of the order sets itself up on payment (Product.autoSetup 'payment' or 'order'), the
   * order is accepted and provisioning queued. Otherwise the order waits for staff.
   */
  async onInvoicePaid(m: EntityManager, invoice: InvoiceRow): Promise<void> {
    const order = await lockOrder(m, { invoiceId: invoice.id });
    if (!order || order.status !== 'pending') return;
    if (!acceptsAutomatically(await autoSetupModes(m, order.id), 'payment')) return;
    await acceptIn(m, order, { provision: true, adminId: null, note: `Accepted automatically: invoice ${invoice.invoiceNumber ?? invoice.id} paid`, now: this.clock.now() });
  }
}
