import { Entity, Index } from 'typeorm';
import { Model } from '../../db/base.js';
import { Text, Varchar } from '../../db/columns.js';

/**
 * One capability a role can grant (seed 001 `permissions`, seed 003 Permissions). With PermissionRole it replaces
 * seed 000 `staff_permissions`: per-module can_view/can_edit flags become names like 'invoices.view', 'invoices.edit',
 * 'invoices.action.recordPayment', granted to roles instead of to each staff member.
 */
@Entity('permissions')
export class Permission extends Model {
  @Varchar(191, { unique: true })
  name: string;

  @Varchar(255)
  displayName: string;

  @Text()
  description: string | null;

  /** Module the permission belongs to (e.g. 'Billing'), for grouping in the admin. */
  @Varchar(64, { nullable: true })
  @Index()
  groupName: string | null;
}
