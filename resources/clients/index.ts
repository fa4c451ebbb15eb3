import type { ResourceSpec } from '../define.js';
import { clientResource } from './client.resource.js';
import { clientContactResource } from './client-contact.resource.js';
import { clientGroupResource } from './client-group.resource.js';

export const clientResources: ResourceSpec[] = [clientResource, clientContactResource, clientGroupResource];
