import { hostname } from 'node:os';
import { In, type DataSource } from 'typeorm';
import { billingSettings } from '../../settings.js';
import { businessDate, type Clock } from '../../shared/clock.js';
import { fail, succeed, type Outcome } from '../../shared/outcome.js';
import { JobLease } from '../../jobs/lock.js';
import { runRenewals, type RenewalResult } from './renewals.js';
import { isValidDate } from '../periods.js';
import { runOverdue, type InvoiceNotifier, type OverdueCounts } from './overdue.js';
import type { PaymentService } from '../payments.js';

export const BILLING_TASK = 'billing.daily';
const LEASE_MS = 10 * 60_000;

export interface BillingRunReport {
  runId: number | null;
  date: string;
  dryRun: boolean;
  status: 'succeeded' | 'partial' | 'failed';
  counts: Record<string, number>;
  renewals: RenewalResult;
  errors: Array<{ step: string; record?: string; message: string }>;
  ms: number;
}

export interface BillingRunInput {
  /** Business date to run for (default: today in the business timezone). */
  date?: string;
  dryRun?: boolean;
  onProgress?: (message: string) => void;
}

/**
 * The daily billing run: renewal invoices for everything coming due, account credit applied to them, late fees,
 * reminders, and suspension and termination of overdue services.
 * Called by the scheduler, by `npm run billing` and by the admin; all of them get the same behaviour:
 * - one run at a time across every process sharing the database (a lease in job_locks);
 * - a run record (task_runs) with its counts and every error with the record it concerned;
 * - a dry run does all the work inside transactions that are rolled back, so its report is exactly what a real run
 *   would do, and nothing changes.
 */
export class BillingRunService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly timezone: string,
    private readonly deps: { payments?: PaymentService; notify?: InvoiceNotifier } = {},
  ) {}

  async run(input: BillingRunInput = {}): Promise<Outcome<{ report: BillingRunReport }>> {
    const started = Date.now();
    const date = input.date ?? businessDate(this.clock.now(), this.timezone);
    if (!isValidDate(date)) return fail('invalid_date', `"${date}" is not a date (YYYY-MM-DD).`, 'date');
    const dryRun = Boolean(input.dryRun);
    const lease = new JobLease(this.ds, this.clock);
    if (!dryRun && !(await lease.acquire(BILLING_TASK, LEASE_MS))) {
      return fail('already_running', 'A billing run is already in progress on this or another server.');
    }
    const runId = await this.startRecord(date, dryRun);
    const progress = input.onProgress ?? (() => undefined);
    const errors: BillingRunReport['errors'] = [];
    let renewals: RenewalResult | null = null;
    let overdue: OverdueCounts = { lateFees: 0, reminders: 0, reminderFailures: 0, suspensions: 0, terminations: 0 };
    let creditApplied = 0;
    try {
      const settings = await billingSettings(this.ds);
      progress(`${dryRun ? 'Dry run' : 'Billing run'} for ${date}: renewal invoices…`);
      let lastRenew = Date.now();
      renewals = await runRenewals(this.ds, {
        today: date,
        settings,
        dryRun,
        onBatch: (done) => {
          progress(`  ${done} clients checked`);
          if (!dryRun && Date.now() - lastRenew > LEASE_MS / 3) {
            lastRenew = Date.now();
            void lease.renew(BILLING_TASK, LEASE_MS);
          }
        },
      });
      for (const e of renewals.errors) errors.push({ step: 'renewals', record: `client ${e.clientId}`, message: e.message });
      progress(`  ${renewals.invoices} invoices, ${renewals.lines} lines (${renewals.alreadyBilled} periods already billed)`);
      if (!dryRun && settings.autoApplyCredit && this.deps.payments) creditApplied = await this.applyCredit(date, errors);
      progress('Late fees, reminders, overdue suspensions and terminations…');
      overdue = await runOverdue(this.ds, { today: date, now: this.clock.now(), settings, dryRun, notify: this.deps.notify }, errors);
      progress(`  ${JSON.stringify(overdue)}`);
    } catch (e) {
      errors.push({ step: 'run', message: (e as Error).message });
    } finally {
      if (!dryRun) await lease.release(BILLING_TASK);
    }
    const empty: RenewalResult = { invoices: 0, lines: 0, services: 0, addons: 0, domains: 0, alreadyBilled: 0, plan: [], errors: [] };
    const r = renewals ?? empty;
    const counts = { invoices: r.invoices, lines: r.lines, services: r.services, addons: r.addons, domains: r.domains, alreadyBilled: r.alreadyBilled, creditApplied, ...overdue, errors: errors.length };
    const status: BillingRunReport['status'] = !renewals ? 'failed' : errors.length ? 'partial' : 'succeeded';
    await this.finishRecord(runId, status, counts, errors);
    return succeed({ report: { runId, date, dryRun, status, counts, renewals: r, errors, ms: Date.now() - started } });
  }

  /** Staff's "send reminder" now: the due-soon or first overdue notice, outside the automatic once-only schedule. */
  async sendReminder(invoiceId: number): Promise<Outcome> {
    if (!this.deps.notify) return fail('mail_not_configured', 'Email is not set up.');
    const inv = (await this.ds.getRepository('Invoice').findOneBy({ id: invoiceId })) as { id: number; clientId: number; status: string; dueDate: string } | null;
    if (!inv) return fail('invoice_not_found', `Invoice #${invoiceId} does not exist.`);
    if (inv.status !== 'unpaid') return fail('not_unpaid', `It is ${inv.status}.`);
    const today = businessDate(this.clock.now(), this.timezone);
    const sent = await this.deps.notify({ kind: inv.dueDate < today ? 'overdue_1' : 'due_soon', invoiceId: inv.id, clientId: inv.clientId });
    return sent.ok ? succeed({}) : fail('send_failed', sent.message ?? 'The email could not be sent.');
  }

  /** "Send invoice email": the invoice-created notice again, on demand. */
  async sendInvoiceEmail(invoiceId: number): Promise<Outcome> {
    if (!this.deps.notify) return fail('mail_not_configured', 'Email is not set up.');
    const inv = (await this.ds.getRepository('Invoice').findOneBy({ id: invoiceId })) as { id: number; clientId: number; status: string } | null;
    if (!inv) return fail('invoice_not_found', `Invoice #${invoiceId} does not exist.`);
    if (inv.status === 'draft') return fail('draft', 'A draft invoice is not sent to the client.');
    const sent = await this.deps.notify({ kind: 'created', invoiceId: inv.id, clientId: inv.clientId });
    return sent.ok ? succeed({}) : fail('send_failed', sent.message ?? 'The email could not be sent.');
  }

  /** New unpaid invoices of clients with account credit are paid from it (setting billing.autoApplyCredit). */
  private async applyCredit(date: string, errors: BillingRunReport['errors']): Promise<number> {
    const rows = (await this.ds.query(
      `SELECT i.id FROM invoices i JOIN clients c ON c.id = i.client_id WHERE i.status = 'unpaid' AND i.issue_date = ? AND c.credit_balance > 0 AND c.currency_id = i.currency_id`,
      [date],
    )) as Array<{ id: number | string }>;
    let applied = 0;
    for (const r of rows) {
      const out = await this.deps.payments!.applyCredit({ invoiceId: Number(r.id) });
      if (out.ok) applied++;
      else if (out.error !== 'nothing_to_apply') errors.push({ step: 'credit', record: `invoice ${r.id}`, message: out.message });
    }
    return applied;
  }

  /** The last run of the daily billing, and whether it is overdue (no completed real run for more than 26 hours). */
  async health(): Promise<{ lastRun: Record<string, unknown> | null; stale: boolean }> {
    const last = (await this.ds.getRepository('TaskRun').findOne({ where: { task: BILLING_TASK, dryRun: false }, order: { startedAt: 'DESC' } })) as Record<string, unknown> | null;
    // A run that finished with some errors (say, reminders that could not be emailed) still ran; only a run that
    // did not happen or failed outright leaves the day's billing undone.
    const lastOk = (await this.ds.getRepository('TaskRun').findOne({ where: { task: BILLING_TASK, dryRun: false, status: In(['succeeded', 'partial']) }, order: { startedAt: 'DESC' } })) as { startedAt: Date } | null;
    const stale = !lastOk || this.clock.now().getTime() - new Date(lastOk.startedAt).getTime() > 26 * 3600_000;
    return { lastRun: last, stale };
  }

  private async startRecord(date: string, dryRun: boolean): Promise<number | null> {
    const res = await this.ds.getRepository('TaskRun').insert({ task: BILLING_TASK, status: 'running', startedAt: this.clock.now(), dryRun, hostname: hostname().slice(0, 255) });
    return res.identifiers[0].id as number;
  }

  private async finishRecord(id: number | null, status: string, counts: Record<string, number>, errors: BillingRunReport['errors']) {
    if (!id) return;
    await this.ds.getRepository('TaskRun').update({ id }, { status, finishedAt: this.clock.now(), counts, errors: errors.slice(0, 500) });
  }
}
