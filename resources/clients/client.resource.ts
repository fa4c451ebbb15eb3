import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';
import { Client, CLIENT_STATUSES } from '../../src/entities/clients/client.entity.js';

/** Also exposes seed 003 "Customers". The credit balance is read-only here: it moves only through the credit ledger. */
export const clientResource = defineResource(Client, {
  navigation: NAV.clients,
  listProperties: ['displayName', 'email', 'status', 'groupId', 'country', 'creditBalance', 'createdAt'],
  filterProperties: ['displayName', 'email', 'companyName', 'lastName', 'status', 'groupId', 'currencyId', 'country', 'createdAt', 'lastLoginAt'],
  showProperties: [
    'displayName', 'firstName', 'lastName', 'companyName', 'email', 'phone',
    'address1', 'address2', 'city', 'state', 'postcode', 'country', 'taxId', 'taxExempt',
    'status', 'groupId', 'currencyId', 'creditBalance', 'language', 'defaultGateway',
    'lateFeeExempt', 'overdueNoticesDisabled', 'marketingEmailsOptIn', 'userId',
    'notes', 'lastLoginAt', 'createdAt', 'updatedAt',
  ],
  editProperties: [
    'firstName', 'lastName', 'companyName', 'email', 'phone',
    'address1', 'address2', 'city', 'state', 'postcode', 'country', 'taxId', 'taxExempt',
    'status', 'groupId', 'currencyId', 'language', 'defaultGateway',
    'lateFeeExempt', 'overdueNoticesDisabled', 'marketingEmailsOptIn', 'notes',
  ],
  sort: { sortBy: 'createdAt', direction: 'desc' },
  properties: {
    displayName: { isTitle: true, isVisible: { list: true, filter: true, show: true, edit: false } },
    status: { availableValues: CLIENT_STATUSES.map((v) => ({ value: v, label: v })) },
    country: { description: 'ISO 3166-1 alpha-2 code, e.g. US, GB, BD' },
    notes: { type: 'textarea' },
    creditBalance: { isVisible: { list: true, filter: false, show: true, edit: false } },
    userId: { isVisible: { list: false, filter: false, show: true, edit: false } },
    lastLoginAt: { isVisible: { list: false, filter: true, show: true, edit: false } },
    deletedAt: { isVisible: false },
  },
});
