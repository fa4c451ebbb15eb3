import { Entity, JoinColumn, OneToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Int, Text, Varchar } from '../../db/columns.js';
import type { User } from './user.entity.js';

/**
 * The staff profile of a User of type 'staff' (seed 000 `staff`, seed 003 Admin Users). Permissions come from roles
 * (RoleUser), department membership from DepartmentStaff, so seed 000's `department` and `permissions_level` are not
 * columns here; ticket counts and performance figures are computed, not stored.
 */
@Entity('staff')
export class Staff extends Model {
  @Int()
  userId: number;

  // The profile means nothing without its login.
  @OneToOne('User', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user: Relation<User>;

  /** Name signed on ticket replies and client emails; may differ from the login's full name. */
  @Varchar(255)
  displayName: string;

  @Varchar(100, { nullable: true })
  jobTitle: string | null;

  @Varchar(32, { nullable: true })
  phone: string | null;

  /** Appended to ticket replies. */
  @Text()
  signature: string | null;

  @Text()
  notes: string | null;
}
