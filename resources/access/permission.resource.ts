import { Permission } from '../../src/entities/access/permission.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const permissionResource = defineResource(Permission, {
  navigation: NAV.settings,
  sort: { sortBy: 'name', direction: 'asc' },
  listProperties: ['name', 'displayName', 'groupName', 'updatedAt'],
  filterProperties: ['name', 'displayName', 'groupName'],
  showProperties: ['name', 'displayName', 'groupName', 'description', 'createdAt', 'updatedAt'],
  editProperties: ['name', 'displayName', 'groupName', 'description'],
  properties: {
    name: { isTitle: true },
    description: { type: 'textarea' },
  },
});
