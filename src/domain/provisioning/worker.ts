import type { ProvisioningDeps, StepResult } from './context.js';
import { JobQueue, type JobRow } from './queue.js';
import { runJob } from './run-job.js';

export interface JobOutcome {
  jobId: number;
  action: string;
  serviceId: number | null;
  domainId: number | null;
  status: 'succeeded' | 'queued' | 'failed';
  message: string | null;
  result?: Record<string, unknown>;
}

/**
 * Takes due jobs off the queue and runs them; run by the scheduler every minute and at once after staff actions.
 * Several jobs run side by side (they are mostly waiting on panels), but never two of one service.
 */
export class ProvisioningWorker {
  readonly queue: JobQueue;

  constructor(
    private readonly deps: ProvisioningDeps & {
      alertEmail?: () => Promise<string | null>;
      /** Runs registrar jobs (register, transfer, renew of a domain); without it they fail with a clear message. */
      domainJobs?: (job: JobRow) => Promise<StepResult>;
    },
    private readonly concurrency = 4,
  ) {
    this.queue = new JobQueue(deps.ds, deps.clock);
  }

  /** Runs what is due now; answers what happened to each job. */
  async runDue(limit = 50): Promise<JobOutcome[]> {
    const out: JobOutcome[] = [];
    // A job waiting behind an earlier one of its service (suspend, then the payment's unsuspend) becomes claimable
    // once that one is settled: keep claiming until nothing more is due.
    while (out.length < limit) {
      const jobs = await this.queue.claimDue(Math.min(this.concurrency, limit - out.length));
      if (!jobs.length) break;
      out.push(...(await Promise.all(jobs.map((j) => this.execute(j)))));
    }
    return out;
  }

  /** Runs one job now if it can be claimed (queued, and nothing earlier of its service open); null if not. */
  async runNow(jobId: number): Promise<JobOutcome | null> {
    const job = await this.queue.claim(jobId);
    return job ? this.execute(job) : null;
  }

  private async execute(job: JobRow): Promise<JobOutcome> {
    let step: StepResult;
    try {
      if (job.domainId === null) step = await runJob(this.deps, job);
      else step = this.deps.domainJobs ? await this.deps.domainJobs(job) : { kind: 'fail', message: 'Domain jobs are not set up in this process.' };
    } catch (e) {
      // A bug or a database hiccup, not the panel's answer: worth another attempt, with the reason kept.
      step = { kind: 'retry', message: `Unexpected error: ${(e as Error).message}` };
    }
    const base = { jobId: job.id, action: job.action, serviceId: job.serviceId, domainId: job.domainId };
    if (step.kind === 'done') {
      await this.queue.succeed(job.id, step.result);
      return { ...base, status: 'succeeded', message: typeof step.result.skipped === 'string' ? step.result.skipped : null, result: step.result };
    }
    const status = step.kind === 'retry' ? await this.queue.retryLater(job, step.message) : (await this.queue.giveUp(job.id, step.message), 'failed' as const);
    if (status === 'failed') await this.alertStaff(job, step.message);
    return { ...base, status, message: step.message };
  }

  private async subjectOf(job: JobRow): Promise<string> {
    if (job.domainId === null) return `service #${job.serviceId}`;
    const d = (await this.deps.ds.getRepository('Domain').findOneBy({ id: job.domainId })) as { domainName: string } | null;
    return `domain ${d?.domainName ?? `#${job.domainId}`}`;
  }

  /** A job that failed for good needs a person: email the provisioning alert address. */
  private async alertStaff(job: JobRow, message: string): Promise<void> {
    const to = await this.deps.alertEmail?.();
    if (!to || !this.deps.email) return;
    await this.deps.email
      .sendTemplate({
        templateName: 'provisioning_failed',
        to,
        related: { type: 'ProvisioningJob', id: job.id },
        context: { job: { id: job.id, action: job.action.replace('_', ' '), serviceId: job.serviceId, subject: await this.subjectOf(job), attempts: job.attempts, error: message, reason: job.reason } },
      })
      .catch(() => undefined);
  }
}
