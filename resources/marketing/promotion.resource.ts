import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';
import { Promotion, PROMOTION_TYPES } from '../../src/entities/marketing/promotion.entity.js';
import { PRICE_CYCLES } from '../../src/entities/catalog/values.js';

/** With the product, addon and TLD lists all empty the code applies to everything; uses is counted by the order service. */
export const promotionResource = defineResource(Promotion, {
  navigation: NAV.orders,
  listProperties: ['code', 'type', 'percentValue', 'fixedAmount', 'uses', 'maxUses', 'expiresAt', 'enabled'],
  filterProperties: ['code', 'type', 'recurring', 'enabled', 'startsAt', 'expiresAt', 'newClientsOnly'],
  showProperties: [
    'code', 'type', 'percentValue', 'fixedAmount', 'currencyId', 'recurring', 'recurFor',
    'appliesToProductIds', 'appliesToAddonIds', 'appliesToTlds', 'appliesToCycles',
    'startsAt', 'expiresAt', 'maxUses', 'uses', 'oncePerClient', 'newClientsOnly', 'enabled', 'notes',
    'createdAt', 'updatedAt',
  ],
  editProperties: [
    'code', 'type', 'percentValue', 'fixedAmount', 'currencyId', 'recurring', 'recurFor',
    'appliesToProductIds', 'appliesToAddonIds', 'appliesToTlds', 'appliesToCycles',
    'startsAt', 'expiresAt', 'maxUses', 'oncePerClient', 'newClientsOnly', 'enabled', 'notes',
  ],
  sort: { sortBy: 'createdAt', direction: 'desc' },
  properties: {
    code: { isTitle: true, description: 'Stored upper-case' },
    type: {
      availableValues: PROMOTION_TYPES.map((v) => ({ value: v, label: v })),
      description: 'percent: % off; fixed: amount off; price_override: item costs the fixed amount; free_setup: no setup fee',
    },
    percentValue: { description: "For 'percent', e.g. 15" },
    fixedAmount: { description: "For 'fixed' and 'price_override', in the chosen currency" },
    currencyId: { description: 'Required with a fixed amount; the code then applies only to orders in that currency' },
    recurFor: { description: 'Renewals discounted when recurring; 0 = forever' },
    appliesToProductIds: { isArray: true, type: 'reference', reference: 'Product', description: 'Only these products (all three lists empty = everything)' },
    appliesToAddonIds: { isArray: true, type: 'reference', reference: 'Addon', description: 'Only these addons (all three lists empty = everything)' },
    appliesToTlds: { isArray: true, type: 'string', description: 'Only these TLDs, e.g. .com (all three lists empty = everything)' },
    appliesToCycles: {
      isArray: true,
      availableValues: PRICE_CYCLES.map((v) => ({ value: v, label: v })),
      description: 'Empty = all billing cycles',
    },
    startsAt: { type: 'date' },
    expiresAt: { type: 'date', description: 'Last day the code can be used' },
    maxUses: { description: 'Empty = unlimited' },
    uses: { isVisible: { list: true, filter: false, show: true, edit: false } },
    notes: { type: 'textarea' },
  },
});
