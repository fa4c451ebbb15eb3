import { BeforeInsert, BeforeUpdate, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { EncryptedColumn, Int, Text, Varchar } from '../../db/columns.js';
import type { Client } from '../clients/client.entity.js';
import type { Service } from '../hosting/service.entity.js';
import type { SupportTicket } from '../support/support-ticket.entity.js';
import type { CustomField } from './custom-field.entity.js';

/**
 * The value of a custom field for one client, one service or one ticket (seed 000 `client_custom_field_values`,
 * widened to product and support fields). Uniqueness is on (fieldId, ownerKey), not on the nullable id columns:
 * both SQLite and MariaDB treat NULLs in a unique index as distinct, so (field, client, NULL) could repeat.
 */
@Entity('custom_field_values')
@Index(['fieldId', 'ownerKey'], { unique: true })
export class CustomFieldValue extends Model {
  @Int()
  @Index()
  fieldId: number;

  @ManyToOne('CustomField', { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'field_id' })
  field: Relation<CustomField>;

  /** The owning client; also set on service and ticket values so a client's data can be listed and erased at once. */
  @Int({ nullable: true })
  @Index()
  clientId: number | null;

  @ManyToOne('Client', { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'client_id' })
  client: Relation<Client> | null;

  @Int({ nullable: true })
  @Index()
  serviceId: number | null;

  @ManyToOne('Service', { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id' })
  service: Relation<Service> | null;

  @Int({ nullable: true })
  @Index()
  ticketId: number | null;

  @ManyToOne('SupportTicket', { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id' })
  ticket: Relation<SupportTicket> | null;

  @Text()
  value: string | null;

  /** Used instead of `value` for fields of type 'password'. */
  @EncryptedColumn()
  secretValue: string | null;

  /** 'service:12', 'ticket:7' or 'client:5': the most specific owner, kept in step on save. */
  @Varchar(64)
  ownerKey: string;

  @BeforeInsert()
  @BeforeUpdate()
  protected fillOwnerKey(): void {
    if (this.serviceId != null) this.ownerKey = `service:${this.serviceId}`;
    else if (this.ticketId != null) this.ownerKey = `ticket:${this.ticketId}`;
    else if (this.clientId != null) this.ownerKey = `client:${this.clientId}`;
  }
}
