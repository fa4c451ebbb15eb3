import { QUOTE_STAGES, Quote } from '../../src/entities/billing/quote.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

const showOnly = { list: false, edit: false, show: true, filter: false };

export const quoteResource = defineResource(Quote, {
  navigation: NAV.billing,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['quoteNumber', 'subject', 'clientId', 'prospectName', 'stage', 'validUntil', 'total'],
  filterProperties: ['quoteNumber', 'subject', 'clientId', 'prospectEmail', 'prospectCompany', 'stage', 'validUntil', 'currencyId', 'createdAt'],
  showProperties: [
    'quoteNumber',
    'subject',
    'clientId',
    'prospectName',
    'prospectEmail',
    'prospectCompany',
    'stage',
    'validUntil',
    'currencyId',
    'subtotal',
    'tax',
    'total',
    'proposal',
    'notes',
    'adminNotes',
    'acceptedAt',
    'invoiceId',
    'createdAt',
    'updatedAt',
  ],
  // Totals are summed from the quote lines; acceptance and conversion to an invoice are workflow steps.
  editProperties: ['subject', 'clientId', 'prospectName', 'prospectEmail', 'prospectCompany', 'stage', 'validUntil', 'currencyId', 'proposal', 'notes', 'adminNotes'],
  properties: {
    quoteNumber: { isTitle: true },
    stage: { availableValues: QUOTE_STAGES.map((v) => ({ value: v, label: v })) },
    proposal: { type: 'textarea' },
    notes: { type: 'textarea' },
    adminNotes: { type: 'textarea' },
    subtotal: { isVisible: showOnly },
    tax: { isVisible: showOnly },
    acceptedAt: { isVisible: showOnly },
  },
});
