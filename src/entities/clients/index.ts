import { Client } from './client.entity.js';
import { ClientContact } from './client-contact.entity.js';
import { ClientGroup } from './client-group.entity.js';

export * from './client.entity.js';
export * from './client-contact.entity.js';
export * from './client-group.entity.js';

export const clientEntities: Function[] = [Client, ClientContact, ClientGroup];
