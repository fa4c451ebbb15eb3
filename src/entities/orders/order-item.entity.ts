import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, Int, Json, MoneyColumn, Status, Varchar } from '../../db/columns.js';
import type { Addon } from '../catalog/addon.entity.js';
import type { DomainProduct } from '../catalog/domain-product.entity.js';
import type { Product } from '../catalog/product.entity.js';
import type { Domain } from '../domains/domain.entity.js';
import type { Service } from '../hosting/service.entity.js';
import type { ServiceAddon } from '../hosting/service-addon.entity.js';
import type { Order } from './order.entity.js';

export const ORDER_ITEM_TYPES = [
  'product',
  'addon',
  'domain_register',
  'domain_transfer',
  'domain_renew',
  'config_option',
  'setup_fee',
] as const;
export type OrderItemType = (typeof ORDER_ITEM_TYPES)[number];

/** Billing cycles a line can be ordered on; domain lines use `years` instead and leave this null. */
export const ORDER_ITEM_CYCLES = [
  'free',
  'onetime',
  'monthly',
  'quarterly',
  'semiannually',
  'annually',
  'biennially',
  'triennially',
] as const;
export type OrderItemCycle = (typeof ORDER_ITEM_CYCLES)[number];

/**
 * One line of an order (seed 000 `order_items`). Description and amounts are copied from the catalogue at checkout —
 * prices always come from the server-side catalogue, never from the cart — so the line stays true when the catalogue
 * changes. Catalogue links are SET NULL for the same reason: the snapshot, not the link, is the record.
 */
@Entity('order_items')
export class OrderItem extends Model {
  @Int()
  @Index()
  orderId: number;

  @ManyToOne('Order', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'order_id' })
  order: Relation<Order>;

  /** The product line an addon, config option or setup fee line belongs to, so the order reads like the cart. */
  @Int({ nullable: true })
  @Index()
  parentItemId: number | null;

  @ManyToOne('OrderItem', { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'parent_item_id' })
  parentItem: Relation<OrderItem> | null;

  @Status(ORDER_ITEM_TYPES, 'product')
  itemType: OrderItemType;

  @Int({ nullable: true })
  @Index()
  productId: number | null;

  @ManyToOne('Product', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'product_id' })
  product: Relation<Product> | null;

  @Int({ nullable: true })
  @Index()
  addonId: number | null;

  @ManyToOne('Addon', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'addon_id' })
  addon: Relation<Addon> | null;

  @Int({ nullable: true })
  @Index()
  domainProductId: number | null;

  @ManyToOne('DomainProduct', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'domain_product_id' })
  domainProduct: Relation<DomainProduct> | null;

  /** The service created when the order was accepted; null until then. */
  @Int({ nullable: true })
  @Index()
  serviceId: number | null;

  @ManyToOne('Service', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'service_id' })
  service: Relation<Service> | null;

  /** The client addon created for an addon line when the order was accepted. */
  @Int({ nullable: true })
  @Index()
  serviceAddonId: number | null;

  @ManyToOne('ServiceAddon', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'service_addon_id' })
  serviceAddon: Relation<ServiceAddon> | null;

  @Int({ nullable: true })
  @Index()
  domainId: number | null;

  @ManyToOne('Domain', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'domain_id' })
  domain: Relation<Domain> | null;

  @Varchar(255)
  description: string;

  /** The domain ordered, or the domain a hosting product is for. */
  @Varchar(253, { nullable: true })
  domainName: string | null;

  @Status(ORDER_ITEM_CYCLES, null)
  cycle: OrderItemCycle | null;

  /** Registration/transfer/renewal period of a domain line. */
  @Int({ nullable: true })
  years: number | null;

  @Int({ default: 1 })
  quantity: number;

  @MoneyColumn()
  unitPrice: number;

  @MoneyColumn()
  setupFee: number;

  /** Promotion discount on this line, as a positive amount to subtract. */
  @MoneyColumn()
  discount: number;

  /** unitPrice × quantity + setupFee − discount, before tax. */
  @MoneyColumn()
  total: number;

  /** Copied from the product at checkout so tax on this order never changes with the catalogue. */
  @Bool({ default: true })
  taxable: boolean;

  /** Chosen configurable options: [{ optionId, choiceId, quantity }], re-priced from the catalogue on the server. */
  @Json()
  configOptions: Array<{ optionId: number; choiceId?: number | null; quantity?: number | null }> | null;
}
