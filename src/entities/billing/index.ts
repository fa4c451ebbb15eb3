import { BillableItem } from './billable-item.entity.js';
import { CreditEntry } from './credit-entry.entity.js';
import { CreditNote } from './credit-note.entity.js';
import { GatewayLog } from './gateway-log.entity.js';
import { Invoice } from './invoice.entity.js';
import { InvoiceItem } from './invoice-item.entity.js';
import { InvoiceReminder } from './invoice-reminder.entity.js';
import { NumberSequence } from './number-sequence.entity.js';
import { PaymentMethod } from './payment-method.entity.js';
import { Quote } from './quote.entity.js';
import { QuoteItem } from './quote-item.entity.js';
import { Transaction } from './transaction.entity.js';

export const billingEntities: Function[] = [
  Invoice,
  InvoiceItem,
  Transaction,
  CreditEntry,
  CreditNote,
  BillableItem,
  Quote,
  QuoteItem,
  PaymentMethod,
  InvoiceReminder,
  GatewayLog,
  NumberSequence,
];
