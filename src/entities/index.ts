import { accessEntities } from './access/index.js';
import { systemEntities } from './system/index.js';
import { clientEntities } from './clients/index.js';
import { catalogEntities } from './catalog/index.js';
import { orderEntities } from './orders/index.js';
import { billingEntities } from './billing/index.js';
import { marketingEntities } from './marketing/index.js';
import { hostingEntities } from './hosting/index.js';
import { domainEntities } from './domains/index.js';
import { supportEntities } from './support/index.js';

export const allEntities = [
  ...accessEntities,
  ...systemEntities,
  ...clientEntities,
  ...catalogEntities,
  ...orderEntities,
  ...billingEntities,
  ...marketingEntities,
  ...hostingEntities,
  ...domainEntities,
  ...supportEntities,
];
