import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Clock } from '../shared/clock.js';

export interface JobRow {
  id: number;
  /** Exactly one of serviceId (a panel call) and domainId (a registrar call) is set. */
  serviceId: number | null;
  domainId: number | null;
  action: 'create' | 'suspend' | 'unsuspend' | 'terminate' | 'change_package' | 'change_password' | 'domain_register' | 'domain_transfer' | 'domain_renew';
  status: string;
  attempts: number;
  maxAttempts: number;
  reason: string | null;
  params: Record<string, unknown> | null;
  requestedById: number | null;
}

/** Retry delays: 30 s, 1 min, 2 min … capped at an hour. */
export const backoffMs = (attempt: number) => Math.min(30_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);

/**
 * A running job whose worker has said nothing for this long is taken to have died with its process and is queued
 * again. Longer than any provider call (createacct gets two minutes), so a slow job is never run twice at once.
 */
export const STALE_AFTER_MS = 15 * 60_000;

/**
 * The provisioning queue in the provisioning_jobs table. Claiming is one conditional UPDATE (queued → running with
 * this worker's name), so two workers — threads, processes or machines — can never both take a job. Jobs of one
 * service (or one domain) run one at a time and in the order they were asked for: a suspend queued before a payment's
 * unsuspend always runs first, so the panel ends in the state the service was last given; a renewal never runs
 * beside the registration it follows.
 */
export class JobQueue {
  readonly worker = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

  constructor(private readonly ds: DataSource, private readonly clock: Clock) {}

  /** Up to `limit` jobs due now, claimed for this worker. */
  async claimDue(limit: number): Promise<JobRow[]> {
    await this.requeueStale();
    const now = this.clock.now();
    // Through the query builder: it binds the Date the way each engine stores timestamps (raw SQLite would refuse it).
    const candidates = (await this.ds
      .createQueryBuilder()
      .select('j.id', 'id')
      .from('provisioning_jobs', 'j')
      .where("j.status = 'queued' AND (j.next_attempt_at IS NULL OR j.next_attempt_at <= :now)", { now })
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM provisioning_jobs p WHERE (p.service_id = j.service_id OR p.domain_id = j.domain_id) AND p.id <> j.id
          AND (p.status = 'running' OR (p.status = 'queued' AND p.id < j.id)))`,
      )
      .orderBy('j.id')
      .limit(limit)
      .getRawMany()) as Array<{ id: number | string }>;
    const claimed: JobRow[] = [];
    for (const c of candidates) {
      const job = await this.claim(Number(c.id));
      if (job) claimed.push(job);
    }
    return claimed;
  }

  /** Claims one job if it is queued and no earlier job of its service is still open. */
  async claim(id: number): Promise<JobRow | null> {
    const now = this.clock.now();
    const res = await this.ds
      .createQueryBuilder()
      .update('ProvisioningJob')
      .set({ status: 'running', lockedBy: this.worker, lockedAt: now, startedAt: now, finishedAt: null, attempts: () => 'attempts + 1' })
      .where('id = :id AND status = :queued', { id, queued: 'queued' })
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM (SELECT id, service_id, domain_id, status FROM provisioning_jobs) p WHERE (p.service_id = provisioning_jobs.service_id OR p.domain_id = provisioning_jobs.domain_id) AND p.id <> provisioning_jobs.id AND (p.status = 'running' OR (p.status = 'queued' AND p.id < provisioning_jobs.id)))`,
      )
      .execute()
      // Two workers racing for one row: MariaDB may pick one as a deadlock victim. That worker simply did not get it.
      .catch((e: { code?: string; errno?: number }) => {
        if (e.code === 'ER_LOCK_DEADLOCK' || e.errno === 1213 || e.code === 'ER_LOCK_WAIT_TIMEOUT') return { affected: 0 };
        throw e;
      });
    if ((res.affected ?? 0) !== 1) return null;
    return (await this.ds.getRepository('ProvisioningJob').findOneBy({ id })) as JobRow;
  }

  async succeed(id: number, result: Record<string, unknown>): Promise<void> {
    await this.finish(id, { status: 'succeeded', result, lastError: null, nextAttemptAt: null });
  }

  /** A transient failure: queued again after the backoff, or given up when out of attempts. Answers the new status. */
  async retryLater(job: JobRow, message: string): Promise<'queued' | 'failed'> {
    if (job.attempts >= job.maxAttempts) {
      await this.finish(job.id, { status: 'failed', lastError: `${message} (gave up after ${job.attempts} attempts)` });
      return 'failed';
    }
    const next = new Date(this.clock.now().getTime() + backoffMs(job.attempts));
    await this.finish(job.id, { status: 'queued', lastError: message, nextAttemptAt: next, finishedAt: null });
    return 'queued';
  }

  async giveUp(id: number, message: string): Promise<void> {
    await this.finish(id, { status: 'failed', lastError: message, nextAttemptAt: null });
  }

  /** Only the worker holding a job may settle it: a job taken over as stale is no longer ours to finish. */
  private async finish(id: number, values: Record<string, unknown>): Promise<void> {
    await this.ds
      .createQueryBuilder()
      .update('ProvisioningJob')
      .set({ finishedAt: this.clock.now(), lockedBy: null, lockedAt: null, ...values })
      .where('id = :id AND status = :running AND locked_by = :me', { id, running: 'running', me: this.worker })
      .execute();
  }

  private async requeueStale(): Promise<void> {
    const before = new Date(this.clock.now().getTime() - STALE_AFTER_MS);
    await this.ds
      .createQueryBuilder()
      .update('ProvisioningJob')
      .set({ status: 'queued', lockedBy: null, lockedAt: null, lastError: 'The worker running this job stopped; queued again.' })
      .where('status = :running AND locked_at < :before', { running: 'running', before })
      .execute();
  }
}
