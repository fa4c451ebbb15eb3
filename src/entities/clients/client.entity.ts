import { BeforeInsert, BeforeUpdate, Entity, Index, JoinColumn, ManyToOne, OneToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, DeletedAt, Int, MoneyColumn, Status, Text, Timestamp, Varchar } from '../../db/columns.js';
import type { User } from '../access/user.entity.js';
import type { ClientGroup } from './client-group.entity.js';
import type { Currency } from '../system/currency.entity.js';

export const CLIENT_STATUSES = ['active', 'inactive', 'closed'] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];

/** A customer account (seed 000 `clients`, seed 003 Customers). Its login identity is a User of type 'client'. */
@Entity('clients')
@Index(['companyName'])
@Index(['status'])
@Index(['lastName', 'firstName'])
export class Client extends Model {
  @Int({ nullable: true })
  userId: number | null;

  @OneToOne('User', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'user_id' })
  user: Relation<User> | null;

  @Varchar(100)
  firstName: string;

  @Varchar(100)
  lastName: string;

  @Varchar(255, { nullable: true })
  companyName: string | null;

  /** Company name, else "First Last": kept in step on save so lists, search and relation links show a name. */
  @Varchar(255)
  @Index()
  displayName: string;

  @Varchar(255, { unique: true })
  email: string;

  @Varchar(32, { nullable: true })
  phone: string | null;

  @Varchar(255, { nullable: true })
  address1: string | null;

  @Varchar(255, { nullable: true })
  address2: string | null;

  @Varchar(100, { nullable: true })
  city: string | null;

  @Varchar(100, { nullable: true })
  state: string | null;

  @Varchar(20, { nullable: true })
  postcode: string | null;

  /** ISO 3166-1 alpha-2, used for tax rules. */
  @Varchar(2)
  country: string;

  @Varchar(64, { nullable: true })
  taxId: string | null;

  @Bool()
  taxExempt: boolean;

  @Int({ nullable: true })
  @Index()
  groupId: number | null;

  @ManyToOne('ClientGroup', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'group_id' })
  group: Relation<ClientGroup> | null;

  @Int()
  @Index()
  currencyId: number;

  @ManyToOne('Currency', { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'currency_id' })
  currency: Relation<Currency>;

  /** Account credit in the client's currency, minor units. Changed only through the credit ledger. */
  @MoneyColumn()
  creditBalance: number;

  @Status(CLIENT_STATUSES, 'active')
  status: ClientStatus;

  @Varchar(10, { default: 'en' })
  language: string;

  /** Gateway code (e.g. 'stripe') pre-selected on this client's invoices; null = the system default. */
  @Varchar(32, { nullable: true })
  defaultGateway: string | null;

  /** Per-client overrides of the automation defaults staff expect from WHMCS. */
  @Bool()
  lateFeeExempt: boolean;

  @Bool()
  overdueNoticesDisabled: boolean;

  /** Consent for marketing mail only; invoices and service notices are sent regardless. */
  @Bool()
  marketingEmailsOptIn: boolean;

  @Text()
  notes: string | null;

  @Timestamp()
  lastLoginAt: Date | null;

  @DeletedAt()
  deletedAt: Date | null;

  @BeforeInsert()
  @BeforeUpdate()
  protected fillDisplayName(): void {
    const person = [this.firstName, this.lastName].filter(Boolean).join(' ').trim();
    this.displayName = (this.companyName?.trim() || person || this.email || '').slice(0, 255);
  }
}
