import { Entity, Index } from 'typeorm';
import { Model } from '../../db/base.js';
import { Int, Text, Varchar } from '../../db/columns.js';

/** A canned answer staff insert into a reply (seed 000 `predefined_replies`). */
@Entity('predefined_replies')
@Index(['category'])
export class PredefinedReply extends Model {
  @Varchar(255)
  title: string;

  @Varchar(100, { nullable: true })
  category: string | null;

  @Text({ nullable: false })
  message: string;

  /** Bumped on each use, to sort the most used first. */
  @Int({ default: 0 })
  usedCount: number;
}
