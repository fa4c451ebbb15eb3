import { INVOICE_STATUSES, Invoice } from '../../src/entities/billing/invoice.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

const showOnly = { list: false, edit: false, show: true, filter: false };
const showAndFilter = { list: false, edit: false, show: true, filter: true };

export const invoiceResource = defineResource(Invoice, {
  navigation: NAV.billing,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['invoiceNumber', 'clientId', 'status', 'issueDate', 'dueDate', 'total', 'amountPaid', 'paidAt'],
  filterProperties: ['invoiceNumber', 'clientId', 'status', 'issueDate', 'dueDate', 'paidAt', 'paymentGateway', 'currencyId', 'total'],
  showProperties: [
    'invoiceNumber',
    'clientId',
    'status',
    'issueDate',
    'dueDate',
    'paidAt',
    'currencyId',
    'subtotal',
    'discount',
    'taxName1',
    'taxRate1',
    'tax1',
    'taxName2',
    'taxRate2',
    'tax2',
    'taxInclusive',
    'total',
    'amountPaid',
    'credit',
    'paymentGateway',
    'notes',
    'adminNotes',
    'cancelledAt',
    'refundedAt',
    'createdAt',
    'updatedAt',
  ],
  // Totals are recomputed from the lines, and status changes (publish, pay, cancel, refund) are workflow actions
  // that also move money, so neither is a plain field edit.
  editProperties: ['clientId', 'currencyId', 'issueDate', 'dueDate', 'paymentGateway', 'taxInclusive', 'notes', 'adminNotes'],
  properties: {
    invoiceNumber: { isTitle: true },
    status: { availableValues: INVOICE_STATUSES.map((v) => ({ value: v, label: v })) },
    notes: { type: 'textarea' },
    adminNotes: { type: 'textarea' },
    paidAt: { isVisible: { list: true, edit: false, show: true, filter: true } },
    subtotal: { isVisible: showOnly },
    discount: { isVisible: showOnly },
    tax1: { isVisible: showOnly },
    tax2: { isVisible: showOnly },
    taxRate1: { isVisible: showOnly },
    taxRate2: { isVisible: showOnly },
    taxName1: { isVisible: showOnly },
    taxName2: { isVisible: showOnly },
    amountPaid: { isVisible: { list: true, edit: false, show: true, filter: false } },
    credit: { isVisible: showOnly },
    cancelledAt: { isVisible: showAndFilter },
    refundedAt: { isVisible: showAndFilter },
  },
});
