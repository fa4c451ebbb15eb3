import type { ActionContext, ActionRequest } from 'adminjs';
import { ADMIN_ROOT } from '../../src/admin/admin.js';
import { Components } from '../../src/admin/components.js';
import { invoicePdfUrl } from '../../src/admin/invoice-pdf-route.js';

/**
 * Download PDF on an invoice (list and show pages). The PDF itself is served by GET /admin/invoices/:id/pdf
 * (src/admin/invoice-pdf-route.ts), which checks the same permission, Invoice.action.downloadPdf. AdminJS's own
 * `redirectUrl` navigates inside its single-page app and cannot start a download, so the action has a tiny
 * component (components/invoice-pdf.jsx, registered as InvoicePdf) that fetches the file and saves it.
 */
export function invoicePdfActions(opts: { component?: string } = {}) {
  const component = opts.component ?? (Components as Record<string, string | undefined>).InvoicePdf;
  return {
    downloadPdf: {
      actionType: 'record',
      icon: 'FileText',
      component: component ?? false,
      showInDrawer: false,
      custom: { pdfUrl: invoicePdfUrl(ADMIN_ROOT, '{id}').replace(encodeURIComponent('{id}'), '{id}') },
      handler: async (_request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        const record = ctx.record!.toJSON(ctx.currentAdmin);
        if (component) return { record };
        // Wiring gap (component not registered): say where the PDF is rather than failing silently.
        return { record, notice: { message: `Open ${invoicePdfUrl(ADMIN_ROOT, ctx.record!.id())} to download the PDF.`, type: 'info' } };
      },
    },
  };
}
