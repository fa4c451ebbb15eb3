import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Int } from '../../db/columns.js';
import type { Role } from './role.entity.js';
import type { User } from './user.entity.js';

/**
 * A role given to a user (seed 001 `role_user`). A surrogate id instead of the seed's composite key so AdminJS can
 * address rows; the unique pair keeps an assignment from being recorded twice.
 */
@Entity('role_user')
@Index(['userId', 'roleId'], { unique: true })
export class RoleUser extends Model {
  @Int()
  @Index()
  userId: number;

  @ManyToOne('User', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user: Relation<User>;

  @Int()
  @Index()
  roleId: number;

  @ManyToOne('Role', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'role_id' })
  role: Relation<Role>;
}
