import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { DateOnly, Int, MoneyColumn, Status, Text, Varchar } from '../../db/columns.js';
import type { Addon } from '../catalog/addon.entity.js';
import type { Client } from '../clients/client.entity.js';
import type { Order } from '../orders/order.entity.js';
import type { Service } from './service.entity.js';
import { BILLING_CYCLES, type BillingCycle } from './constants.js';

export const SERVICE_ADDON_STATUSES = ['pending', 'active', 'suspended', 'terminated', 'cancelled'] as const;
export type ServiceAddonStatus = (typeof SERVICE_ADDON_STATUSES)[number];

/**
 * An addon a client holds on one of their services (WHMCS `tblhostingaddons`; the catalogue side is seed 000
 * `service_addons` = Addon). It belongs to its parent service — billed, suspended and cancelled with it — and is
 * billed in the parent's currency, so it has no currency of its own.
 */
@Entity('client_addons')
@Index(['status'])
@Index(['nextDueDate'])
@Index(['nextInvoiceDate'])
export class ServiceAddon extends Model {
  @Int()
  @Index()
  serviceId: number;

  @ManyToOne('Service', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id' })
  service: Relation<Service>;

  /** RESTRICT: retire a catalogue addon instead of deleting it while clients still hold it. */
  @Int()
  @Index()
  addonId: number;

  @ManyToOne('Addon', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'addon_id' })
  addon: Relation<Addon>;

  /** Denormalised from the service so client-area lists and billing queries need no join. */
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

  /** Copied from the catalogue at order time, so renaming the addon does not rewrite past invoices' wording. */
  @Varchar(255)
  name: string;

  @Status(BILLING_CYCLES, 'monthly')
  billingCycle: BillingCycle;

  @MoneyColumn()
  setupFee: number;

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

  @DateOnly()
  nextInvoiceDate: string | null;

  @DateOnly()
  terminationDate: string | null;

  @Status(SERVICE_ADDON_STATUSES, 'pending')
  status: ServiceAddonStatus;

  @Text()
  notes: string | null;
}
