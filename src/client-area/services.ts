import type { PaymentService } from '../domain/billing/payments.js';
import type { InvoiceService } from '../domain/billing/invoices.js';
import type { OrderService } from '../domain/orders/order-service.js';
import type { ProvisioningService } from '../domain/provisioning/provisioning-service.js';
import type { EmailService } from '../domain/notifications/email-service.js';
import type { PdfRenderer } from '../integrations/pdf/index.js';
import type { GatewayDirectory } from '../domain/payments/directory.js';
import type { GatewayCheckout } from '../domain/payments/checkout.js';
import type { GatewayNotifications } from '../domain/payments/notifications.js';
import type { DomainService } from '../domain/domains/domain-service.js';
import type { WhoisService } from '../domain/domains/whois.js';

/**
 * The shared domain services the client area calls — the same instances the admin and the scheduler use, so each
 * workflow exists once. Services only the client area needs (accounts, tickets) are built by their route modules
 * from the data source.
 */
export interface ClientAreaServices {
  orders: OrderService;
  payments: PaymentService;
  invoices: InvoiceService;
  provisioning: ProvisioningService;
  email: EmailService;
  pdf: PdfRenderer;
  gateways: GatewayDirectory;
  checkout: GatewayCheckout;
  notifications: GatewayNotifications;
  domains: DomainService;
  whois: WhoisService;
}
