import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, DateOnly, Int, MoneyColumn, Status, Text, Varchar } from '../../db/columns.js';
import type { Domain } from '../domains/domain.entity.js';
import type { Service } from '../hosting/service.entity.js';
import type { ServiceAddon } from '../hosting/service-addon.entity.js';
import type { BillableItem } from './billable-item.entity.js';
import type { Invoice } from './invoice.entity.js';

export const INVOICE_ITEM_TYPES = [
  'service',
  'addon',
  'domain',
  'setup_fee',
  'late_fee',
  'billable_item',
  'credit',
  'promotion',
  'adjustment',
  'other',
] as const;
export type InvoiceItemType = (typeof INVOICE_ITEM_TYPES)[number];

/**
 * One line of an invoice (seed 000 `invoice_items`, seed 001 `invoice_items`, seed 003 Invoice Lines). Amounts are
 * signed because promotion and credit lines are negative. Links to what was billed are SET NULL: the description and
 * amount are the record, the link is navigation.
 */
@Entity('invoice_items')
export class InvoiceItem extends Model {
  @Int()
  @Index()
  invoiceId: number;

  @ManyToOne('Invoice', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'invoice_id' })
  invoice: Relation<Invoice>;

  @Status(INVOICE_ITEM_TYPES, 'other')
  itemType: InvoiceItemType;

  @Int({ nullable: true })
  @Index()
  serviceId: number | null;

  @ManyToOne('Service', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'service_id' })
  service: Relation<Service> | null;

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

  @Int({ nullable: true })
  @Index()
  billableItemId: number | null;

  @ManyToOne('BillableItem', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'billable_item_id' })
  billableItem: Relation<BillableItem> | null;

  @Text({ nullable: false })
  description: string;

  @Int({ default: 1 })
  quantity: number;

  @MoneyColumn({ signed: true })
  unitPrice: number;

  /** unitPrice × quantity. */
  @MoneyColumn({ signed: true })
  amount: number;

  @Bool({ default: true })
  taxable: boolean;

  /** The service period this line pays for; with billingKey it is what stops a period being billed twice. */
  @DateOnly()
  periodStart: string | null;

  @DateOnly()
  periodEnd: string | null;

  /**
   * What this line bills, e.g. 'service:12:2026-12-01'. Unique, so two overlapping scheduler runs cannot invoice the
   * same period twice; cancelling the invoice must clear it so the period can be billed again.
   */
  @Varchar(191, { nullable: true, unique: true })
  billingKey: string | null;

  @Int({ default: 0 })
  sortOrder: number;
}
