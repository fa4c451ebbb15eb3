import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';
import { AffiliateReferral, REFERRAL_STATUSES } from '../../src/entities/marketing/affiliate-referral.entity.js';

export const affiliateReferralResource = defineResource(AffiliateReferral, {
  navigation: NAV.addons,
  listProperties: ['description', 'affiliateId', 'referredClientId', 'commissionAmount', 'status', 'clearsAt', 'createdAt'],
  filterProperties: ['affiliateId', 'referredClientId', 'status', 'clearsAt', 'paidAt', 'createdAt'],
  showProperties: [
    'description', 'affiliateId', 'referredClientId', 'serviceId', 'orderId', 'invoiceId',
    'commissionAmount', 'status', 'clearsAt', 'paidAt', 'commissionKey', 'createdAt', 'updatedAt',
  ],
  editProperties: ['affiliateId', 'description', 'referredClientId', 'serviceId', 'orderId', 'invoiceId', 'commissionAmount', 'status', 'clearsAt'],
  sort: { sortBy: 'createdAt', direction: 'desc' },
  properties: {
    description: { isTitle: true },
    status: { availableValues: REFERRAL_STATUSES.map((v) => ({ value: v, label: v })) },
    clearsAt: { type: 'date' },
    paidAt: { isVisible: { list: false, filter: true, show: true, edit: false } },
    commissionKey: { isVisible: { list: false, filter: false, show: true, edit: false } },
  },
});
