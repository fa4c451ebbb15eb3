import express, { type NextFunction, type Request, type Response } from 'express';
import type { CurrentAdmin } from 'adminjs';
import type { DataSource } from 'typeorm';
import type { RbacService } from '../domain/access/rbac-service.js';
import { REPORTS, reportById, runReport, type ReportQuery } from '../domain/reports/catalogue.js';
import { reportToCsv } from '../domain/reports/csv.js';
import { actorFrom, auditRefusal, refuseStaffRequest as refuse, signedInStaff } from './guard.js';
import { ADMIN_ROOT, can } from './admin.js';

/** Relative to the admin root: GET /admin/reports/income.csv?from=2026-01-01&to=2026-01-31&period=day. */
export const REPORT_CSV_PATH = '/reports/:report.csv';
export const reportCsvUrl = (adminRoot: string, report: string) => `${adminRoot}/reports/${encodeURIComponent(report)}.csv`;
/** Rows the Reports page shows; the CSV has them all. */
const PAGE_ROWS = 500;

/** The reports a staff member may run: those whose screen they may view. */
export const reportsFor = (admin: CurrentAdmin | undefined) => REPORTS.filter((r) => can(admin, r.resource, 'list'));


/**
 * GET /reports/:report.csv — a report as an RFC 4180 CSV download, for staff who may view the report's screen
 * (Transactions for income and transactions, Invoices for invoices and tax, …). Mount it under the admin root behind
 * the admin guard; it checks the permission itself because the guard only knows AdminJS's URLs: 401 when not signed
 * in, 403 without the permission (audited like every refusal), 400 for bad dates or filters, 404 for an unknown report.
 */
export function buildReportsRouter(deps: { ds: DataSource; timeZone: string; rbac?: Pick<RbacService, 'permissionsOf'> }): express.Router {
  const router = express.Router();
  router.get(REPORT_CSV_PATH, (req: Request, res: Response, next: NextFunction) => {
    handle(deps, req, res).catch(next);
  });
  return router;
}

async function handle(deps: { ds: DataSource; timeZone: string; rbac?: Pick<RbacService, 'permissionsOf'> }, req: Request, res: Response): Promise<void> {
  const admin = await signedInStaff(req, deps.rbac);
  if (!admin) return refuse(req, res, 401, 'not_authenticated', 'Please log in.');
  const id = String(req.params.report);
  const definition = reportById(id);
  if (!definition) return refuse(req, res, 404, 'unknown_report', `There is no report called "${id.slice(0, 40)}".`);
  if (!can(admin, definition.resource, 'list')) {
    await auditRefusal(deps.ds, actorFrom(req, admin), {
      auditableType: definition.resource,
      auditableId: null,
      description: `Refused GET report ${definition.id}: missing ${definition.resource}.view`,
    });
    return refuse(req, res, 403, 'forbidden', `You do not have permission to see the ${definition.title} report.`);
  }
  const out = await runReport(deps.ds, id, req.query as ReportQuery, deps.timeZone);
  if (!out.ok) return refuse(req, res, 400, out.error, out.message);
  const csv = reportToCsv(out.report);
  const name = `${definition.id}-${String(req.query.from)}-to-${String(req.query.to)}.csv`;
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
  // Financial and personal data: never kept by a shared cache or the browser's cache.
  res.setHeader('Cache-Control', 'private, no-store');
  res.send(csv);
}

/**
 * The Reports page's data (GET /admin/api/pages/reports): without `report`, the reports this staff member may run;
 * with one, its rows (the first 500) and totals, or the reason it cannot run. The same permission rule as the CSV.
 */
export function reportsPageHandler(ds: DataSource, timeZone: string, adminRoot: string = ADMIN_ROOT) {
  return async (request: { query?: Record<string, unknown> }, _res: unknown, ctx: { currentAdmin?: CurrentAdmin }) => {
    const available = reportsFor(ctx.currentAdmin).map((r) => ({ id: r.id, title: r.title, byPeriod: r.byPeriod, filters: r.filters, csvUrl: reportCsvUrl(adminRoot, r.id) }));
    const q = request.query ?? {};
    const id = typeof q.report === 'string' ? q.report : '';
    if (!id) return { reports: available };
    const definition = reportById(id);
    if (!definition) return { reports: available, error: `There is no report called "${id.slice(0, 40)}".` };
    if (!can(ctx.currentAdmin, definition.resource, 'list')) return { reports: available, error: `You do not have permission to see the ${definition.title} report.` };
    const out = await runReport(ds, id, q, timeZone);
    if (!out.ok) return { reports: available, error: out.message, field: out.field ?? null };
    const { rows, ...rest } = out.report;
    return { reports: available, report: { ...rest, rows: rows.slice(0, PAGE_ROWS), rowCount: rows.length } };
  };
}
