import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Int } from '../../db/columns.js';
import type { Permission } from './permission.entity.js';
import type { Role } from './role.entity.js';

/**
 * A permission granted to a role (seed 001 `permission_role`; with Permission it covers seed 000 `staff_permissions`).
 * Surrogate id for AdminJS, unique pair so a grant exists once.
 */
@Entity('permission_role')
@Index(['permissionId', 'roleId'], { unique: true })
export class PermissionRole extends Model {
  @Int()
  @Index()
  permissionId: number;

  @ManyToOne('Permission', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'permission_id' })
  permission: Relation<Permission>;

  @Int()
  @Index()
  roleId: number;

  @ManyToOne('Role', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'role_id' })
  role: Relation<Role>;
}
