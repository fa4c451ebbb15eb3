import { Entity } from 'typeorm';
import { Model } from '../../db/base.js';
import { Text, Varchar } from '../../db/columns.js';

/**
 * A named set of configurable options (e.g. "VPS resources": RAM, disk, OS) shared by several products through
 * ProductConfigGroup. WHMCS calls these "configurable option groups"; no seed table, seed 004 "order items and
 * configuration".
 */
@Entity('config_option_groups')
export class ConfigOptionGroup extends Model {
  @Varchar(150)
  name: string;

  @Text()
  description: string | null;
}
