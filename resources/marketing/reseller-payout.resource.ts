import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';
import { ResellerPayout, RESELLER_PAYOUT_STATUSES } from '../../src/entities/marketing/reseller-payout.entity.js';

export const resellerPayoutResource = defineResource(ResellerPayout, {
  navigation: NAV.addons,
  listProperties: ['description', 'resellerId', 'amount', 'currencyId', 'method', 'status', 'paidAt', 'createdAt'],
  filterProperties: ['resellerId', 'currencyId', 'method', 'reference', 'status', 'paidAt', 'createdAt'],
  showProperties: [
    'description', 'resellerId', 'amount', 'currencyId', 'method', 'reference', 'status', 'paidAt',
    'processedById', 'notes', 'createdAt', 'updatedAt',
  ],
  editProperties: ['resellerId', 'description', 'amount', 'currencyId', 'method', 'reference', 'status', 'notes'],
  sort: { sortBy: 'createdAt', direction: 'desc' },
  properties: {
    description: { isTitle: true },
    status: { availableValues: RESELLER_PAYOUT_STATUSES.map((v) => ({ value: v, label: v })) },
    method: { description: 'bank_transfer, paypal, account_credit, …' },
    reference: { description: 'Bank or PayPal reference of the transfer' },
    notes: { type: 'textarea' },
    paidAt: { isVisible: { list: true, filter: true, show: true, edit: false } },
    processedById: { isVisible: { list: false, filter: true, show: true, edit: false } },
  },
});
