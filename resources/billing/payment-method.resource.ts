import { PAYMENT_METHOD_STATUSES, PAYMENT_METHOD_TYPES, PaymentMethod } from '../../src/entities/billing/payment-method.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const paymentMethodResource = defineResource(PaymentMethod, {
  navigation: NAV.billing,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['description', 'clientId', 'gateway', 'type', 'expYear', 'isDefault', 'status'],
  filterProperties: ['clientId', 'gateway', 'type', 'brand', 'lastFour', 'isDefault', 'status'],
  showProperties: [
    'description',
    'clientId',
    'gateway',
    'type',
    'brand',
    'lastFour',
    'expMonth',
    'expYear',
    'gatewayCustomerId',
    'isDefault',
    'status',
    'createdAt',
    'updatedAt',
  ],
  // Tokens are created by the gateway's hosted page, never typed in; staff can only label, default or retire one.
  editProperties: ['description', 'isDefault', 'status'],
  properties: {
    description: { isTitle: true },
    type: { availableValues: PAYMENT_METHOD_TYPES.map((v) => ({ value: v, label: v })) },
    status: { availableValues: PAYMENT_METHOD_STATUSES.map((v) => ({ value: v, label: v })) },
    gatewayToken: { isVisible: false },
  },
});
