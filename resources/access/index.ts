import type { ResourceSpec } from '../define.js';
import { apiTokenResource } from './api-token.resource.js';
import { auditLogResource } from './audit-log.resource.js';
import { loginThrottleResource } from './login-throttle.resource.js';
import { permissionRoleResource } from './permission-role.resource.js';
import { permissionResource } from './permission.resource.js';
import { roleUserResource } from './role-user.resource.js';
import { roleResource } from './role.resource.js';
import { sessionResource } from './session.resource.js';
import { staffResource } from './staff.resource.js';
import { userResource } from './user.resource.js';

export const accessResources: ResourceSpec[] = [
  // System Settings
  staffResource,
  userResource,
  roleResource,
  permissionResource,
  roleUserResource,
  permissionRoleResource,
  apiTokenResource,
  sessionResource,
  loginThrottleResource,
  // Reporting
  auditLogResource,
];
