import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { DateOnly, Int, Timestamp } from '../../db/columns.js';
import type { Domain } from './domain.entity.js';

/**
 * Which expiry reminders a domain has had for one expiry date (30, 7 and 1 days before, by default). The daily task
 * claims a reminder by inserting its row; the unique (domain, expiry date, days) key makes a second claim fail, so each
 * goes out once however often the task runs — and a renewal, which moves the expiry date, starts a fresh set.
 */
@Entity('domain_reminders')
@Index(['domainId', 'expiryDate', 'daysBefore'], { unique: true })
export class DomainReminder extends Model {
  @Int()
  @Index()
  domainId: number;

  @ManyToOne('Domain', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'domain_id' })
  domain: Relation<Domain>;

  @DateOnly({ nullable: false })
  expiryDate: string;

  @Int()
  daysBefore: number;

  /** Null while claimed but not yet sent (a failed send is retried on the next run). */
  @Timestamp()
  sentAt: Date | null;
}
