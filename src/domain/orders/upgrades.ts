/**
 * A client's upgrade or downgrade of a service to another product of the same provisioning module.
 *
 * THE PRO-RATA RULE (what the upgrade invoice charges):
 * - The paid-for time runs from today to the service's next due date D (exclusive). The period containing today is
 *   the cycle-long period ending on the day before D, found by stepping back one cycle from D on the service's
 *   anchor day (periods.ts: addMonthsAnchored) — the same calendar periods the billing run invoices. When the client
 *   paid several periods ahead, each whole period after the current one counts in full.
 * - Credit for the unused time of the old price: old recurring amount × remaining days / days in the period
 *   (+ the old amount for each whole period ahead). Charge for the same time at the new price, likewise. Each is
 *   rounded half-up once to the cent (periods.ts: prorateAmount); the invoice shows both lines and charges the
 *   difference, plus tax as on any invoice. Old price = what the service renews at now (its recurring amount, the
 *   client's discounts included); new price = the catalogue price of the new product for the service's cycle and
 *   currency with the client-group discount, exactly what the service will renew at afterwards.
 * - When the difference is more than zero (an upgrade) an invoice due today is issued and nothing else changes
 *   until it is paid: then the payment hook (upgradeOnPaid) moves the service to the new product, sets its new
 *   renewal price and queues the package change on the server, all inside the payment's transaction.
 * - When it is zero or less (a downgrade, or a product at the same price) the change happens at once through
 *   ProvisioningService.changeProduct, with NO refund or credit for the rest of the period: the client keeps what
 *   they paid for until now and pays the lower price from the next renewal. (A downgrade that waits for the end of
 *   the period would need a stored pending change; this keeps the rule simple and never pays money back.)
 * - Refused while something would make the arithmetic wrong: the service is not active or not recurring, its
 *   renewal is due or unpaid (pay that first), another upgrade invoice is open, or a cancellation is requested.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { forUpdate } from '../../db/locking.js';
import { inTransaction } from '../../db/transaction.js';
import { addDays, addMonthsAnchored, anchorDayOf, daysBetween, isRecurring, monthsIn, prorateAmount, type BillingCycle, type RecurringCycle } from '../billing/periods.js';
import { issueInvoice, type InvoiceLine } from '../billing/issue-invoice.js';
import type { InvoicePaidHook, InvoiceRow } from '../billing/payments.js';
import { quoteOrderLine } from '../catalog/pricing.js';
import { planOfProduct } from '../provisioning/create-account.js';
import { requestProvisioning } from '../provisioning/requests.js';
import type { ProvisioningService } from '../provisioning/provisioning-service.js';
import { billingSettings } from '../settings.js';
import { businessDate, type Clock } from '../shared/clock.js';
import type { Cents } from '../shared/money.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';

type Db = DataSource | EntityManager;

export interface UpgradeProration {
  /** The period containing today: first day and last day (inclusive). */
  periodStart: string;
  periodEnd: string;
  periodDays: number;
  /** Today up to the end of that period, today included. */
  remainingDays: number;
  /** Whole periods already paid after the current one. */
  periodsAhead: number;
  /** Unused value of the old price (a credit on the invoice). */
  credit: Cents;
  /** The new price for the same time. */
  charge: Cents;
  /** charge − credit: what the client pays (≤ 0: a downgrade, nothing to pay and nothing refunded). */
  difference: Cents;
}

/** The pro-rata arithmetic alone (see the rule at the top of this file). `today` must be before `nextDueDate`. */
export function prorateUpgrade(input: { today: string; nextDueDate: string; cycle: RecurringCycle; anchorDay: number; oldPrice: Cents; newPrice: Cents }): UpgradeProration {
  const { today, nextDueDate, cycle, anchorDay, oldPrice, newPrice } = input;
  if (!(today < nextDueDate)) throw new RangeError(`the paid period must end after today (${today} ≥ ${nextDueDate})`);
  const months = monthsIn(cycle);
  let end = nextDueDate;
  let start = addMonthsAnchored(end, -months, anchorDay);
  let periodsAhead = 0;
  while (start > today) {
    periodsAhead++;
    end = start;
    start = addMonthsAnchored(end, -months, anchorDay);
  }
  const periodDays = daysBetween(start, end);
  const remainingDays = daysBetween(today, end);
  const credit = prorateAmount(oldPrice, remainingDays, periodDays) + oldPrice * periodsAhead;
  const charge = prorateAmount(newPrice, remainingDays, periodDays) + newPrice * periodsAhead;
  return { periodStart: start, periodEnd: addDays(end, -1), periodDays, remainingDays, periodsAhead, credit, charge, difference: charge - credit };
}

interface ServiceRow {
  id: number;
  clientId: number;
  productId: number;
  status: string;
  billingCycle: BillingCycle;
  currencyId: number;
  recurringAmount: number;
  nextDueDate: string | null;
  registrationDate: string | null;
  domain: string | null;
  providerRef: string | null;
}

interface ProductRow {
  id: number;
  name: string;
  module: 'none' | 'cpanel' | 'virtualizor';
  paymentType: string;
  hidden: boolean;
  retired: boolean;
  taxable: boolean;
  prorataBilling: boolean;
  prorataDay: number | null;
  hostingPackageId: number | null;
  moduleConfig: Record<string, unknown> | null;
  sortOrder: number;
}

export interface UpgradeOption {
  productId: number;
  name: string;
  /** What the service would renew at, per cycle. */
  price: Cents;
  /** What the upgrade invoice would charge before tax; ≤ 0 for a downgrade. */
  dueNow: Cents;
  direction: 'upgrade' | 'downgrade';
}

export interface UpgradeChoices {
  service: { id: number; productId: number; productName: string; domain: string | null; cycle: BillingCycle; currencyId: number; price: Cents; nextDueDate: string | null };
  /** Why the service cannot change product now (the page explains), or null. */
  blocked: string | null;
  options: UpgradeOption[];
}

/** An upgrade's charge line: upgrade:<serviceId>:<productId>:<date>[.<n>]; its credit line adds ':unused'. */
const UPGRADE_KEY = /^upgrade:(\d+):(\d+):(\d{4}-\d{2}-\d{2})(?:\.\d+)?$/;

/**
 * The billing key of an upgrade's charge line. Unique in the database, so one request can never be invoiced twice;
 * a second move to the same product on the same day (after going back down) gets the next free suffix.
 */
async function upgradeKey(m: EntityManager, serviceId: number, productId: number, today: string): Promise<string> {
  const base = `upgrade:${serviceId}:${productId}:${today}`;
  const taken = new Set(
    ((await m.getRepository('InvoiceItem').createQueryBuilder('it').select('it.billing_key', 'k').where('it.billing_key LIKE :k', { k: `${base}%` }).getRawMany()) as Array<{ k: string }>).map((r) => r.k),
  );
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}.${n}`;
  return key;
}

async function serviceOf(db: Db, clientId: number, serviceId: number, lock = false): Promise<ServiceRow | null> {
  const qb = db.getRepository('Service').createQueryBuilder('s').where('s.id = :serviceId AND s.client_id = :clientId', { serviceId, clientId });
  return ((lock ? await forUpdate(qb).getOne() : await qb.getOne()) as ServiceRow | null) ?? null;
}

const productOf = async (db: Db, id: number) => (await db.getRepository('Product').findOneBy({ id })) as ProductRow | null;

const anchorOf = (s: ServiceRow, product: ProductRow) => (product.prorataBilling && product.prorataDay ? product.prorataDay : anchorDayOf(s.registrationDate ?? s.nextDueDate!));

/** Why this service cannot change product today, or null when it can. */
async function blockedReason(db: Db, s: ServiceRow, today: string): Promise<string | null> {
  if (s.status !== 'active') return `This service is ${s.status}; only an active service can change product.`;
  if (!isRecurring(s.billingCycle)) return 'This service is not billed on a recurring cycle, so it cannot change product here. Contact us instead.';
  if (!s.nextDueDate || s.nextDueDate <= today) return 'This service’s renewal is due. Pay the renewal invoice first, then change the product.';
  const open = (await db
    .getRepository('InvoiceItem')
    .createQueryBuilder('it')
    .innerJoin('invoices', 'inv', 'inv.id = it.invoice_id')
    .select(['inv.invoice_number AS number', 'it.item_type AS itemType', 'it.billing_key AS billingKey'])
    .where('it.service_id = :sid AND inv.status IN (:...open)', { sid: s.id, open: ['unpaid', 'payment_pending', 'draft'] })
    .getRawMany()) as Array<{ number: string | null; itemType: string; billingKey: string | null }>;
  const upgrade = open.find((r) => r.billingKey?.startsWith(`upgrade:${s.id}:`));
  if (upgrade) return `An upgrade of this service is waiting for payment (invoice ${upgrade.number ?? 'draft'}). Pay it, or ask us to cancel it, before choosing again.`;
  if (open.some((r) => r.itemType === 'service')) return 'This service has an unpaid renewal invoice. Pay it first, then change the product.';
  const cancelling = await db.getRepository('CancellationRequest').createQueryBuilder('c').where('c.service_id = :sid AND c.status IN (:...st)', { sid: s.id, st: ['pending', 'approved'] }).getCount();
  if (cancelling) return 'A cancellation of this service has been requested, so it cannot change product.';
  return null;
}

/** The new product's renewal price for the service (cycle, currency, client-group discount), or a failure. */
async function newPriceOf(db: Db, s: ServiceRow, productId: number, today: string): Promise<Outcome<{ price: Cents }>> {
  const quote = await quoteOrderLine(db, { clientId: s.clientId, productId, cycle: s.billingCycle, currencyId: s.currencyId, today });
  return quote.ok ? succeed({ price: quote.service.recurringWithoutPromo }) : quote;
}

/** Products the client may move this service to, each with its price and what moving costs today. */
export async function upgradeChoices(db: Db, input: { clientId: number; serviceId: number; today: string }): Promise<Outcome<UpgradeChoices>> {
  const s = await serviceOf(db, input.clientId, input.serviceId);
  if (!s) return fail('service_not_found', 'That service does not exist.');
  const current = (await productOf(db, s.productId))!;
  const service = { id: s.id, productId: s.productId, productName: current.name, domain: s.domain, cycle: s.billingCycle, currencyId: s.currencyId, price: s.recurringAmount, nextDueDate: s.nextDueDate };
  const blocked = await blockedReason(db, s, input.today);
  if (blocked) return succeed({ service, blocked, options: [] });
  const candidates = (await db.getRepository('Product').find({ where: { module: current.module, hidden: false, retired: false, paymentType: 'recurring' }, order: { sortOrder: 'ASC', name: 'ASC' } })) as ProductRow[];
  const options: UpgradeOption[] = [];
  for (const p of candidates) {
    if (p.id === s.productId) continue;
    const priced = await newPriceOf(db, s, p.id, input.today);
    if (!priced.ok) continue;
    const pr = prorateUpgrade({ today: input.today, nextDueDate: s.nextDueDate!, cycle: s.billingCycle as RecurringCycle, anchorDay: anchorOf(s, current), oldPrice: s.recurringAmount, newPrice: priced.price });
    options.push({ productId: p.id, name: p.name, price: priced.price, dueNow: Math.max(pr.difference, 0), direction: pr.difference > 0 ? 'upgrade' : 'downgrade' });
  }
  return succeed({ service, blocked: null, options });
}

export type UpgradeResult =
  | { kind: 'invoice'; invoiceId: number; invoiceNumber: string | null; total: Cents; productName: string }
  | { kind: 'changed'; productName: string };

/**
 * The client's choice: an upgrade invoice (paid → moved), or a downgrade done at once. Outcomes: service_not_found
 * (not the client's: 404), blocked (see blockedReason), product_invalid / not_offered (field productId: 422).
 */
export async function requestUpgrade(
  ds: DataSource,
  provisioning: Pick<ProvisioningService, 'changeProduct'>,
  input: { clientId: number; serviceId: number; productId: number; today: string },
): Promise<Outcome<UpgradeResult>> {
  const { clientId, serviceId, productId, today } = input;
  const seen = await serviceOf(ds, clientId, serviceId);
  if (!seen) return fail('service_not_found', 'That service does not exist.');
  const target = Number.isSafeInteger(productId) && productId > 0 ? await productOf(ds, productId) : null;
  const from = (await productOf(ds, seen.productId))!;
  if (!target || target.id === seen.productId || target.module !== from.module || target.hidden || target.retired || target.paymentType !== 'recurring') {
    return fail('product_invalid', 'Choose one of the products listed.', 'productId');
  }
  const settings = await billingSettings(ds);
  const planned = await inTransaction(ds, async (m): Promise<Outcome<UpgradeResult | { kind: 'downgrade' }>> => {
    const s = await serviceOf(m, clientId, serviceId, true);
    if (!s) return fail('service_not_found', 'That service does not exist.');
    const blocked = await blockedReason(m, s, today);
    if (blocked) return fail('blocked', blocked);
    const priced = await newPriceOf(m, s, target.id, today);
    if (!priced.ok) return fail('not_offered', `${target.name}: ${priced.message}`, 'productId');
    const pr = prorateUpgrade({ today, nextDueDate: s.nextDueDate!, cycle: s.billingCycle as RecurringCycle, anchorDay: anchorOf(s, from), oldPrice: s.recurringAmount, newPrice: priced.price });
    if (pr.difference <= 0) return succeed({ kind: 'downgrade' as const });
    const on = s.domain ? ` - ${s.domain}` : '';
    const span = `${pr.remainingDays} of ${pr.periodDays} days, ${today} - ${addDays(s.nextDueDate!, -1)}${pr.periodsAhead ? `, with ${pr.periodsAhead} prepaid period${pr.periodsAhead > 1 ? 's' : ''}` : ''}`;
    const key = await upgradeKey(m, s.id, target.id, today);
    const common = { serviceId: s.id, periodStart: today, periodEnd: addDays(s.nextDueDate!, -1) };
    const lines: InvoiceLine[] = [{ itemType: 'adjustment', description: `Upgrade to ${target.name}${on} (${span})`, unitPrice: pr.charge, taxable: target.taxable, billingKey: key, ...common }];
    if (pr.credit > 0) lines.push({ itemType: 'adjustment', description: `Unused time on ${from.name}${on} (${span})`, unitPrice: -pr.credit, taxable: from.taxable, billingKey: `${key}:unused`, ...common });
    const issued = await issueInvoice(m, {
      clientId,
      issueDate: today,
      dueDate: today,
      taxInclusive: settings.taxInclusive,
      lines,
      notes: `The service moves from ${from.name} to ${target.name} when this invoice is paid.`,
    });
    if (!issued.ok) return issued;
    return succeed({ kind: 'invoice' as const, invoiceId: issued.invoiceId, invoiceNumber: issued.invoiceNumber, total: issued.total, productName: target.name });
  });
  if (!planned.ok) return planned;
  if (planned.kind !== 'downgrade') return planned;
  const changed = await provisioning.changeProduct({ serviceId, productId: target.id });
  if (!changed.ok) return fail('not_offered', changed.message, 'productId');
  return succeed({ kind: 'changed' as const, productName: target.name });
}

/**
 * PaymentService.onInvoicePaid hook: a paid upgrade invoice moves its service to the product it was for. Runs in
 * the payment's transaction, so the move and the payment are recorded together or not at all; the panel is not
 * called here (a payment must not wait on it, nor be rolled back by it) — a change_package job is queued for the
 * worker, as a paid order queues its create job. The move mirrors ProvisioningService.changeProduct (new renewal
 * price from the catalogue, a promotion of the old product ends). Paying never moves twice: the hook runs once,
 * when the invoice becomes paid, and a service already on the product is left alone. Something that stops the move
 * after payment (service cancelled meanwhile, product withdrawn) is written on the invoice's staff notes instead
 * of failing the payment.
 */
export function upgradeOnPaid(clock: Clock, timeZone: string): InvoicePaidHook {
  return async (m, invoice) => {
    const items = (await m
      .getRepository('InvoiceItem')
      .createQueryBuilder('it')
      .where('it.invoice_id = :id AND it.billing_key LIKE :k', { id: invoice.id, k: 'upgrade:%' })
      .getMany()) as Array<{ billingKey: string | null }>;
    for (const item of items) {
      const match = UPGRADE_KEY.exec(item.billingKey ?? '');
      if (!match) continue;
      const problem = await moveService(m, Number(match[1]), Number(match[2]), invoice, clock.now(), businessDate(clock.now(), timeZone));
      if (problem) {
        const row = (await m.getRepository('Invoice').findOneBy({ id: invoice.id })) as { adminNotes: string | null };
        await m.getRepository('Invoice').update({ id: invoice.id }, { adminNotes: [row.adminNotes, `Paid upgrade not applied: ${problem}`].filter(Boolean).join('\n') });
      }
    }
  };
}

async function moveService(m: EntityManager, serviceId: number, productId: number, invoice: InvoiceRow, now: Date, today: string): Promise<string | null> {
  const s = (await forUpdate(m.getRepository('Service').createQueryBuilder('s').where('s.id = :id', { id: serviceId })).getOne()) as ServiceRow | null;
  if (!s) return `service #${serviceId} no longer exists.`;
  if (s.productId === productId) return null;
  if (!['active', 'suspended'].includes(s.status)) return `service #${s.id} is ${s.status}.`;
  const from = await productOf(m, s.productId);
  const to = await productOf(m, productId);
  if (!to || !from || to.module !== from.module) return `product #${productId} is gone or provisioned differently.`;
  const priced = await newPriceOf(m, s, to.id, today);
  if (!priced.ok) return `${to.name}: ${priced.message}`;
  await m.getRepository('Service').update({ id: s.id }, { productId: to.id, recurringAmount: priced.price, regularAmount: null, promotionEndsOn: null, promotionId: null });
  if (!s.providerRef || to.module === 'none') return null;
  const plan = await planOfProduct(m as unknown as DataSource, to);
  if (!plan) return `product “${to.name}” has no package or plan; change the account on the server by hand.`;
  await requestProvisioning(m, {
    serviceId: s.id,
    action: 'change_package',
    key: `${s.id}:upgrade:${invoice.id}`,
    reason: `Upgrade to ${to.name} paid (invoice ${invoice.invoiceNumber ?? invoice.id})`,
    now,
    params: { plan },
  });
  return null;
}
