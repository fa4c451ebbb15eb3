import cron, { type ScheduledTask } from 'node-cron';
import { In, type DataSource } from 'typeorm';
import type { Logger } from '../logger.js';
import { readSettings } from '../domain/settings.js';
import { businessDate, type Clock } from '../domain/shared/clock.js';
import { BILLING_TASK, type BillingRunService } from '../domain/billing/run/billing-run.js';
import type { ProvisioningWorker } from '../domain/provisioning/worker.js';
import type { DomainDailyReport } from '../domain/domains/daily.js';
import type { AutoCharge } from '../domain/payments/auto-charge.js';

/**
 * The scheduler only decides when; the work is the domain services'. Every 15 minutes it checks whether today's
 * daily billing run is due (at or after billing.dailyRunHour in the business timezone) and has not yet succeeded,
 * so a server that was down at the usual hour catches up as soon as it is back. Stopping waits for a run in progress.
 */
export class Scheduler {
  private tasks: ScheduledTask[] = [];
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly deps: { ds: DataSource; clock: Clock; timezone: string; logger: Logger; billing: BillingRunService; provisioning?: ProvisioningWorker; autoCharge?: AutoCharge; closeAnsweredTickets?: () => Promise<{ closed: string[]; mailFailures: string[] }>; domainsDaily?: () => Promise<DomainDailyReport>; pollDomainTransfers?: () => Promise<DomainDailyReport> },
  ) {}

  private provisioningRun: Promise<unknown> | null = null;

  start(): void {
    this.tasks.push(cron.schedule('*/15 * * * *', () => void this.tick(), { timezone: this.deps.timezone }));
    this.tasks.push(cron.schedule('* * * * *', () => void this.provisioningTick(), { timezone: this.deps.timezone }));
    this.tasks.push(cron.schedule('17 * * * *', () => void this.pollDomainTransfers(), { timezone: this.deps.timezone }));
  }

  /** Every minute: provisioning jobs that are due (new ones, and retries whose backoff has passed). */
  async provisioningTick(): Promise<void> {
    const worker = this.deps.provisioning;
    if (!worker || this.provisioningRun) return;
    this.provisioningRun = worker
      .runDue()
      .then((ran) => {
        for (const j of ran) {
          const line = { job: j.jobId, action: j.action, service: j.serviceId, status: j.status };
          if (j.status === 'succeeded') this.deps.logger.info(line, 'provisioning job done');
          else this.deps.logger.warn({ ...line, error: j.message }, 'provisioning job did not succeed');
        }
      })
      .catch((e) => this.deps.logger.error({ err: e }, 'provisioning queue run failed'))
      .finally(() => {
        this.provisioningRun = null;
      });
    await this.provisioningRun;
  }

  async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.dailyBillingIfDue().finally(() => {
      this.running = null;
    });
    await this.running;
  }

  private async dailyBillingIfDue(): Promise<void> {
    const { ds, clock, timezone, logger, billing } = this.deps;
    try {
      const settings = await readSettings(ds, 'billing.dailyRunHour');
      const hour = Number(settings.get('billing.dailyRunHour') ?? 9);
      const now = clock.now();
      const localHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', hour12: false }).format(now)) % 24;
      if (localHour < (Number.isInteger(hour) ? hour : 9)) return;
      const today = businessDate(now, timezone);
      // 'partial' counts as done: its failures (e.g. an email) are retried by tomorrow's run, not every 15 minutes.
      const last = (await ds.getRepository('TaskRun').findOne({ where: { task: BILLING_TASK, dryRun: false, status: In(['succeeded', 'partial']) }, order: { startedAt: 'DESC' } })) as { startedAt: Date } | null;
      if (last && businessDate(new Date(last.startedAt), timezone) === today) return;
      const outcome = await billing.run({ onProgress: (m) => logger.debug(m) });
      if (!outcome.ok) logger.warn({ error: outcome.error }, outcome.message);
      else logger.info({ counts: outcome.report.counts, status: outcome.report.status, ms: outcome.report.ms }, 'daily billing run finished');
      await this.chargeSavedMethods();
      await this.closeAnsweredTickets();
      await this.domainsDaily();
    } catch (e) {
      logger.error({ err: e }, 'daily billing check failed');
    }
  }

  /**
   * After the day's invoices exist: charge saved cards for what has come due. Each attempt is unique per invoice and
   * attempt number, so a second node or a restart mid-way cannot charge twice.
   */
  async chargeSavedMethods(): Promise<void> {
    const auto = this.deps.autoCharge;
    if (!auto) return;
    try {
      const results = await auto.runDue();
      const count = (o: string) => results.filter((r) => r.outcome === o).length;
      if (results.length) this.deps.logger.info({ paid: count('paid'), pending: count('pending'), declined: count('declined'), unavailable: count('unavailable'), skipped: count('skipped') }, 'saved-card charges done');
    } catch (e) {
      this.deps.logger.error({ err: e }, 'saved-card charges failed');
    }
  }

  /** Once a day, after billing: answered tickets the customer left quiet for support.closeAnsweredAfterDays close. */
  async closeAnsweredTickets(): Promise<void> {
    const close = this.deps.closeAnsweredTickets;
    if (!close) return;
    try {
      const report = await close();
      if (report.closed.length) this.deps.logger.info({ tickets: report.closed }, 'answered tickets closed after no customer reply');
      if (report.mailFailures.length) this.deps.logger.warn({ failures: report.mailFailures }, 'ticket auto-close emails not sent');
    } catch (e) {
      this.deps.logger.error({ err: e }, 'ticket auto-close failed');
    }
  }

  /** Once a day, after billing: domains read back from their registrars, moved past expiry, reminded of it. */
  async domainsDaily(): Promise<void> {
    const run = this.deps.domainsDaily;
    if (!run) return;
    try {
      const r = await run();
      this.deps.logger.info({ synced: r.synced, statusChanged: r.statusChanged, remindersSent: r.remindersSent }, 'daily domain tasks done');
      if (r.syncErrors.length || r.reminderFailures.length) this.deps.logger.warn({ syncErrors: r.syncErrors.slice(0, 50), reminderFailures: r.reminderFailures.slice(0, 50) }, 'some domain tasks failed');
    } catch (e) {
      this.deps.logger.error({ err: e }, 'daily domain tasks failed');
    }
  }

  async pollDomainTransfers(): Promise<void> {
    try {
      const r = await this.deps.pollDomainTransfers?.();
      if (r?.syncErrors.length) this.deps.logger.warn({ syncErrors: r.syncErrors.slice(0, 50) }, 'domain transfer checks failed');
    } catch (e) {
      this.deps.logger.error({ err: e }, 'domain transfer checks failed');
    }
  }

  async stop(): Promise<void> {
    for (const t of this.tasks) t.stop();
    this.tasks = [];
    await Promise.all([this.running, this.provisioningRun]);
  }
}
