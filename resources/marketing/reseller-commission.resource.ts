import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';
import { ResellerCommission, RESELLER_COMMISSION_STATUSES } from '../../src/entities/marketing/reseller-commission.entity.js';

export const resellerCommissionResource = defineResource(ResellerCommission, {
  navigation: NAV.addons,
  listProperties: ['description', 'resellerId', 'invoiceId', 'amount', 'currencyId', 'status', 'payoutId', 'createdAt'],
  filterProperties: ['resellerId', 'invoiceId', 'serviceId', 'currencyId', 'status', 'payoutId', 'createdAt'],
  showProperties: [
    'description', 'resellerId', 'invoiceId', 'serviceId', 'amount', 'currencyId', 'status', 'payoutId',
    'commissionKey', 'createdAt', 'updatedAt',
  ],
  editProperties: ['resellerId', 'description', 'invoiceId', 'serviceId', 'amount', 'currencyId', 'status', 'payoutId'],
  sort: { sortBy: 'createdAt', direction: 'desc' },
  properties: {
    description: { isTitle: true },
    status: { availableValues: RESELLER_COMMISSION_STATUSES.map((v) => ({ value: v, label: v })) },
    commissionKey: { isVisible: { list: false, filter: false, show: true, edit: false } },
  },
});
