import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, Int, Varchar } from '../../db/columns.js';
import type { ConfigOption } from './config-option.entity.js';

/** One selectable value of a configurable option (e.g. "20 GB"); priced per cycle and currency in ProductPrice. */
@Entity('config_option_choices')
export class ConfigOptionChoice extends Model {
  @Int()
  @Index()
  optionId: number;

  @ManyToOne('ConfigOption', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'option_id' })
  option: Relation<ConfigOption>;

  /** Label shown to the client. */
  @Varchar(150)
  name: string;

  /** Value passed to the module under the option's moduleKey (e.g. '20480'); null = use the name. */
  @Varchar(255, { nullable: true })
  moduleValue: string | null;

  @Int({ default: 0 })
  sortOrder: number;

  @Bool()
  hidden: boolean;
}
