import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, Int, Status, Varchar } from '../../db/columns.js';
import type { ConfigOptionGroup } from './config-option-group.entity.js';

export const CONFIG_OPTION_TYPES = ['dropdown', 'radio', 'yesno', 'quantity'] as const;
export type ConfigOptionType = (typeof CONFIG_OPTION_TYPES)[number];

/** One configurable option of a group (e.g. "Disk space"); its choices and their prices hang below it. */
@Entity('config_options')
export class ConfigOption extends Model {
  @Int()
  @Index()
  groupId: number;

  @ManyToOne('ConfigOptionGroup', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group: Relation<ConfigOptionGroup>;

  /** Label shown to the client. */
  @Varchar(150)
  name: string;

  /**
   * Parameter name the provisioning module reads (e.g. 'quota' for WHM, 'ram' for Virtualizor); null = the option
   * only affects the price.
   */
  @Varchar(64, { nullable: true })
  moduleKey: string | null;

  @Status(CONFIG_OPTION_TYPES, 'dropdown')
  optionType: ConfigOptionType;

  /** Bounds for 'quantity' options; maxQuantity 0 = no upper limit. */
  @Int({ default: 0 })
  minQuantity: number;

  @Int({ default: 0 })
  maxQuantity: number;

  @Int({ default: 0 })
  sortOrder: number;

  /** Hidden options are kept for existing services but not offered on new orders. */
  @Bool()
  hidden: boolean;
}
