import bcrypt from 'bcryptjs';
import type { DataSource } from 'typeorm';
import { openTestDb, testEngine, type TestDb } from '../helpers/db.js';
import { RbacService } from '../../src/domain/access/rbac-service.js';
import type { ResourceDescriptor } from '../../src/domain/access/permissions.js';
import { buildAdmin, describeResources } from '../../src/admin/admin.js';
import { allResources } from '../../resources/index.js';
import { DEMO_CLIENT_LOGIN, DEMO_LOGINS, DEMO_MARKER_KEY, seedDemoData } from '../../src/demo/seed.js';
import { percentOf } from '../../src/domain/shared/money.js';
import { User } from '../../src/entities/access/user.entity.js';
import { Client } from '../../src/entities/clients/client.entity.js';
import { ClientGroup } from '../../src/entities/clients/client-group.entity.js';
import { Invoice, INVOICE_STATUSES } from '../../src/entities/billing/invoice.entity.js';
import { InvoiceItem } from '../../src/entities/billing/invoice-item.entity.js';
import { Transaction } from '../../src/entities/billing/transaction.entity.js';
import { CreditEntry } from '../../src/entities/billing/credit-entry.entity.js';
import { NumberSequence } from '../../src/entities/billing/number-sequence.entity.js';
import { Service } from '../../src/entities/hosting/service.entity.js';
import { ServiceAddon } from '../../src/entities/hosting/service-addon.entity.js';
import { ServiceConfigOption } from '../../src/entities/hosting/service-config-option.entity.js';
import { ProductPrice } from '../../src/entities/catalog/product-price.entity.js';
import { Order, ORDER_STATUSES } from '../../src/entities/orders/order.entity.js';
import { OrderItem } from '../../src/entities/orders/order-item.entity.js';
import { SupportTicket, TICKET_PRIORITIES, TICKET_STATUSES } from '../../src/entities/support/support-ticket.entity.js';
import { Setting } from '../../src/entities/system/setting.entity.js';
import { Currency } from '../../src/entities/system/currency.entity.js';

/**
 * The demo company loaded on first start: loaded once and only once, in one transaction, and internally consistent —
 * every invoice adds up, every payment is a transaction, numbers never collide, on both engines.
 */

const TABLES = [
  'users', 'staff', 'role_user', 'currencies', 'tax_rates', 'settings', 'payment_gateways', 'email_templates', 'client_groups',
  'clients', 'client_contacts', 'products', 'product_prices', 'config_option_choices', 'service_addons', 'domain_products',
  'domain_prices', 'servers', 'hosting_packages', 'services', 'client_addons', 'service_config_options', 'domains', 'orders',
  'order_items', 'order_status_history', 'invoices', 'invoice_items', 'transactions', 'client_credits', 'invoice_reminders',
  'support_tickets', 'ticket_replies', 'ticket_departments', 'department_staff', 'predefined_replies', 'network_issues',
  'announcements', 'kb_categories', 'kb_articles', 'todo_list', 'calendar_events', 'promotions', 'promotion_usages', 'affiliates',
  'affiliate_referrals', 'resellers', 'reseller_commissions', 'reseller_payouts', 'quotes', 'quote_items', 'credit_notes',
  'number_sequences', 'cancellation_requests', 'provisioning_jobs', 'backups', 'billable_items',
];

async function tableCounts(ds: DataSource): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = Number((await ds.query(`SELECT COUNT(*) AS n FROM ${t}`))[0].n);
  return out;
}

function groupBy<T, K>(rows: T[], key: (r: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
  return m;
}

/** Every invariant the demo promises, checked against what is stored. */
async function checkInvariants(ds: DataSource) {
  const invoices = (await ds.getRepository(Invoice).find()) as Invoice[];
  const items = groupBy((await ds.getRepository(InvoiceItem).find()) as InvoiceItem[], (i) => i.invoiceId);
  const txns = groupBy((await ds.getRepository(Transaction).find()) as Transaction[], (t) => t.invoiceId);
  for (const inv of invoices) {
    const lines = items.get(inv.id) ?? [];
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l.amount).toBe(l.unitPrice * l.quantity);
    expect({ id: inv.id, subtotal: inv.subtotal }).toEqual({ id: inv.id, subtotal: lines.reduce((s, l) => s + l.amount, 0) });
    const taxable = lines.filter((l) => l.taxable).reduce((s, l) => s + l.amount, 0);
    const tax1 = Number(inv.taxRate1) > 0 ? percentOf(taxable, inv.taxRate1) : 0;
    const tax2 = Number(inv.taxRate2) > 0 ? percentOf(taxable + tax1, inv.taxRate2) : 0;
    expect({ id: inv.id, tax1: inv.tax1, tax2: inv.tax2 }).toEqual({ id: inv.id, tax1, tax2 });
    expect(inv.total).toBe(inv.subtotal + inv.tax1 + inv.tax2 - inv.discount);
    const paid = (txns.get(inv.id) ?? []).filter((t) => t.status === 'completed').reduce((s, t) => s + t.amountIn - t.amountOut, 0);
    expect({ id: inv.id, amountPaid: inv.amountPaid }).toEqual({ id: inv.id, amountPaid: paid });
    expect(inv.amountPaid + inv.credit).toBeLessThanOrEqual(inv.total);
    if (inv.status === 'paid') expect(inv.amountPaid).toBe(inv.total);
    if (inv.status === 'draft') expect(inv.invoiceNumber).toBeNull();
    else expect(inv.invoiceNumber).toMatch(/^INV-\d{4}-\d{5}$/);
  }
  const refunded = invoices.filter((i) => i.status === 'refunded');
  for (const inv of refunded) {
    const t = txns.get(inv.id) ?? [];
    expect(t.some((x) => x.type === 'payment' && x.amountIn === inv.total)).toBe(true);
    expect(t.some((x) => x.type === 'refund' && x.amountOut === inv.total && x.refundOfId !== null)).toBe(true);
  }
  expect(invoices.some((i) => i.status === 'unpaid' && i.amountPaid > 0)).toBe(true);

  // invoice numbers: unique, and the sequence is past every number issued in its current year
  const numbers = invoices.map((i) => i.invoiceNumber).filter((n): n is string => n !== null);
  expect(new Set(numbers).size).toBe(numbers.length);
  const seqs = new Map(((await ds.getRepository(NumberSequence).find()) as NumberSequence[]).map((s) => [s.name, s]));
  expect([...seqs.keys()].sort()).toEqual(['credit_note', 'invoice', 'order', 'quote', 'ticket']);
  const inv = seqs.get('invoice')!;
  expect(inv.format).toBe('INV-{YYYY}-{NNNNN}');
  const used = numbers.filter((n) => n.startsWith(`INV-${inv.lastYear}-`)).map((n) => Number(n.slice(-5)));
  expect(inv.nextValue).toBe(Math.max(0, ...used) + 1);
  const orders = (await ds.getRepository(Order).find()) as Order[];
  expect(seqs.get('order')!.nextValue).toBe(Math.max(...orders.map((o) => Number(o.orderNumber.replace(/\D/g, '')))) + 1);
  const tickets = (await ds.getRepository(SupportTicket).find()) as SupportTicket[];
  expect(seqs.get('ticket')!.nextValue).toBe(Math.max(...tickets.map((t) => Number(t.ticketNumber.replace(/\D/g, '')))) + 1);

  // orders: totals add up, lines add up, and match the invoice they raised
  const orderItems = groupBy((await ds.getRepository(OrderItem).find()) as OrderItem[], (i) => i.orderId);
  const invById = new Map(invoices.map((i) => [i.id, i]));
  for (const o of orders) {
    const lines = orderItems.get(o.id) ?? [];
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l.total).toBe(l.unitPrice * l.quantity + l.setupFee - l.discount);
    expect(lines.reduce((s, l) => s + l.total, 0)).toBe(o.subtotal - o.discount);
    expect(o.total).toBe(o.subtotal - o.discount + o.tax);
    if (o.invoiceId) expect(invById.get(o.invoiceId)!.total).toBe(o.total);
  }

  // credit ledger: the balance is the last balanceAfter, and each entry moves it by its amount
  const credits = groupBy(((await ds.getRepository(CreditEntry).find({ order: { id: 'ASC' } })) as CreditEntry[]), (c) => c.clientId);
  expect(credits.size).toBeGreaterThan(0);
  for (const [clientId, entries] of credits) {
    let balance = 0;
    for (const e of entries) {
      balance += e.amount;
      expect(e.balanceAfter).toBe(balance);
    }
    const client = (await ds.getRepository(Client).findOne({ where: { id: clientId }, withDeleted: true })) as Client;
    expect(client.creditBalance).toBe(balance);
  }

  // usernames unique per server (the unique index also enforces it)
  const services = (await ds.getRepository(Service).find()) as Service[];
  const seen = new Set<string>();
  for (const s of services.filter((x) => x.username)) {
    const key = `${s.serverId}:${s.username}`;
    expect(seen.has(key)).toBe(false);
    seen.add(key);
  }

  // recurring amounts are the catalogue price of the cycle and currency (plus options), less the client group discount
  const prices = new Map(((await ds.getRepository(ProductPrice).find()) as ProductPrice[]).map((p) => [p.priceKey, p]));
  const clients = new Map(((await ds.getRepository(Client).find({ withDeleted: true })) as Client[]).map((c) => [c.id, c]));
  const groups = new Map(((await ds.getRepository(ClientGroup).find()) as ClientGroup[]).map((g) => [g.id, g]));
  const options = groupBy((await ds.getRepository(ServiceConfigOption).find()) as ServiceConfigOption[], (o) => o.serviceId);
  // a quantity option is priced per unit on its single choice
  const unitChoice = new Map(
    ((await ds.query(`SELECT c.option_id AS o, c.id AS c FROM config_option_choices c JOIN config_options o ON o.id = c.option_id WHERE o.option_type = 'quantity'`)) as Array<{ o: number; c: number }>).map(
      (r) => [Number(r.o), Number(r.c)],
    ),
  );
  for (const s of services) {
    const client = clients.get(s.clientId)!;
    const pct = client.groupId ? groups.get(client.groupId)!.discountPercent : null;
    const net = (p: number) => p - (pct ? percentOf(p, pct) : 0);
    const base = prices.get(`product:${s.productId}:${s.currencyId}:${s.billingCycle}`);
    expect(base).toBeDefined();
    let expected = net(base!.price);
    for (const o of options.get(s.id) ?? []) {
      if (o.choiceId) expected += net(prices.get(`choice:${o.choiceId}:${s.currencyId}:${s.billingCycle}`)!.price);
      else expected += net(prices.get(`choice:${unitChoice.get(o.optionId)}:${s.currencyId}:${s.billingCycle}`)!.price * o.quantity);
    }
    expect({ id: s.id, recurring: s.recurringAmount }).toEqual({ id: s.id, recurring: expected });
    expect(s.currencyId).toBe(client.currencyId);
  }
  const addons = (await ds.getRepository(ServiceAddon).find()) as ServiceAddon[];
  for (const a of addons) {
    const client = clients.get(a.clientId)!;
    const pct = client.groupId ? groups.get(client.groupId)!.discountPercent : null;
    const p = prices.get(`addon:${a.addonId}:${client.currencyId}:${a.billingCycle}`)!.price;
    expect(a.recurringAmount).toBe(p - (pct ? percentOf(p, pct) : 0));
  }
  return { invoices, services, orders, tickets };
}

describe(`demo data on ${testEngine()}`, () => {
  let db: TestDb;
  let resources: ResourceDescriptor[];
  let firstRun: boolean;
  let seedMs: number;

  beforeAll(async () => {
    db = await openTestDb();
    resources = describeResources(buildAdmin(allResources));
    await new RbacService(db.ds).sync(resources);
    const started = Date.now();
    firstRun = await seedDemoData(db.ds, { timezone: 'UTC', log: (m) => console.log(`[${testEngine()}] ${m}`) });
    seedMs = Date.now() - started;
  });
  afterAll(async () => db?.close());

  it('seeds a fresh database, quickly', () => {
    expect(firstRun).toBe(true);
    console.log(`[${testEngine()}] seedDemoData took ${seedMs} ms`);
    expect(seedMs).toBeLessThan(15_000);
  });

  it('creates a believable company', async () => {
    const c = await tableCounts(db.ds);
    expect(c.clients).toBe(50);
    expect(Number((await db.ds.query('SELECT COUNT(*) AS n FROM clients WHERE deleted_at IS NOT NULL'))[0].n)).toBe(1);
    expect(c.services).toBeGreaterThanOrEqual(75);
    expect(c.services).toBeLessThanOrEqual(90);
    expect(c.domains).toBeGreaterThanOrEqual(32);
    expect(c.domains).toBeLessThanOrEqual(45);
    expect(c.invoices).toBeGreaterThan(150);
    expect(c.support_tickets).toBe(25);
    expect(c.ticket_replies).toBeGreaterThanOrEqual(50);
    expect(c.currencies).toBe(3);
    expect(c.tax_rates).toBeGreaterThanOrEqual(5);
    expect(c.servers).toBe(4);
    expect(c.products).toBeGreaterThanOrEqual(10);
    expect(c.domain_products).toBe(6);
    expect(c.domain_prices).toBe(6 * 3 * 3);
    expect(c.email_templates).toBeGreaterThanOrEqual(10);
    expect(c.number_sequences).toBe(5);
    for (const t of TABLES) expect({ table: t, rows: c[t] > 0 }).toEqual({ table: t, rows: true });
    expect(Number((await db.ds.query(`SELECT COUNT(*) AS n FROM tax_rates WHERE level = 2`))[0].n)).toBeGreaterThan(0);
    const gateways = (await db.ds.query('SELECT code, enabled FROM payment_gateways ORDER BY code')) as Array<{ code: string; enabled: unknown }>;
    expect(gateways.filter((g) => Boolean(Number(g.enabled))).map((g) => g.code)).toEqual(['banktransfer']);
    const name = (await db.ds.getRepository(Setting).findOne({ where: { key: 'company.name' } })) as Setting;
    expect(name.value).toBe('Meridian Demo Hosting');
  });

  it('covers every status', async () => {
    const distinct = async (sql: string) => ((await db.ds.query(sql)) as Array<{ v: string }>).map((r) => r.v).sort();
    expect(await distinct('SELECT DISTINCT status AS v FROM invoices')).toEqual([...INVOICE_STATUSES].sort());
    expect(await distinct('SELECT DISTINCT status AS v FROM orders')).toEqual([...ORDER_STATUSES].sort());
    expect(await distinct('SELECT DISTINCT status AS v FROM support_tickets')).toEqual([...TICKET_STATUSES].sort());
    expect(await distinct('SELECT DISTINCT priority AS v FROM support_tickets')).toEqual([...TICKET_PRIORITIES].sort());
    expect(await distinct('SELECT DISTINCT status AS v FROM services')).toEqual(expect.arrayContaining(['active', 'cancelled', 'pending', 'suspended', 'terminated']));
    expect(await distinct('SELECT DISTINCT status AS v FROM domains')).toEqual(
      expect.arrayContaining(['active', 'cancelled', 'expired', 'grace', 'pending', 'pending_transfer', 'redemption', 'transferred_away']),
    );
    expect(await distinct('SELECT DISTINCT status AS v FROM clients')).toEqual(['active', 'closed', 'inactive']);
    const suspended = (await db.ds.getRepository(Service).find({ where: { status: 'suspended' } })) as Service[];
    expect(suspended.every((s) => !!s.suspensionReason && s.suspendedAt)).toBe(true);
    expect(suspended.some((s) => s.overdueSuspended)).toBe(true);
    expect(suspended.some((s) => !s.overdueSuspended)).toBe(true);
  });

  it('keeps invoices, payments, orders, credit, numbers and prices consistent', async () => {
    const { invoices, services } = await checkInvariants(db.ds);
    const today = new Date().toISOString().slice(0, 10);
    const in14 = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    expect(invoices.some((i) => i.status === 'unpaid' && i.dueDate < today)).toBe(true);
    expect(invoices.some((i) => i.status === 'unpaid' && i.dueDate >= today && i.dueDate <= in14)).toBe(true);
    expect(services.some((s) => s.status === 'active' && s.nextDueDate! > today && s.nextDueDate! <= in14)).toBe(true);
    expect(services.some((s) => s.nextDueDate! < today && s.status !== 'active' && s.status !== 'pending')).toBe(true);
  });

  it('creates one working staff login per default role', async () => {
    expect(DEMO_LOGINS.map((l) => l.role).sort()).toEqual(['Billing', 'Full Administrator', 'Read-only', 'Support']);
    for (const login of DEMO_LOGINS) {
      expect(login.password.length).toBeGreaterThanOrEqual(10);
      const user = (await db.ds.getRepository(User).findOne({ where: { email: login.email } })) as User;
      expect(user.userType).toBe('staff');
      expect(await bcrypt.compare(login.password, user.passwordHash!)).toBe(true);
      const roles = (await db.ds.query('SELECT r.name AS name FROM role_user ru JOIN roles r ON r.id = ru.role_id WHERE ru.user_id = ?', [user.id])) as Array<{ name: string }>;
      expect(roles.map((r) => r.name)).toEqual([login.role]);
      expect(Number((await db.ds.query('SELECT COUNT(*) AS n FROM staff WHERE user_id = ?', [user.id]))[0].n)).toBe(1);
    }
    const client = (await db.ds.getRepository(User).findOne({ where: { email: DEMO_CLIENT_LOGIN.email } })) as User;
    expect(client.userType).toBe('client');
    expect(await bcrypt.compare(DEMO_CLIENT_LOGIN.password, client.passwordHash!)).toBe(true);
  });

  it('never seeds twice', async () => {
    const before = await tableCounts(db.ds);
    expect(await seedDemoData(db.ds, { timezone: 'UTC' })).toBe(false);
    expect(await tableCounts(db.ds)).toEqual(before);
  });

  it('does nothing on a database that already has a client, and leaves no marker behind', async () => {
    const other = await openTestDb();
    try {
      await new RbacService(other.ds).sync(resources);
      const cur = await other.ds.getRepository(Currency).insert({ code: 'USD', prefix: '$', suffix: '', exponent: 2, exchangeRate: '1', isDefault: true });
      await other.ds.getRepository(Client).insert({ firstName: 'Real', lastName: 'Customer', displayName: 'Real Customer', email: 'real@customer.example', country: 'US', currencyId: cur.identifiers[0].id as number });
      expect(await seedDemoData(other.ds, { timezone: 'UTC' })).toBe(false);
      expect(await other.ds.getRepository(Setting).count({ where: { key: DEMO_MARKER_KEY } })).toBe(0);
      expect(Number((await other.ds.query('SELECT COUNT(*) AS n FROM invoices'))[0].n)).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('is deterministic and consistent on any date (here a leap day)', async () => {
    const snapshot = async () => {
      const d = await openTestDb();
      try {
        await new RbacService(d.ds).sync(resources);
        expect(await seedDemoData(d.ds, { timezone: 'Asia/Dhaka', today: '2028-02-29' })).toBe(true);
        await checkInvariants(d.ds);
        const inv = (await d.ds.query('SELECT invoice_number AS n, status AS s, total AS t, issue_date AS d FROM invoices ORDER BY id')) as Array<Record<string, unknown>>;
        const svc = (await d.ds.query('SELECT domain AS d, username AS u, recurring_amount AS r, next_due_date AS n, status AS s FROM services ORDER BY id')) as Array<Record<string, unknown>>;
        const dom = (await d.ds.query('SELECT domain_name AS d, status AS s, expiry_date AS e FROM domains ORDER BY id')) as Array<Record<string, unknown>>;
        const norm = (rows: Array<Record<string, unknown>>) => rows.map((r) => Object.values(r).map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v))).join('|'));
        return { inv: norm(inv), svc: norm(svc), dom: norm(dom) };
      } finally {
        await d.close();
      }
    };
    const a = await snapshot();
    const b = await snapshot();
    expect(a.inv.length).toBeGreaterThan(150);
    expect(b).toEqual(a);
  }, 180_000);
});
