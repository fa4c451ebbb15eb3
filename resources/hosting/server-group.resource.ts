import { SERVER_FILL_METHODS, ServerGroup } from '../../src/entities/hosting/server-group.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const serverGroupResource = defineResource(ServerGroup, {
  navigation: NAV.products,
  sort: { sortBy: 'name', direction: 'asc' },
  listProperties: ['name', 'fillMethod', 'description', 'createdAt'],
  filterProperties: ['name', 'fillMethod'],
  showProperties: ['name', 'fillMethod', 'description', 'createdAt', 'updatedAt'],
  editProperties: ['name', 'fillMethod', 'description'],
  properties: {
    name: { isTitle: true },
    fillMethod: { availableValues: SERVER_FILL_METHODS.map((v) => ({ value: v, label: v })) },
    description: { type: 'textarea' },
  },
});
