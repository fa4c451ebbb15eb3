import type { ResourceSpec } from '../define.js';
import { affiliateResource } from './affiliate.resource.js';
import { promotionResource } from './promotion.resource.js';
import { promotionUsageResource } from './promotion-usage.resource.js';
import { resellerResource } from './reseller.resource.js';
import { resellerCommissionResource } from './reseller-commission.resource.js';
import { resellerPayoutResource } from './reseller-payout.resource.js';
import { affiliateReferralResource } from './affiliate-referral.resource.js';

/** Spans three sidebar groups: Clients (affiliates), Orders (promotions), Addons (resellers, referrals). */
export const marketingResources: ResourceSpec[] = [
  affiliateResource,
  promotionResource,
  promotionUsageResource,
  resellerResource,
  resellerCommissionResource,
  resellerPayoutResource,
  affiliateReferralResource,
];
