import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, Int, Text, Varchar } from '../../db/columns.js';

/** A section of the client-area knowledge base (WHMCS Support > Knowledgebase). Categories nest. */
@Entity('kb_categories')
export class KnowledgeBaseCategory extends Model {
  @Varchar(255)
  name: string;

  @Text()
  description: string | null;

  @Int({ nullable: true })
  @Index()
  parentId: number | null;

  // Deleting a category lifts its subcategories to the top level rather than deleting them.
  @ManyToOne('KnowledgeBaseCategory', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'parent_id' })
  parent: Relation<KnowledgeBaseCategory> | null;

  /** Not listed in the client area. */
  @Bool()
  hidden: boolean;

  @Int({ default: 0 })
  sortOrder: number;
}
