import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { AppendOnlyModel } from '../../db/base.js';
import { Int, MoneyColumn } from '../../db/columns.js';
import type { Promotion } from './promotion.entity.js';
import type { Client } from '../clients/client.entity.js';
import type { Order } from '../orders/order.entity.js';

/**
 * One use of a promotion by an order. The unique pair makes re-processing an order a no-op; (promotionId, clientId)
 * answers "once per client".
 */
@Entity('promotion_usages')
@Index(['promotionId', 'orderId'], { unique: true })
@Index(['promotionId', 'clientId'])
export class PromotionUsage extends AppendOnlyModel {
  @Int()
  @Index()
  promotionId: number;

  /** RESTRICT: a code that has been used is history; expire or disable it instead of deleting it. */
  @ManyToOne('Promotion', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'promotion_id' })
  promotion: Relation<Promotion>;

  @Int()
  @Index()
  clientId: number;

  @ManyToOne('Client', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'client_id' })
  client: Relation<Client>;

  @Int()
  @Index()
  orderId: number;

  /** The use belongs to its order: deleting the order gives the use back. */
  @ManyToOne('Order', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'order_id' })
  order: Relation<Order>;

  /** Discount granted on that order, in the order's currency (for promotion reports). */
  @MoneyColumn()
  discountAmount: number;
}
