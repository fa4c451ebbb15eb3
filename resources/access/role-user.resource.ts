import { RoleUser } from '../../src/entities/access/role-user.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

/** Role assignments: which staff user holds which role. */
export const roleUserResource = defineResource(RoleUser, {
  navigation: NAV.settings,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['userId', 'roleId', 'createdAt'],
  filterProperties: ['userId', 'roleId', 'createdAt'],
  showProperties: ['userId', 'roleId', 'createdAt', 'updatedAt'],
  editProperties: ['userId', 'roleId'],
});
