import { CREDIT_ENTRY_SOURCES, CreditEntry } from '../../src/entities/billing/credit-entry.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const creditEntryResource = defineResource(CreditEntry, {
  navigation: NAV.billing,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['description', 'clientId', 'source', 'amount', 'balanceAfter', 'invoiceId', 'createdAt'],
  filterProperties: ['clientId', 'source', 'invoiceId', 'transactionId', 'creditNoteId', 'adminId', 'createdAt'],
  showProperties: ['description', 'clientId', 'source', 'amount', 'balanceAfter', 'invoiceId', 'transactionId', 'creditNoteId', 'adminId', 'createdAt'],
  // The ledger must move with Client.creditBalance in one transaction, so entries are made by the credit workflow;
  // only the wording of an entry can be corrected here.
  editProperties: ['description'],
  properties: {
    description: { isTitle: true },
    source: { availableValues: CREDIT_ENTRY_SOURCES.map((v) => ({ value: v, label: v })) },
  },
});
