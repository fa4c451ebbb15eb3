import { Entity, Index } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, Text, Timestamp, Varchar } from '../../db/columns.js';

/** News shown in the client area (WHMCS Support > Announcements). */
@Entity('announcements')
@Index(['published', 'publishedAt'])
export class Announcement extends Model {
  @Varchar(255)
  title: string;

  /** HTML, sanitised when saved. */
  @Text({ nullable: false })
  body: string;

  /** Date shown and sorted by; a future date keeps the announcement hidden until then. */
  @Timestamp()
  publishedAt: Date | null;

  @Bool()
  published: boolean;
}
