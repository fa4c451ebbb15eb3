import { ORDER_ITEM_CYCLES, ORDER_ITEM_TYPES, OrderItem } from '../../src/entities/orders/order-item.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const orderItemResource = defineResource(OrderItem, {
  navigation: NAV.orders,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['description', 'orderId', 'itemType', 'cycle', 'quantity', 'total', 'serviceId', 'domainName'],
  filterProperties: ['orderId', 'itemType', 'productId', 'addonId', 'domainProductId', 'serviceId', 'domainId', 'domainName', 'cycle'],
  showProperties: [
    'description',
    'orderId',
    'parentItemId',
    'itemType',
    'productId',
    'addonId',
    'domainProductId',
    'domainName',
    'cycle',
    'years',
    'quantity',
    'unitPrice',
    'setupFee',
    'discount',
    'total',
    'taxable',
    'configOptions',
    'serviceId',
    'serviceAddonId',
    'domainId',
    'createdAt',
  ],
  // Lines are the checkout's price snapshot: staff may only relink what was provisioned from them.
  editProperties: ['description', 'serviceId', 'serviceAddonId', 'domainId', 'domainName'],
  properties: {
    description: { isTitle: true },
    itemType: { availableValues: ORDER_ITEM_TYPES.map((v) => ({ value: v, label: v })) },
    cycle: { availableValues: ORDER_ITEM_CYCLES.map((v) => ({ value: v, label: v })) },
    configOptions: { isVisible: { list: false, edit: false, show: true, filter: false } },
  },
});
