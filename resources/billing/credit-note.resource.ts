import { CREDIT_NOTE_STATUSES, CreditNote } from '../../src/entities/billing/credit-note.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const creditNoteResource = defineResource(CreditNote, {
  navigation: NAV.billing,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['creditNoteNumber', 'clientId', 'invoiceId', 'issueDate', 'total', 'status'],
  filterProperties: ['creditNoteNumber', 'clientId', 'invoiceId', 'status', 'issueDate', 'currencyId'],
  showProperties: ['creditNoteNumber', 'clientId', 'invoiceId', 'status', 'issueDate', 'currencyId', 'subtotal', 'tax', 'total', 'reason', 'createdAt', 'updatedAt'],
  // Issuing, applying and voiding a note allocate a number and move credit, so they are billing actions; only the
  // stated reason can be corrected here.
  editProperties: ['reason'],
  properties: {
    creditNoteNumber: { isTitle: true },
    status: { availableValues: CREDIT_NOTE_STATUSES.map((v) => ({ value: v, label: v })) },
    reason: { type: 'textarea' },
  },
});
