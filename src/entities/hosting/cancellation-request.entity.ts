import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Int, Status, Text, Timestamp } from '../../db/columns.js';
import type { User } from '../access/user.entity.js';
import type { Client } from '../clients/client.entity.js';
import type { Service } from './service.entity.js';

export const CANCELLATION_TYPES = ['immediate', 'end_of_period'] as const;
export type CancellationType = (typeof CANCELLATION_TYPES)[number];

export const CANCELLATION_STATUSES = ['pending', 'approved', 'rejected', 'completed'] as const;
export type CancellationStatus = (typeof CANCELLATION_STATUSES)[number];

/**
 * A client's request to cancel a service (seed 000 `cancellation_requests`). 'end_of_period' requests are carried
 * out by the daily job on the service's next due date, which also stops its renewal invoice.
 */
@Entity('cancellation_requests')
@Index(['status'])
export class CancellationRequest extends Model {
  @Int()
  @Index()
  serviceId: number;

  @ManyToOne('Service', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id' })
  service: Relation<Service>;

  @Int()
  @Index()
  clientId: number;

  @ManyToOne('Client', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'client_id' })
  client: Relation<Client>;

  @Status(CANCELLATION_TYPES, 'end_of_period')
  type: CancellationType;

  @Text({ nullable: false })
  reason: string;

  @Status(CANCELLATION_STATUSES, 'pending')
  status: CancellationStatus;

  @Int({ nullable: true })
  @Index()
  processedById: number | null;

  @ManyToOne('User', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'processed_by_id' })
  processedBy: Relation<User> | null;

  @Timestamp()
  processedAt: Date | null;

  /** Internal; never shown to the client. */
  @Text()
  staffNotes: string | null;
}
