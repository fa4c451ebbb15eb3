import express, { type NextFunction, type Request, type Response } from 'express';
import type { DataSource } from 'typeorm';
import type { Clock } from '../domain/shared/clock.js';
import type { RbacService } from '../domain/access/rbac-service.js';
import { renderInvoicePdf, type HtmlToPdf } from '../integrations/pdf/invoice-pdf.js';
import type { InvoiceTemplate } from '../integrations/pdf/invoice-html.js';
import { actorFrom, auditRefusal, refuseStaffRequest as refuse, signedInStaff } from './guard.js';
import { can } from './admin.js';

export const INVOICE_PDF_RESOURCE = 'Invoice';
export const INVOICE_PDF_ACTION = 'downloadPdf';
/** Relative to where the router is mounted (the admin root): GET /admin/invoices/12/pdf. */
export const INVOICE_PDF_PATH = '/invoices/:id/pdf';

/** The download URL of an invoice's PDF under the admin root, e.g. '/admin/invoices/12/pdf'. */
export const invoicePdfUrl = (adminRoot: string, invoiceId: number | string) => `${adminRoot}/invoices/${encodeURIComponent(String(invoiceId))}/pdf`;

export interface InvoicePdfRouterDeps {
  ds: DataSource;
  renderer: HtmlToPdf;
  clock?: Clock;
  /** APP_TIMEZONE. */
  timeZone?: string;
  template?: InvoiceTemplate;
  /** Loads permissions when the router is mounted where the admin guard has not attached them. */
  rbac?: Pick<RbacService, 'permissionsOf'>;
}

const STATUS: Record<string, number> = { invoice_not_found: 404, pdf_renderer_unavailable: 503, pdf_render_failed: 500 };


/**
 * GET /invoices/:id/pdf — the invoice as a PDF attachment, for staff holding Invoice.action.downloadPdf. Mount it
 * under the admin root behind the admin guard (which signs the staff member in and attaches their permissions).
 * The router checks the permission itself because the guard only knows AdminJS's own URLs: 403 without it
 * (recorded in the audit log like every refusal), 400 for an id that is not a number, 404 for an unknown invoice,
 * 503 when Chromium is missing.
 */
export function buildInvoicePdfRouter(deps: InvoicePdfRouterDeps): express.Router {
  const router = express.Router();
  router.get(INVOICE_PDF_PATH, (req: Request, res: Response, next: NextFunction) => {
    handle(deps, req, res).catch(next);
  });
  return router;
}

async function handle(deps: InvoicePdfRouterDeps, req: Request, res: Response): Promise<void> {
  const admin = await signedInStaff(req, deps.rbac);
  if (!admin) return refuse(req, res, 401, 'not_authenticated', 'Please log in.');
  if (!can(admin, INVOICE_PDF_RESOURCE, INVOICE_PDF_ACTION)) {
    await auditRefusal(deps.ds, actorFrom(req, admin), {
      auditableType: INVOICE_PDF_RESOURCE,
      auditableId: String(req.params.id).slice(0, 64),
      description: `Refused GET ${INVOICE_PDF_ACTION} on ${INVOICE_PDF_RESOURCE}: missing ${INVOICE_PDF_RESOURCE}.action.${INVOICE_PDF_ACTION}`,
    });
    return refuse(req, res, 403, 'forbidden', 'You do not have permission to download invoice PDFs.');
  }
  const raw = String(req.params.id);
  const id = /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id)) return refuse(req, res, 400, 'invalid_id', `"${raw.slice(0, 40)}" is not an invoice id.`);

  const out = await renderInvoicePdf({ ds: deps.ds, renderer: deps.renderer, clock: deps.clock, timeZone: deps.timeZone, template: deps.template }, id);
  if (!out.ok) {
    if (out.error !== 'invoice_not_found') req.log?.error({ error: out.error, invoiceId: id }, out.message);
    return refuse(req, res, STATUS[out.error] ?? 500, out.error, out.message);
  }
  res.status(200);
  res.setHeader('Content-Type', 'application/pdf');
  res.setHeader('Content-Disposition', `attachment; filename="${out.filename}"`);
  res.setHeader('Content-Length', String(out.pdf.length));
  // An invoice is personal financial data: never kept by a shared cache or the browser's cache.
  res.setHeader('Cache-Control', 'private, no-store');
  res.end(out.pdf);
}
