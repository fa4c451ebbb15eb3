import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';
import { PromotionUsage } from '../../src/entities/marketing/promotion-usage.entity.js';

/** A record of fact written by the order service; listed for reports. */
export const promotionUsageResource = defineResource(PromotionUsage, {
  navigation: NAV.orders,
  listProperties: ['promotionId', 'orderId', 'clientId', 'discountAmount', 'createdAt'],
  filterProperties: ['promotionId', 'clientId', 'orderId', 'createdAt'],
  sort: { sortBy: 'createdAt', direction: 'desc' },
});
