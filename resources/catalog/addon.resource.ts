import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';
import { Addon } from '../../src/entities/catalog/addon.entity.js';
import { PAYMENT_TYPES, PROVISIONING_MODULES } from '../../src/entities/catalog/values.js';

/** The addon catalogue; prices are ProductPrice rows. */
export const addonResource = defineResource(Addon, {
  navigation: NAV.products,
  listProperties: ['name', 'paymentType', 'module', 'showOnOrder', 'autoActivate', 'sortOrder'],
  filterProperties: ['name', 'paymentType', 'module', 'showOnOrder', 'autoActivate', 'taxable'],
  editProperties: [
    'name', 'description', 'paymentType', 'applicableProductIds', 'showOnOrder', 'autoActivate',
    'module', 'moduleConfig', 'taxable', 'suspendWithParent', 'welcomeEmailTemplate', 'sortOrder',
  ],
  sort: { sortBy: 'sortOrder', direction: 'asc' },
  properties: {
    name: { isTitle: true },
    description: { type: 'textarea' },
    paymentType: { availableValues: PAYMENT_TYPES.map((v) => ({ value: v, label: v })) },
    module: { availableValues: PROVISIONING_MODULES.map((v) => ({ value: v, label: v })) },
    applicableProductIds: {
      isArray: true,
      type: 'reference',
      reference: 'Product',
      description: 'Products the addon is offered with on the order form; none = staff-only',
    },
    moduleConfig: { isVisible: { list: false, filter: false, show: true, edit: false } },
  },
});
