import type { ResourceSpec } from '../define.js';
import { backupResource } from './backup.resource.js';
import { cancellationRequestResource } from './cancellation-request.resource.js';
import { hostingPackageResource } from './hosting-package.resource.js';
import { licenseResource } from './license.resource.js';
import { provisioningJobResource } from './provisioning-job.resource.js';
import { serverGroupResource } from './server-group.resource.js';
import { serverResource } from './server.resource.js';
import { serviceAddonResource } from './service-addon.resource.js';
import { serviceConfigOptionResource } from './service-config-option.resource.js';
import { serviceResource } from './service.resource.js';

export const hostingResources: ResourceSpec[] = [
  // Clients
  serviceResource,
  serviceAddonResource,
  cancellationRequestResource,
  // Products/Services
  hostingPackageResource,
  serverResource,
  serverGroupResource,
  serviceConfigOptionResource,
  provisioningJobResource,
  // Utilities
  backupResource,
  licenseResource,
];
