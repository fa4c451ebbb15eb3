import { ApiToken } from './api-token.entity.js';
import { AuditLog } from './audit-log.entity.js';
import { LoginThrottle } from './login-throttle.entity.js';
import { Permission } from './permission.entity.js';
import { PermissionRole } from './permission-role.entity.js';
import { Role } from './role.entity.js';
import { RoleUser } from './role-user.entity.js';
import { Session } from './session.entity.js';
import { Staff } from './staff.entity.js';
import { User } from './user.entity.js';
import { UserToken } from './user-token.entity.js';

export * from './user.entity.js';
export * from './staff.entity.js';
export * from './role.entity.js';
export * from './permission.entity.js';
export * from './role-user.entity.js';
export * from './permission-role.entity.js';
export * from './audit-log.entity.js';
export * from './api-token.entity.js';
export * from './login-throttle.entity.js';
export * from './session.entity.js';
export * from './user-token.entity.js';

export const accessEntities: Function[] = [User, Staff, Role, Permission, RoleUser, PermissionRole, AuditLog, ApiToken, LoginThrottle, Session, UserToken];
