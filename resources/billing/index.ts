import type { ResourceSpec } from '../define.js';
import { billableItemResource } from './billable-item.resource.js';
import { creditEntryResource } from './credit-entry.resource.js';
import { creditNoteResource } from './credit-note.resource.js';
import { gatewayLogResource } from './gateway-log.resource.js';
import { invoiceItemResource } from './invoice-item.resource.js';
import { invoiceReminderResource } from './invoice-reminder.resource.js';
import { invoiceResource } from './invoice.resource.js';
import { numberSequenceResource } from './number-sequence.resource.js';
import { paymentMethodResource } from './payment-method.resource.js';
import { quoteItemResource } from './quote-item.resource.js';
import { quoteResource } from './quote.resource.js';
import { transactionResource } from './transaction.resource.js';

export const billingResources: ResourceSpec[] = [
  // Billing
  invoiceResource,
  invoiceItemResource,
  transactionResource,
  creditEntryResource,
  creditNoteResource,
  billableItemResource,
  quoteResource,
  quoteItemResource,
  paymentMethodResource,
  invoiceReminderResource,
  // Reporting
  gatewayLogResource,
  // System Settings
  numberSequenceResource,
];
