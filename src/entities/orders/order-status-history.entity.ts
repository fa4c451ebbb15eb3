import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { AppendOnlyModel } from '../../db/base.js';
import { Int, Text, Varchar } from '../../db/columns.js';
import type { User } from '../access/user.entity.js';
import type { Order } from './order.entity.js';

/**
 * Audit trail of order status changes (seed 000 `order_status_history`); `createdAt` is when it happened.
 * Statuses are plain strings, not a Status column: history must stay readable even if a status is renamed later.
 */
@Entity('order_status_history')
export class OrderStatusHistory extends AppendOnlyModel {
  @Int()
  @Index()
  orderId: number;

  @ManyToOne('Order', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'order_id' })
  order: Relation<Order>;

  /** Null for the first entry, when the order was placed. */
  @Varchar(32, { nullable: true })
  oldStatus: string | null;

  @Varchar(32)
  newStatus: string;

  /** Null when automation (fraud screen, payment, scheduler) changed the status. */
  @Int({ nullable: true })
  @Index()
  changedById: number | null;

  @ManyToOne('User', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'changed_by_id' })
  changedBy: Relation<User> | null;

  @Text()
  note: string | null;
}
