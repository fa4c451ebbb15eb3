import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, Int, Text, Varchar } from '../../db/columns.js';

/** seed 000 `product_categories` (WHMCS "product groups"), nestable through parentId for the storefront menu. */
@Entity('product_categories')
export class ProductCategory extends Model {
  @Varchar(100)
  name: string;

  /** URL segment of the storefront page: /store/<slug>. */
  @Varchar(120, { unique: true })
  slug: string;

  @Text()
  description: string | null;

  @Int({ nullable: true })
  @Index()
  parentId: number | null;

  /** RESTRICT: removing a parent must not silently re-home or orphan its sub-categories; move them first. */
  @ManyToOne('ProductCategory', { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id' })
  parent: Relation<ProductCategory> | null;

  /** Hidden categories are still orderable by direct link (private plans), just not listed. */
  @Bool()
  hidden: boolean;

  @Int({ default: 0 })
  sortOrder: number;
}
