import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { AppendOnlyModel } from '../../db/base.js';
import { Int, Json, Status, Text, Varchar } from '../../db/columns.js';
import type { Client } from '../clients/client.entity.js';
import type { User } from './user.entity.js';

export const AUDIT_ACTOR_TYPES = ['staff', 'client', 'system', 'api'] as const;
export type AuditActorType = (typeof AUDIT_ACTOR_TYPES)[number];

/**
 * Who did what to which record, and every security event (seed 001 admindb `audit_logs`, seed 000 `activity_logs`,
 * seed 001 whm_panel `activity_logs`): one table, so a client's activity list and the staff audit trail cannot
 * disagree. Rows are only ever inserted; secret properties are redacted from oldValues/newValues before they get here.
 */
@Entity('audit_logs')
@Index(['auditableType', 'auditableId'])
@Index(['event'])
@Index(['createdAt'])
export class AuditLog extends AppendOnlyModel {
  @Int({ nullable: true })
  @Index()
  userId: number | null;

  // History must outlive the people in it: the actor's name is copied into actorName.
  @ManyToOne('User', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'user_id' })
  user: Relation<User> | null;

  @Status(AUDIT_ACTOR_TYPES, 'system')
  actorType: AuditActorType;

  /** Name (and email) of the actor at the time, kept even if the user is later removed. */
  @Varchar(255, { nullable: true })
  actorName: string | null;

  /** create, update, delete, action, login, login_failed, logout, forbidden, lockout, 2fa_enabled, ... */
  @Varchar(64)
  event: string;

  /** Entity class name of the record concerned, e.g. 'Invoice'. */
  @Varchar(64, { nullable: true })
  auditableType: string | null;

  /** A string so records with non-numeric keys (a setting's key) can be referenced too. */
  @Varchar(64, { nullable: true })
  auditableId: string | null;

  /** The client the event concerns, so a client's activity log is one indexed query. */
  @Int({ nullable: true })
  @Index()
  clientId: number | null;

  @ManyToOne('Client', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'client_id' })
  client: Relation<Client> | null;

  @Text()
  description: string | null;

  @Json()
  oldValues: Record<string, unknown> | null;

  @Json()
  newValues: Record<string, unknown> | null;

  @Text()
  url: string | null;

  @Varchar(45, { nullable: true })
  ipAddress: string | null;

  @Text()
  userAgent: string | null;
}
