/**
 * Placing an order, inside one transaction: every line priced from the catalogue (quoteOrderLine), an order number,
 * the order with its items and first status, the client's services and addons in status 'pending' (WHMCS creates
 * them at checkout), the first invoice, and the promotion use. Any refusal rolls all of it back (see atomic.ts).
 *
 * Limits that must hold under concurrent checkouts are taken with guarded UPDATEs, whose WHERE is evaluated on the
 * latest committed row under its write lock: `uses < maxUses` for a promotion, `stock_quantity > 0` for a stocked
 * product. When such an update changes no row the limit is reached and the whole order fails.
 */
import { In, type EntityManager } from 'typeorm';
import { forUpdate } from '../../db/locking.js';
import { quoteOrderLine, type OrderLineQuote } from '../catalog/pricing.js';
import { normaliseCode } from '../catalog/promotions.js';
import { claimNumber } from '../billing/numbering.js';
import { issueInvoice } from '../billing/issue-invoice.js';
import { addDays, anchorDayOf } from '../billing/periods.js';
import { promotionEndDate } from '../billing/promotion-periods.js';
import { billingSettings } from '../settings.js';
import { sum } from '../shared/money.js';
import { fail, succeed, type Failure, type Outcome } from '../shared/outcome.js';
import { abort } from './atomic.js';
import type { CleanOrder } from './input.js';
import { invoiceLinesFor, orderItemAmounts, type CreatedLine } from './order-lines.js';
import { priceDomainLines, writeDomainLine } from './domain-lines.js';
import { acceptIn, acceptsAutomatically, writeHistory } from './transitions.js';
import { Client } from '../../entities/clients/client.entity.js';
import { Product } from '../../entities/catalog/product.entity.js';
import { Promotion } from '../../entities/marketing/promotion.entity.js';
import { PromotionUsage } from '../../entities/marketing/promotion-usage.entity.js';
import { Order, type OrderStatus } from '../../entities/orders/order.entity.js';
import { OrderItem } from '../../entities/orders/order-item.entity.js';
import { Service } from '../../entities/hosting/service.entity.js';
import { ServiceAddon } from '../../entities/hosting/service-addon.entity.js';
import { ServiceConfigOption } from '../../entities/hosting/service-config-option.entity.js';
import { Invoice } from '../../entities/billing/invoice.entity.js';

export interface PlacedOrder {
  orderId: number;
  orderNumber: string;
  status: OrderStatus;
  invoiceId: number;
  invoiceNumber: string | null;
  /** What the first invoice charges, tax included. */
  total: number;
  serviceIds: number[];
  domainIds: number[];
}

const inserted = (r: { identifiers: Array<Record<string, unknown>> }) => r.identifiers[0].id as number;

/** A quote refusal with the field made specific to the line (`items.2.configOptions.7`). */
function forLine(f: Failure, i: number): Failure {
  if (f.field === 'promoCode') return f;
  return { ...f, message: `Line ${i + 1}: ${f.message}`, field: f.field ? `items.${i}.${f.field}` : `items.${i}` };
}

export async function placeOrderIn(m: EntityManager, order: CleanOrder, ctx: { today: string; now: Date }): Promise<Outcome<PlacedOrder>> {
  const { today, now } = ctx;
  // First statement of the transaction: orders using the same code queue here, so the per-client checks of the
  // code (once per client, new clients only) see the uses committed before them.
  if (order.promoCode) await forUpdate(m.getRepository(Promotion).createQueryBuilder('p').where('p.code = :code', { code: normaliseCode(order.promoCode) })).getOne();

  const client = await m.getRepository(Client).findOneBy({ id: order.clientId });
  if (!client) return fail('unknown_client', `Client #${order.clientId} does not exist.`, 'clientId');
  if (client.status === 'closed') return fail('client_closed', `The account of ${client.displayName} is closed; reopen it before ordering.`, 'clientId');

  // ---- price every line from the catalogue
  const quotes: OrderLineQuote[] = [];
  let promoRefusal: Failure | null = null;
  for (const [i, item] of order.items.entries()) {
    const base = { clientId: client.id, productId: item.productId as number, cycle: item.cycle, currencyId: client.currencyId, configOptions: item.configOptions, addonIds: item.addonIds, today };
    let q = await quoteOrderLine(m, { ...base, promoCode: order.promoCode });
    // A code for some products only: the lines it does not cover are priced without it.
    if (!q.ok && order.promoCode && q.error === 'promo_not_applicable') {
      promoRefusal ??= q;
      q = await quoteOrderLine(m, base);
    }
    if (!q.ok) return forLine(q, i);
    quotes.push(q);
  }
  const domainLines = await priceDomainLines(m, order.domains, client.currencyId);
  if (!domainLines.ok) return domainLines;
  const promotion = quotes.find((q) => q.promotion)?.promotion ?? null;
  if (order.promoCode && !promotion) return promoRefusal ?? fail('promo_not_applicable', 'That promotion code does not apply to this order.', 'promoCode');

  const products = new Map((await m.getRepository(Product).findBy({ id: In(quotes.map((q) => q.productId)) })).map((p) => [p.id, p]));
  for (const [i, q] of quotes.entries()) {
    if (products.get(q.productId)!.requireDomain && !order.items[i].domain) return fail('domain_required', `Line ${i + 1}: ${q.productName} needs a domain name.`, `items.${i}.domain`);
  }

  // ---- limits, each a guarded update (see above)
  for (const [i, q] of quotes.entries()) {
    if (!products.get(q.productId)!.stockControl) continue;
    const took = await m.createQueryBuilder().update(Product).set({ stockQuantity: () => 'stock_quantity - 1' }).where('id = :id AND stock_control = 1 AND stock_quantity > 0', { id: q.productId }).execute();
    if (!took.affected) abort(fail('out_of_stock', `Line ${i + 1}: ${q.productName} is out of stock.`, `items.${i}.productId`));
  }
  if (promotion) {
    const used = await m
      .createQueryBuilder()
      .update(Promotion)
      .set({ uses: () => 'uses + 1' })
      .where('id = :id AND (max_uses IS NULL OR uses < max_uses)', { id: promotion.promotionId })
      .execute();
    if (!used.affected) abort(fail('promo_used_up', `The code ${promotion.code} has been used as many times as it allows.`, 'promoCode'));
  }

  // ---- the order
  const settings = await billingSettings(m);
  const orderNumber = await claimNumber(m, 'order', today);
  const orderId = inserted(
    await m.getRepository(Order).insert({
      orderNumber,
      clientId: client.id,
      status: 'pending',
      currencyId: client.currencyId,
      subtotal: sum([...quotes.map((q) => q.totals.listFirstPayment), ...domainLines.lines.map((l) => l.price.amount)]),
      discount: sum(quotes.map((q) => q.totals.groupDiscount + q.totals.promoDiscount)),
      promotionId: promotion?.promotionId ?? null,
      promoCode: promotion?.code ?? null,
      paymentGateway: order.paymentGateway,
      ipAddress: order.ipAddress,
      notes: order.notes,
    }),
  );
  await writeHistory(m, orderId, null, 'pending', order.adminId, order.adminId ? 'Order placed by staff' : 'Order placed');

  // ---- services, their options and addons, and the order items
  const created: CreatedLine[] = [];
  for (const [i, q] of quotes.entries()) created.push(await writeLine(m, { orderId, clientId: client.id, currencyId: client.currencyId, quote: q, item: order.items[i], today }));
  // A domain ordered with hosting for the same name belongs to that service (its server's nameservers, its page).
  const domains = [];
  for (const line of domainLines.lines) {
    const serviceId = created.find((c) => c.domain === line.item.domain)?.serviceId ?? null;
    domains.push(await writeDomainLine(m, { orderId, clientId: client.id, currencyId: client.currencyId, line, serviceId, today }));
  }

  // ---- the first invoice
  const issued = await issueInvoice(m, {
    clientId: client.id,
    issueDate: today,
    dueDate: addDays(today, settings.paymentTermsDays),
    lines: [...created.flatMap((c) => invoiceLinesFor(c, today)), ...domains.map((d) => d.invoiceLine)],
    status: 'unpaid',
    taxInclusive: settings.taxInclusive,
    paymentGateway: order.paymentGateway,
    notes: `Order ${orderNumber}`,
  });
  if (!issued.ok) abort(issued);
  const { invoiceId, invoiceNumber, total } = issued as Extract<typeof issued, { ok: true }>;
  const invoice = await m.getRepository(Invoice).findOneByOrFail({ id: invoiceId });
  await m.getRepository(Order).update({ id: orderId }, { invoiceId, tax: invoice.tax1 + invoice.tax2, total });

  if (promotion) {
    await m.getRepository(PromotionUsage).insert({ promotionId: promotion.promotionId, clientId: client.id, orderId, discountAmount: sum(quotes.map((q) => q.promotion?.firstPaymentDiscount ?? 0)) });
  }

  // ---- automatic acceptance (Product.autoSetup)
  const saved = await m.getRepository(Order).findOneByOrFail({ id: orderId });
  // Domains register on payment (a TLD without a registrar module becomes a staff to-do then).
  const modes = [...quotes.map((q) => products.get(q.productId)!.autoSetup), ...domains.map(() => 'payment' as const)];
  if (total === 0) {
    // Nothing to pay (a free product, a 100% code): the invoice is paid as issued, as WHMCS does.
    await m.getRepository(Invoice).update({ id: invoiceId }, { status: 'paid', paidAt: now });
  }
  if (acceptsAutomatically(modes, 'order')) {
    await acceptIn(m, saved, { provision: true, adminId: null, note: 'Accepted automatically when ordered', now });
  } else if (total === 0 && acceptsAutomatically(modes, 'payment')) {
    await acceptIn(m, saved, { provision: true, adminId: null, note: 'Accepted automatically: nothing to pay', now });
  }
  const status = (await m.getRepository(Order).findOneByOrFail({ id: orderId })).status;
  return succeed({ orderId, orderNumber, status, invoiceId, invoiceNumber, total, serviceIds: created.map((c) => c.serviceId), domainIds: domains.map((d) => d.domainId) });
}

/** Writes the service of one line, its options and addons, and the line's order items. */
async function writeLine(
  m: EntityManager,
  d: { orderId: number; clientId: number; currencyId: number; quote: OrderLineQuote; item: CleanOrder['items'][number]; today: string },
): Promise<CreatedLine> {
  const q = d.quote;
  const serviceId = inserted(
    await m.getRepository(Service).insert({
      clientId: d.clientId,
      orderId: d.orderId,
      productId: q.productId,
      currencyId: d.currencyId,
      domain: d.item.domain,
      username: d.item.username,
      billingCycle: q.cycle,
      firstPaymentAmount: q.service.firstPayment,
      // After the group discount; with the promotion's discount only when the code is recurring (the quote's rule).
      recurringAmount: q.service.recurring,
      registrationDate: d.today,
      // Paid up to the end of the first period once the first invoice is paid; the next invoice is for the period
      // after it (nextInvoiceDate is the due date of the next unbilled period, as the renewal run reads it).
      nextDueDate: q.service.nextDueDate,
      nextInvoiceDate: q.service.nextDueDate,
      status: 'pending',
      promotionId: q.promotion?.promotionId ?? null,
      ...promotionLimit(q, q.service, q.service.anchorDay, q.service.nextDueDate, q.cycle),
    }),
  );
  if (q.configOptions.length) {
    await m.getRepository(ServiceConfigOption).insert(q.configOptions.map((o) => ({ serviceId, optionId: o.optionId, choiceId: o.choiceId, quantity: o.quantity })));
  }

  const productComponent = q.components.find((c) => c.kind === 'product')!;
  const productItemId = inserted(
    await m.getRepository(OrderItem).insert({
      orderId: d.orderId,
      itemType: 'product',
      productId: q.productId,
      serviceId,
      description: q.productName.slice(0, 255),
      domainName: d.item.domain,
      cycle: q.cycle,
      configOptions: q.configOptions,
      ...orderItemAmounts(productComponent),
    }),
  );

  const addonIds = new Map<(typeof q.components)[number], number>();
  for (const c of q.components) {
    if (c.kind === 'product') continue;
    let serviceAddonId: number | null = null;
    if (c.kind === 'addon') {
      serviceAddonId = inserted(
        await m.getRepository(ServiceAddon).insert({
          serviceId,
          addonId: c.addonId!,
          clientId: d.clientId,
          orderId: d.orderId,
          name: c.description.slice(0, 255),
          billingCycle: c.cycle,
          setupFee: c.setupFee,
          recurringAmount: c.recurring,
          registrationDate: d.today,
          nextDueDate: c.nextDueDate,
          nextInvoiceDate: c.nextDueDate,
          status: 'pending',
          ...promotionLimit(q, c, anchorDayOf(d.today), c.nextDueDate, c.cycle),
        }),
      );
      addonIds.set(c, serviceAddonId);
    }
    await m.getRepository(OrderItem).insert({
      orderId: d.orderId,
      parentItemId: productItemId,
      itemType: c.kind,
      productId: c.kind === 'config_option' ? q.productId : null,
      addonId: c.addonId,
      serviceId,
      serviceAddonId,
      description: c.description.slice(0, 255),
      cycle: c.cycle,
      configOptions: c.kind === 'config_option' ? [{ optionId: c.optionId!, choiceId: c.choiceId, quantity: c.quantity }] : null,
      ...orderItemAmounts(c),
    });
  }
  return { quote: q, serviceId, domain: d.item.domain, addonIds };
}

/** Where the code discounts only the first N renewals, the price after them and the date they end. */
function promotionLimit(q: OrderLineQuote, price: { recurring: number; recurringWithoutPromo: number }, anchorDay: number, firstRenewalDue: string | null, cycle: string) {
  const discounted = Boolean(q.promotion?.recurring) && price.recurring !== price.recurringWithoutPromo;
  const endsOn = discounted ? promotionEndDate(anchorDay, firstRenewalDue, cycle, q.promotion!.recurFor) : null;
  return endsOn ? { regularAmount: price.recurringWithoutPromo, promotionEndsOn: endsOn } : { regularAmount: null, promotionEndsOn: null };
}
