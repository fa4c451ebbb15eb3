import { Role } from '../../src/entities/access/role.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

export const roleResource = defineResource(Role, {
  navigation: NAV.settings,
  sort: { sortBy: 'name', direction: 'asc' },
  listProperties: ['displayName', 'name', 'isSystem', 'updatedAt'],
  filterProperties: ['displayName', 'name', 'isSystem'],
  showProperties: ['displayName', 'name', 'description', 'isSystem', 'createdAt', 'updatedAt'],
  // isSystem is set by the installer only.
  editProperties: ['displayName', 'name', 'description'],
  properties: {
    displayName: { isTitle: true },
    description: { type: 'textarea' },
  },
});
