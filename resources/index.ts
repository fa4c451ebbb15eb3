import type { ResourceSpec } from './define.js';
import { clientResources } from './clients/index.js';
import { orderResources } from './orders/index.js';
import { billingResources } from './billing/index.js';
import { supportResources } from './support/index.js';
import { catalogResources } from './catalog/index.js';
import { hostingResources } from './hosting/index.js';
import { domainResources } from './domains/index.js';
import { marketingResources } from './marketing/index.js';
import { systemResources } from './system/index.js';
import { accessResources } from './access/index.js';

/** Every admin resource, in sidebar order (AdminJS groups them by their navigation). */
export const allResources: ResourceSpec[] = [
  ...clientResources,
  ...orderResources,
  ...billingResources,
  ...supportResources,
  ...catalogResources,
  ...hostingResources,
  ...domainResources,
  ...marketingResources,
  ...systemResources,
  ...accessResources,
];
