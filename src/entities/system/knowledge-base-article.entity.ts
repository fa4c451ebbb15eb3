import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, Int, Text, Varchar } from '../../db/columns.js';
import type { KnowledgeBaseCategory } from './knowledge-base-category.entity.js';

/** A help article in the client-area knowledge base. */
@Entity('kb_articles')
@Index(['published'])
export class KnowledgeBaseArticle extends Model {
  @Int()
  @Index()
  categoryId: number;

  // Articles are written content: a category with articles must be emptied before it can be deleted.
  @ManyToOne('KnowledgeBaseCategory', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'category_id' })
  category: Relation<KnowledgeBaseCategory>;

  @Varchar(255)
  title: string;

  /** URL segment in the client area. */
  @Varchar(191, { unique: true })
  slug: string;

  /** HTML, sanitised when saved and escaped where needed when shown. */
  @Text({ nullable: false })
  body: string;

  @Int({ default: 0 })
  views: number;

  @Bool()
  published: boolean;
}
