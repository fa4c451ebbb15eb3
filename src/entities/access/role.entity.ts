import { Entity } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, Text, Varchar } from '../../db/columns.js';

/** A named set of permissions given to staff (seed 001 `roles`, seed 003 Roles). */
@Entity('roles')
export class Role extends Model {
  /** Stable machine name used in code and seeds, e.g. 'admin', 'billing', 'support'. */
  @Varchar(64, { unique: true })
  name: string;

  @Varchar(255)
  displayName: string;

  @Text()
  description: string | null;

  /** Shipped with Meridian: cannot be deleted or renamed, so the built-in administrator can never be locked out. */
  @Bool()
  isSystem: boolean;
}
