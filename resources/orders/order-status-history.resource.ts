import { ORDER_STATUSES } from '../../src/entities/orders/order.entity.js';
import { OrderStatusHistory } from '../../src/entities/orders/order-status-history.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

const orderStatusValues = ORDER_STATUSES.map((v) => ({ value: v, label: v }));

export const orderStatusHistoryResource = defineResource(OrderStatusHistory, {
  navigation: NAV.orders,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['newStatus', 'orderId', 'oldStatus', 'changedById', 'note', 'createdAt'],
  filterProperties: ['orderId', 'oldStatus', 'newStatus', 'changedById', 'createdAt'],
  showProperties: ['newStatus', 'orderId', 'oldStatus', 'changedById', 'note', 'createdAt'],
  // History is written by the order workflow; only the note can be amended.
  editProperties: ['note'],
  properties: {
    newStatus: { isTitle: true, availableValues: orderStatusValues },
    oldStatus: { availableValues: orderStatusValues },
    note: { type: 'textarea' },
  },
});
