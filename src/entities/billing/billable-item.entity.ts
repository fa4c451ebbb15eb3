import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, DateOnly, Int, MoneyColumn, Status, Text } from '../../db/columns.js';
import type { Client } from '../clients/client.entity.js';
import type { Service } from '../hosting/service.entity.js';

/** WHMCS "invoice action": when the charge reaches an invoice. 'recur' repeats every recurEvery × recurUnit. */
export const BILLABLE_ITEM_INVOICE_ACTIONS = ['noinvoice', 'nextcron', 'nextinvoice', 'duedate', 'recur'] as const;
export type BillableItemInvoiceAction = (typeof BILLABLE_ITEM_INVOICE_ACTIONS)[number];

export const BILLABLE_ITEM_RECUR_UNITS = ['day', 'week', 'month', 'year'] as const;
export type BillableItemRecurUnit = (typeof BILLABLE_ITEM_RECUR_UNITS)[number];

/**
 * An ad-hoc or repeating charge waiting to be invoiced (seed 000 `billable_items`): labour, one-off fees, custom
 * recurring charges outside the product catalogue. In the client's currency.
 */
@Entity('billable_items')
// The scheduler picks items due for invoicing by action and date.
@Index(['invoiceAction', 'nextInvoiceDate'])
export class BillableItem extends Model {
  @Int()
  @Index()
  clientId: number;

  @ManyToOne('Client', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'client_id' })
  client: Relation<Client>;

  /** Optional service the charge relates to, shown on the invoice line. */
  @Int({ nullable: true })
  @Index()
  serviceId: number | null;

  @ManyToOne('Service', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'service_id' })
  service: Relation<Service> | null;

  @Text({ nullable: false })
  description: string;

  @MoneyColumn()
  amount: number;

  @Status(BILLABLE_ITEM_INVOICE_ACTIONS, 'nextcron')
  invoiceAction: BillableItemInvoiceAction;

  /** With invoiceAction 'recur': repeat every recurEvery × recurUnit. */
  @Int({ default: 0 })
  recurEvery: number;

  @Status(BILLABLE_ITEM_RECUR_UNITS, 'month')
  recurUnit: BillableItemRecurUnit;

  /** How many times to invoice in total; null = until stopped. */
  @Int({ nullable: true })
  recurCount: number | null;

  @Int({ default: 0 })
  timesInvoiced: number;

  /** Due date of the invoice it produces (invoiceAction 'duedate'). */
  @DateOnly()
  dueDate: string | null;

  @DateOnly()
  nextInvoiceDate: string | null;

  /** True once a non-recurring item is invoiced, or a recurring one has reached recurCount. */
  @Bool()
  invoiced: boolean;
}
