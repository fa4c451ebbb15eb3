import type { DataSource } from 'typeorm';
import type { Logger } from '../src/logger.js';
import type { AuthService } from '../src/domain/access/auth-service.js';
import type { ActionsByResource } from '../src/admin/admin.js';
import type { PaymentService } from '../src/domain/billing/payments.js';
import type { InvoiceService } from '../src/domain/billing/invoices.js';
import type { EmailService } from '../src/domain/notifications/email-service.js';
import type { BillingRunService } from '../src/domain/billing/run/billing-run.js';
import type { OrderService } from '../src/domain/orders/order-service.js';
import type { ProvisioningService } from '../src/domain/provisioning/provisioning-service.js';
import type { ServerTools } from '../src/domain/provisioning/server-tools.js';
import type { GatewaySettingsService } from '../src/domain/payments/gateway-settings.js';
import type { GatewayRefunds } from '../src/domain/payments/refunds.js';
import type { AutoCharge } from '../src/domain/payments/auto-charge.js';
import { gatewayActions, gatewayLogActions } from './payments/gateway-actions.js';
import { gatewayRefundAction, retryChargeAction } from './payments/refund-action.js';
import { userActions } from './access/user-actions.js';
import { emailTemplateActions, validateBeforeSave } from './system/email-template-actions.js';
import { billingRunActions } from './billing/billing-run-actions.js';
import { invoiceBulkActions } from './billing/invoice-bulk-actions.js';
import { invoicePdfActions } from './billing/invoice-pdf-actions.js';
import { invoiceDetailsAction } from './billing/invoice-details-action.js';
import { invoiceEmailActions, serviceBillingActions } from './billing/service-billing-actions.js';
import { clientCreditActions, invoicePaymentActions, transactionActions } from './billing/payment-actions.js';
import { orderActions } from './orders/order-actions.js';
import { serviceProvisioningActions } from './provisioning/service-provisioning-actions.js';
import { changeProductAction } from './provisioning/change-product-action.js';
import { serverActions } from './provisioning/server-actions.js';
import { jobActions } from './provisioning/job-actions.js';
import { backofficeActions, type BackofficeDeps } from './backoffice/index.js';
import { ticketActions } from './support/ticket-actions.js';
import { customFieldActions } from './clients/custom-field-actions.js';
import { domainPriceActions } from './domains/price-actions.js';
import { domainActions } from './domains/domain-actions.js';
import { domainBulkActions } from './domains/domain-bulk-actions.js';
import { registrarActions } from './domains/registrar-actions.js';
import type { StaffDesk } from '../src/domain/support/desk.js';
import type { DomainService } from '../src/domain/domains/domain-service.js';
import type { RegistrarDirectory } from '../src/domain/domains/registrars.js';

/** The services workflow actions call. Actions parse input, call one service, and map its outcome; nothing more. */
export interface AdminServices {
  ds: DataSource;
  auth: AuthService;
  payments: PaymentService;
  invoices: InvoiceService;
  email: EmailService;
  billing: BillingRunService;
  orders: OrderService;
  logger: Logger;
  provisioning: ProvisioningService;
  servers: ServerTools;
  gatewaySettings: GatewaySettingsService;
  gatewayRefunds: GatewayRefunds;
  autoCharge: AutoCharge;
  /** The staff side of the support desk (ticket actions). */
  desk: StaffDesk;
  /** Domain management (register, renew, nameservers, lock, EPP, sync) and the registrar modules. */
  domains: DomainService;
  registrars: RegistrarDirectory;
  /** Back office (quotes' PDF renderer, the public URL for email links). */
  backoffice?: BackofficeDeps;
  /** APP_TIMEZONE: business dates for quick filters */
  timezone: string;
}

/** Workflow actions by resource id. */
export function customActions(services: AdminServices): ActionsByResource {
  return {
    User: userActions(services) as never,
    Invoice: { ...invoicePaymentActions(services), ...invoiceBulkActions(services, services.timezone), ...billingRunActions(services), ...invoicePdfActions(), ...invoiceEmailActions(services), ...invoiceDetailsAction(services), ...retryChargeAction(services) } as never,
    Service: { ...serviceBillingActions(services), ...serviceProvisioningActions(services), ...changeProductAction(services), ...customFieldActions(services).Service } as never,
    Server: serverActions(services) as never,
    ProvisioningJob: jobActions(services) as never,
    Transaction: { ...transactionActions(services), ...gatewayRefundAction(services) } as never,
    PaymentGateway: gatewayActions(services) as never,
    GatewayLog: gatewayLogActions(services) as never,
    // Back office: CancellationRequest and Quote; Client's merge joins its credit actions.
    ...backofficeActions(services),
    Client: { ...clientCreditActions(services), ...backofficeActions(services).Client, ...customFieldActions(services).Client } as never,
    Order: orderActions(services) as never,
    SupportTicket: ticketActions(services) as never,
    DomainProduct: { ...domainPriceActions(services), ...registrarActions(services) } as never,
    Domain: { ...domainActions(services), ...domainBulkActions(services) } as never,
    EmailTemplate: { ...emailTemplateActions(services), new: { before: validateBeforeSave }, edit: { before: validateBeforeSave } } as never,
  };
}
