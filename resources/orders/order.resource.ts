import { ORDER_STATUSES, Order } from '../../src/entities/orders/order.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

const showOnly = { list: false, edit: false, show: true, filter: false };

export const orderResource = defineResource(Order, {
  navigation: NAV.orders,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['orderNumber', 'clientId', 'createdAt', 'status', 'total', 'paymentGateway', 'invoiceId'],
  filterProperties: ['orderNumber', 'clientId', 'status', 'paymentGateway', 'promoCode', 'promotionId', 'currencyId', 'ipAddress', 'createdAt', 'acceptedAt'],
  showProperties: [
    'orderNumber',
    'clientId',
    'status',
    'createdAt',
    'currencyId',
    'subtotal',
    'discount',
    'tax',
    'total',
    'promotionId',
    'promoCode',
    'paymentGateway',
    'invoiceId',
    'ipAddress',
    'fraudCheck',
    'notes',
    'acceptedAt',
    'acceptedById',
    'updatedAt',
  ],
  // Totals come from the lines and the status moves only through the order workflow (accept, cancel, fraud).
  editProperties: ['clientId', 'currencyId', 'paymentGateway', 'notes'],
  properties: {
    orderNumber: { isTitle: true },
    status: { availableValues: ORDER_STATUSES.map((v) => ({ value: v, label: v })) },
    notes: { type: 'textarea' },
    fraudCheck: { isVisible: showOnly },
    ipAddress: { isVisible: { list: false, edit: false, show: true, filter: true } },
    acceptedAt: { isVisible: { list: false, edit: false, show: true, filter: true } },
    acceptedById: { isVisible: showOnly },
  },
});
