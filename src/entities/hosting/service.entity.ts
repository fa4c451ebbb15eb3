import { Entity, Index, JoinColumn, ManyToOne, OneToMany, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, DateOnly, DeletedAt, EncryptedColumn, Int, Json, MoneyColumn, Status, Text, Timestamp, Varchar } from '../../db/columns.js';
import type { Client } from '../clients/client.entity.js';
import type { Product } from '../catalog/product.entity.js';
import type { Order } from '../orders/order.entity.js';
import type { Currency } from '../system/currency.entity.js';
import type { Promotion } from '../marketing/promotion.entity.js';
import type { Server } from './server.entity.js';
import type { ServiceAddon } from './service-addon.entity.js';
import type { ServiceConfigOption } from './service-config-option.entity.js';
import { BILLING_CYCLES, type BillingCycle } from './constants.js';

export const SERVICE_STATUSES = ['pending', 'active', 'suspended', 'terminated', 'cancelled', 'fraud'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

/**
 * A client's product instance: hosting account, VPS or other recurring item (seed 000 `services`, seed 001
 * whm_panel `accounts` and cpanel1db `subscriptions`, seed 003 Hosting Accounts and Subscriptions). The account and its
 * billing schedule are one row, so the renewal that bills it and the suspension that follows can never disagree.
 */
@Entity('services')
@Index(['serverId', 'username'], { unique: true })
@Index(['domain'])
@Index(['status'])
@Index(['nextDueDate'])
@Index(['nextInvoiceDate'])
export class Service extends Model {
  @Int()
  @Index()
  clientId: number;

  @ManyToOne('Client', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'client_id' })
  client: Relation<Client>;

  @Int({ nullable: true })
  @Index()
  orderId: number | null;

  @ManyToOne('Order', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'order_id' })
  order: Relation<Order> | null;

  @Int()
  @Index()
  productId: number;

  @ManyToOne('Product', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'product_id' })
  product: Relation<Product>;

  /** RESTRICT: a server cannot be removed while accounts still live on it; move them first. */
  @Int({ nullable: true })
  @Index()
  serverId: number | null;

  @ManyToOne('Server', { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'server_id' })
  server: Relation<Server> | null;

  /** Primary domain of a hosting account, or the hostname of a VPS. */
  @Varchar(255, { nullable: true })
  domain: string | null;

  /** Control-panel username; unique per server, terminated rows included, so a name is never handed out twice. */
  @Varchar(32, { nullable: true })
  username: string | null;

  @EncryptedColumn()
  password: string | null;

  @Varchar(45, { nullable: true })
  dedicatedIp: string | null;

  /** Every IP the provider assigned (VPS addresses, IPv6 subnets). */
  @Json()
  assignedIps: string[] | null;

  @Int()
  @Index()
  currencyId: number;

  @ManyToOne('Currency', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'currency_id' })
  currency: Relation<Currency>;

  @Status(BILLING_CYCLES, 'monthly')
  billingCycle: BillingCycle;

  @MoneyColumn()
  firstPaymentAmount: number;

  @MoneyColumn()
  recurringAmount: number;

  /**
   * A recurring promotion limited to N renewals: periods starting on or after promotionEndsOn are billed at
   * regularAmount (the price without the code) instead of recurringAmount. Both null when nothing runs out.
   */
  @MoneyColumn({ nullable: true })
  regularAmount: number | null;

  @DateOnly()
  promotionEndsOn: string | null;

  @DateOnly()
  registrationDate: string | null;

  @DateOnly()
  nextDueDate: string | null;

  /** Usually nextDueDate minus the invoice lead time; kept separately so staff can move one without the other. */
  @DateOnly()
  nextInvoiceDate: string | null;

  @DateOnly()
  terminationDate: string | null;

  @Status(SERVICE_STATUSES, 'pending')
  status: ServiceStatus;

  @Text()
  suspensionReason: string | null;

  @Timestamp()
  suspendedAt: Date | null;

  /** Suspended by the overdue-payment job: only these are unsuspended automatically when paid. */
  @Bool()
  overdueSuspended: boolean;

  /** Staff exemption from automatic suspension, optionally until a date. */
  @Bool()
  overrideAutoSuspend: boolean;

  @DateOnly()
  overrideSuspendUntil: string | null;

  @Int({ nullable: true })
  @Index()
  promotionId: number | null;

  @ManyToOne('Promotion', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'promotion_id' })
  promotion: Relation<Promotion> | null;

  @Int({ nullable: true })
  diskUsageMb: number | null;

  @Int({ nullable: true })
  diskLimitMb: number | null;

  @Int({ nullable: true })
  bandwidthUsageMb: number | null;

  @Int({ nullable: true })
  bandwidthLimitMb: number | null;

  @Timestamp()
  lastUsageSyncAt: Date | null;

  /** The provider's own key for the account, e.g. Virtualizor vpsid; WHM accounts are keyed by username. */
  @Varchar(191, { nullable: true })
  @Index()
  providerRef: string | null;

  /** Non-secret provider details worth keeping (Virtualizor uuid and node id, OS template, WHM owner). */
  @Json()
  providerData: Record<string, unknown> | null;

  @Text()
  notes: string | null;

  @DeletedAt()
  deletedAt: Date | null;

  /** Suspended, unsuspended, billed and cancelled together with the service. */
  @OneToMany('ServiceAddon', (addon: ServiceAddon) => addon.service)
  addons: Relation<ServiceAddon[]>;

  /** Sent to the provisioning module as the account's resources. */
  @OneToMany('ServiceConfigOption', (option: ServiceConfigOption) => option.service)
  configOptions: Relation<ServiceConfigOption[]>;
}
