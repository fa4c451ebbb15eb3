import { Order } from './order.entity.js';
import { OrderItem } from './order-item.entity.js';
import { OrderStatusHistory } from './order-status-history.entity.js';

export const orderEntities: Function[] = [Order, OrderItem, OrderStatusHistory];
