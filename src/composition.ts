import type { DataSource } from 'typeorm';
import type { AppConfig } from './config/config.js';
import type { Logger } from './logger.js';
import { buildAdmin, describeResources } from './admin/admin.js';
import { buildApp, type BuiltApp } from './http/app.js';
import { DatabaseSessionStore } from './db/session-store.js';
import { AuthService } from './domain/access/auth-service.js';
import { RbacService } from './domain/access/rbac-service.js';
import { ensureSequences } from './domain/billing/numbering.js';
import { ensureEmailTemplates } from './domain/notifications/standard-templates.js';
import { PaymentService } from './domain/billing/payments.js';
import { InvoiceService } from './domain/billing/invoices.js';
import { OrderService } from './domain/orders/order-service.js';
import { businessDate, systemClock } from './domain/shared/clock.js';
import { EmailService } from './domain/notifications/email-service.js';
import { createMailer, type Mailer } from './integrations/mail/mailer.js';
import { BillingRunService } from './domain/billing/run/billing-run.js';
import { applyPaidInvoice } from './domain/billing/on-paid.js';
import { upgradeOnPaid } from './domain/orders/upgrades.js';
import { invoiceNotifier } from './domain/billing/invoice-notices.js';
import { Scheduler } from './jobs/scheduler.js';
import { dashboardHandler } from './admin/dashboard.js';
import { reportsPageHandler } from './admin/reports-route.js';
import { calendarPageHandler } from './admin/calendar-page.js';
import { PdfRenderer } from './integrations/pdf/index.js';
import type { StaffAuthSettings } from './admin/auth-routes.js';
import { customActions } from '../actions/index.js';
import { allResources } from '../resources/index.js';
import { providerFor } from './integrations/provisioning/index.js';
import type { ProviderFactory } from './domain/provisioning/servers.js';
import { ProvisioningWorker } from './domain/provisioning/worker.js';
import { ProvisioningService } from './domain/provisioning/provisioning-service.js';
import { ServerTools } from './domain/provisioning/server-tools.js';
import { readSettings } from './domain/settings.js';
import { paymentModules, type PaymentApiBases } from './integrations/payments/index.js';
import { GatewayDirectory } from './domain/payments/directory.js';
import { GatewayCheckout } from './domain/payments/checkout.js';
import { GatewayNotifications } from './domain/payments/notifications.js';
import { GatewaySettingsService } from './domain/payments/gateway-settings.js';
import { GatewayRefunds } from './domain/payments/refunds.js';
import { AutoCharge } from './domain/payments/auto-charge.js';
import { chargeFailedNotifier } from './domain/payments/charge-notices.js';
import { StaffDesk } from './domain/support/desk.js';
import { AttachmentStore } from './domain/support/attachments.js';
import { RegistrarDirectory } from './domain/domains/registrars.js';
import { registrarModules, type RegistrarApiBases } from './integrations/domains/index.js';
import { domainJobRunner } from './domain/domains/jobs.js';
import { DomainService } from './domain/domains/domain-service.js';
import { DomainDaily, DEFAULT_REMINDER_DAYS } from './domain/domains/daily.js';
import { WhoisService } from './domain/domains/whois.js';
import { whoisQuery } from './integrations/domains/whois-client.js';
import { rdapQuery } from './integrations/domains/rdap-client.js';

export interface Overrides {
  /** Login rules and clock (tests). */
  auth?: StaffAuthSettings;
  /** Panel modules and their timeouts (tests shorten the timeouts). */
  provisioning?: { providers?: ProviderFactory; timeouts?: { timeoutMs?: number; createTimeoutMs?: number } };
  /** Payment providers' API base URLs (tests point them at the fakes). */
  payments?: { apiBases?: PaymentApiBases };
  /** Registrar API base URLs and timeout, and the WHOIS/RDAP servers to ask (tests point them at the fakes). */
  domains?: { apiBases?: RegistrarApiBases; timeoutMs?: number; whois?: Partial<ConstructorParameters<typeof WhoisService>[0]> };
}

export interface Composition extends BuiltApp {
  auth: AuthService;
  rbac: RbacService;
  payments: PaymentService;
  invoices: InvoiceService;
  email: EmailService;
  mailer: Mailer;
  billing: BillingRunService;
  scheduler: Scheduler;
  pdf: PdfRenderer;
  provisioning: ProvisioningService;
  servers: ServerTools;
  gateways: GatewayDirectory;
  checkout: GatewayCheckout;
  notifications: GatewayNotifications;
  gatewaySettings: GatewaySettingsService;
  gatewayRefunds: GatewayRefunds;
  autoCharge: AutoCharge;
  orders: OrderService;
  registrars: RegistrarDirectory;
  domains: DomainService;
  domainDaily: DomainDaily;
  whois: WhoisService;
}

/**
 * The one place where services are built and handed to their callers (AdminJS actions, HTTP routes), so that the
 * server and the tests run exactly the same wiring.
 */
export async function compose(config: AppConfig, ds: DataSource, logger: Logger, overrides: Overrides = {}): Promise<Composition> {
  const { now: authNow, ...authOptions } = overrides.auth ?? {};
  const now = authNow ?? (() => new Date());
  const sessionStore = new DatabaseSessionStore(ds);
  const auth = new AuthService(ds, { now, sessions: sessionStore }, { ...(config.NODE_ENV === 'test' ? { bcryptCost: 4 } : {}), ...authOptions });
  const rbac = new RbacService(ds);
  const clock = systemClock;
  const today = () => businessDate(clock.now(), config.APP_TIMEZONE);
  const payments = new PaymentService(ds, clock, config.APP_TIMEZONE);
  payments.onInvoicePaid((m, invoice) => applyPaidInvoice(m, invoice, today(), clock.now()));
  const orders = new OrderService(ds, clock, config.APP_TIMEZONE);
  // After applyPaidInvoice: a paid order invoice accepts its order (Product.autoSetup 'payment') and queues provisioning.
  payments.onInvoicePaid((m, invoice) => orders.onInvoicePaid(m, invoice));
  payments.onInvoicePaid(upgradeOnPaid(clock, config.APP_TIMEZONE));
  const invoices = new InvoiceService(ds, clock);
  const gateways = new GatewayDirectory(ds, paymentModules(overrides.payments?.apiBases));
  const checkout = new GatewayCheckout(ds, gateways, { appUrl: config.APP_URL.replace(/\/$/, '') });
  const notifications = new GatewayNotifications({ ds, clock, payments, gateways });
  const gatewaySettings = new GatewaySettingsService(ds, gateways);
  const gatewayRefunds = new GatewayRefunds({ ds, payments, gateways });
  const mailer = createMailer(config);
  const email = new EmailService({ ds, mailer, clock, timeZone: config.APP_TIMEZONE, appUrl: config.APP_URL });
  const autoCharge = new AutoCharge({ ds, clock, timeZone: config.APP_TIMEZONE, gateways, notifications, notifyFailure: chargeFailedNotifier(ds, email, { appUrl: config.APP_URL, today, logger }) });
  const billing = new BillingRunService(ds, clock, config.APP_TIMEZONE, { payments, notify: invoiceNotifier(ds, email, { appUrl: config.APP_URL, today }) });
  const provisioningDeps = { ds, clock, email, providers: overrides.provisioning?.providers ?? providerFor, timeouts: overrides.provisioning?.timeouts };
  const alertEmail = async () => {
    const [own, company] = await Promise.all([readSettings(ds, 'provisioning.alertEmail'), readSettings(ds, 'company.email')]);
    return own.get('provisioning.alertEmail') || company.get('company.email') || null;
  };
  const registrars = new RegistrarDirectory({ ds, modules: registrarModules(overrides.domains?.apiBases, overrides.domains?.timeoutMs), today });
  const domainDeps = { ds, clock, today, registrars, email, appUrl: config.APP_URL };
  const worker = new ProvisioningWorker({ ...provisioningDeps, alertEmail, domainJobs: domainJobRunner(domainDeps) });
  const domains = new DomainService({ ...domainDeps, worker });
  const domainDaily = new DomainDaily({ ...domainDeps, reminderDays: async () => parseDays((await readSettings(ds, 'domains.renewalReminderDays')).get('domains.renewalReminderDays')) });
  const whois = new WhoisService({ ds, ...whoisTransport(config.WHOIS_SERVER), registrarCheck: registrars.availabilityCheck(), ...overrides.domains?.whois });
  const provisioning = new ProvisioningService({ ...provisioningDeps, timeZone: config.APP_TIMEZONE }, worker);
  const servers = new ServerTools(provisioningDeps);
  const desk = new StaffDesk({ ds, clock, email, store: new AttachmentStore(config.STORAGE_DIR), appUrl: config.APP_URL });
  const scheduler = new Scheduler({ ds, clock, timezone: config.APP_TIMEZONE, logger, billing, provisioning: worker, autoCharge, closeAnsweredTickets: () => desk.autoClose(), domainsDaily: () => domainDaily.run(), pollDomainTransfers: () => domainDaily.pollTransfers() });
  const admin = buildAdmin(
    allResources,
    customActions({ ds, auth, payments, invoices, email, billing, logger, orders, provisioning, servers, gatewaySettings, gatewayRefunds, autoCharge, desk, domains, registrars, timezone: config.APP_TIMEZONE, backoffice: { pdf: { htmlToPdf: (html, opts) => pdf.htmlToPdf(html, opts) }, appUrl: config.APP_URL } }),
    { handler: dashboardHandler(ds, billing, config.APP_TIMEZONE) },
    { handler: reportsPageHandler(ds, config.APP_TIMEZONE) },
    { handler: calendarPageHandler(ds, config.APP_TIMEZONE) },
  );
  await rbac.sync(describeResources(admin));
  await ensureSequences(ds.manager);
  await ensureEmailTemplates(ds);
  const pdf = new PdfRenderer({ executablePath: config.CHROMIUM_PATH });
  const built = buildApp({ config, ds, logger, admin, sessionStore, auth, now, pdf, clock, clientArea: { orders, payments, invoices, provisioning, email, pdf, gateways, checkout, notifications, domains, whois } });
  return { ...built, auth, rbac, payments, invoices, email, mailer, billing, scheduler, pdf, provisioning, servers, gateways, checkout, notifications, gatewaySettings, gatewayRefunds, autoCharge, orders, registrars, domains, domainDaily, whois };
}

/** The registries' own WHOIS and RDAP servers; or, with WHOIS_SERVER set, one server for every question (a fake). */
function whoisTransport(server: string | undefined): Pick<ConstructorParameters<typeof WhoisService>[0], 'query' | 'rdap'> {
  if (!server) return { query: whoisQuery, rdap: rdapQuery };
  const at = server.lastIndexOf(':');
  const host = server.slice(0, at);
  const port = Number(server.slice(at + 1));
  return { query: (_host, _port, q, timeoutMs) => whoisQuery(host, port, q, timeoutMs) };
}

/** '[30, 7, 1]' or '30, 7, 1' → [30, 7, 1]; anything unreadable → the defaults. */
function parseDays(raw: string | undefined): number[] {
  const days = (raw ?? '').replace(/[[\]]/g, ' ').split(/[\s,]+/).filter(Boolean).map(Number);
  return days.length && days.every((n) => Number.isInteger(n) && n > 0 && n <= 365) ? days : DEFAULT_REMINDER_DAYS;
}
