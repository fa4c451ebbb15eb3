import { Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Model } from '../../db/base.js';
import { Int, Json, Status, Text, Timestamp, Varchar } from '../../db/columns.js';
import type { User } from '../access/user.entity.js';
import type { Service } from './service.entity.js';
import type { Domain } from '../domains/domain.entity.js';

export const PROVISIONING_ACTIONS = ['create', 'suspend', 'unsuspend', 'terminate', 'change_package', 'change_password', 'domain_register', 'domain_transfer', 'domain_renew'] as const;
export type ProvisioningAction = (typeof PROVISIONING_ACTIONS)[number];

/** failed = gave up (a permanent error, or out of attempts) and waits for staff: Retry or Cancel. */
export const PROVISIONING_JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type ProvisioningJobStatus = (typeof PROVISIONING_JOB_STATUSES)[number];

/**
 * One module call against a provider, queued and retried (no seed table; seed 004 "automated provisioning hooks").
 * Exists because WHM createacct times out and a blind retry creates a second account: the unique idempotency key
 * stops a duplicate job, and the lock columns let one worker on one node claim it. A job is about a service (panel
 * calls) or a domain (registrar calls: register, transfer, renew): exactly one of serviceId and domainId is set.
 */
@Entity('provisioning_jobs')
@Index(['status', 'nextAttemptAt'])
export class ProvisioningJob extends Model {
  @Int({ nullable: true })
  @Index()
  serviceId: number | null;

  @ManyToOne('Service', { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'service_id' })
  service: Relation<Service> | null;

  @Int({ nullable: true })
  @Index()
  domainId: number | null;

  @ManyToOne('Domain', { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'domain_id' })
  domain: Relation<Domain> | null;

  @Status(PROVISIONING_ACTIONS, null, { nullable: false })
  action: ProvisioningAction;

  @Status(PROVISIONING_JOB_STATUSES, 'queued')
  status: ProvisioningJobStatus;

  @Int({ default: 0 })
  attempts: number;

  @Int({ default: 5 })
  maxAttempts: number;

  @Timestamp()
  nextAttemptAt: Date | null;

  /** Worker that claimed the job (hostname:pid); a stale lock is taken over after a timeout. */
  @Varchar(128, { nullable: true })
  lockedBy: string | null;

  @Timestamp()
  lockedAt: Date | null;

  @Timestamp()
  startedAt: Date | null;

  @Timestamp()
  finishedAt: Date | null;

  @Text()
  lastError: string | null;

  @Int({ nullable: true })
  @Index()
  requestedById: number | null;

  @ManyToOne('User', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'requested_by_id' })
  requestedBy: Relation<User> | null;

  /** Why: "Overdue on payment", "Client request", ... also sent to WHM as the suspension reason. */
  @Varchar(255, { nullable: true })
  reason: string | null;

  /** e.g. 'service:12:create' — a second request for the same effect finds the existing job. */
  @Varchar(191, { unique: true })
  idempotencyKey: string;

  /** Non-secret arguments (target package, plan id). Passwords are read from the service, never stored here. */
  @Json()
  params: Record<string, unknown> | null;

  /** What the provider answered on success (new vpsid, IPs), minus secrets. */
  @Json()
  result: Record<string, unknown> | null;
}
