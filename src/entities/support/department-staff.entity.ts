import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, Int } from '../../db/columns.js';
import type { User } from '../access/user.entity.js';
import type { TicketDepartment } from './ticket-department.entity.js';

/**
 * Which staff work a department (seed 000 `staff.department`, seed 003 Departments "Assign Staff"): a join table
 * with a surrogate id, so a staff member can serve several departments.
 */
@Entity('department_staff')
@Index(['departmentId', 'userId'], { unique: true })
export class DepartmentStaff extends Model {
  @Int()
  @Index()
  departmentId: number;

  @ManyToOne('TicketDepartment', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'department_id' })
  department: Relation<TicketDepartment>;

  /** A staff User (userType 'staff'). */
  @Int()
  @Index()
  userId: number;

  @ManyToOne('User', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user: Relation<User>;

  /** Email this staff member about new tickets and client replies in the department. */
  @Bool({ default: true })
  notify: boolean;
}
