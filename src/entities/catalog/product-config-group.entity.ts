import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Int } from '../../db/columns.js';
import type { Product } from './product.entity.js';
import type { ConfigOptionGroup } from './config-option-group.entity.js';

/** Which configurable option groups a product's order form shows. Pure link; removed with either side. */
@Entity('product_config_groups')
@Index(['productId', 'groupId'], { unique: true })
export class ProductConfigGroup extends Model {
  @Int()
  @Index()
  productId: number;

  @ManyToOne('Product', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'product_id' })
  product: Relation<Product>;

  @Int()
  @Index()
  groupId: number;

  @ManyToOne('ConfigOptionGroup', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group: Relation<ConfigOptionGroup>;
}
