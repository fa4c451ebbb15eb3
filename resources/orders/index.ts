import type { ResourceSpec } from '../define.js';
import { orderItemResource } from './order-item.resource.js';
import { orderStatusHistoryResource } from './order-status-history.resource.js';
import { orderResource } from './order.resource.js';

export const orderResources: ResourceSpec[] = [orderResource, orderItemResource, orderStatusHistoryResource];
