import { ServerGroup } from './server-group.entity.js';
import { Server } from './server.entity.js';
import { HostingPackage } from './hosting-package.entity.js';
import { Service } from './service.entity.js';
import { ServiceAddon } from './service-addon.entity.js';
import { ServiceConfigOption } from './service-config-option.entity.js';
import { ProvisioningJob } from './provisioning-job.entity.js';
import { Backup } from './backup.entity.js';
import { License } from './license.entity.js';
import { CancellationRequest } from './cancellation-request.entity.js';

export const hostingEntities: Function[] = [
  ServerGroup,
  Server,
  HostingPackage,
  Service,
  ServiceAddon,
  ServiceConfigOption,
  ProvisioningJob,
  Backup,
  License,
  CancellationRequest,
];
