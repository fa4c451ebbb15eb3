import {
  BILLABLE_ITEM_INVOICE_ACTIONS,
  BILLABLE_ITEM_RECUR_UNITS,
  BillableItem,
} from '../../src/entities/billing/billable-item.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const billableItemResource = defineResource(BillableItem, {
  navigation: NAV.billing,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['description', 'clientId', 'amount', 'invoiceAction', 'nextInvoiceDate', 'timesInvoiced', 'invoiced'],
  filterProperties: ['clientId', 'serviceId', 'invoiceAction', 'invoiced', 'dueDate', 'nextInvoiceDate', 'createdAt'],
  showProperties: [
    'description',
    'clientId',
    'serviceId',
    'amount',
    'invoiceAction',
    'recurEvery',
    'recurUnit',
    'recurCount',
    'timesInvoiced',
    'dueDate',
    'nextInvoiceDate',
    'invoiced',
    'createdAt',
    'updatedAt',
  ],
  // timesInvoiced and invoiced are kept by the billing run.
  editProperties: ['clientId', 'serviceId', 'description', 'amount', 'invoiceAction', 'recurEvery', 'recurUnit', 'recurCount', 'dueDate', 'nextInvoiceDate'],
  properties: {
    description: { isTitle: true, type: 'textarea' },
    invoiceAction: { availableValues: BILLABLE_ITEM_INVOICE_ACTIONS.map((v) => ({ value: v, label: v })) },
    recurUnit: { availableValues: BILLABLE_ITEM_RECUR_UNITS.map((v) => ({ value: v, label: v })) },
  },
});
