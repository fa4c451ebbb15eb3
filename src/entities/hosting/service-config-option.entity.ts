import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Int } from '../../db/columns.js';
import type { ConfigOption } from '../catalog/config-option.entity.js';
import type { ConfigOptionChoice } from '../catalog/config-option-choice.entity.js';
import type { Service } from './service.entity.js';

/**
 * The value a service holds for one configurable option (WHMCS `tblhostingconfigoptions`): a chosen choice, or a
 * quantity for quantity options. One row per (service, option).
 */
@Entity('service_config_options')
@Index(['serviceId', 'optionId'], { unique: true })
export class ServiceConfigOption extends Model {
  @Int()
  @Index()
  serviceId: number;

  @ManyToOne('Service', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id' })
  service: Relation<Service>;

  /** RESTRICT: hide catalogue options instead of deleting them while services still use them. */
  @Int()
  @Index()
  optionId: number;

  @ManyToOne('ConfigOption', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'option_id' })
  option: Relation<ConfigOption>;

  /** Null for quantity options. */
  @Int({ nullable: true })
  @Index()
  choiceId: number | null;

  @ManyToOne('ConfigOptionChoice', { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'choice_id' })
  choice: Relation<ConfigOptionChoice> | null;

  /** For quantity options; 1/0 for yes/no options. */
  @Int({ default: 0 })
  quantity: number;
}
