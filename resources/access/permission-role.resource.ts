import { PermissionRole } from '../../src/entities/access/permission-role.entity.js';
import { defineResource } from '../define.js';
import { NAV } from '../navigation.js';

/** Permission grants: which role carries which permission. */
export const permissionRoleResource = defineResource(PermissionRole, {
  navigation: NAV.settings,
  sort: { sortBy: 'createdAt', direction: 'desc' },
  listProperties: ['roleId', 'permissionId', 'createdAt'],
  filterProperties: ['roleId', 'permissionId', 'createdAt'],
  showProperties: ['roleId', 'permissionId', 'createdAt', 'updatedAt'],
  editProperties: ['roleId', 'permissionId'],
});
