import { INVOICE_REMINDER_KINDS, InvoiceReminder } from '../../src/entities/billing/invoice-reminder.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const invoiceReminderResource = defineResource(InvoiceReminder, {
  navigation: NAV.billing,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['kind', 'invoiceId', 'sentAt', 'createdAt'],
  filterProperties: ['invoiceId', 'kind', 'sentAt', 'createdAt'],
  showProperties: ['kind', 'invoiceId', 'sentAt', 'createdAt', 'updatedAt'],
  // Rows are claims made by the scheduler; deleting one lets that notice be sent again.
  editProperties: ['sentAt'],
  properties: {
    kind: { isTitle: true, availableValues: INVOICE_REMINDER_KINDS.map((v) => ({ value: v, label: v })) },
  },
});
