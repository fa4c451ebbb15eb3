import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';
import { Reseller, RESELLER_STATUSES } from '../../src/entities/marketing/reseller.entity.js';

/** Usage columns are written by the WHM sync job. */
export const resellerResource = defineResource(Reseller, {
  navigation: NAV.addons,
  listProperties: ['brandName', 'clientId', 'whmUsername', 'serverId', 'currentAccounts', 'maxAccounts', 'status'],
  filterProperties: ['brandName', 'clientId', 'whmUsername', 'serverId', 'hostingPackageId', 'status'],
  showProperties: [
    'brandName', 'clientId', 'serviceId', 'serverId', 'whmUsername', 'hostingPackageId', 'status',
    'maxAccounts', 'currentAccounts', 'diskLimitMb', 'diskUsedMb', 'bandwidthLimitMb', 'bandwidthUsedMb',
    'aclList', 'nameservers', 'commissionRate', 'markupPercent', 'brandLogoUrl', 'supportEmail',
    'createdAt', 'updatedAt',
  ],
  editProperties: [
    'brandName', 'clientId', 'serviceId', 'serverId', 'whmUsername', 'hostingPackageId', 'status',
    'maxAccounts', 'diskLimitMb', 'bandwidthLimitMb', 'aclList', 'nameservers',
    'commissionRate', 'markupPercent', 'brandLogoUrl', 'supportEmail',
  ],
  sort: { sortBy: 'createdAt', direction: 'desc' },
  properties: {
    brandName: { isTitle: true },
    status: { availableValues: RESELLER_STATUSES.map((v) => ({ value: v, label: v })) },
    maxAccounts: { description: '0 = unlimited' },
    diskLimitMb: { description: 'MB; 0 = unlimited' },
    bandwidthLimitMb: { description: 'MB per month; 0 = unlimited' },
    aclList: { isArray: true, type: 'string', description: 'WHM ACL names, e.g. create-acct' },
    nameservers: { isArray: true, type: 'string' },
    commissionRate: { description: 'Percent of each payment by the reseller’s clients' },
    markupPercent: { description: 'Percent added to catalogue prices on the reseller’s storefront' },
    currentAccounts: { isVisible: { list: true, filter: false, show: true, edit: false } },
    diskUsedMb: { isVisible: { list: false, filter: false, show: true, edit: false } },
    bandwidthUsedMb: { isVisible: { list: false, filter: false, show: true, edit: false } },
  },
});
