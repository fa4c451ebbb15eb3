import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';
import { Affiliate, AFFILIATE_STATUSES, COMMISSION_TYPES } from '../../src/entities/marketing/affiliate.entity.js';

/** Balance, withdrawn and visitors are kept by the referral service; staff see them but do not type them. */
export const affiliateResource = defineResource(Affiliate, {
  navigation: NAV.clients,
  listProperties: ['referralCode', 'clientId', 'commissionType', 'commissionRate', 'balance', 'withdrawn', 'visitors', 'status'],
  filterProperties: ['referralCode', 'clientId', 'commissionType', 'status', 'createdAt'],
  editProperties: ['clientId', 'referralCode', 'commissionType', 'commissionRate', 'fixedCommission', 'oneTime', 'status'],
  sort: { sortBy: 'createdAt', direction: 'desc' },
  properties: {
    referralCode: { isTitle: true },
    commissionType: { availableValues: COMMISSION_TYPES.map((v) => ({ value: v, label: v })) },
    status: { availableValues: AFFILIATE_STATUSES.map((v) => ({ value: v, label: v })) },
    commissionRate: { description: "Percent of each referred payment, for 'percent'" },
    fixedCommission: { description: "Amount per referred payment, for 'fixed'" },
    oneTime: { description: 'Commission on the first payment only, not on renewals' },
    balance: { isVisible: { list: true, filter: false, show: true, edit: false } },
    withdrawn: { isVisible: { list: true, filter: false, show: true, edit: false } },
    visitors: { isVisible: { list: true, filter: false, show: true, edit: false } },
  },
});
