import { Promotion } from './promotion.entity.js';
import { PromotionUsage } from './promotion-usage.entity.js';
import { Affiliate } from './affiliate.entity.js';
import { AffiliateReferral } from './affiliate-referral.entity.js';
import { Reseller } from './reseller.entity.js';
import { ResellerCommission } from './reseller-commission.entity.js';
import { ResellerPayout } from './reseller-payout.entity.js';

export * from './promotion.entity.js';
export * from './promotion-usage.entity.js';
export * from './affiliate.entity.js';
export * from './affiliate-referral.entity.js';
export * from './reseller.entity.js';
export * from './reseller-commission.entity.js';
export * from './reseller-payout.entity.js';

export const marketingEntities: Function[] = [
  Promotion,
  PromotionUsage,
  Affiliate,
  AffiliateReferral,
  Reseller,
  ResellerCommission,
  ResellerPayout,
];
