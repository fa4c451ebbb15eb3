import { CustomFieldValue } from '../../src/entities/system/custom-field-value.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const customFieldValueResource = defineResource(CustomFieldValue, {
  navigation: NAV.clients,
  sort: { sortBy: 'updatedAt', direction: 'desc' },
  listProperties: ['fieldId', 'value', 'clientId', 'serviceId', 'ticketId', 'updatedAt'],
  filterProperties: ['fieldId', 'value', 'clientId', 'serviceId', 'ticketId'],
  showProperties: ['fieldId', 'value', 'clientId', 'serviceId', 'ticketId', 'ownerKey', 'createdAt', 'updatedAt'],
  editProperties: ['fieldId', 'clientId', 'serviceId', 'ticketId', 'value'],
  properties: {
    value: { type: 'textarea' },
    secretValue: { isVisible: false },
    ownerKey: { isVisible: { list: false, edit: false, show: true, filter: false } },
  },
});
