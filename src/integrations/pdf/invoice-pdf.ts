import type { DataSource, EntityManager } from 'typeorm';
import { buildInvoiceDocument, type InvoiceDocument } from '../../domain/billing/invoice-document.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { Outcome } from '../../domain/shared/outcome.js';
import { succeed } from '../../domain/shared/outcome.js';
import { loadInvoiceTemplate, type InvoiceTemplate } from './invoice-html.js';
import type { PdfOptions } from './pdf-renderer.js';

/** What turns HTML into a PDF: the PdfRenderer, or a stand-in in tests. */
export interface HtmlToPdf {
  htmlToPdf(html: string, opts?: PdfOptions): Promise<Outcome<{ pdf: Buffer }>>;
}

export interface InvoicePdfDeps {
  ds: DataSource | EntityManager;
  renderer: HtmlToPdf;
  clock?: Clock;
  /** APP_TIMEZONE: decides "today" for the OVERDUE stamp and the calendar date of payments. */
  timeZone?: string;
  /** Defaults to templates/invoice/invoice.hbs. */
  template?: InvoiceTemplate;
}

/**
 * The PDF of one invoice: view model from the database → HTML from the template → PDF on the warm browser.
 * Outcomes: 'invoice_not_found', 'pdf_renderer_unavailable', 'pdf_render_failed'. Used by the admin download and
 * available to mail (invoice attachments) and the client area.
 */
export async function renderInvoicePdf(deps: InvoicePdfDeps, invoiceId: number): Promise<Outcome<{ pdf: Buffer; filename: string; document: InvoiceDocument }>> {
  const built = await buildInvoiceDocument(deps.ds, invoiceId, { clock: deps.clock, timeZone: deps.timeZone });
  if (!built.ok) return built;
  const { document } = built;
  const html = (deps.template ?? loadInvoiceTemplate())(document);
  const printed = await deps.renderer.htmlToPdf(html, { footerText: `Invoice ${document.number}` });
  if (!printed.ok) return printed;
  return succeed({ pdf: printed.pdf, filename: document.filename, document });
}
