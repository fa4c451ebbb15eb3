import { QuoteItem } from '../../src/entities/billing/quote-item.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const quoteItemResource = defineResource(QuoteItem, {
  navigation: NAV.billing,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['description', 'quoteId', 'quantity', 'unitPrice', 'discountPercent', 'amount', 'taxable'],
  filterProperties: ['quoteId', 'taxable', 'createdAt'],
  showProperties: ['description', 'quoteId', 'quantity', 'unitPrice', 'discountPercent', 'amount', 'taxable', 'sortOrder', 'createdAt', 'updatedAt'],
  editProperties: ['quoteId', 'description', 'quantity', 'unitPrice', 'discountPercent', 'amount', 'taxable', 'sortOrder'],
  properties: {
    description: { isTitle: true, type: 'textarea' },
  },
});
