import type { CurrentAdmin } from 'adminjs';
import type { DataSource } from 'typeorm';
import type { BillingRunService } from '../domain/billing/run/billing-run.js';
import { can } from './admin.js';
import { businessDate, systemClock, type Clock } from '../domain/shared/clock.js';
import { dashboardFigures } from '../domain/reports/dashboard.js';

/**
 * The dashboard's data: the last run of each scheduled task with a warning when the daily billing has not run
 * for more than 26 hours, and — for staff who may see them — the money figures and provisioning jobs that need
 * attention; then the business figures (revenue, clients, services, support, servers, domains) and the lenses, each
 * for staff who may view the screen it comes from.
 */
export function dashboardHandler(ds: DataSource, billing: BillingRunService, timezone: string, clock: Clock = systemClock) {
  return async (_req: unknown, _res: unknown, ctx: { currentAdmin?: CurrentAdmin }) => {
    const health = await billing.health();
    const lastRuns = (await ds.query(
      `SELECT t.task, t.status, t.started_at, t.finished_at, t.dry_run FROM task_runs t
        WHERE t.id IN (SELECT MAX(id) FROM task_runs WHERE dry_run = 0 GROUP BY task) ORDER BY t.task`,
    )) as Array<Record<string, unknown>>;
    const data: Record<string, unknown> = {
      billingStale: health.stale,
      billingNeverRun: !health.lastRun,
      lastRuns: lastRuns.map((r) => ({ task: r.task, status: r.status, startedAt: r.started_at, finishedAt: r.finished_at })),
    };
    if (can(ctx.currentAdmin, 'Invoice', 'list')) {
      const [money] = (await ds.query(
        `SELECT COUNT(*) AS unpaid, COALESCE(SUM(total - amount_paid - credit), 0) AS outstanding,
                SUM(CASE WHEN due_date < ? THEN 1 ELSE 0 END) AS overdue
           FROM invoices WHERE status = 'unpaid'`,
        [businessDate(clock.now(), timezone)],
      )) as Array<Record<string, unknown>>;
      data.invoices = { unpaid: Number(money.unpaid), overdue: Number(money.overdue ?? 0), outstandingCents: Number(money.outstanding) };
    }
    if (can(ctx.currentAdmin, 'Service', 'list')) {
      const rows = (await ds.query(`SELECT status, COUNT(*) AS n FROM services WHERE deleted_at IS NULL GROUP BY status`)) as Array<{ status: string; n: number | string }>;
      data.services = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    }
    if (can(ctx.currentAdmin, 'ProvisioningJob', 'list')) {
      const rows = (await ds.query(`SELECT status, COUNT(*) AS n FROM provisioning_jobs WHERE status IN ('queued', 'running', 'failed') GROUP BY status`)) as Array<{ status: string; n: number | string }>;
      data.provisioning = { queued: 0, running: 0, failed: 0, ...Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) };
    }
    if (can(ctx.currentAdmin, 'GatewayLog', 'list')) {
      const [row] = (await ds.query(`SELECT COUNT(*) AS n FROM gateway_logs WHERE result = 'flagged'`)) as Array<{ n: number | string }>;
      data.flaggedPayments = Number(row?.n ?? 0);
    }
    Object.assign(data, await dashboardFigures({ ds, clock, timeZone: timezone, allowed: (resource) => can(ctx.currentAdmin, resource, 'list') }));
    return data;
  };
}
