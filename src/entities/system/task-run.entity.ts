import { Entity, Index } from 'typeorm';
import { Model } from '../../db/base.js';
import { Bool, Json, Status, Timestamp, Varchar } from '../../db/columns.js';

export const TASK_RUN_STATUSES = ['running', 'succeeded', 'failed', 'partial'] as const;
export type TaskRunStatus = (typeof TASK_RUN_STATUSES)[number];

/**
 * One run of a scheduled task (WHMCS cron activity). `runKey` is unique so a second node or an overlapping cron run
 * for the same period fails to claim it and does nothing — the duplicate-invoice bug of overlapping crons. The
 * latest run per task also feeds the "cron has not run for 120 minutes" warning.
 */
@Entity('task_runs')
@Index(['task', 'startedAt'])
@Index(['status'])
export class TaskRun extends Model {
  /** e.g. 'billing.daily', 'provisioning.queue', 'domains.sync'. */
  @Varchar(64)
  task: string;

  /** Claim for one period, e.g. 'billing:2026-11-22'; null for tasks that may run any number of times. */
  @Varchar(128, { nullable: true, unique: true })
  runKey: string | null;

  @Status(TASK_RUN_STATUSES, 'running')
  status: TaskRunStatus;

  @Timestamp({ nullable: false })
  startedAt: Date;

  @Timestamp()
  finishedAt: Date | null;

  /** What the run did, e.g. { invoicesCreated: 12, remindersSent: 40 }. */
  @Json()
  counts: Record<string, number> | null;

  /** Per-item failures, e.g. [{ ref: 'service:12', code: 'whm_timeout', message: '...' }]. */
  @Json()
  errors: Array<Record<string, unknown>> | null;

  /** Computed what it would do without changing anything. */
  @Bool()
  dryRun: boolean;

  /** Node that ran it. */
  @Varchar(255, { nullable: true })
  hostname: string | null;
}
