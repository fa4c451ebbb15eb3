import type { ResourceSpec } from '../define.js';
import { domainResource } from './domain.resource.js';
import { domainReminderResource } from './domain-reminder.resource.js';
import { whoisLogResource } from './whois-log.resource.js';

export const domainResources: ResourceSpec[] = [
  // Clients
  domainResource,
  domainReminderResource,
  // Reporting
  whoisLogResource,
];
