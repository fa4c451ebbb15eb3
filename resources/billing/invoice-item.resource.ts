import { INVOICE_ITEM_TYPES, InvoiceItem } from '../../src/entities/billing/invoice-item.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const invoiceItemResource = defineResource(InvoiceItem, {
  navigation: NAV.billing,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['description', 'invoiceId', 'itemType', 'quantity', 'unitPrice', 'amount', 'periodStart', 'periodEnd'],
  filterProperties: ['invoiceId', 'itemType', 'serviceId', 'serviceAddonId', 'domainId', 'billableItemId', 'billingKey', 'periodStart', 'periodEnd'],
  showProperties: [
    'description',
    'invoiceId',
    'itemType',
    'quantity',
    'unitPrice',
    'amount',
    'taxable',
    'periodStart',
    'periodEnd',
    'serviceId',
    'serviceAddonId',
    'domainId',
    'billableItemId',
    'billingKey',
    'sortOrder',
    'createdAt',
    'updatedAt',
  ],
  // billingKey is set only by the billing run: it is what prevents a period being invoiced twice.
  editProperties: [
    'invoiceId',
    'itemType',
    'description',
    'quantity',
    'unitPrice',
    'amount',
    'taxable',
    'periodStart',
    'periodEnd',
    'serviceId',
    'serviceAddonId',
    'domainId',
    'billableItemId',
    'sortOrder',
  ],
  properties: {
    description: { isTitle: true, type: 'textarea' },
    itemType: { availableValues: INVOICE_ITEM_TYPES.map((v) => ({ value: v, label: v })) },
    billingKey: { isVisible: { list: false, edit: false, show: true, filter: true } },
  },
});
