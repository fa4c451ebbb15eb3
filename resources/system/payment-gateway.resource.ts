import { PaymentGateway } from '../../src/entities/system/payment-gateway.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const paymentGatewayResource = defineResource(PaymentGateway, {
  navigation: NAV.settings,
  sort: { sortBy: 'sortOrder', direction: 'asc' },
  listProperties: ['displayName', 'code', 'enabled', 'testMode', 'sortOrder', 'updatedAt'],
  filterProperties: ['displayName', 'code', 'enabled', 'testMode'],
  showProperties: ['displayName', 'code', 'enabled', 'testMode', 'sortOrder', 'config', 'createdAt', 'updatedAt'],
  // config is set through the Currencies and instructions action (validated), not as raw JSON.
  editProperties: ['displayName', 'code', 'enabled', 'testMode', 'sortOrder'],
  properties: {
    displayName: { isTitle: true },
    credentials: { isVisible: false },
  },
}, { writeOnlySecrets: ['credentials'] });
