import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, Int, Json, Status, Varchar } from '../../db/columns.js';
import type { User } from '../access/user.entity.js';
import type { Client } from './client.entity.js';

export const CONTACT_TYPES = ['billing', 'technical', 'general'] as const;
export type ContactType = (typeof CONTACT_TYPES)[number];

/**
 * seed 000 `client_contacts`: extra people on a client account. The flags say which mail they are copied on, so a
 * bookkeeper gets invoices without seeing support threads. A contact may also get a login of its own (a User of type
 * client, invited by email) limited to the parts of the account in `permissions`, as WHMCS sub-accounts are.
 */
@Entity('client_contacts')
@Index(['email'])
export class ClientContact extends Model {
  @Int()
  @Index()
  clientId: number;

  /** Owned by the client: the contacts go when the account goes. */
  @ManyToOne('Client', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'client_id' })
  client: Relation<Client>;

  @Status(CONTACT_TYPES, 'general')
  contactType: ContactType;

  @Varchar(100)
  firstName: string;

  @Varchar(100)
  lastName: string;

  @Varchar(255, { nullable: true })
  companyName: string | null;

  @Varchar(255)
  email: string;

  @Varchar(32, { nullable: true })
  phone: string | null;

  /** A billing contact's address can differ from the account's; invoices addressed to them use it. */
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

  /** ISO 3166-1 alpha-2. */
  @Varchar(2, { nullable: true })
  country: string | null;

  @Bool()
  generalEmails: boolean;

  @Bool()
  invoiceEmails: boolean;

  @Bool()
  productEmails: boolean;

  @Bool()
  domainEmails: boolean;

  @Bool()
  supportEmails: boolean;

  /** The contact's own login, when the owner gave it one; unique: a login acts for exactly one contact. */
  @Int({ nullable: true, unique: true })
  userId: number | null;

  @ManyToOne('User', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'user_id' })
  user: Relation<User> | null;

  /** What the login may do: CLIENT_PERMISSIONS of the client area ('billing', 'support', …); empty without a login. */
  @Json()
  permissions: string[] | null;
}
