import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, DateOnly, EncryptedColumn, Int, Json, MoneyColumn, Status, Text, Timestamp, Varchar } from '../../db/columns.js';
import type { Client } from '../clients/client.entity.js';
import type { Order } from '../orders/order.entity.js';
import type { Currency } from '../system/currency.entity.js';
import type { Service } from '../hosting/service.entity.js';

export const DOMAIN_REGISTRATION_TYPES = ['register', 'transfer'] as const;
export type DomainRegistrationType = (typeof DOMAIN_REGISTRATION_TYPES)[number];

export const DOMAIN_STATUSES = [
  'pending',
  'pending_transfer',
  'active',
  'expired',
  'grace',
  'redemption',
  'transferred_away',
  'cancelled',
  'fraud',
] as const;
export type DomainStatus = (typeof DOMAIN_STATUSES)[number];

/**
 * A domain registration a client holds with us (seed 000 `domains`, seed 003 Domain Management). domainName is
 * indexed, not unique: the same name comes back after a cancellation, an expiry or a transfer away, and a uniqueness
 * rule limited to live rows would need partial indexes that MariaDB lacks — the order workflow checks it instead.
 */
@Entity('domains')
@Index(['domainName'])
@Index(['expiryDate'])
@Index(['status'])
@Index(['nextDueDate'])
@Index(['nextInvoiceDate'])
export class Domain extends Model {
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

  /** The hosting service the domain was ordered with, if any. */
  @Int({ nullable: true })
  @Index()
  serviceId: number | null;

  @ManyToOne('Service', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'service_id' })
  service: Relation<Service> | null;

  /** Lower-case, IDN in punycode (A-label), without a trailing dot. */
  @Varchar(253)
  domainName: string;

  /** With its leading dot, as in DomainProduct.tld ('.com', '.co.uk'): the key to renewal prices. */
  @Varchar(63)
  tld: string;

  /** Registrar module code, e.g. 'enom'; null until registered. */
  @Varchar(64, { nullable: true })
  registrar: string | null;

  @Status(DOMAIN_REGISTRATION_TYPES, 'register')
  registrationType: DomainRegistrationType;

  @DateOnly()
  registrationDate: string | null;

  /** The registry's expiry; billing dates follow it but are stored separately. */
  @DateOnly()
  expiryDate: string | null;

  @DateOnly()
  nextDueDate: string | null;

  @DateOnly()
  nextInvoiceDate: string | null;

  /** Years bought per registration or renewal. */
  @Int({ default: 1 })
  registrationPeriod: number;

  @MoneyColumn()
  firstPaymentAmount: number;

  @MoneyColumn()
  recurringAmount: number;

  @Int()
  @Index()
  currencyId: number;

  @ManyToOne('Currency', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'currency_id' })
  currency: Relation<Currency>;

  @Status(DOMAIN_STATUSES, 'pending')
  status: DomainStatus;

  /** Host names in order, e.g. ["ns1.example.net", "ns2.example.net"]. */
  @Json()
  nameservers: string[] | null;

  @Bool({ default: true })
  autoRenew: boolean;

  @Bool()
  idProtection: boolean;

  @Bool()
  dnsManagement: boolean;

  @Bool()
  emailForwarding: boolean;

  @Bool({ default: true })
  registrarLock: boolean;

  /** Transfer authorisation code: whoever holds it can move the domain away. */
  @EncryptedColumn()
  eppCode: string | null;

  /** The registrar's own id for the domain or order. */
  @Varchar(191, { nullable: true })
  registrarRef: string | null;

  @Timestamp()
  lastSyncAt: Date | null;

  @Text()
  notes: string | null;
}
