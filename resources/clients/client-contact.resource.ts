import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';
import { ClientContact, CONTACT_TYPES } from '../../src/entities/clients/client-contact.entity.js';

export const clientContactResource = defineResource(ClientContact, {
  navigation: NAV.clients,
  listProperties: ['email', 'firstName', 'lastName', 'clientId', 'contactType', 'invoiceEmails', 'supportEmails'],
  filterProperties: ['email', 'lastName', 'clientId', 'contactType', 'invoiceEmails', 'supportEmails'],
  editProperties: [
    'clientId', 'contactType', 'firstName', 'lastName', 'companyName', 'email', 'phone',
    'address1', 'address2', 'city', 'state', 'postcode', 'country',
    'generalEmails', 'invoiceEmails', 'productEmails', 'domainEmails', 'supportEmails',
  ],
  sort: { sortBy: 'createdAt', direction: 'desc' },
  properties: {
    email: { isTitle: true },
    contactType: { availableValues: CONTACT_TYPES.map((v) => ({ value: v, label: v })) },
    country: { description: 'ISO 3166-1 alpha-2 code' },
  },
});
