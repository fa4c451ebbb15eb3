import { createHash } from 'node:crypto';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { percentOf } from '../domain/shared/money.js';
import { Role } from '../entities/access/role.entity.js';
import { RoleUser } from '../entities/access/role-user.entity.js';
import { Staff } from '../entities/access/staff.entity.js';
import { User } from '../entities/access/user.entity.js';
import { BillableItem } from '../entities/billing/billable-item.entity.js';
import { CreditEntry } from '../entities/billing/credit-entry.entity.js';
import { CreditNote } from '../entities/billing/credit-note.entity.js';
import { Invoice } from '../entities/billing/invoice.entity.js';
import { InvoiceItem } from '../entities/billing/invoice-item.entity.js';
import { InvoiceReminder } from '../entities/billing/invoice-reminder.entity.js';
import { NumberSequence } from '../entities/billing/number-sequence.entity.js';
import { Quote } from '../entities/billing/quote.entity.js';
import { QuoteItem } from '../entities/billing/quote-item.entity.js';
import { Transaction } from '../entities/billing/transaction.entity.js';
import { Addon } from '../entities/catalog/addon.entity.js';
import { ConfigOption } from '../entities/catalog/config-option.entity.js';
import { ConfigOptionChoice } from '../entities/catalog/config-option-choice.entity.js';
import { ConfigOptionGroup } from '../entities/catalog/config-option-group.entity.js';
import { DomainPrice } from '../entities/catalog/domain-price.entity.js';
import { DomainProduct } from '../entities/catalog/domain-product.entity.js';
import { Product } from '../entities/catalog/product.entity.js';
import { ProductCategory } from '../entities/catalog/product-category.entity.js';
import { ProductConfigGroup } from '../entities/catalog/product-config-group.entity.js';
import { ProductPrice } from '../entities/catalog/product-price.entity.js';
import { Client } from '../entities/clients/client.entity.js';
import { ClientContact } from '../entities/clients/client-contact.entity.js';
import { ClientGroup } from '../entities/clients/client-group.entity.js';
import { Domain, type DomainStatus } from '../entities/domains/domain.entity.js';
import { Backup } from '../entities/hosting/backup.entity.js';
import { CancellationRequest } from '../entities/hosting/cancellation-request.entity.js';
import { HostingPackage } from '../entities/hosting/hosting-package.entity.js';
import { ProvisioningJob } from '../entities/hosting/provisioning-job.entity.js';
import { Server } from '../entities/hosting/server.entity.js';
import { ServerGroup } from '../entities/hosting/server-group.entity.js';
import { Service } from '../entities/hosting/service.entity.js';
import { ServiceAddon } from '../entities/hosting/service-addon.entity.js';
import { ServiceConfigOption } from '../entities/hosting/service-config-option.entity.js';
import { Affiliate } from '../entities/marketing/affiliate.entity.js';
import { AffiliateReferral } from '../entities/marketing/affiliate-referral.entity.js';
import { Promotion } from '../entities/marketing/promotion.entity.js';
import { PromotionUsage } from '../entities/marketing/promotion-usage.entity.js';
import { Reseller } from '../entities/marketing/reseller.entity.js';
import { ResellerCommission } from '../entities/marketing/reseller-commission.entity.js';
import { ResellerPayout } from '../entities/marketing/reseller-payout.entity.js';
import { Order, type OrderStatus } from '../entities/orders/order.entity.js';
import { OrderItem } from '../entities/orders/order-item.entity.js';
import { OrderStatusHistory } from '../entities/orders/order-status-history.entity.js';
import { DepartmentStaff } from '../entities/support/department-staff.entity.js';
import { NetworkIssue } from '../entities/support/network-issue.entity.js';
import { PredefinedReply } from '../entities/support/predefined-reply.entity.js';
import { SupportTicket } from '../entities/support/support-ticket.entity.js';
import { TicketDepartment } from '../entities/support/ticket-department.entity.js';
import { TicketReply } from '../entities/support/ticket-reply.entity.js';
import { Announcement } from '../entities/system/announcement.entity.js';
import { CalendarEvent } from '../entities/system/calendar-event.entity.js';
import { Currency } from '../entities/system/currency.entity.js';
import { CustomField } from '../entities/system/custom-field.entity.js';
import { CustomFieldValue } from '../entities/system/custom-field-value.entity.js';
import { EmailTemplate } from '../entities/system/email-template.entity.js';
import { KnowledgeBaseArticle } from '../entities/system/knowledge-base-article.entity.js';
import { KnowledgeBaseCategory } from '../entities/system/knowledge-base-category.entity.js';
import { PaymentGateway } from '../entities/system/payment-gateway.entity.js';
import { Setting } from '../entities/system/setting.entity.js';
import { TaxRate } from '../entities/system/tax-rate.entity.js';
import { TodoItem } from '../entities/system/todo-item.entity.js';
import {
  CYCLE_LABEL,
  CYCLE_MONTHS,
  DEMO_ADDONS,
  DEMO_CATEGORIES,
  DEMO_CURRENCIES,
  DEMO_PACKAGES,
  DEMO_PRODUCTS,
  DEMO_SERVER_GROUPS,
  DEMO_SERVERS,
  DEMO_TLDS,
  DOMAIN_YEARS,
  VPS_OPTION_CYCLES,
  VPS_OPTIONS,
  localPrice,
  type AddonKey,
  type DemoProductDef,
  type ProductKey,
  type ServerKey,
} from './content-catalog.js';
import { DEMO_CLIENT_GROUPS, DEMO_CLIENTS, DEMO_CONTACTS, DEMO_STAFF, clientEmail, type CurrencyCode, type DemoClientDef, type GroupKey } from './content-people.js';
import {
  DEMO_ANNOUNCEMENTS,
  DEMO_EMAIL_TEMPLATES,
  DEMO_EVENTS,
  DEMO_KB,
  DEMO_PREDEFINED_REPLIES,
  DEMO_TICKETS,
  DEMO_TODOS,
  type DemoTicketDef,
} from './content-text.js';
import { addDays, addMonths, addYears, daysBetween, maxDate, minDate, toMs, yearOf } from './dates.js';
import { Prng } from './random.js';
import {
  DEMO_BILLING,
  DEMO_TAX_RATES,
  DUE_WINDOW,
  NUMBER_FORMATS,
  PERIODIC,
  type AddonP,
  type BillableP,
  type BuildOptions,
  type BuildSummary,
  type ClientP,
  type DomainP,
  type InvoiceP,
  type LineP,
  type OptionSel,
  type OrderLineP,
  type OrderP,
  type Outcome,
  type RecurringCycle,
  type Scenario,
  DEMO_REGISTRAR,
  type ServiceP,
  type TaxInfo,
  type TxnP,
} from './model.js';
import { Writer, type Row } from './writer.js';

export { DEMO_BILLING, DEMO_TAX_RATES, NUMBER_FORMATS } from './model.js';

const SEED = 0x4d455249; // "MERI"

/**
 * Plans a believable hosting company in memory (deterministically), then writes it with batched inserts.
 * Amounts are integer cents; every invoice adds up and every payment is a transaction.
 */
export class DemoBuilder {
  private readonly rng = new Prng(SEED);
  private readonly m: EntityManager;
  private readonly today: string;
  private readonly nowMs: number;
  private readonly w: Writer;

  // ids of reference rows
  private readonly currencyIds = new Map<CurrencyCode, number>();
  private readonly currencyRates = new Map<CurrencyCode, string>();
  private readonly staffIds = new Map<string, number>();
  private readonly staffNames = new Map<string, string>();
  private readonly groupIds = new Map<GroupKey, number>();
  private readonly productIds = new Map<ProductKey, number>();
  private readonly addonIds = new Map<AddonKey, number>();
  private readonly serverIds = new Map<ServerKey, number>();
  private readonly packageIds = new Map<string, number>();
  private readonly optionIds = new Map<string, number>();
  private readonly choiceIds = new Map<string, number>();
  private readonly tldIds = new Map<string, number>();
  private readonly departmentIds = new Map<string, number>();
  private taxRules: Array<{ name: string; country: string | null; state: string | null; rate: string; level: number; priority: number }> = [];
  private promotionIds = new Map<string, number>();

  // prices
  private readonly productPrices = new Map<string, { price: number; setup: number }>();
  private readonly addonPrices = new Map<string, number>();
  private readonly choicePrices = new Map<string, number>();
  private readonly tldPrices = new Map<string, { register: number; renew: number; transfer: number | null }>();

  // plan
  private readonly clients: ClientP[] = [];
  private readonly services: ServiceP[] = [];
  private readonly domains: DomainP[] = [];
  private readonly invoices: InvoiceP[] = [];
  private readonly orders: OrderP[] = [];
  private readonly billables: BillableP[] = [];
  private readonly usernames = new Map<ServerKey, Set<string>>();
  private readonly domainNames = new Set<string>();
  private invoiceSeq = 0;
  private refSeq = 1000;
  private quoteInvoice: InvoiceP | null = null;
  private creditPlan: { client: ClientP; invoice: InvoiceP; apply: number } | null = null;
  private invoiceSeqState = { lastYear: 0, next: 1 };
  private cnState: { lastYear: number | null; next: number } = { lastYear: null, next: 1 };
  private ticketCount = 0;
  private quoteCount = 0;
  private ipSeq = { shared: 100, vps: 100, dedicated: 100 };

  constructor(private readonly opts: BuildOptions) {
    this.m = opts.m;
    this.w = new Writer(opts.m);
    this.today = opts.today;
    this.nowMs = opts.nowMs;
  }

  async run(): Promise<BuildSummary> {
    await this.w.init();
    await this.staff();
    await this.system();
    await this.clientsAndGroups();
    await this.catalog();
    await this.promotions();
    this.planServices();
    this.planDomains();
    this.planExtraInvoices();
    this.finaliseInvoices();
    await this.writeBilling();
    await this.writeOrders();
    await this.writeServicesAndDomains();
    await this.writeInvoiceItems();
    await this.writeOrderItems();
    await this.writeBillingExtras();
    await this.writeMarketing();
    await this.writeHostingExtras();
    await this.support();
    await this.content();
    await this.sequences();
    const rows = Object.values(this.w.counts).reduce((a, b) => a + b, 0);
    return { rows, counts: this.w.counts };
  }

  // ---------------------------------------------------------------- helpers

  private insert(entity: EntityTarget<ObjectLiteral>, rows: Row[]): Promise<number[]> {
    return this.w.insert(entity, rows);
  }

  private insertPlans<T extends { id: number }>(entity: EntityTarget<ObjectLiteral>, plans: T[], toRow: (p: T) => Row): Promise<void> {
    return this.w.insertPlans(entity, plans, toRow);
  }

  /** A UTC timestamp on a business date, never later than now. */
  private at(date: string, hour = 9, minute = 0): Date {
    const ms = toMs(date) + hour * 3_600_000 + minute * 60_000;
    return new Date(Math.min(ms, this.nowMs - 60_000));
  }

  /** A timestamp that may lie in the future (calendar, scheduled maintenance). */
  private future(date: string, hour = 9): Date {
    return new Date(toMs(date) + hour * 3_600_000);
  }

  private hoursAgo(h: number): Date {
    return new Date(this.nowMs - Math.round(h * 3_600_000));
  }

  private ref(prefix: string, date: string): string {
    this.refSeq += this.rng.int(1, 9);
    return `${prefix}${date.replace(/-/g, '')}${this.refSeq}`;
  }

  private price(product: ProductKey, cur: CurrencyCode, cycle: RecurringCycle) {
    const p = this.productPrices.get(`${product}:${cur}:${cycle}`);
    if (!p) throw new Error(`demo seed: no price for ${product} ${cur} ${cycle}`);
    return p;
  }

  private groupDiscount(client: ClientP, amount: number): number {
    return client.groupPct ? percentOf(amount, client.groupPct) : 0;
  }

  private taxFor(def: DemoClientDef): TaxInfo {
    if (def.taxExempt) return { rate1: '0.0000', name1: null, rate2: '0.0000', name2: null };
    const pick = (level: number) => {
      const candidates = this.taxRules.filter(
        (t) =>
          t.level === level &&
          (t.country === null || t.country.toUpperCase() === def.country) &&
          (t.state === null || (def.state !== null && t.state.toLowerCase() === def.state.toLowerCase())),
      );
      candidates.sort((a, b) => (b.state ? 2 : 0) + (b.country ? 1 : 0) - ((a.state ? 2 : 0) + (a.country ? 1 : 0)) || b.priority - a.priority);
      return candidates[0];
    };
    const l1 = pick(1);
    const l2 = pick(2);
    return {
      rate1: l1 ? Number(l1.rate).toFixed(4) : '0.0000',
      name1: l1?.name ?? null,
      rate2: l2 ? Number(l2.rate).toFixed(4) : '0.0000',
      name2: l2?.name ?? null,
    };
  }

  // ---------------------------------------------------------------- staff

  private async staff(): Promise<void> {
    const emails = DEMO_STAFF.map((s) => s.email);
    const existing = (await this.m.getRepository(User).find({ where: emails.map((email) => ({ email })), withDeleted: true })) as User[];
    const byEmail = new Map(existing.map((u) => [u.email, u]));
    const fresh = DEMO_STAFF.filter((s) => !byEmail.has(s.email));
    const userIds = await this.insert(
      User,
      fresh.map((s) => ({
        userType: 'staff',
        email: s.email,
        firstName: s.firstName,
        lastName: s.lastName,
        displayName: `${s.firstName} ${s.lastName}`,
        passwordHash: s.password ? this.opts.staffHashes.get(s.key) ?? null : null,
        status: 'active',
        emailVerifiedAt: s.password ? this.hoursAgo(24 * 400) : null,
        lastLoginAt: s.password ? this.hoursAgo(this.rng.int(2, 90)) : null,
        timezone: 'UTC',
        language: 'en',
        createdAt: this.hoursAgo(24 * 760),
      })),
    );
    fresh.forEach((s, i) => this.staffIds.set(s.key, userIds[i]));
    for (const s of DEMO_STAFF) {
      const u = byEmail.get(s.email);
      if (u) this.staffIds.set(s.key, u.id);
      this.staffNames.set(s.key, `${s.firstName} ${s.lastName}`);
    }
    const staffRowsWanted = DEMO_STAFF.filter((s) => !byEmail.has(s.email));
    await this.insert(
      Staff,
      staffRowsWanted.map((s) => ({
        userId: this.staffIds.get(s.key),
        displayName: `${s.firstName} ${s.lastName}`,
        jobTitle: s.jobTitle,
        phone: s.phone,
        signature: `${s.firstName}\n${s.jobTitle}, Meridian Demo Hosting`,
        notes: null,
      })),
    );
    const roles = (await this.m.getRepository(Role).find()) as Role[];
    const roleId = new Map(roles.map((r) => [r.name, r.id]));
    const links: Row[] = [];
    for (const s of DEMO_STAFF) {
      const rid = roleId.get(s.role);
      if (!rid) throw new Error(`demo seed: role "${s.role}" does not exist; run RbacService.sync first`);
      const userId = this.staffIds.get(s.key)!;
      if (byEmail.has(s.email) && (await this.m.getRepository(RoleUser).count({ where: { userId, roleId: rid } }))) continue;
      links.push({ userId, roleId: rid });
    }
    await this.insert(RoleUser, links);
  }

  // ---------------------------------------------------------------- system

  private async system(): Promise<void> {
    const m = this.m;
    // currencies: reuse any that exist
    const existing = (await m.getRepository(Currency).find()) as Currency[];
    const hasDefault = existing.some((c) => c.isDefault);
    const missing = DEMO_CURRENCIES.filter((c) => !existing.some((e) => e.code === c.code));
    const ids = await this.insert(
      Currency,
      missing.map((c) => ({ code: c.code, prefix: c.prefix, suffix: c.suffix, exponent: 2, exchangeRate: c.rate, isDefault: c.isDefault && !hasDefault })),
    );
    missing.forEach((c, i) => {
      this.currencyIds.set(c.code, ids[i]);
      this.currencyRates.set(c.code, c.rate);
    });
    for (const e of existing) {
      if (DEMO_CURRENCIES.some((c) => c.code === e.code)) {
        this.currencyIds.set(e.code as CurrencyCode, e.id);
        this.currencyRates.set(e.code as CurrencyCode, Number(e.exchangeRate).toFixed(8));
      }
    }

    // tax rules: ours on an empty table, otherwise the ones staff already set up
    if ((await m.getRepository(TaxRate).count()) === 0) await this.insert(TaxRate, DEMO_TAX_RATES.map((t) => ({ ...t })));
    this.taxRules = ((await m.getRepository(TaxRate).find()) as TaxRate[]).map((t) => ({
      name: t.name,
      country: t.country,
      state: t.state,
      rate: t.rate,
      level: Number(t.level),
      priority: Number(t.priority),
    }));

    // settings
    const settings: Array<[string, string, 'string' | 'int' | 'bool' | 'json' | 'money', string, string, boolean]> = [
      ['company.name', 'Meridian Demo Hosting', 'string', 'General', 'Company name shown on invoices, emails and the client area.', true],
      ['company.legalName', 'Meridian Demo Hosting LLC', 'string', 'General', 'Legal entity printed on invoices.', true],
      ['company.email', 'hello@meridian-demo.test', 'string', 'General', 'Public contact address.', true],
      ['company.phone', '+1 512 555 0199', 'string', 'General', 'Public phone number.', true],
      ['company.url', 'https://meridian-demo.test', 'string', 'General', 'Public website.', true],
      ['company.address', JSON.stringify(['100 Congress Ave, Suite 400', 'Austin, TX 78701', 'United States']), 'json', 'General', 'Postal address lines printed on invoices.', true],
      ['company.taxId', 'EIN 00-0000000', 'string', 'General', 'Tax registration printed on invoices.', true],
      ['company.logoUrl', '', 'string', 'General', 'Logo for invoices and the client area (leave empty for the text logo).', true],
      ['general.defaultCountry', 'US', 'string', 'Localisation', 'Country preselected on sign-up forms.', true],
      ['general.defaultLanguage', 'en', 'string', 'Localisation', 'Language of emails when a client has none.', true],
      ['general.dateFormat', 'YYYY-MM-DD', 'string', 'Localisation', 'How dates are shown to clients.', true],
      ['billing.invoiceDaysBefore', String(DEMO_BILLING.invoiceDaysBefore), 'int', 'Billing', 'Renewal invoices are generated this many days before the due date.', false],
      ['billing.paymentTermsDays', '7', 'int', 'Billing', 'Due date of manual invoices, in days after issue.', false],
      ['billing.domainInvoiceDaysBefore', '30', 'int', 'Billing', 'Domain renewals are invoiced this many days before expiry (the registry does not wait).', false],
      ['billing.dueSoonReminderDays', String(DEMO_BILLING.dueSoonReminderDays), 'int', 'Billing', 'Payment reminder this many days before the due date.', false],
      ['billing.overdueReminder1Days', String(DEMO_BILLING.overdue1Days), 'int', 'Billing', 'First overdue notice, days after the due date.', false],
      ['billing.overdueReminder2Days', String(DEMO_BILLING.overdue2Days), 'int', 'Billing', 'Second overdue notice, days after the due date.', false],
      ['billing.overdueReminder3Days', String(DEMO_BILLING.overdue3Days), 'int', 'Billing', 'Final overdue notice, days after the due date.', false],
      ['billing.suspendAfterDays', String(DEMO_BILLING.suspendAfterDays), 'int', 'Billing', 'Suspend services this many days after an unpaid due date (0 = never).', false],
      ['billing.terminateAfterDays', String(DEMO_BILLING.terminateAfterDays), 'int', 'Billing', 'Terminate services this many days after an unpaid due date (0 = never).', false],
      ['billing.cancelUnpaidOrdersAfterDays', String(DEMO_BILLING.cancelUnpaidOrdersAfterDays), 'int', 'Billing', 'Cancel pending orders whose first invoice is still unpaid after this many days.', false],
      ['billing.lateFeeEnabled', 'false', 'bool', 'Billing', 'Add a late fee to overdue invoices.', false],
      ['billing.lateFeeAmount', '500', 'money', 'Billing', 'Late fee in minor units of the invoice currency.', false],
      ['billing.taxInclusive', 'false', 'bool', 'Billing', 'Catalogue prices include tax.', false],
      ['billing.dailyRunHour', '9', 'int', 'Automation', 'Hour (business time zone) of the daily billing run.', false],
      ['billing.autoChargeAttempts', '3', 'int', 'Billing', 'Declined automatic charges of a saved card before giving up on an invoice.', false],
      ['billing.autoChargeRetryDays', '3', 'int', 'Billing', 'Days between one declined automatic charge and the next attempt.', false],
      ['support.closeAnsweredAfterDays', '7', 'int', 'Support', 'Close answered tickets with no client reply after this many days.', false],
      ['domains.defaultNameservers', JSON.stringify(['ns1.demo-host.test', 'ns2.demo-host.test']), 'json', 'Domains', 'Nameservers given to new registrations.', false],
      ['domains.renewalReminderDays', JSON.stringify([30, 14, 7]), 'json', 'Domains', 'Days before expiry the renewal reminders go out.', false],
      ['mail.fromName', 'Meridian Demo Hosting', 'string', 'Mail', 'Sender name of outgoing mail.', false],
      ['mail.fromEmail', 'noreply@meridian-demo.test', 'string', 'Mail', 'Sender address of outgoing mail.', false],
      // The fake registrar of `npm run fake:registrar`: TLDs stay manual until staff give one the registrar "logicboxes".
      ['registrar.logicboxes.resellerId', DEMO_REGISTRAR.resellerId, 'string', 'Domains', 'ResellerClub / LogicBoxes reseller id.', false],
      ['registrar.logicboxes.apiBase', DEMO_REGISTRAR.apiBase, 'string', 'Domains', 'LogicBoxes API URL; empty = the live API (or the test API in test mode).', false],
      ['registrar.logicboxes.testMode', 'false', 'bool', 'Domains', 'Use LogicBoxes’ test environment (test.httpapi.com).', false],
    ];
    const have = new Set(((await m.getRepository(Setting).find({ select: { key: true } })) as Setting[]).map((s) => s.key));
    await this.insert(
      Setting,
      settings.filter(([key]) => !have.has(key)).map(([key, value, type, groupName, description, isPublic]) => ({ key, value, type, groupName, description, isPublic, secretValue: null })),
    );

    if (!have.has('registrar.logicboxes.apiKey')) {
      await m.getRepository(Setting).save(m.getRepository(Setting).create({ key: 'registrar.logicboxes.apiKey', value: null, secretValue: DEMO_REGISTRAR.apiKey, type: 'secret', groupName: 'Domains', description: 'LogicBoxes API key (kept encrypted).', isPublic: false }));
    }

    // payment gateways
    const gateways: Row[] = [
      {
        code: 'banktransfer',
        displayName: 'Bank Transfer',
        enabled: true,
        sortOrder: 1,
        testMode: false,
        config: {
          instructions: 'Bank: First Demo Bank\nAccount name: Meridian Demo Hosting LLC\nAccount: 000123456789\nRouting (ABA): 011000015\nSWIFT: DEMOUS33\nPlease quote your invoice number as the payment reference.',
          currencies: ['USD', 'EUR', 'GBP'],
        },
      },
      { code: 'stripe', displayName: 'Credit / Debit Card', enabled: false, sortOrder: 2, testMode: true, config: { currencies: ['USD', 'EUR', 'GBP'], statementDescriptor: 'MERIDIAN DEMO' } },
      { code: 'paypal', displayName: 'PayPal', enabled: false, sortOrder: 3, testMode: true, config: { currencies: ['USD', 'EUR', 'GBP'] } },
      { code: 'sslcommerz', displayName: 'SSLCommerz (bKash, Nagad, cards)', enabled: false, sortOrder: 4, testMode: true, config: { currencies: ['USD'] } },
    ];
    const haveGw = new Set(((await m.getRepository(PaymentGateway).find()) as PaymentGateway[]).map((g) => g.code));
    await this.insert(PaymentGateway, gateways.filter((g) => !haveGw.has(String(g.code))).map((g) => ({ ...g, credentials: null })));

    // email templates
    const haveTpl = new Set(((await m.getRepository(EmailTemplate).find()) as EmailTemplate[]).map((t) => `${t.name}:${t.language}`));
    await this.insert(
      EmailTemplate,
      DEMO_EMAIL_TEMPLATES.filter((t) => !haveTpl.has(`${t.name}:en`)).map((t) => ({
        name: t.name,
        type: t.type,
        subject: t.subject,
        bodyHtml: t.bodyHtml,
        bodyText: t.bodyText,
        language: 'en',
        enabled: true,
        isSystem: true,
        fromName: null,
        fromEmail: null,
        bcc: null,
      })),
    );
  }

  // ---------------------------------------------------------------- clients

  private async clientsAndGroups(): Promise<void> {
    const existing = (await this.m.getRepository(ClientGroup).find()) as ClientGroup[];
    const fresh = DEMO_CLIENT_GROUPS.filter((g) => !existing.some((e) => e.name === g.name));
    const ids = await this.insert(ClientGroup, fresh.map((g) => ({ name: g.name, colour: g.colour, discountPercent: g.discountPercent, description: g.description })));
    fresh.forEach((g, i) => this.groupIds.set(g.key, ids[i]));
    for (const e of existing) {
      const g = DEMO_CLIENT_GROUPS.find((x) => x.name === e.name);
      if (g) this.groupIds.set(g.key, e.id);
    }

    DEMO_CLIENTS.forEach((def, idx) => {
      const cur = def.currency;
      const group = def.group ? DEMO_CLIENT_GROUPS.find((g) => g.key === def.group)! : null;
      this.clients.push({
        def,
        idx,
        id: 0,
        userId: null,
        email: clientEmail(def),
        cur,
        currencyId: this.currencyIds.get(cur)!,
        groupKey: def.group ?? null,
        groupPct: group ? group.discountPercent : null,
        tax: this.taxFor(def),
        gateway: this.rng.chance(0.35) ? 'banktransfer' : null,
        services: [],
        domains: [],
        createdDate: def.tag === 'fraud' || def.tag === 'referred' ? this.today : addDays(this.today, -this.rng.int(30, 720)),
        creditBalance: 0,
      });
    });
  }

  /** Client rows are written once their services are planned, so the sign-up date precedes the first order. */
  private async writeClients(): Promise<void> {
    const withLogin = this.clients.filter((c) => c.def.login);
    const userIds = await this.insert(
      User,
      withLogin.map((c) => ({
        userType: 'client',
        email: c.email,
        firstName: c.def.firstName,
        lastName: c.def.lastName,
        displayName: `${c.def.firstName} ${c.def.lastName}`,
        passwordHash: this.opts.clientHash,
        status: 'active',
        emailVerifiedAt: this.at(c.createdDate, 7),
        lastLoginAt: this.hoursAgo(this.rng.int(3, 400)),
        lastLoginIp: `198.51.100.${this.rng.int(30, 250)}`,
        timezone: 'UTC',
        language: c.def.language ?? 'en',
        createdAt: this.at(c.createdDate, 6),
      })),
    );
    withLogin.forEach((c, i) => (c.userId = userIds[i]));

    await this.insertPlans(Client, this.clients, (c) => {
      const d = c.def;
      return {
        userId: c.userId,
        firstName: d.firstName,
        lastName: d.lastName,
        companyName: d.company,
        displayName: d.company ?? `${d.firstName} ${d.lastName}`,
        email: c.email,
        phone: d.phone,
        address1: d.address1,
        address2: null,
        city: d.city,
        state: d.state,
        postcode: d.postcode,
        country: d.country,
        taxId: d.taxId ?? null,
        taxExempt: !!d.taxExempt,
        groupId: c.groupKey ? this.groupIds.get(c.groupKey) ?? null : null,
        currencyId: c.currencyId,
        creditBalance: c.creditBalance,
        status: d.status ?? 'active',
        language: d.language ?? 'en',
        defaultGateway: c.gateway,
        lateFeeExempt: c.groupKey === 'vip',
        overdueNoticesDisabled: false,
        marketingEmailsOptIn: c.idx % 3 !== 0,
        notes:
          d.tag === 'fraud'
            ? 'Order flagged by the fraud screen: proxy IP, mismatched country. Do not accept new orders without ID.'
            : d.tag === 'collections'
              ? 'Account passed to collections for an unpaid invoice.'
              : d.taxExempt && d.taxId
                ? 'EU business customer: VAT reverse charge applies (VAT ID verified).'
                : null,
        lastLoginAt: c.userId ? this.hoursAgo(this.rng.int(3, 400)) : null,
        deletedAt: d.deleted ? this.at(addDays(this.today, -this.rng.int(20, 90)), 11) : null,
        createdAt: this.at(c.createdDate, 6, this.rng.int(0, 59)),
      };
    });

    const bySite = new Map(this.clients.map((c) => [c.def.site, c]));
    await this.insert(
      ClientContact,
      DEMO_CONTACTS.map((ct) => {
        const c = bySite.get(ct.site)!;
        return {
          clientId: c.id,
          contactType: ct.type,
          firstName: ct.firstName,
          lastName: ct.lastName,
          companyName: c.def.company,
          email: ct.email,
          phone: ct.phone ?? null,
          address1: null,
          address2: null,
          city: null,
          state: null,
          postcode: null,
          country: c.def.country,
          generalEmails: ct.type === 'general',
          invoiceEmails: ct.type === 'billing',
          productEmails: ct.type === 'technical',
          domainEmails: ct.type === 'technical',
          supportEmails: ct.type !== 'billing',
        };
      }),
    );

    const [fieldId] = await this.insert(CustomField, [
      {
        appliesTo: 'client',
        productId: null,
        departmentId: null,
        name: 'How did you hear about us?',
        description: 'Asked on sign-up; used for marketing reports.',
        fieldType: 'dropdown',
        options: ['Search engine', 'Friend or colleague', 'Review site', 'Social media', 'Podcast', 'Other'],
        required: false,
        showOnOrder: true,
        showOnInvoice: false,
        adminOnly: false,
        sortOrder: 1,
        validationRegex: null,
      },
    ]);
    const answers = ['Search engine', 'Friend or colleague', 'Review site', 'Social media', 'Podcast', 'Other'];
    await this.insert(
      CustomFieldValue,
      this.clients
        .filter((c) => c.idx % 2 === 0)
        .map((c) => ({ fieldId, clientId: c.id, serviceId: null, ticketId: null, value: c.def.tag === 'referred' ? 'Friend or colleague' : this.rng.pick(answers), secretValue: null, ownerKey: `client:${c.id}` })),
    );
  }

  // ---------------------------------------------------------------- catalogue

  private async catalog(): Promise<void> {
    const groupIds = await this.insert(ServerGroup, DEMO_SERVER_GROUPS.map((g) => ({ name: g.name, fillMethod: g.fillMethod, description: g.description })));
    const serverGroupId = new Map(DEMO_SERVER_GROUPS.map((g, i) => [g.key, groupIds[i]]));
    const sIds = await this.insert(
      Server,
      DEMO_SERVERS.map((s) => ({
        name: s.name,
        hostname: s.hostname,
        ipAddress: s.ipAddress,
        port: s.port,
        secure: true,
        verifyTls: true,
        type: s.type,
        username: s.type === 'cpanel' ? 'root' : null,
        password: null,
        apiToken: s.type === 'cpanel' ? `DEMO-NOT-A-REAL-WHM-TOKEN-${s.key.toUpperCase()}` : null,
        apiKey: s.type === 'virtualizor' ? 'demo-virtualizor-api-key-not-real' : null,
        apiPass: s.type === 'virtualizor' ? 'demo-virtualizor-api-pass-not-real' : null,
        serverGroupId: serverGroupId.get(s.group),
        maxAccounts: s.maxAccounts,
        activeAccounts: 0,
        nameserver1: s.type === 'cpanel' ? 'ns1.demo-host.test' : null,
        nameserver2: s.type === 'cpanel' ? 'ns2.demo-host.test' : null,
        nameserver3: null,
        nameserver4: null,
        status: s.status,
        lastSyncAt: null,
        lastCheckAt: null,
        lastCheckOk: null,
        lastCheckResult: null,
        monthlyCost: s.monthlyCost,
        datacenter: s.datacenter,
        notes: s.notes,
      })),
    );
    DEMO_SERVERS.forEach((s, i) => this.serverIds.set(s.key, sIds[i]));

    const pIds = await this.insert(
      HostingPackage,
      DEMO_PACKAGES.map((p) => ({
        serverId: null,
        name: p.name,
        diskQuotaMb: p.diskQuotaMb,
        bandwidthMb: p.bandwidthMb,
        maxEmails: p.maxEmails,
        maxDatabases: p.maxDatabases,
        maxFtp: p.maxFtp,
        maxDomains: p.maxDomains,
        maxSubdomains: p.maxSubdomains,
        maxParked: p.maxParked,
        maxEmailPerHour: 300,
        maxDeferFailPercentage: 50,
        cgiAccess: true,
        shellAccess: p.shellAccess,
        dedicatedIp: false,
        isReseller: p.isReseller,
        featureList: p.isReseller ? 'reseller' : 'default',
        language: 'en',
        theme: 'jupiter',
        status: p.status,
        lastSyncAt: null,
      })),
    );
    DEMO_PACKAGES.forEach((p, i) => this.packageIds.set(p.key, pIds[i]));

    const catIds = await this.insert(
      ProductCategory,
      DEMO_CATEGORIES.map((c, i) => ({ name: c.name, slug: c.slug, description: c.description, parentId: null, hidden: false, sortOrder: i + 1 })),
    );
    const categoryId = new Map(DEMO_CATEGORIES.map((c, i) => [c.key, catIds[i]]));

    const prodIds = await this.insert(
      Product,
      DEMO_PRODUCTS.map((p, i) => ({
        categoryId: categoryId.get(p.category),
        name: p.name,
        slug: p.slug,
        description: p.description,
        type: p.type,
        module: p.module,
        serverGroupId: p.serverGroup ? serverGroupId.get(p.serverGroup) : null,
        hostingPackageId: p.package ? this.packageIds.get(p.package) : null,
        moduleConfig: p.moduleConfig ?? null,
        paymentType: 'recurring',
        stockControl: p.stock !== undefined,
        stockQuantity: p.stock ?? 0,
        prorataBilling: false,
        prorataDay: null,
        prorataCutoffDay: null,
        autoSetup: p.autoSetup,
        requireDomain: p.requireDomain,
        hidden: !!p.hidden,
        retired: !!p.retired,
        featured: !!p.featured,
        sortOrder: i + 1,
        welcomeEmailTemplate: p.welcomeEmail,
        taxable: true,
        features: p.features,
      })),
    );
    DEMO_PRODUCTS.forEach((p, i) => this.productIds.set(p.key, prodIds[i]));

    const priceRows: Row[] = [];
    for (const p of DEMO_PRODUCTS) {
      for (const [cycle, [usd, setupUsd]] of Object.entries(p.prices) as Array<[RecurringCycle, [number, number]]>) {
        for (const c of DEMO_CURRENCIES) {
          const price = localPrice(usd, c.code);
          const setup = localPrice(setupUsd, c.code);
          this.productPrices.set(`${p.key}:${c.code}:${cycle}`, { price, setup });
          const productId = this.productIds.get(p.key)!;
          const currencyId = this.currencyIds.get(c.code)!;
          priceRows.push({ productId, addonId: null, configOptionChoiceId: null, currencyId, cycle, price, setupFee: setup, enabled: true, priceKey: `product:${productId}:${currencyId}:${cycle}` });
        }
      }
    }

    // configurable options for the VPS products
    const [groupId] = await this.insert(ConfigOptionGroup, [{ name: 'VPS resources', description: 'Extra memory, IPv4 addresses and operating system for Cloud VPS plans.' }]);
    const optIds = await this.insert(
      ConfigOption,
      VPS_OPTIONS.map((o, i) => ({ groupId, name: o.name, moduleKey: o.moduleKey, optionType: o.optionType, minQuantity: o.minQuantity, maxQuantity: o.maxQuantity, sortOrder: i + 1, hidden: false })),
    );
    VPS_OPTIONS.forEach((o, i) => this.optionIds.set(o.key, optIds[i]));
    const choices = VPS_OPTIONS.flatMap((o) => o.choices.map((ch, i) => ({ o, ch, i })));
    const chIds = await this.insert(
      ConfigOptionChoice,
      choices.map(({ o, ch, i }) => ({ optionId: this.optionIds.get(o.key), name: ch.name, moduleValue: ch.moduleValue, sortOrder: i + 1, hidden: false })),
    );
    choices.forEach(({ o, ch }, i) => this.choiceIds.set(`${o.key}:${ch.key}`, chIds[i]));
    for (const { o, ch } of choices) {
      for (const cycle of VPS_OPTION_CYCLES) {
        for (const c of DEMO_CURRENCIES) {
          const price = localPrice(ch.monthlyUsd, c.code) * CYCLE_MONTHS[cycle];
          this.choicePrices.set(`${o.key}:${ch.key}:${c.code}:${cycle}`, price);
          const choiceId = this.choiceIds.get(`${o.key}:${ch.key}`)!;
          const currencyId = this.currencyIds.get(c.code)!;
          priceRows.push({ productId: null, addonId: null, configOptionChoiceId: choiceId, currencyId, cycle, price, setupFee: 0, enabled: true, priceKey: `choice:${choiceId}:${currencyId}:${cycle}` });
        }
      }
    }
    await this.insert(
      ProductConfigGroup,
      DEMO_PRODUCTS.filter((p) => p.type === 'vps').map((p) => ({ productId: this.productIds.get(p.key), groupId })),
    );

    const aIds = await this.insert(
      Addon,
      DEMO_ADDONS.map((a, i) => ({
        name: a.name,
        description: a.description,
        paymentType: 'recurring',
        applicableProductIds: a.products.map((k) => this.productIds.get(k)),
        showOnOrder: true,
        autoActivate: a.module === 'none',
        module: a.module,
        moduleConfig: a.moduleConfig,
        taxable: true,
        suspendWithParent: true,
        welcomeEmailTemplate: null,
        sortOrder: i + 1,
      })),
    );
    DEMO_ADDONS.forEach((a, i) => this.addonIds.set(a.key, aIds[i]));
    for (const a of DEMO_ADDONS) {
      for (const [cycle, usd] of Object.entries(a.prices) as Array<[RecurringCycle, number]>) {
        for (const c of DEMO_CURRENCIES) {
          const price = localPrice(usd, c.code);
          this.addonPrices.set(`${a.key}:${c.code}:${cycle}`, price);
          const addonId = this.addonIds.get(a.key)!;
          const currencyId = this.currencyIds.get(c.code)!;
          priceRows.push({ productId: null, addonId, configOptionChoiceId: null, currencyId, cycle, price, setupFee: 0, enabled: true, priceKey: `addon:${addonId}:${currencyId}:${cycle}` });
        }
      }
    }
    await this.insert(ProductPrice, priceRows);

    const tIds = await this.insert(
      DomainProduct,
      DEMO_TLDS.map((t, i) => ({
        tld: t.tld,
        registrar: null,
        eppRequired: t.eppRequired,
        dnsManagement: true,
        emailForwarding: true,
        idProtection: t.idProtection,
        minYears: 1,
        maxYears: 10,
        graceDays: t.graceDays,
        redemptionDays: t.redemptionDays,
        hidden: false,
        sortOrder: i + 1,
      })),
    );
    DEMO_TLDS.forEach((t, i) => this.tldIds.set(t.tld, tIds[i]));
    const dpRows: Row[] = [];
    for (const t of DEMO_TLDS) {
      for (const c of DEMO_CURRENCIES) {
        const reg = localPrice(t.register, c.code);
        const ren = localPrice(t.renew, c.code);
        const tr = localPrice(t.transfer, c.code);
        for (const years of DOMAIN_YEARS) {
          const p = { register: reg + ren * (years - 1), renew: ren * years, transfer: years === 1 ? tr : null };
          this.tldPrices.set(`${t.tld}:${c.code}:${years}`, p);
          dpRows.push({ domainProductId: this.tldIds.get(t.tld), currencyId: this.currencyIds.get(c.code), years, ...p });
        }
      }
    }
    await this.insert(DomainPrice, dpRows);
  }

  private async promotions(): Promise<void> {
    const vpsIds = DEMO_PRODUCTS.filter((p) => p.type === 'vps').map((p) => this.productIds.get(p.key)!);
    const shared = DEMO_PRODUCTS.filter((p) => p.type === 'shared' && !p.retired).map((p) => this.productIds.get(p.key)!);
    const promos: Row[] = [
      {
        code: 'WELCOME10',
        type: 'percent',
        percentValue: '10.0000',
        fixedAmount: null,
        currencyId: null,
        recurring: false,
        recurFor: null,
        appliesToProductIds: null,
        appliesToAddonIds: [],
        appliesToTlds: [],
        appliesToCycles: null,
        startsAt: addDays(this.today, -400),
        expiresAt: null,
        maxUses: null,
        uses: 0,
        oncePerClient: true,
        newClientsOnly: true,
        enabled: true,
        notes: '10% off the first payment of any hosting plan for new customers.',
      },
      {
        code: 'VPS20',
        type: 'percent',
        percentValue: '20.0000',
        fixedAmount: null,
        currencyId: null,
        recurring: true,
        recurFor: 3,
        appliesToProductIds: vpsIds,
        appliesToAddonIds: [],
        appliesToTlds: [],
        appliesToCycles: ['monthly'],
        startsAt: addDays(this.today, 3),
        expiresAt: addDays(this.today, 60),
        maxUses: 100,
        uses: 0,
        oncePerClient: true,
        newClientsOnly: false,
        enabled: true,
        notes: 'Launch campaign for NVMe VPS: 20% off the first three months (starts in a few days).',
      },
      {
        code: 'SPRING5',
        type: 'fixed',
        percentValue: null,
        fixedAmount: 500,
        currencyId: this.currencyIds.get('USD'),
        recurring: false,
        recurFor: null,
        appliesToProductIds: shared,
        appliesToAddonIds: [],
        appliesToTlds: [],
        appliesToCycles: ['annually', 'biennially', 'triennially'],
        startsAt: addDays(this.today, -120),
        expiresAt: addDays(this.today, -60),
        maxUses: 50,
        uses: 0,
        oncePerClient: true,
        newClientsOnly: false,
        enabled: false,
        notes: 'Expired spring campaign: $5 off annual shared hosting.',
      },
    ];
    const ids = await this.insert(Promotion, promos);
    promos.forEach((p, i) => this.promotionIds.set(String(p.code), ids[i]));
  }

  // ---------------------------------------------------------------- planning: services

  private planServices(): void {
    const rng = this.rng;
    const active = (c: ClientP) => (c.def.status ?? 'active') === 'active' && !c.def.deleted && c.def.tag !== 'fraud';
    const find = (pred: (c: ClientP) => boolean) => this.clients.find(pred)!;
    type Slot = { scenario: Scenario; client?: ClientP; product?: ProductKey; cycle?: RecurringCycle; forcedR?: [number, number]; promo?: boolean };
    const fixed: Slot[] = [
      { scenario: 'terminated_collections', client: find((c) => c.def.tag === 'collections'), product: 'starter', cycle: 'monthly' },
      { scenario: 'cancelled', client: find((c) => c.def.tag === 'cancelled'), product: 'business', cycle: 'annually' },
      { scenario: 'cancelled', client: find((c) => c.def.tag === 'closed'), product: 'starter', cycle: 'monthly' },
      { scenario: 'fraud', client: find((c) => c.def.tag === 'fraud'), product: 'vps2', cycle: 'monthly' },
      { scenario: 'active', client: find((c) => c.def.site === 'northwindweb.com'), product: 'reseller_gold', cycle: 'annually' },
      { scenario: 'active', client: find((c) => c.def.site === 'dhakawebsolutions.com'), product: 'reseller_silver', cycle: 'monthly' },
      { scenario: 'due_soon', client: find((c) => c.def.tag === 'credit'), product: 'business', cycle: 'quarterly' },
      { scenario: 'active', client: find((c) => c.def.tag === 'affiliate'), product: 'starter', cycle: 'annually' },
      { scenario: 'active', client: find((c) => c.def.site === 'brittanylewis.net'), product: 'starter', cycle: 'monthly', forcedR: [-90, -70], promo: true },
      { scenario: 'active', client: find((c) => c.def.site === 'ethanroy.dev'), product: 'vps1', cycle: 'monthly', forcedR: [-55, -40], promo: true },
      { scenario: 'active', client: find((c) => c.def.site === 'sannejansen.nl'), product: 'business', cycle: 'monthly', forcedR: [-14, -8], promo: true },
      { scenario: 'active', client: find((c) => c.def.site === 'summitanalytics.io'), product: 'dedicated', cycle: 'monthly' },
      { scenario: 'active', client: find((c) => c.def.site === 'sharmalabs.io'), product: 'vps4', cycle: 'quarterly' },
      { scenario: 'suspended_abuse', product: 'vps1', cycle: 'monthly' },
      { scenario: 'pending_paid', product: 'dedicated', cycle: 'monthly' },
      { scenario: 'refunded', product: 'business', cycle: 'annually' },
      { scenario: 'active', product: 'legacy', cycle: 'annually' },
      { scenario: 'active', product: 'legacy', cycle: 'monthly' },
      { scenario: 'active', product: 'ssl', cycle: 'annually' },
    ];
    const generic: Scenario[] = [
      ...Array<Scenario>(38).fill('active'),
      'cancel_requested',
      'cancel_requested',
      ...Array<Scenario>(5).fill('due_soon'),
      'due_soon_partial',
      'due_soon_payment_pending',
      'overdue',
      'overdue',
      'overdue_partial',
      ...Array<Scenario>(4).fill('suspended_overdue'),
      'pending',
      'pending',
      'order_cancelled',
      'terminated',
      'terminated',
      'terminated',
      'cancelled',
    ];
    const slots: Slot[] = [...fixed, ...rng.shuffle(generic).map((scenario) => ({ scenario }))];

    // every active client without a fixed slot gets one generic slot first, then the rest go to random active clients
    const counts = new Map<ClientP, number>();
    for (const s of slots) if (s.client) counts.set(s.client, (counts.get(s.client) ?? 0) + 1);
    const eligible = this.clients.filter(active);
    const queue = rng.shuffle(eligible.filter((c) => !counts.has(c)));
    for (const s of slots) {
      if (s.client) continue;
      let c = queue.shift();
      if (!c) {
        const pool = eligible.filter((x) => (counts.get(x) ?? 0) < 3 && x.def.tag !== 'referred');
        c = rng.pick(pool);
      }
      s.client = c;
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }

    for (const s of slots) {
      const client = s.client!;
      const productKey = s.product ?? this.pickProduct(client, s.scenario);
      const product = DEMO_PRODUCTS.find((p) => p.key === productKey)!;
      const cycle = s.cycle ?? this.pickCycle(product, s.scenario);
      this.planService(client, product, cycle, s.scenario, s.forcedR, !!s.promo);
    }
  }

  private pickProduct(client: ClientP, scenario: Scenario): ProductKey {
    if (client.groupKey === 'reseller' && this.rng.chance(0.5)) return this.rng.pick(['reseller_silver', 'reseller_gold'] as ProductKey[]);
    const weights: Array<[ProductKey, number]> = [
      ['starter', 24],
      ['business', 26],
      ['pro', 10],
      ['vps1', 10],
      ['vps2', 8],
      ['vps4', 4],
      ['ssl', 4],
    ];
    if (scenario === 'active') weights.push(['dedicated', 3]);
    return this.rng.weighted(weights);
  }

  private pickCycle(product: DemoProductDef, scenario: Scenario): RecurringCycle {
    const long = scenario === 'active';
    const weights: Array<[RecurringCycle, number]> = (
      [
        ['monthly', 40],
        ['quarterly', 8],
        ['semiannually', 7],
        ['annually', 33],
        ['biennially', long ? 7 : 0],
        ['triennially', long ? 5 : 0],
      ] as Array<[RecurringCycle, number]>
    ).filter(([c, w]) => w > 0 && product.prices[c] !== undefined);
    return this.rng.weighted(weights);
  }

  private serviceDomain(client: ClientP, product: DemoProductDef): string {
    const site = client.def.site;
    const base = site.replace(/\.[a-z.]+$/, '');
    const tld = site.slice(base.length);
    const n = client.services.length;
    if (product.type === 'vps') return `vps${n + 1}.${site}`;
    if (product.type === 'dedicated') return `srv${n + 1}.${site}`;
    if (n === 0) return site;
    const variants = [`${base}-shop${tld}`, `shop.${site}`, `${base}blog${tld}`, `${base}.net`, `${base}app.com`, `my${base}.com`];
    for (const v of variants) if (!client.services.some((s) => s.domain === v)) return v;
    return `${base}${n}.com`;
  }

  private username(server: ServerKey, domain: string): string {
    const taken = this.usernames.get(server) ?? new Set<string>();
    this.usernames.set(server, taken);
    let base = domain.replace(/^(www|shop|blog)\./, '').replace(/[^a-z]/g, '').slice(0, 8);
    if (base.length < 3 || base.startsWith('test')) base = `user${base}`.slice(0, 8);
    let name = base;
    for (let i = 1; taken.has(name); i++) name = `${base.slice(0, 6)}${String(i).padStart(2, '0')}`;
    taken.add(name);
    return name;
  }

  /** Next due date N and registration date R (day ≤ 28, so month arithmetic is exact) for a periodic scenario. */
  private pickDates(scenario: Scenario, months: number, forcedR?: [number, number], minAge = 1): { R: string; N: string; k: number } | null {
    const win: [number, number] = DUE_WINDOW[scenario] ?? [15, Math.max(15, months * 28 - 1)];
    const minR = addDays(this.today, forcedR ? forcedR[0] : -730);
    const maxR = addDays(this.today, forcedR ? forcedR[1] : -minAge);
    for (let attempt = 0; attempt < 80; attempt++) {
      let N = addDays(this.today, this.rng.int(win[0], win[1]));
      if (Number(N.slice(8)) > 28) N = `${N.slice(0, 8)}28`;
      const off = daysBetween(this.today, N);
      if (off < win[0] || off > win[1]) continue;
      if (addMonths(N, -months) >= this.today) continue;
      const ks: number[] = [];
      for (let k = 1; k <= 40; k++) {
        const R = addMonths(N, -k * months);
        if (R < minR) break;
        if (R <= maxR) ks.push(k);
      }
      if (!ks.length) continue;
      const k = this.rng.pick(ks);
      return { R: addMonths(N, -k * months), N, k };
    }
    return null;
  }

  private planService(client: ClientP, product: DemoProductDef, cycleIn: RecurringCycle, scenario: Scenario, forcedR: [number, number] | undefined, promoWanted: boolean): void {
    const rng = this.rng;
    let cycle = cycleIn;
    let months = CYCLE_MONTHS[cycle];
    let R: string;
    let N: string;
    let k: number;
    if (PERIODIC.includes(scenario)) {
      let d = this.pickDates(scenario, months, forcedR, product.retired ? 400 : 1);
      if (!d) {
        cycle = product.prices.monthly ? 'monthly' : (Object.keys(product.prices)[0] as RecurringCycle);
        months = CYCLE_MONTHS[cycle];
        d = this.pickDates(scenario, months, forcedR, product.retired ? 400 : 1);
      }
      if (!d) throw new Error(`demo seed: cannot place a ${scenario} ${product.key} service`);
      ({ R, N, k } = d);
    } else {
      const ago = scenario === 'pending' ? rng.int(0, 3) : scenario === 'pending_paid' ? 1 : scenario === 'fraud' ? rng.int(5, 30) : scenario === 'order_cancelled' ? rng.int(10, 40) : rng.int(15, 45);
      R = addDays(this.today, -ago);
      N = scenario === 'pending_paid' ? addMonths(R, months) : R;
      k = scenario === 'pending_paid' ? 1 : 0;
    }

    const serverKey: ServerKey | null =
      product.module === 'virtualizor' ? 'vz1' : product.type === 'reseller' ? 'cp3' : product.module === 'cpanel' ? (rng.chance(0.5) ? 'cp1' : 'cp2') : null;
    const domain = this.serviceDomain(client, product);
    const cur = client.cur;
    const base = this.price(product.key, cur, cycle);
    const options: OptionSel[] = [];
    if (product.type === 'vps') {
      const os = rng.weighted<string>([['ubuntu', 50], ['debian', 25], ['alma', 15], ['windows', 10]]);
      const ram = rng.weighted<string>([['none', 60], ['1g', 20], ['2g', 12], ['4g', 8]]);
      const ips = rng.weighted<number>([[0, 70], [1, 20], [2, 10]]);
      const opt = (key: 'ram' | 'ips' | 'os', choiceKey: string, quantity: number) => {
        const def = VPS_OPTIONS.find((o) => o.key === key)!;
        const ch = def.choices.find((c) => c.key === choiceKey)!;
        const price = this.choicePrices.get(`${key}:${choiceKey}:${cur}:${cycle}`)! * (key === 'ips' ? quantity : 1);
        options.push({ optionKey: key, choiceKey, quantity, label: `${def.name}: ${key === 'ips' ? `${quantity} × ${ch.name}` : ch.name}`, price, discount: this.groupDiscount(client, price) });
      };
      opt('ram', ram, 1);
      opt('os', os, 1);
      if (ips > 0) opt('ips', 'ip', ips);
    }
    const baseDiscount = this.groupDiscount(client, base.price);
    const recurring = base.price - baseDiscount + options.reduce((s, o) => s + o.price - o.discount, 0);
    const promo = (promoWanted || (!client.groupKey && daysBetween(R, this.today) < 120 && ['active', 'pending'].includes(scenario) && rng.chance(0.5))) && product.type !== 'ssl';
    const promoDiscount = promo ? percentOf(recurring, '10') : 0;

    const svc: ServiceP = {
      id: 0,
      client,
      product,
      cycle,
      months,
      scenario,
      serverKey,
      domain,
      username: serverKey && product.module === 'cpanel' ? this.username(serverKey, domain) : null,
      password: `Dm-${rng.token(14, 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789')}`,
      R,
      N,
      k,
      status: 'active',
      termination: null,
      nextInvoice: null,
      suspensionReason: null,
      suspendedAt: null,
      overdueSuspended: false,
      basePrice: base.price,
      baseDiscount,
      setup: base.setup,
      options,
      recurring,
      promoDiscount,
      promo,
      firstPayment: recurring + base.setup - promoDiscount,
      addons: [],
      domainP: null,
      order: null,
      initialInvoice: null,
      currentInvoice: null,
      dedicatedIp: null,
      assignedIps: null,
      providerRef: null,
      providerData: null,
    };
    client.services.push(svc);
    this.services.push(svc);
    if (R < client.createdDate) client.createdDate = addDays(R, -rng.int(0, 2));

    // addons, ordered together with the service
    if (['active', 'cancel_requested', 'due_soon', 'overdue', 'suspended_overdue'].includes(scenario) && (cycle === 'monthly' || cycle === 'annually') && rng.chance(0.3)) {
      const candidates = DEMO_ADDONS.filter((a) => a.products.includes(product.key) && a.prices[cycle] !== undefined);
      if (candidates.length) {
        const a = rng.pick(candidates);
        const price = this.addonPrices.get(`${a.key}:${cur}:${cycle}`)!;
        const discount = this.groupDiscount(client, price);
        svc.addons.push({ id: 0, key: a.key, addonId: this.addonIds.get(a.key)!, name: a.name, service: svc, cycle, price, discount, recurring: price - discount, status: 'active' });
      }
    }

    // infrastructure details
    if (product.type === 'vps') {
      const n = this.ipSeq.vps++;
      svc.dedicatedIp = `203.0.113.${n}`;
      const extra = options.find((o) => o.optionKey === 'ips')?.quantity ?? 0;
      svc.assignedIps = [svc.dedicatedIp, ...Array.from({ length: extra }, () => `203.0.113.${this.ipSeq.vps++}`), `2001:db8:${(0x100 + n).toString(16)}::/64`];
      svc.providerRef = String(1000 + n);
      svc.providerData = {
        uuid: createHash('sha256').update(`vps-${n}`).digest('hex').slice(0, 16),
        node: n % 2 ? 'kvm-node-01' : 'kvm-node-02',
        osTemplate: VPS_OPTIONS.find((o) => o.key === 'os')!.choices.find((c) => c.key === options.find((o) => o.optionKey === 'os')!.choiceKey)!.moduleValue,
      };
    } else if (product.type === 'dedicated') {
      const n = this.ipSeq.dedicated++;
      svc.dedicatedIp = `198.51.100.${n}`;
      svc.assignedIps = [svc.dedicatedIp, `2001:db8:d${n}::/56`];
      svc.providerData = { rack: `DAL-R12-U${n - 80}`, ipmiIp: `10.20.0.${n}` };
    } else if (svc.addons.some((a) => a.key === 'ip')) {
      svc.dedicatedIp = `192.0.2.${this.ipSeq.shared++}`;
    }
    if (svc.username) svc.providerData = { owner: product.type === 'reseller' ? svc.username : 'root', package: DEMO_PACKAGES.find((p) => p.key === product.package)?.name ?? null };

    this.applyScenario(svc);
  }

  private serviceLine(svc: ServiceP, ps: string, amount: number): LineP {
    const pe = addDays(addMonths(ps, svc.months), -1);
    const opts = svc.options.map((o) => `\n${o.label}`).join('');
    return {
      type: 'service',
      description: `${svc.product.name} - ${svc.domain} (${ps} - ${pe})${opts}`,
      amount,
      quantity: 1,
      unitPrice: amount,
      taxable: true,
      periodStart: ps,
      periodEnd: pe,
      service: svc,
      keyKind: 'service',
    };
  }

  private addonLine(a: AddonP, ps: string): LineP {
    const pe = addDays(addMonths(ps, CYCLE_MONTHS[a.cycle]), -1);
    return {
      type: 'addon',
      description: `${a.name} - ${a.service.domain} (${ps} - ${pe})`,
      amount: a.recurring,
      quantity: 1,
      unitPrice: a.recurring,
      taxable: true,
      periodStart: ps,
      periodEnd: pe,
      addon: a,
      keyKind: 'addon',
    };
  }

  private newInvoice(client: ClientP, issue: string, due: string, lines: LineP[], outcome: Outcome): InvoiceP {
    const inv: InvoiceP = {
      id: 0,
      seq: this.invoiceSeq++,
      client,
      issue,
      due,
      lines,
      outcome,
      number: null,
      status: 'unpaid',
      subtotal: 0,
      tax1: 0,
      tax2: 0,
      total: 0,
      amountPaid: 0,
      credit: 0,
      paidAt: null,
      cancelledAt: null,
      refundedAt: null,
      notes: null,
      adminNotes: null,
      txns: [],
    };
    this.invoices.push(inv);
    return inv;
  }

  /** A paid-on date for an invoice: usually a few days before it is due, never before issue or after today. */
  private paidOn(issue: string, due: string): string {
    const late = this.rng.chance(0.12);
    const d = late ? addDays(due, this.rng.int(1, 3)) : addDays(due, -this.rng.int(0, 10));
    return minDate(maxDate(d, issue), addDays(this.today, -1) < issue ? this.today : addDays(this.today, -1));
  }

  private applyScenario(svc: ServiceP): void {
    const rng = this.rng;
    const { R, N, k, scenario, client } = svc;
    const lead = DEMO_BILLING.invoiceDaysBefore;

    // initial order invoice (period starting at R)
    const initialLines: LineP[] = [this.serviceLine(svc, R, svc.recurring)];
    if (svc.setup > 0) {
      initialLines.push({ type: 'setup_fee', description: `Setup fee - ${svc.product.name}`, amount: svc.setup, quantity: 1, unitPrice: svc.setup, taxable: true, periodStart: null, periodEnd: null, service: svc });
    }
    for (const a of svc.addons) initialLines.push(this.addonLine(a, R));
    if (svc.promoDiscount > 0) {
      initialLines.push({ type: 'promotion', description: 'Promotion WELCOME10: 10% off the first payment', amount: -svc.promoDiscount, quantity: 1, unitPrice: -svc.promoDiscount, taxable: true, periodStart: null, periodEnd: null, service: svc });
    }

    let initialOutcome: Outcome;
    switch (scenario) {
      case 'pending':
        initialOutcome = { kind: 'unpaid' };
        break;
      case 'fraud':
        initialOutcome = { kind: 'cancelled', on: addDays(R, 1) };
        break;
      case 'order_cancelled':
        initialOutcome = { kind: 'cancelled', on: addDays(R, DEMO_BILLING.cancelUnpaidOrdersAfterDays) };
        break;
      case 'refunded':
        initialOutcome = { kind: 'refunded', paidOn: R, refundOn: minDate(addDays(R, rng.int(4, 12)), addDays(this.today, -1)) };
        break;
      default:
        initialOutcome = { kind: 'paid', on: rng.chance(0.85) ? R : minDate(addDays(R, 1), this.today), split: svc.setup > 5000 && rng.chance(0.5) };
    }
    const initial = this.newInvoice(client, R, R, initialLines, initialOutcome);
    svc.initialInvoice = initial;

    // renewals P_1 … P_{k-1} (paid), capped so monthly services keep a readable history
    const cap = svc.months === 1 ? 5 : svc.months === 3 ? 4 : 99;
    const first = Math.max(1, k - cap);
    for (let i = first; i < k; i++) {
      const ps = addMonths(R, i * svc.months);
      const issue = maxDate(addDays(ps, -lead), R);
      const lines = [this.serviceLine(svc, ps, svc.recurring), ...svc.addons.map((a) => this.addonLine(a, ps))];
      this.newInvoice(client, issue, ps, lines, { kind: 'paid', on: this.paidOn(issue, ps), manual: rng.chance(0.05) });
    }

    const currentLines = () => [this.serviceLine(svc, N, svc.recurring), ...svc.addons.map((a) => this.addonLine(a, N))];
    const issueN = addDays(N, -lead);
    const invoicedNext = addDays(addMonths(N, svc.months), -lead);
    switch (scenario) {
      case 'active':
      case 'cancel_requested':
      case 'suspended_abuse':
        svc.nextInvoice = addDays(N, -lead);
        if (scenario === 'suspended_abuse') {
          svc.status = 'suspended';
          svc.suspensionReason = 'Abuse: outbound UDP flood from this VPS (see the abuse ticket). Null-routed pending clean-up.';
          svc.suspendedAt = this.hoursAgo(6.5);
        }
        break;
      case 'due_soon':
      case 'due_soon_partial':
      case 'due_soon_payment_pending':
        svc.currentInvoice = this.newInvoice(client, issueN, N, currentLines(), scenario === 'due_soon_payment_pending' ? { kind: 'payment_pending' } : { kind: 'unpaid', partial: scenario === 'due_soon_partial' });
        svc.nextInvoice = invoicedNext;
        break;
      case 'overdue':
      case 'overdue_partial':
        svc.currentInvoice = this.newInvoice(client, issueN, N, currentLines(), { kind: 'unpaid', partial: scenario === 'overdue_partial' });
        svc.nextInvoice = invoicedNext;
        break;
      case 'suspended_overdue':
        svc.currentInvoice = this.newInvoice(client, issueN, N, currentLines(), { kind: 'unpaid', failedAttempt: rng.chance(0.5) });
        svc.nextInvoice = invoicedNext;
        svc.status = 'suspended';
        svc.overdueSuspended = true;
        svc.suspensionReason = 'Overdue on payment';
        svc.suspendedAt = this.at(addDays(N, DEMO_BILLING.suspendAfterDays), 9, 5);
        for (const a of svc.addons) a.status = 'suspended';
        break;
      case 'terminated':
      case 'terminated_collections': {
        const termination = addDays(N, DEMO_BILLING.terminateAfterDays);
        const inv = this.newInvoice(client, issueN, N, currentLines(), scenario === 'terminated' ? { kind: 'cancelled', on: termination } : { kind: 'collections', on: addDays(termination, 14) });
        svc.currentInvoice = inv;
        if (scenario === 'terminated') inv.adminNotes = 'Cancelled when the service was terminated for non-payment.';
        else inv.adminNotes = `Passed to the collections agency on ${addDays(termination, 14)} (reference COL-${rng.int(10000, 99999)}).`;
        svc.status = 'terminated';
        svc.termination = termination;
        for (const a of svc.addons) a.status = 'terminated';
        break;
      }
      case 'cancelled':
        svc.status = 'cancelled';
        svc.termination = N;
        for (const a of svc.addons) a.status = 'cancelled';
        break;
      case 'pending':
        svc.status = 'pending';
        svc.nextInvoice = invoicedNext;
        for (const a of svc.addons) a.status = 'pending';
        break;
      case 'pending_paid':
        svc.status = 'pending';
        svc.nextInvoice = addDays(N, -lead);
        break;
      case 'fraud':
        svc.status = 'fraud';
        break;
      case 'order_cancelled':
        svc.status = 'cancelled';
        svc.termination = addDays(R, DEMO_BILLING.cancelUnpaidOrdersAfterDays);
        break;
      case 'refunded':
        svc.status = 'cancelled';
        svc.termination = (initialOutcome as { refundOn: string }).refundOn;
        break;
    }
    if (svc.status === 'pending' || svc.status === 'fraud') {
      svc.dedicatedIp = null;
      svc.assignedIps = null;
      svc.providerRef = null;
    }

    // the order that created it
    const orderStatus: OrderStatus =
      scenario === 'pending' || scenario === 'pending_paid' ? 'pending' : scenario === 'fraud' ? 'fraud' : scenario === 'order_cancelled' ? 'cancelled' : 'active';
    svc.order = this.newOrder(client, R, orderStatus, initial, svc.promo);
    this.addServiceToOrder(svc.order, svc);
  }

  // ---------------------------------------------------------------- planning: orders

  private newOrder(client: ClientP, date: string, status: OrderStatus, invoice: InvoiceP | null, promo: boolean): OrderP {
    const hour = this.rng.int(7, 21);
    const placed = this.at(date, hour, this.rng.int(0, 59));
    const order: OrderP = {
      id: 0,
      client,
      date,
      hour,
      status,
      lines: [],
      invoice,
      promo,
      acceptedAt: null,
      acceptedBy: null,
      fraudCheck: null,
      notes: null,
      history: [{ old: null, next: 'pending', at: placed, by: null, note: 'Order placed in the client area.' }],
      number: '',
    };
    const later = (minutes: number) => new Date(Math.min(placed.getTime() + minutes * 60_000, this.nowMs - 30_000));
    if (status === 'active') {
      const byStaff = this.rng.chance(0.4);
      order.acceptedAt = later(this.rng.int(5, 300));
      order.acceptedBy = byStaff ? this.rng.pick(['admin', 'billing']) : null;
      order.history.push({ old: 'pending', next: 'active', at: order.acceptedAt, by: order.acceptedBy, note: byStaff ? 'Accepted after review.' : 'Accepted automatically after payment.' });
    } else if (status === 'fraud') {
      order.fraudCheck = { provider: 'demo-fraud-screen', score: 87.5, riskLevel: 'high', reasons: ['Anonymous proxy IP address', 'Billing country differs from IP country', 'Free email provider'], ipCountry: 'RO' };
      order.notes = 'Client did not answer the ID verification request.';
      order.history.push({ old: 'pending', next: 'fraud', at: later(180), by: 'admin', note: 'Marked as fraud after review of the fraud screen result.' });
    } else if (status === 'cancelled') {
      order.history.push({ old: 'pending', next: 'cancelled', at: this.at(addDays(date, DEMO_BILLING.cancelUnpaidOrdersAfterDays), 9, 2), by: null, note: `Invoice unpaid after ${DEMO_BILLING.cancelUnpaidOrdersAfterDays} days: cancelled automatically.` });
    }
    this.orders.push(order);
    return order;
  }

  private addServiceToOrder(order: OrderP, svc: ServiceP): void {
    const product: OrderLineP = {
      id: 0,
      parent: null,
      itemType: 'product',
      productId: this.productIds.get(svc.product.key)!,
      addonId: null,
      domainProductId: null,
      service: svc,
      addon: null,
      domain: null,
      description: `${svc.product.name} (${CYCLE_LABEL[svc.cycle]})`,
      domainName: svc.domain,
      cycle: svc.cycle,
      years: null,
      unitPrice: svc.basePrice,
      setupFee: svc.setup,
      discount: svc.baseDiscount + svc.promoDiscount,
      configOptions: svc.options.length
        ? svc.options.map((o) => ({ optionId: this.optionIds.get(o.optionKey)!, choiceId: this.choiceIds.get(`${o.optionKey}:${o.choiceKey}`)!, quantity: o.quantity }))
        : null,
    };
    order.lines.push(product);
    for (const o of svc.options) {
      order.lines.push({ ...product, id: 0, parent: product, itemType: 'config_option', description: o.label, domainName: null, unitPrice: o.price, setupFee: 0, discount: o.discount, configOptions: null });
    }
    for (const a of svc.addons) {
      order.lines.push({
        ...product,
        id: 0,
        parent: product,
        itemType: 'addon',
        productId: null,
        addonId: a.addonId,
        addon: a,
        description: `${a.name} (${CYCLE_LABEL[a.cycle]})`,
        unitPrice: a.price,
        setupFee: 0,
        discount: a.discount,
        configOptions: null,
      });
    }
  }

  // ---------------------------------------------------------------- planning: domains

  private tldOf(name: string): string | null {
    const t = DEMO_TLDS.map((x) => x.tld)
      .sort((a, b) => b.length - a.length)
      .find((x) => name.endsWith(x));
    return t ?? null;
  }

  private planDomains(): void {
    const rng = this.rng;
    // domains registered with us together with a hosting account
    const eligible = this.services.filter(
      (s) =>
        ['shared', 'reseller'].includes(s.product.type) &&
        ['active', 'cancel_requested', 'due_soon', 'due_soon_partial', 'overdue', 'suspended_overdue', 'pending'].includes(s.scenario) &&
        this.tldOf(s.domain) !== null &&
        !s.domain.startsWith('shop.'),
    );
    const chosen = rng.shuffle(eligible).slice(0, 26);
    for (const svc of chosen) {
      if (this.domainNames.has(svc.domain)) continue;
      this.planDomain(svc.client, svc.domain, svc.scenario === 'pending' ? 'pending' : 'active', svc);
    }
    // standalone domains
    const standalone: Array<DomainStatus | 'due_soon'> = ['due_soon', 'due_soon', 'grace', 'grace', 'redemption', 'expired', 'expired', 'pending_transfer', 'pending_transfer', 'pending', 'transferred_away', 'cancelled', 'active', 'active', 'active'];
    const pool = this.clients.filter((c) => (c.def.status ?? 'active') === 'active' && !c.def.deleted && c.def.tag !== 'fraud');
    for (const st of standalone) {
      const client = st === 'transferred_away' ? this.clients.find((c) => c.def.tag === 'closed')! : rng.pick(pool);
      const base = client.def.site.replace(/\.[a-z.]+$/, '').replace(/^www\./, '');
      const candidates = [`${base}.net`, `${base}.org`, `${base}.io`, `get${base}.com`, `${base}online.com`, `${base}-group.com`, `${base}hq.com`];
      if (client.def.country === 'GB') candidates.unshift(`${base}.co.uk`);
      if (client.def.country === 'DE') candidates.unshift(`${base}.de`);
      if (this.tldOf(client.def.site) && !client.services.some((s) => s.domain === client.def.site)) candidates.unshift(client.def.site);
      const name = candidates.find((n) => !this.domainNames.has(n) && !this.services.some((s) => s.domain === n))!;
      this.planDomain(client, name, st, null);
    }
  }

  private planDomain(client: ClientP, name: string, st: DomainStatus | 'due_soon', svc: ServiceP | null): void {
    const rng = this.rng;
    const tld = this.tldOf(name)!;
    this.domainNames.add(name);
    const lead = DEMO_BILLING.invoiceDaysBefore;
    const years = st === 'active' && rng.chance(0.2) ? 2 : 1;
    const prices = this.tldPrices.get(`${tld}:${client.cur}:${years}`)!;
    const prices1 = this.tldPrices.get(`${tld}:${client.cur}:1`)!;
    const d: DomainP = {
      id: 0,
      client,
      service: svc,
      name,
      tld,
      years,
      regType: st === 'pending_transfer' ? 'transfer' : 'register',
      status: st === 'due_soon' ? 'active' : st,
      regDate: this.today,
      expiry: null,
      nextDue: this.today,
      nextInvoice: null,
      firstPayment: prices.register,
      recurring: prices.renew,
      autoRenew: !['expired', 'transferred_away', 'cancelled'].includes(st),
      eppCode: null,
      order: null,
      notes: null,
    };
    client.domains.push(d);
    this.domains.push(d);
    const regLine = (): LineP => ({
      type: 'domain',
      description: d.regType === 'transfer' ? `Domain Transfer - ${name} - 1 Year` : `Domain Registration - ${name} - ${years} Year(s)`,
      amount: d.regType === 'transfer' ? prices1.transfer! : prices.register,
      quantity: 1,
      unitPrice: d.regType === 'transfer' ? prices1.transfer! : prices.register,
      taxable: true,
      periodStart: d.regDate,
      periodEnd: addDays(addYears(d.regDate, years), -1),
      domain: d,
      keyKind: 'domain',
    });
    const renewLine = (ps: string): LineP => ({
      type: 'domain',
      description: `Domain Renewal - ${name} - ${years} Year(s) (${ps} - ${addDays(addYears(ps, years), -1)})`,
      amount: prices.renew,
      quantity: 1,
      unitPrice: prices.renew,
      taxable: true,
      periodStart: ps,
      periodEnd: addDays(addYears(ps, years), -1),
      domain: d,
      keyKind: 'domain',
    });
    const orderLine = (order: OrderP) => {
      const p = d.regType === 'transfer' ? prices1.transfer! : prices.register;
      order.lines.push({
        id: 0,
        parent: null,
        itemType: d.regType === 'transfer' ? 'domain_transfer' : 'domain_register',
        productId: null,
        addonId: null,
        domainProductId: this.tldIds.get(tld)!,
        service: null,
        addon: null,
        domain: d,
        description: d.regType === 'transfer' ? `Domain transfer: ${name}` : `Domain registration: ${name}`,
        domainName: name,
        cycle: null,
        years: d.regType === 'transfer' ? 1 : years,
        unitPrice: p,
        setupFee: 0,
        discount: 0,
        configOptions: null,
      });
    };
    /** Paid renewals at each anniversary up to `until`; returns the first anniversary after it. */
    const renewalsUntil = (until: string): string => {
      let ps = addYears(d.regDate, years);
      while (ps <= until) {
        const issue = addDays(ps, -lead);
        this.newInvoice(client, issue, ps, [renewLine(ps)], { kind: 'paid', on: this.paidOn(issue, ps) });
        ps = addYears(ps, years);
      }
      return ps;
    };
    const standaloneOrder = (status: OrderStatus, outcome: Outcome) => {
      const inv = this.newInvoice(client, d.regDate, d.regDate, [regLine()], outcome);
      d.order = this.newOrder(client, d.regDate, status, inv, false);
      orderLine(d.order);
    };

    if (svc) {
      d.regDate = svc.R;
      svc.domainP = d;
      svc.initialInvoice!.lines.push(regLine());
      d.order = svc.order;
      orderLine(svc.order!);
      if (st === 'pending') {
        d.nextDue = d.regDate;
        d.nextInvoice = addDays(addYears(d.regDate, years), -lead);
        return;
      }
      this.finishActiveDomain(d, renewalsUntil, renewLine);
      return;
    }

    switch (st) {
      case 'active': {
        d.regDate = this.dateDay28(addDays(this.today, -rng.int(40, 700)));
        standaloneOrder('active', { kind: 'paid', on: d.regDate });
        this.finishActiveDomain(d, renewalsUntil, renewLine);
        break;
      }
      case 'due_soon':
      case 'grace':
      case 'redemption':
      case 'expired': {
        const offset = st === 'due_soon' ? rng.int(3, 12) : st === 'grace' ? -rng.int(3, 20) : st === 'redemption' ? -rng.int(35, 50) : -rng.int(70, 150);
        const expiry = this.dateDay28(addDays(this.today, offset));
        const terms = addYears(expiry, -2) >= addDays(this.today, -730) && rng.chance(0.5) ? 2 : 1;
        d.regDate = addYears(expiry, -terms * years);
        standaloneOrder('active', { kind: 'paid', on: d.regDate });
        renewalsUntil(addDays(expiry, -1));
        d.expiry = expiry;
        d.nextDue = expiry;
        const issue = addDays(expiry, -lead);
        const outcome: Outcome = st === 'expired' ? { kind: 'cancelled', on: addDays(expiry, 2) } : { kind: 'unpaid' };
        const inv = this.newInvoice(client, issue, expiry, [renewLine(expiry)], outcome);
        if (st === 'expired') {
          inv.adminNotes = 'Client decided not to renew; invoice cancelled.';
          d.notes = 'Not renewed at the client\u2019s request.';
          d.nextInvoice = null;
        } else {
          d.nextInvoice = addDays(addYears(expiry, years), -lead);
        }
        if (st === 'redemption') d.notes = 'In redemption: a restore fee applies on top of the renewal.';
        break;
      }
      case 'pending_transfer': {
        d.regDate = addDays(this.today, -rng.int(1, 5));
        d.eppCode = `${rng.token(4)}-${rng.token(4)}-${rng.token(4)}`;
        standaloneOrder('active', { kind: 'paid', on: d.regDate });
        d.nextDue = addYears(d.regDate, 1);
        d.nextInvoice = addDays(d.nextDue, -lead);
        d.notes = 'Transfer requested at the registry; waiting for the losing registrar to approve.';
        break;
      }
      case 'pending': {
        d.regDate = addDays(this.today, -rng.int(0, 2));
        standaloneOrder('pending', { kind: 'unpaid' });
        d.nextDue = d.regDate;
        d.nextInvoice = addDays(addYears(d.regDate, years), -lead);
        break;
      }
      case 'cancelled': {
        d.regDate = addDays(this.today, -rng.int(15, 40));
        standaloneOrder('cancelled', { kind: 'cancelled', on: addDays(d.regDate, DEMO_BILLING.cancelUnpaidOrdersAfterDays) });
        d.nextDue = d.regDate;
        d.nextInvoice = null;
        d.autoRenew = false;
        break;
      }
      case 'transferred_away': {
        d.regDate = this.dateDay28(addDays(this.today, -rng.int(420, 700)));
        standaloneOrder('active', { kind: 'paid', on: d.regDate });
        const away = addDays(this.today, -rng.int(30, 90));
        const nextAnniv = renewalsUntil(away);
        d.expiry = nextAnniv;
        d.nextDue = nextAnniv;
        d.nextInvoice = null;
        d.notes = `Transferred to another registrar on ${away}.`;
        break;
      }
      default:
        throw new Error(`demo seed: unexpected domain status ${st}`);
    }
  }

  private finishActiveDomain(d: DomainP, renewalsUntil: (until: string) => string, renewLine: (ps: string) => LineP): void {
    const lead = DEMO_BILLING.invoiceDaysBefore;
    const expiry = renewalsUntil(this.today);
    d.expiry = expiry;
    d.nextDue = expiry;
    if (daysBetween(this.today, expiry) <= lead) {
      this.newInvoice(d.client, addDays(expiry, -lead), expiry, [renewLine(expiry)], { kind: 'unpaid' });
      d.nextInvoice = addDays(addYears(expiry, d.years), -lead);
    } else {
      d.nextInvoice = addDays(expiry, -lead);
    }
  }

  private dateDay28(date: string): string {
    return Number(date.slice(8)) > 28 ? `${date.slice(0, 8)}28` : date;
  }

  // ---------------------------------------------------------------- planning: other invoices

  private planExtraInvoices(): void {
    const bySite = (site: string) => this.clients.find((c) => c.def.site === site)!;
    // drafts staff are still composing
    const kim = bySite('kimdigital.io');
    this.newInvoice(kim, this.today, addDays(this.today, 7), [
      this.otherLine('Website migration: 12 WordPress sites from previous host', 12, 2500),
      this.otherLine('Priority DNS cut-over outside business hours', 1, 7500),
    ], { kind: 'draft' });
    const weber = bySite('weber-bau.de');
    this.newInvoice(weber, this.today, addDays(this.today, 7), [this.otherLine('Installation of a customer-supplied EV SSL certificate', 1, localPrice(4900, 'EUR'))], { kind: 'draft' });

    // accepted quote turned into an invoice (paid)
    const summit = bySite('summitanalytics.io');
    const qDate = addDays(this.today, -34);
    const quoteInvoice = this.newInvoice(summit, addDays(qDate, 3), addDays(qDate, 10), [
      this.otherLine('Managed migration of the analytics platform (4 hours)', 4, 9000),
      this.otherLine('Performance tuning of MariaDB and PHP-FPM', 1, 15000),
    ], { kind: 'paid', on: addDays(qDate, 8) });
    quoteInvoice.notes = 'Raised from accepted quote.';
    this.quoteInvoice = quoteInvoice;

    // an ad-hoc billable item that has been invoiced
    // a USD client with a shared site hosted here for a while: the item was billed 38 days ago
    const hallSvc = this.services.find((s) => s.client.cur === 'USD' && s.product.type === 'shared' && s.status === 'active' && daysBetween(s.R, this.today) > 90)!;
    const hall = hallSvc.client;
    const cleanup: BillableP = {
      id: 0,
      client: hall,
      service: hallSvc,
      description: 'Emergency malware clean-up (1.5 h at $60.00/h)',
      amount: 9000,
      invoiceAction: 'nextinvoice',
      recurEvery: 0,
      recurUnit: 'month',
      recurCount: null,
      timesInvoiced: 1,
      dueDate: null,
      nextInvoiceDate: null,
      invoiced: true,
    };
    this.billables.push(cleanup);
    const bDate = addDays(this.today, -38);
    this.newInvoice(hall, bDate, addDays(bDate, 7), [{ type: 'billable_item', description: cleanup.description, amount: 9000, quantity: 1, unitPrice: 9000, taxable: true, periodStart: null, periodEnd: null, billable: cleanup, service: hallSvc }], { kind: 'paid', on: addDays(bDate, 2) });
    const northwind = bySite('northwindweb.com');
    this.billables.push({
      id: 0,
      client: northwind,
      service: northwind.services[0] ?? null,
      description: 'Managed WordPress updates for 20 reseller sites',
      amount: 4000,
      invoiceAction: 'recur',
      recurEvery: 1,
      recurUnit: 'month',
      recurCount: null,
      timesInvoiced: 0,
      dueDate: null,
      nextInvoiceDate: addDays(this.today, 9),
      invoiced: false,
    });
    this.billables.push({
      id: 0,
      client: bySite('johnsonreedlaw.com'),
      service: null,
      description: 'Restore of a deleted mailbox from backup',
      amount: 3500,
      invoiceAction: 'nextinvoice',
      recurEvery: 0,
      recurUnit: 'month',
      recurCount: null,
      timesInvoiced: 0,
      dueDate: null,
      nextInvoiceDate: null,
      invoiced: false,
    });
  }

  private otherLine(description: string, quantity: number, unitPrice: number): LineP {
    return { type: 'other', description, amount: quantity * unitPrice, quantity, unitPrice, taxable: true, periodStart: null, periodEnd: null };
  }

  // ---------------------------------------------------------------- totals, statuses, payments, numbers

  private finaliseInvoices(): void {
    const rng = this.rng;
    for (const inv of this.invoices) if (inv.issue < inv.client.createdDate) inv.client.createdDate = inv.issue;
    for (const o of this.orders) if (o.date < o.client.createdDate) o.client.createdDate = o.date;
    for (const inv of this.invoices) {
      inv.lines.forEach((l) => {
        if (l.amount !== l.unitPrice * l.quantity) throw new Error('demo seed: line amount mismatch');
      });
      const subtotal = inv.lines.reduce((s, l) => s + l.amount, 0);
      const taxable = inv.lines.filter((l) => l.taxable).reduce((s, l) => s + l.amount, 0);
      const t = inv.client.tax;
      inv.subtotal = subtotal;
      inv.tax1 = Number(t.rate1) > 0 ? percentOf(taxable, t.rate1) : 0;
      inv.tax2 = Number(t.rate2) > 0 ? percentOf(taxable + inv.tax1, t.rate2) : 0;
      inv.total = subtotal + inv.tax1 + inv.tax2;
      if (inv.total < 0 || subtotal < 0) throw new Error('demo seed: negative invoice');

      const gateway = inv.client.gateway ?? 'banktransfer';
      const pay = (amount: number, date: string, hour: number, manual = false): TxnP => {
        const t: TxnP = {
          id: 0,
          invoice: inv,
          client: inv.client,
          type: 'payment',
          gateway: manual ? 'manual' : gateway,
          reference: manual ? null : this.ref('BT', date),
          amountIn: amount,
          amountOut: 0,
          status: 'completed',
          date: this.at(date, hour, rng.int(0, 59)),
          description: '',
          refundOf: null,
        };
        inv.txns.push(t);
        return t;
      };
      const o = inv.outcome;
      switch (o.kind) {
        case 'paid': {
          inv.status = 'paid';
          if (o.split && inv.total > 1) {
            const part = Math.floor(inv.total / 2);
            pay(part, inv.issue, 10);
            pay(inv.total - part, o.on, 15);
          } else {
            pay(inv.total, o.on, rng.int(8, 20), o.manual);
          }
          inv.amountPaid = inv.total;
          inv.paidAt = inv.txns[inv.txns.length - 1].date;
          break;
        }
        case 'unpaid': {
          inv.status = 'unpaid';
          if (o.partial) {
            const part = Math.round(inv.total * 0.4);
            pay(part, minDate(maxDate(inv.issue, addDays(this.today, -3)), this.today), 11);
            inv.amountPaid = part;
            inv.notes = 'Part payment received; the balance is still due.';
          }
          if (o.failedAttempt) {
            const f = pay(inv.total, minDate(addDays(inv.due, 1), this.today), 9);
            f.status = 'failed';
            f.description = 'Bank transfer returned by the sending bank (account closed)';
          }
          break;
        }
        case 'payment_pending': {
          inv.status = 'payment_pending';
          const p = pay(inv.total, minDate(addDays(inv.issue, 3), this.today), 14);
          p.status = 'pending';
          p.description = 'Bank transfer announced by the client; waiting for the funds to clear';
          break;
        }
        case 'cancelled':
          inv.status = 'cancelled';
          inv.cancelledAt = this.at(minDate(o.on, this.today), 9, 1);
          break;
        case 'collections':
          inv.status = 'collections';
          break;
        case 'refunded': {
          inv.status = 'refunded';
          const p = pay(inv.total, o.paidOn, 12);
          const r: TxnP = {
            id: 0,
            invoice: inv,
            client: inv.client,
            type: 'refund',
            gateway: p.gateway,
            reference: this.ref('RF', o.refundOn),
            amountIn: 0,
            amountOut: inv.total,
            status: 'completed',
            date: this.at(o.refundOn, 16),
            description: 'Refund under the 30-day money-back guarantee',
            refundOf: p,
          };
          inv.txns.push(r);
          inv.amountPaid = 0;
          inv.paidAt = p.date;
          inv.refundedAt = r.date;
          inv.adminNotes = 'Refunded in full: 30-day money-back guarantee. See the credit note.';
          break;
        }
        case 'draft':
          inv.status = 'draft';
          break;
      }
    }

    // credit for the credit client: goodwill + add funds, part of it applied to their due-soon invoice
    const credit = this.clients.find((c) => c.def.tag === 'credit')!;
    const target = credit.services.find((s) => s.currentInvoice && s.currentInvoice.status === 'unpaid')?.currentInvoice;
    if (target) {
      const apply = Math.min(12500, Math.floor(target.total / 2));
      target.credit = apply;
      this.creditPlan = { client: credit, invoice: target, apply };
    }

    // numbers: issued invoices in date order, restarting each year
    const issued = this.invoices.filter((i) => i.status !== 'draft').sort((a, b) => (a.issue < b.issue ? -1 : a.issue > b.issue ? 1 : a.seq - b.seq));
    const perYear = new Map<number, number>();
    for (const inv of issued) {
      const y = yearOf(inv.issue);
      const n = (perYear.get(y) ?? 0) + 1;
      perYear.set(y, n);
      inv.number = `INV-${y}-${String(n).padStart(5, '0')}`;
    }
    const lastYear = Math.max(...perYear.keys());
    this.invoiceSeqState = { lastYear, next: (perYear.get(lastYear) ?? 0) + 1 };
    for (const inv of issued) {
      for (const t of inv.txns) {
        if (!t.description) t.description = `Invoice payment (${inv.number})`;
      }
    }

    // order numbers and totals in date order
    const sortedOrders = this.orders.slice().sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.hour - b.hour));
    sortedOrders.forEach((o, i) => (o.number = `ORD-${String(i + 1).padStart(5, '0')}`));
  }

  // ---------------------------------------------------------------- writing

  private async writeBilling(): Promise<void> {
    await this.writeClients();
    const rateOf = (c: ClientP) => this.currencyRates.get(c.cur) ?? '1.00000000';
    await this.insertPlans(Invoice, this.invoices, (inv) => ({
      invoiceNumber: inv.number,
      clientId: inv.client.id,
      currencyId: inv.client.currencyId,
      status: inv.status,
      issueDate: inv.issue,
      dueDate: inv.due,
      paidAt: inv.paidAt,
      subtotal: inv.subtotal,
      discount: 0,
      tax1: inv.tax1,
      tax2: inv.tax2,
      total: inv.total,
      amountPaid: inv.amountPaid,
      credit: inv.credit,
      taxRate1: inv.client.tax.rate1,
      taxName1: inv.client.tax.name1,
      taxRate2: inv.client.tax.rate2,
      taxName2: inv.client.tax.name2,
      taxInclusive: false,
      paymentGateway: inv.client.gateway ?? 'banktransfer',
      notes: inv.notes,
      adminNotes: inv.adminNotes,
      cancelledAt: inv.cancelledAt,
      refundedAt: inv.refundedAt,
      createdAt: this.at(inv.issue, 9, 0),
    }));
    const txns = this.invoices.flatMap((i) => i.txns);
    const txRow = (t: TxnP): Row => ({
      clientId: t.client.id,
      invoiceId: t.invoice?.id ?? null,
      currencyId: t.client.currencyId,
      exchangeRate: rateOf(t.client),
      gateway: t.gateway,
      transactionId: t.reference,
      paymentMethodId: null,
      type: t.type,
      amountIn: t.amountIn,
      amountOut: t.amountOut,
      fees: 0,
      description: t.description,
      date: t.date,
      status: t.status,
      gatewayResponse: null,
      refundOfId: t.refundOf?.id ?? null,
      createdAt: t.date,
    });
    const payments = txns.filter((t) => !t.refundOf);
    await this.insertPlans(Transaction, payments, txRow);
    await this.insertPlans(Transaction, txns.filter((t) => t.refundOf), txRow);

    // credit ledger
    const plan = this.creditPlan;
    if (plan) {
      const c = plan.client;
      const addFundsDate = addDays(this.today, -30);
      const topUp: TxnP = {
        id: 0,
        invoice: null,
        client: c,
        type: 'payment',
        gateway: 'banktransfer',
        reference: this.ref('BT', addFundsDate),
        amountIn: 10000,
        amountOut: 0,
        status: 'completed',
        date: this.at(addFundsDate, 13),
        description: 'Add funds to account credit',
        refundOf: null,
      };
      await this.insertPlans(Transaction, [topUp], txRow);
      const goodwill = 2500;
      const entries: Row[] = [
        { clientId: c.id, source: 'manual', amount: goodwill, balanceAfter: goodwill, description: 'Goodwill credit for the Dallas network incident', invoiceId: null, transactionId: null, creditNoteId: null, adminId: this.staffIds.get('admin'), createdAt: this.at(addDays(this.today, -60), 15) },
        { clientId: c.id, source: 'add_funds', amount: 10000, balanceAfter: goodwill + 10000, description: 'Funds added by bank transfer', invoiceId: null, transactionId: topUp.id, creditNoteId: null, adminId: null, createdAt: topUp.date },
        { clientId: c.id, source: 'applied_to_invoice', amount: -plan.apply, balanceAfter: goodwill + 10000 - plan.apply, description: `Credit applied to invoice ${plan.invoice.number}`, invoiceId: plan.invoice.id, transactionId: null, creditNoteId: null, adminId: null, createdAt: this.at(plan.invoice.issue, 9, 1) },
      ];
      await this.insert(CreditEntry, entries);
      c.creditBalance = goodwill + 10000 - plan.apply;
      await this.w.update(Client, c.id!, { creditBalance: c.creditBalance });
    }
  }

  private async writeOrders(): Promise<void> {
    const totals = (o: OrderP) => {
      const subtotal = o.lines.reduce((s, l) => s + l.unitPrice + l.setupFee, 0);
      const discount = o.lines.reduce((s, l) => s + l.discount, 0);
      const inv = o.invoice;
      const tax = inv ? inv.tax1 + inv.tax2 : 0;
      if (inv && subtotal - discount !== inv.subtotal) throw new Error(`demo seed: order ${o.number} does not match its invoice`);
      return { subtotal, discount, tax, total: subtotal - discount + tax };
    };
    await this.insertPlans(Order, this.orders, (o) => ({
      orderNumber: o.number,
      clientId: o.client.id,
      status: o.status,
      currencyId: o.client.currencyId,
      ...totals(o),
      promotionId: o.promo ? this.promotionIds.get('WELCOME10') : null,
      promoCode: o.promo ? 'WELCOME10' : null,
      paymentGateway: o.client.gateway ?? 'banktransfer',
      invoiceId: o.invoice?.id ?? null,
      ipAddress: o.client.def.tag === 'fraud' ? '185.220.101.47' : `198.51.100.${(o.client.idx * 7) % 200 + 20}`,
      notes: o.notes,
      fraudCheck: o.fraudCheck ?? { provider: 'demo-fraud-screen', score: Number((this.rng.next() * 12).toFixed(1)), riskLevel: 'low' },
      acceptedAt: o.acceptedAt,
      acceptedById: o.acceptedBy ? this.staffIds.get(o.acceptedBy) : null,
      createdAt: o.history[0].at,
    }));
    await this.insert(
      OrderStatusHistory,
      this.orders.flatMap((o) => o.history.map((h) => ({ orderId: o.id, oldStatus: h.old, newStatus: h.next, changedById: h.by ? this.staffIds.get(h.by) : null, note: h.note, createdAt: h.at }))),
    );
    const promoOrders = this.orders.filter((o) => o.promo);
    await this.insert(
      PromotionUsage,
      promoOrders.map((o) => ({
        promotionId: this.promotionIds.get('WELCOME10'),
        clientId: o.client.id,
        orderId: o.id,
        discountAmount: o.lines.reduce((s, l) => s + (l.service && l.itemType === 'product' ? l.service.promoDiscount : 0), 0),
        createdAt: o.history[0].at,
      })),
    );
    if (promoOrders.length) {
      await this.w.update(Promotion, this.promotionIds.get('WELCOME10')!, { uses: promoOrders.length });
    }
  }

  private async writeServicesAndDomains(): Promise<void> {
    const pkgFor = (s: ServiceP) => DEMO_PACKAGES.find((p) => p.key === s.product.package);
    await this.insertPlans(Service, this.services, (s) => {
      const pkg = pkgFor(s);
      const live = s.status === 'active' || s.status === 'suspended';
      const limit = pkg?.diskQuotaMb ?? null;
      return {
        clientId: s.client.id,
        orderId: s.order?.id ?? null,
        productId: this.productIds.get(s.product.key),
        serverId: s.serverKey ? this.serverIds.get(s.serverKey) : null,
        domain: s.domain,
        username: s.username,
        password: s.product.type === 'ssl' ? null : s.password,
        dedicatedIp: s.dedicatedIp,
        assignedIps: s.assignedIps,
        currencyId: s.client.currencyId,
        billingCycle: s.cycle,
        firstPaymentAmount: s.firstPayment,
        recurringAmount: s.recurring,
        registrationDate: s.R,
        nextDueDate: s.N,
        nextInvoiceDate: ['terminated', 'cancelled', 'fraud'].includes(s.status) ? null : s.nextInvoice,
        terminationDate: s.termination,
        status: s.status,
        suspensionReason: s.suspensionReason,
        suspendedAt: s.suspendedAt,
        overdueSuspended: s.overdueSuspended,
        overrideAutoSuspend: s.client.groupKey === 'vip' && s.status === 'active',
        overrideSuspendUntil: null,
        promotionId: s.promo ? this.promotionIds.get('WELCOME10') : null,
        diskUsageMb: live && limit ? Math.round(limit * (0.05 + this.rng.next() * 0.6)) : null,
        diskLimitMb: live ? limit : null,
        bandwidthUsageMb: live && pkg ? this.rng.int(800, 40000) : null,
        bandwidthLimitMb: live && pkg ? pkg.bandwidthMb : null,
        lastUsageSyncAt: live && s.serverKey ? this.hoursAgo(this.rng.int(1, 20)) : null,
        providerRef: s.providerRef,
        providerData: s.status === 'pending' || s.status === 'fraud' ? null : s.providerData,
        notes: s.scenario === 'refunded' ? 'Cancelled and refunded within the 30-day guarantee.' : null,
        deletedAt: null,
        createdAt: s.order?.history[0].at ?? this.at(s.R, 10),
      };
    });
    const addons = this.services.flatMap((s) => s.addons);
    await this.insertPlans(ServiceAddon, addons, (a) => ({
      serviceId: a.service.id,
      addonId: a.addonId,
      clientId: a.service.client.id,
      orderId: a.service.order?.id ?? null,
      name: a.name,
      billingCycle: a.cycle,
      setupFee: 0,
      recurringAmount: a.recurring,
      registrationDate: a.service.R,
      nextDueDate: a.service.N,
      nextInvoiceDate: ['terminated', 'cancelled'].includes(a.status) ? null : a.service.nextInvoice,
      terminationDate: a.service.termination,
      status: a.status,
      notes: null,
    }));
    await this.insert(
      ServiceConfigOption,
      this.services.flatMap((s) =>
        s.options.map((o) => ({
          serviceId: s.id,
          optionId: this.optionIds.get(o.optionKey),
          choiceId: o.optionKey === 'ips' ? null : this.choiceIds.get(`${o.optionKey}:${o.choiceKey}`),
          quantity: o.quantity,
        })),
      ),
    );
    await this.insertPlans(Domain, this.domains, (d) => ({
      clientId: d.client.id,
      orderId: d.order?.id ?? null,
      serviceId: d.service?.id ?? null,
      domainName: d.name,
      tld: d.tld,
      registrar: null,
      registrationType: d.regType,
      registrationDate: d.regDate,
      expiryDate: d.expiry,
      nextDueDate: d.nextDue,
      nextInvoiceDate: d.nextInvoice,
      registrationPeriod: d.years,
      firstPaymentAmount: d.regType === 'transfer' ? this.tldPrices.get(`${d.tld}:${d.client.cur}:1`)!.transfer : d.firstPayment,
      recurringAmount: d.recurring,
      currencyId: d.client.currencyId,
      status: d.status,
      nameservers: d.status === 'pending' || d.status === 'cancelled' ? null : d.service?.serverKey ? ['ns1.demo-host.test', 'ns2.demo-host.test'] : this.rng.chance(0.5) ? ['ns1.demo-host.test', 'ns2.demo-host.test'] : [`ns1.${d.name}`, `ns2.${d.name}`],
      autoRenew: d.autoRenew,
      idProtection: DEMO_TLDS.find((t) => t.tld === d.tld)!.idProtection && this.rng.chance(0.3),
      dnsManagement: this.rng.chance(0.4),
      emailForwarding: false,
      registrarLock: d.status === 'active',
      eppCode: d.eppCode,
      registrarRef: null,
      lastSyncAt: d.status === 'active' ? this.hoursAgo(this.rng.int(2, 30)) : null,
      notes: d.notes,
      createdAt: d.order?.history[0].at ?? this.at(d.regDate, 10),
    }));
  }

  private async writeInvoiceItems(): Promise<void> {
    await this.insertPlans(BillableItem, this.billables, (b) => ({
      clientId: b.client.id,
      serviceId: b.service?.id ?? null,
      description: b.description,
      amount: b.amount,
      invoiceAction: b.invoiceAction,
      recurEvery: b.recurEvery,
      recurUnit: b.recurUnit,
      recurCount: b.recurCount,
      timesInvoiced: b.timesInvoiced,
      dueDate: b.dueDate,
      nextInvoiceDate: b.nextInvoiceDate,
      invoiced: b.invoiced,
    }));
    const rows: Row[] = [];
    const keys = new Set<string>();
    for (const inv of this.invoices) {
      inv.lines.forEach((l, i) => {
        let billingKey: string | null = null;
        if (inv.status !== 'cancelled' && l.keyKind && l.periodStart) {
          const id = l.keyKind === 'service' ? l.service!.id : l.keyKind === 'addon' ? l.addon!.id : l.domain!.id;
          billingKey = `${l.keyKind}:${id}:${l.periodStart}`;
          if (keys.has(billingKey)) throw new Error(`demo seed: duplicate billing key ${billingKey}`);
          keys.add(billingKey);
        }
        rows.push({
          invoiceId: inv.id,
          itemType: l.type,
          serviceId: l.service?.id ?? l.addon?.service.id ?? null,
          serviceAddonId: l.addon?.id ?? null,
          domainId: l.domain?.id ?? null,
          billableItemId: l.billable?.id ?? null,
          description: l.description,
          quantity: l.quantity,
          unitPrice: l.unitPrice,
          amount: l.amount,
          taxable: l.taxable,
          periodStart: l.periodStart,
          periodEnd: l.periodEnd,
          billingKey,
          sortOrder: i + 1,
        });
      });
    }
    await this.insert(InvoiceItem, rows);

    // notices the scheduler already sent, so it does not send them again
    const reminders: Row[] = [];
    for (const inv of this.invoices) {
      if (inv.status === 'draft') continue;
      reminders.push({ invoiceId: inv.id, kind: 'created', sentAt: this.at(inv.issue, 9, 2) });
      if (!['unpaid', 'payment_pending', 'collections'].includes(inv.status)) continue;
      const soon = addDays(inv.due, -DEMO_BILLING.dueSoonReminderDays);
      if (soon <= this.today && soon > inv.issue) reminders.push({ invoiceId: inv.id, kind: 'due_soon', sentAt: this.at(soon, 9, 3) });
      const over = daysBetween(inv.due, this.today);
      if (inv.status === 'payment_pending') continue;
      if (over >= DEMO_BILLING.overdue1Days) reminders.push({ invoiceId: inv.id, kind: 'overdue_1', sentAt: this.at(addDays(inv.due, DEMO_BILLING.overdue1Days), 9, 4) });
      if (over >= DEMO_BILLING.overdue2Days) reminders.push({ invoiceId: inv.id, kind: 'overdue_2', sentAt: this.at(addDays(inv.due, DEMO_BILLING.overdue2Days), 9, 4) });
      if (over >= DEMO_BILLING.overdue3Days) reminders.push({ invoiceId: inv.id, kind: 'overdue_3', sentAt: this.at(addDays(inv.due, DEMO_BILLING.overdue3Days), 9, 4) });
      const suspended = inv.lines.find((l) => l.service?.overdueSuspended)?.service;
      if (suspended?.suspendedAt) reminders.push({ invoiceId: inv.id, kind: 'suspension', sentAt: suspended.suspendedAt });
    }
    await this.insert(InvoiceReminder, reminders);
  }

  private async writeOrderItems(): Promise<void> {
    const all = this.orders.flatMap((o) => o.lines.map((l) => ({ o, l })));
    const row = ({ o, l }: { o: OrderP; l: OrderLineP }): Row => ({
      orderId: o.id,
      parentItemId: l.parent?.id ?? null,
      itemType: l.itemType,
      productId: l.productId,
      addonId: l.addonId,
      domainProductId: l.domainProductId,
      serviceId: l.service?.id ?? l.addon?.service.id ?? null,
      serviceAddonId: l.addon?.id ?? null,
      domainId: l.domain?.id ?? null,
      description: l.description,
      domainName: l.domainName,
      cycle: l.cycle,
      years: l.years,
      quantity: 1,
      unitPrice: l.unitPrice,
      setupFee: l.setupFee,
      discount: l.discount,
      total: l.unitPrice + l.setupFee - l.discount,
      taxable: true,
      configOptions: l.configOptions,
    });
    const parents = all.filter((x) => !x.l.parent);
    const ids = await this.insert(OrderItem, parents.map(row));
    parents.forEach((x, i) => (x.l.id = ids[i]));
    await this.insert(OrderItem, all.filter((x) => x.l.parent).map(row));
  }

  private async writeBillingExtras(): Promise<void> {
    // credit note for the refunded invoice
    const refunded = this.invoices.filter((i) => i.status === 'refunded');
    const cnNumbers = new Map<number, number>();
    await this.insert(
      CreditNote,
      refunded.map((inv) => {
        const y = yearOf((inv.outcome as { refundOn: string }).refundOn);
        const n = (cnNumbers.get(y) ?? 0) + 1;
        cnNumbers.set(y, n);
        return {
          creditNoteNumber: `CN-${y}-${String(n).padStart(5, '0')}`,
          clientId: inv.client.id,
          invoiceId: inv.id,
          currencyId: inv.client.currencyId,
          issueDate: (inv.outcome as { refundOn: string }).refundOn,
          subtotal: inv.subtotal,
          tax: inv.tax1 + inv.tax2,
          total: inv.total,
          reason: 'Full refund: cancelled within the 30-day money-back guarantee.',
          status: 'issued',
          createdAt: inv.refundedAt,
        };
      }),
    );
    const cnYear = Math.max(0, ...cnNumbers.keys());
    this.cnState = { lastYear: cnYear || null, next: (cnNumbers.get(cnYear) ?? 0) + 1 };

    // quotes
    const bySite = (site: string) => this.clients.find((c) => c.def.site === site)!;
    const quoteInvoice = this.quoteInvoice ?? undefined;
    const dedicatedAnnual = this.price('dedicated', 'USD', 'annually').price;
    type QuoteDef = { client: ClientP | null; prospect?: [string, string, string]; subject: string; stage: string; date: string; validDays: number; items: Array<[string, number, number]>; cur: CurrencyCode; invoice?: InvoiceP; notes?: string };
    const kim = bySite('kimdigital.io');
    const weber = bySite('weber-bau.de');
    const summit = bySite('summitanalytics.io');
    const quotes: QuoteDef[] = [
      { client: null, prospect: ['Grace Okafor', 'grace.okafor@harborlogistics.example', 'Harbor Logistics'], subject: 'Three dedicated servers for the warehouse platform', stage: 'delivered', date: addDays(this.today, -54), validDays: 90, items: [['Dedicated E-2388G, annual billing', 3, dedicatedAnnual], ['Setup fee (waived)', 3, 0]], cur: 'USD', notes: 'Prices valid for 90 days. Setup within 2 business days of payment.' },
      { client: summit, subject: 'Platform migration and tuning', stage: 'accepted', date: addDays(this.today, -34), validDays: 30, items: [['Managed migration of the analytics platform (4 hours)', 4, 9000], ['Performance tuning of MariaDB and PHP-FPM', 1, 15000]], cur: 'USD', invoice: quoteInvoice },
      { client: kim, subject: 'Reseller Gold for agency clients', stage: 'draft', date: addDays(this.today, -2), validDays: 30, items: [['Reseller Gold, annual billing', 1, this.price('reseller_gold', 'USD', 'annually').price], ['Migration of 25 client sites', 25, 1500]], cur: 'USD' },
      { client: weber, subject: 'Cloud VPS for the project portal', stage: 'lost', date: addDays(this.today, -75), validDays: 30, items: [['Cloud VPS 2, 12 months', 1, this.price('vps2', 'EUR', 'annually').price], ['Daily Off-site Backups, 12 months', 1, localPrice(2500, 'EUR')]], cur: 'EUR', notes: 'Client chose an on-premises server.' },
    ];
    const quoteRows = quotes.map((q, i) => {
      const subtotal = q.items.reduce((s, [, qty, unit]) => s + qty * unit, 0);
      const tax = q.client ? this.taxOn(q.client.tax, subtotal) : 0;
      return {
        quoteNumber: `Q-${String(i + 1).padStart(5, '0')}`,
        subject: q.subject,
        clientId: q.client?.id ?? null,
        prospectName: q.prospect?.[0] ?? null,
        prospectEmail: q.prospect?.[1] ?? null,
        prospectCompany: q.prospect?.[2] ?? null,
        stage: q.stage,
        validUntil: addDays(q.date, q.validDays),
        currencyId: this.currencyIds.get(q.cur),
        subtotal,
        tax,
        total: subtotal + tax,
        proposal: `<p>Thank you for considering Meridian Demo Hosting. Below is our proposal for: ${q.subject.toLowerCase()}.</p>`,
        notes: q.notes ?? null,
        adminNotes: null,
        acceptedAt: q.stage === 'accepted' ? this.at(addDays(q.date, 2), 14) : null,
        invoiceId: q.invoice?.id ?? null,
        createdAt: this.at(q.date, 11),
      };
    });
    const quoteIds = await this.insert(Quote, quoteRows);
    await this.insert(
      QuoteItem,
      quotes.flatMap((q, qi) => q.items.map(([description, quantity, unitPrice], i) => ({ quoteId: quoteIds[qi], description, quantity, unitPrice, discountPercent: '0.00', amount: quantity * unitPrice, taxable: true, sortOrder: i + 1 }))),
    );
    this.quoteCount = quotes.length;
  }

  private taxOn(t: TaxInfo, taxable: number): number {
    const t1 = Number(t.rate1) > 0 ? percentOf(taxable, t.rate1) : 0;
    const t2 = Number(t.rate2) > 0 ? percentOf(taxable + t1, t.rate2) : 0;
    return t1 + t2;
  }

  private async writeMarketing(): Promise<void> {
    // affiliate with referrals from the referred clients' first payments
    const aff = this.clients.find((c) => c.def.tag === 'affiliate')!;
    const referred = this.clients
      .filter((c) => c.def.tag === 'referred')
      .map((c) => c.services[0])
      .filter((s): s is ServiceP => !!s)
      .sort((a, b) => (a.R < b.R ? -1 : 1));
    const toUsd = (amount: number, cur: CurrencyCode) => (cur === 'USD' ? amount : Math.round((amount * 1e8) / Math.round(Number(this.currencyRates.get(cur)) * 1e8)));
    const refs = referred.map((s, i) => {
      const inv = s.initialInvoice!;
      const commission = percentOf(toUsd(inv.subtotal, s.client.cur), '10');
      const paidDate = inv.paidAt ? inv.paidAt.toISOString().slice(0, 10) : s.R;
      const clearsAt = addDays(paidDate, 30);
      const status = i === 0 ? 'paid' : clearsAt <= this.today ? 'cleared' : 'pending';
      return { s, inv, commission, clearsAt, status };
    });
    const [affId] = await this.insert(Affiliate, [
      {
        clientId: aff.id,
        referralCode: 'EMILYCOOKS',
        commissionType: 'percent',
        commissionRate: '10.0000',
        fixedCommission: 0,
        oneTime: true,
        balance: refs.filter((r) => r.status === 'cleared').reduce((s, r) => s + r.commission, 0),
        withdrawn: refs.filter((r) => r.status === 'paid').reduce((s, r) => s + r.commission, 0),
        visitors: 214,
        status: 'active',
      },
    ]);
    await this.insert(
      AffiliateReferral,
      refs.map((r) => ({
        affiliateId: affId,
        description: `10% of ${r.inv.number} — ${r.s.product.name} (${r.s.domain})`,
        referredClientId: r.s.client.id,
        serviceId: r.s.id,
        orderId: r.s.order?.id ?? null,
        invoiceId: r.inv.id,
        commissionAmount: r.commission,
        status: r.status,
        clearsAt: r.clearsAt,
        paidAt: r.status === 'paid' ? this.at(addDays(r.clearsAt, 5), 12) : null,
        commissionKey: `invoice:${r.inv.id}:service:${r.s.id}`,
        createdAt: r.inv.paidAt,
      })),
    );

    // reseller: Northwind on cp3
    const nw = this.clients.find((c) => c.def.site === 'northwindweb.com')!;
    const rsvc = nw.services.find((s) => s.product.type === 'reseller')!;
    const [resellerId] = await this.insert(Reseller, [
      {
        clientId: nw.id,
        serviceId: rsvc.id,
        serverId: this.serverIds.get('cp3'),
        whmUsername: rsvc.username,
        hostingPackageId: this.packageIds.get('reseller_gold'),
        maxAccounts: 60,
        diskLimitMb: 256000,
        bandwidthLimitMb: 2560000,
        currentAccounts: 23,
        diskUsedMb: 61234,
        bandwidthUsedMb: 402113,
        aclList: ['create-acct', 'suspend-acct', 'kill-acct', 'list-accts', 'edit-dns', 'passwd', 'ssl'],
        nameservers: ['ns1.northwind-hosting.test', 'ns2.northwind-hosting.test'],
        commissionRate: '5.0000',
        markupPercent: '0.0000',
        brandName: 'Northwind Hosting',
        brandLogoUrl: null,
        supportEmail: 'support@northwindweb.example',
        status: 'active',
      },
    ]);
    const usdPaid = this.invoices
      .filter((i) => i.status === 'paid' && i.client.cur === 'USD' && i.client !== nw && i.lines.some((l) => l.type === 'service'))
      .sort((a, b) => (a.issue < b.issue ? 1 : -1))
      .slice(0, 3);
    const payoutDate = addDays(this.today, -10);
    const paidCommission = usdPaid.length ? percentOf(usdPaid[usdPaid.length - 1].subtotal, '5') : 0;
    const [payoutId] = await this.insert(ResellerPayout, [
      {
        resellerId,
        description: `Commission payout ${payoutDate.slice(0, 7)}`,
        amount: paidCommission,
        currencyId: this.currencyIds.get('USD'),
        method: 'bank_transfer',
        reference: this.ref('PO', payoutDate),
        status: 'paid',
        paidAt: this.at(payoutDate, 15),
        processedById: this.staffIds.get('billing'),
        notes: null,
      },
    ]);
    await this.insert(
      ResellerCommission,
      usdPaid.map((inv, i) => {
        const last = i === usdPaid.length - 1;
        const svc = inv.lines.find((l) => l.service)?.service ?? null;
        return {
          resellerId,
          description: `5% of ${inv.number} (${inv.client.def.company ?? inv.client.def.lastName})`,
          invoiceId: inv.id,
          serviceId: svc?.id ?? null,
          currencyId: this.currencyIds.get('USD'),
          amount: percentOf(inv.subtotal, '5'),
          status: last ? 'paid' : i === 0 ? 'pending' : 'approved',
          payoutId: last ? payoutId : null,
          commissionKey: `invoice:${inv.id}`,
        };
      }),
    );
  }

  private async writeHostingExtras(): Promise<void> {
    const rng = this.rng;
    const requests: Row[] = [];
    for (const s of this.services) {
      const base = { serviceId: s.id, clientId: s.client.id };
      if (s.scenario === 'cancelled') {
        requests.push({ ...base, type: 'end_of_period', reason: rng.pick(['Moving the website to our agency\u2019s hosting.', 'Project finished, the site is no longer needed.', 'Closing the business.']), status: 'completed', processedById: this.staffIds.get('admin'), processedAt: this.at(minDate(s.N, this.today), 9, 10), staffNotes: 'Processed by the daily job on the due date.', createdAt: this.at(addDays(s.N, -rng.int(10, 40)), 15) });
      } else if (s.scenario === 'cancel_requested') {
        requests.push({ ...base, type: 'end_of_period', reason: 'Consolidating all our sites on one Business plan.', status: 'pending', processedById: null, processedAt: null, staffNotes: null, createdAt: this.hoursAgo(rng.int(20, 200)) });
      } else if (s.scenario === 'refunded') {
        requests.push({ ...base, type: 'immediate', reason: 'The plan does not support our Java application. Requesting a refund under the guarantee.', status: 'completed', processedById: this.staffIds.get('billing'), processedAt: this.at(s.termination!, 15), staffNotes: 'Refund approved (30-day guarantee).', createdAt: this.at(s.termination!, 11) });
      }
    }
    await this.insert(CancellationRequest, requests);

    const jobs: Row[] = [];
    for (const s of this.services) {
      if (s.product.module === 'none' || !['active', 'suspended', 'terminated', 'cancelled'].includes(s.status) || s.scenario === 'refunded') continue;
      if (daysBetween(s.R, this.today) <= 120) {
        const t = this.at(s.R, 12);
        jobs.push({ serviceId: s.id, action: 'create', status: 'succeeded', attempts: 1, maxAttempts: 5, nextAttemptAt: null, lockedBy: null, lockedAt: null, startedAt: t, finishedAt: new Date(t.getTime() + 41_000), lastError: null, requestedById: null, reason: 'Invoice paid', idempotencyKey: `service:${s.id}:create`, params: null, result: s.providerRef ? { vpsid: s.providerRef } : { username: s.username }, createdAt: t });
      }
      if (s.overdueSuspended && s.suspendedAt) {
        jobs.push({ serviceId: s.id, action: 'suspend', status: 'succeeded', attempts: 1, maxAttempts: 5, nextAttemptAt: null, lockedBy: null, lockedAt: null, startedAt: s.suspendedAt, finishedAt: new Date(s.suspendedAt.getTime() + 3_000), lastError: null, requestedById: null, reason: 'Overdue on payment', idempotencyKey: `service:${s.id}:suspend:${s.suspendedAt.toISOString().slice(0, 10)}`, params: null, result: null, createdAt: s.suspendedAt });
      }
      if (s.status === 'terminated' && s.termination) {
        const t = this.at(s.termination, 9, 6);
        jobs.push({ serviceId: s.id, action: 'terminate', status: 'succeeded', attempts: 1, maxAttempts: 5, nextAttemptAt: null, lockedBy: null, lockedAt: null, startedAt: t, finishedAt: new Date(t.getTime() + 12_000), lastError: null, requestedById: null, reason: 'Overdue on payment', idempotencyKey: `service:${s.id}:terminate`, params: null, result: null, createdAt: t });
      }
    }
    const vps = this.services.find((s) => s.product.type === 'vps' && s.status === 'active');
    if (vps) {
      const t = this.hoursAgo(50);
      jobs.push({ serviceId: vps.id, action: 'change_password', status: 'failed', attempts: 5, maxAttempts: 5, nextAttemptAt: null, lockedBy: null, lockedAt: null, startedAt: t, finishedAt: new Date(t.getTime() + 4 * 3_600_000), lastError: 'Virtualizor API: connection to vz1.demo-host.test:4085 timed out after 60 s', requestedById: this.staffIds.get('support'), reason: 'Client request', idempotencyKey: `service:${vps.id}:change_password:${t.toISOString().slice(0, 10)}`, params: null, result: null, createdAt: t });
    }
    await this.insert(ProvisioningJob, jobs);

    const backups: Row[] = [];
    const cpanelLive = this.services.filter((s) => s.username && s.status === 'active').slice(0, 5);
    cpanelLive.forEach((s, i) => {
      const done = this.hoursAgo(20 + i * 24);
      const failed = i === 4;
      backups.push({
        serviceId: s.id,
        serverId: this.serverIds.get(s.serverKey!),
        backupType: 'full',
        fileName: `cpmove-${s.username}.tar.gz`,
        filePath: failed ? null : `/backup/${done.toISOString().slice(0, 10)}/accounts/cpmove-${s.username}.tar.gz`,
        sizeMb: failed ? null : rng.int(150, 9000),
        status: failed ? 'failed' : 'completed',
        startedAt: new Date(done.getTime() - 600_000),
        completedAt: failed ? null : done,
        errorMessage: failed ? 'pkgacct exited with status 1: disk quota exceeded on /backup' : null,
        checksum: failed ? null : `sha256:${createHash('sha256').update(`backup-${s.username}-${i}`).digest('hex')}`,
        storageLocation: 's3',
        retentionDays: 30,
        expiresAt: failed ? null : new Date(done.getTime() + 30 * 86_400_000),
      });
    });
    const serverDone = this.hoursAgo(30);
    backups.push({ serviceId: null, serverId: this.serverIds.get('cp1'), backupType: 'incremental', fileName: 'cp1-system-config.tar.zst', filePath: `/backup/${serverDone.toISOString().slice(0, 10)}/system/cp1-system-config.tar.zst`, sizeMb: 412, status: 'completed', startedAt: new Date(serverDone.getTime() - 900_000), completedAt: serverDone, errorMessage: null, checksum: `sha256:${createHash('sha256').update('cp1-system').digest('hex')}`, storageLocation: 's3', retentionDays: 14, expiresAt: new Date(serverDone.getTime() + 14 * 86_400_000) });
    await this.insert(Backup, backups);

    // server account counts (a cache the sync job keeps; filled so capacity looks right)
    for (const [key, id] of this.serverIds) {
      const n = this.services.filter((s) => s.serverKey === key && (s.status === 'active' || s.status === 'suspended')).length;
      const extra = key === 'vz1' ? 0 : key === 'cp3' ? 23 : 0;
      await this.w.update(Server, id, { activeAccounts: n + extra, lastSyncAt: this.hoursAgo(3) });
    }
  }

  // ---------------------------------------------------------------- support

  private async support(): Promise<void> {
    const rng = this.rng;
    const deptDefs: Array<{ name: 'Sales' | 'Technical Support' | 'Billing'; description: string; email: string; clientsOnly: boolean }> = [
      { name: 'Sales', description: 'Questions before you buy, quotes and upgrades.', email: 'sales@meridian-demo.test', clientsOnly: false },
      { name: 'Technical Support', description: 'Help with hosting, VPS, email and domains.', email: 'support@meridian-demo.test', clientsOnly: false },
      { name: 'Billing', description: 'Invoices, payments, refunds and account changes.', email: 'billing@meridian-demo.test', clientsOnly: true },
    ];
    const existing = (await this.m.getRepository(TicketDepartment).find()) as TicketDepartment[];
    const fresh = deptDefs.filter((d) => !existing.some((e) => e.name === d.name));
    const ids = await this.insert(
      TicketDepartment,
      fresh.map((d) => ({ name: d.name, description: d.description, email: d.email, hidden: false, sortOrder: deptDefs.indexOf(d) + 1, autoRespond: true, clientsOnly: d.clientsOnly })),
    );
    fresh.forEach((d, i) => this.departmentIds.set(d.name, ids[i]));
    for (const e of existing) this.departmentIds.set(e.name, e.id);
    await this.insert(
      DepartmentStaff,
      DEMO_STAFF.flatMap((s) => s.departments.filter((d) => fresh.some((f) => f.name === d)).map((d) => ({ departmentId: this.departmentIds.get(d), userId: this.staffIds.get(s.key), notify: s.key !== 'admin' }))),
    );

    // tickets
    const live = (s: ServiceP) => s.status === 'active';
    const activeClients = this.clients.filter((c) => (c.def.status ?? 'active') === 'active' && !c.def.deleted && c.def.tag !== 'fraud');
    const used = new Map<ClientP, number>();
    const choose = <T>(pool: T[], clientOf: (x: T) => ClientP): T => {
      const sorted = rng.shuffle(pool).sort((a, b) => (used.get(clientOf(a)) ?? 0) - (used.get(clientOf(b)) ?? 0));
      const pick = sorted[0];
      used.set(clientOf(pick), (used.get(clientOf(pick)) ?? 0) + 1);
      return pick;
    };
    interface TicketP {
      def: DemoTicketDef;
      client: ClientP | null;
      service: ServiceP | null;
      domain: DomainP | null;
      opened: Date;
      replies: Array<{ author: 'client' | 'staff' | 'guest'; staffKey: string | null; note: boolean; message: string; at: Date }>;
      id: number;
      number: string;
    }
    const tickets: TicketP[] = DEMO_TICKETS.map((def) => {
      let client: ClientP | null = null;
      let service: ServiceP | null = null;
      let domain: DomainP | null = null;
      const svcPool = (pred: (s: ServiceP) => boolean) => this.services.filter((s) => pred(s) && activeClients.includes(s.client));
      switch (def.need) {
        case 'shared':
          service = choose(svcPool((s) => s.product.type === 'shared' && live(s)), (s) => s.client);
          break;
        case 'vps':
          service = choose(svcPool((s) => s.product.type === 'vps' && live(s)), (s) => s.client);
          break;
        case 'abuse':
          service = this.services.find((s) => s.scenario === 'suspended_abuse')!;
          break;
        case 'dedicated':
          service = choose(svcPool((s) => s.product.type === 'dedicated' && live(s)), (s) => s.client);
          break;
        case 'reseller':
          service = this.services.find((s) => s.product.type === 'reseller' && s.client.def.site === 'northwindweb.com')!;
          break;
        case 'suspended':
          service = choose(svcPool((s) => s.overdueSuspended), (s) => s.client);
          break;
        case 'domain':
          domain = choose(
            this.domains.filter((d) => d.status === 'active' && activeClients.includes(d.client)),
            (d) => d.client,
          );
          client = domain.client;
          break;
        case 'any':
          client = choose(activeClients, (c) => c);
          break;
        case 'guest':
          break;
      }
      if (service) client = service.client;
      const opened = this.hoursAgo(def.hoursAgo);
      const span = def.hoursAgo * 0.85;
      const step = span / Math.max(1, def.messages.length);
      const first = client?.def.firstName ?? def.guest?.name.split(' ')[0] ?? 'there';
      const target = service?.domain ?? domain?.name ?? client?.def.site ?? '';
      const replies = def.messages.map(([who, text], i) => {
        const [kind, key] = who.split(':');
        const at = i === 0 ? opened : new Date(opened.getTime() + Math.round((i * step - rng.next() * step * 0.3) * 3_600_000));
        return {
          author: kind === 'client' ? (client ? 'client' : 'guest') : ('staff' as 'client' | 'staff' | 'guest'),
          staffKey: kind === 'client' ? null : key,
          note: kind === 'note',
          message: text.replace(/\{first\}/g, first).replace(/\{domain\}/g, target),
          at,
        };
      });
      return { def, client, service, domain, opened, replies, id: 0, number: '' };
    });
    tickets
      .slice()
      .sort((a, b) => a.opened.getTime() - b.opened.getTime())
      .forEach((t, i) => (t.number = `TKT-${String(i + 1).padStart(6, '0')}`));
    this.ticketCount = tickets.length;
    await this.insertPlans(SupportTicket, tickets, (t) => {
      const publicReplies = t.replies.filter((r) => !r.note);
      const last = publicReplies[publicReplies.length - 1];
      const lastAny = t.replies[t.replies.length - 1];
      const firstStaff = t.replies.find((r) => r.author === 'staff' && !r.note);
      const assignee = t.replies.find((r) => r.author === 'staff')?.staffKey ?? (t.def.status === 'open' ? null : 'support');
      return {
        ticketNumber: t.number,
        clientId: t.client?.id ?? null,
        guestName: t.client ? null : t.def.guest?.name ?? null,
        guestEmail: t.client ? null : t.def.guest?.email ?? null,
        accessKeyHash: t.client ? null : createHash('sha256').update(`demo-guest-ticket-${t.def.subject}`).digest('hex'),
        departmentId: this.departmentIds.get(t.def.department),
        serviceId: t.service?.id ?? null,
        domainId: t.domain?.id ?? null,
        subject: t.def.subject,
        status: t.def.status,
        priority: t.def.priority,
        source: t.client ? 'web' : 'email',
        assignedToId: assignee ? this.staffIds.get(assignee) : null,
        lastReplyAt: last.at,
        lastReplyBy: last.author === 'staff' ? 'staff' : 'client',
        firstResponseAt: firstStaff?.at ?? null,
        closedAt: t.def.status === 'closed' ? new Date(Math.min(lastAny.at.getTime() + 26 * 3_600_000, this.nowMs - 60_000)) : null,
        rating: t.def.rating ?? null,
        cc: null,
        createdAt: t.opened,
      };
    });
    await this.insert(
      TicketReply,
      tickets.flatMap((t) =>
        t.replies.map((r) => ({
          ticketId: t.id,
          userId: r.author === 'staff' ? this.staffIds.get(r.staffKey!) : t.client?.userId ?? null,
          authorType: r.author,
          authorName: r.author === 'staff' ? this.staffNames.get(r.staffKey!) : t.client ? `${t.client.def.firstName} ${t.client.def.lastName}` : t.def.guest!.name,
          authorEmail: r.author === 'staff' ? null : t.client?.email ?? t.def.guest!.email,
          message: r.message,
          isInternalNote: r.note,
          ipAddress: r.author === 'staff' ? null : `198.51.100.${(t.client?.idx ?? 99) + 100}`,
          createdAt: r.at,
        })),
      ),
    );
    await this.insert(PredefinedReply, DEMO_PREDEFINED_REPLIES.map((p) => ({ ...p })));

    const cp2 = this.serverIds.get('cp2');
    const vz1 = this.serverIds.get('vz1');
    const resolvedStart = this.at(addDays(this.today, -20), 14, 12);
    await this.insert(NetworkIssue, [
      { title: 'Packet loss on cp2.demo-host.test', description: 'An upstream router in Dallas dropped packets for about 40 minutes. Traffic was rerouted and the faulty line card replaced.', type: 'server', serverId: cp2, affectedSystem: null, affectedServiceIds: null, priority: 'high', status: 'resolved', startAt: resolvedStart, endAt: new Date(resolvedStart.getTime() + 40 * 60_000) },
      { title: 'Kernel updates on the KVM nodes', description: 'Both KVM nodes will be rebooted one after the other for kernel security updates. Each VPS will be offline for about 5 minutes.', type: 'server', serverId: vz1, affectedSystem: null, affectedServiceIds: null, priority: 'medium', status: 'scheduled', startAt: this.future(addDays(this.today, 5), 2), endAt: this.future(addDays(this.today, 5), 5) },
      { title: 'Delayed email delivery to Microsoft 365 recipients', description: 'Outlook.com and Microsoft 365 are temporarily deferring mail from one of our outbound IPs. We have switched to a secondary IP and asked Microsoft to lift the limit.', type: 'system', serverId: null, affectedSystem: 'Outbound email (all shared servers)', affectedServiceIds: null, priority: 'medium', status: 'investigating', startAt: this.hoursAgo(6), endAt: null },
    ]);
  }

  // ---------------------------------------------------------------- content

  private async content(): Promise<void> {
    await this.insert(
      Announcement,
      DEMO_ANNOUNCEMENTS.map((a) => ({ title: a.title, body: a.body, publishedAt: a.daysAgo >= 0 ? this.at(addDays(this.today, -a.daysAgo), 14) : this.future(addDays(this.today, -a.daysAgo), 9), published: a.published })),
    );
    const catIds = await this.insert(
      KnowledgeBaseCategory,
      DEMO_KB.map((c, i) => ({ name: c.category, description: c.description, parentId: null, hidden: false, sortOrder: i + 1 })),
    );
    await this.insert(
      KnowledgeBaseArticle,
      DEMO_KB.flatMap((c, i) => c.articles.map((a) => ({ categoryId: catIds[i], title: a.title, slug: a.slug, body: a.body, views: a.views, published: a.published ?? true }))),
    );
    await this.insert(
      TodoItem,
      DEMO_TODOS.map((t) => ({
        title: t.title,
        description: t.description,
        assignedToId: t.staff ? this.staffIds.get(t.staff) : null,
        priority: t.priority,
        dueDate: addDays(this.today, t.dueInDays),
        status: t.status,
        completedAt: t.status === 'completed' ? this.at(addDays(this.today, t.dueInDays), 16) : null,
      })),
    );
    await this.insert(
      CalendarEvent,
      DEMO_EVENTS.map((e) => {
        const date = addDays(this.today, e.inDays);
        return {
          title: e.title,
          description: e.description,
          startAt: this.future(date, e.hour),
          endAt: e.hours === null ? (e.allDay ? this.future(date, 23) : null) : this.future(date, e.hour + e.hours),
          allDay: e.allDay,
          color: e.color,
          userId: e.staff ? this.staffIds.get(e.staff) : null,
        };
      }),
    );
  }

  // ---------------------------------------------------------------- number sequences

  private async sequences(): Promise<void> {
    const inv = this.invoiceSeqState;
    const cn = this.cnState;
    const wanted: Array<{ name: keyof typeof NUMBER_FORMATS; nextValue: number; lastYear: number | null }> = [
      { name: 'invoice', nextValue: inv.next, lastYear: inv.lastYear },
      { name: 'order', nextValue: this.orders.length + 1, lastYear: yearOf(this.today) },
      { name: 'ticket', nextValue: this.ticketCount + 1, lastYear: yearOf(this.today) },
      { name: 'quote', nextValue: this.quoteCount + 1, lastYear: yearOf(this.today) },
      { name: 'credit_note', nextValue: cn.next, lastYear: cn.lastYear },
    ];
    const repo = this.m.getRepository(NumberSequence);
    const existing = (await repo.find()) as NumberSequence[];
    const fresh: Row[] = [];
    for (const w of wanted) {
      const f = NUMBER_FORMATS[w.name];
      const e = existing.find((x) => x.name === w.name);
      if (!e) fresh.push({ name: w.name, format: f.format, nextValue: w.nextValue, resetYearly: f.resetYearly, lastYear: w.lastYear });
      else
        await this.w.update(NumberSequence, e.id, {
          format: f.format,
          resetYearly: f.resetYearly,
          nextValue: Math.max(w.nextValue, e.format === f.format ? e.nextValue : 0),
          lastYear: w.lastYear,
        });
    }
    await this.insert(NumberSequence, fresh);
  }
}
