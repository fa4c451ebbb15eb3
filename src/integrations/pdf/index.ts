export { PdfRenderer, PDF_RENDER_FAILED, PDF_RENDERER_UNAVAILABLE, CHROMIUM_FLAGS, chromiumMissingMessage, type PdfOptions, type PdfRendererOptions } from './pdf-renderer.js';
export { WarmBrowser, type PageLease } from './warm-browser.js';
export { compileInvoiceTemplate, findInvoiceTemplate, loadInvoiceTemplate, renderInvoiceHtml, type InvoiceTemplate } from './invoice-html.js';
export { renderInvoicePdf, type HtmlToPdf, type InvoicePdfDeps } from './invoice-pdf.js';
