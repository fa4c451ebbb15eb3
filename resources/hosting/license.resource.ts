import { LICENSE_STATUSES, License } from '../../src/entities/hosting/license.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

const showOnly = { list: false, edit: false, show: true, filter: false };

export const licenseResource = defineResource(License, {
  navigation: NAV.utilities,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['licenseKey', 'product', 'clientId', 'domain', 'status', 'currentActivations', 'expiresAt'],
  filterProperties: ['licenseKey', 'product', 'clientId', 'serviceId', 'domain', 'ipAddress', 'status', 'expiresAt'],
  showProperties: [
    'licenseKey',
    'product',
    'clientId',
    'serviceId',
    'domain',
    'ipAddress',
    'status',
    'maxActivations',
    'currentActivations',
    'issuedAt',
    'expiresAt',
    'lastCheckedAt',
    'metadata',
    'createdAt',
    'updatedAt',
  ],
  editProperties: ['licenseKey', 'product', 'clientId', 'serviceId', 'domain', 'ipAddress', 'status', 'maxActivations', 'issuedAt', 'expiresAt'],
  properties: {
    licenseKey: { isTitle: true },
    status: { availableValues: LICENSE_STATUSES.map((v) => ({ value: v, label: v })) },
    currentActivations: { isVisible: { list: true, edit: false, show: true, filter: false } },
    lastCheckedAt: { isVisible: showOnly },
    metadata: { isVisible: showOnly },
  },
});
