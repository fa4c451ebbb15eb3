import type { HTTPRequest, Page } from 'puppeteer-core';
import { fail, succeed, type Outcome } from '../../domain/shared/outcome.js';
import { WarmBrowser } from './warm-browser.js';

export { PDF_RENDERER_UNAVAILABLE, chromiumMissingMessage, CHROMIUM_FLAGS } from './warm-browser.js';
export const PDF_RENDER_FAILED = 'pdf_render_failed';

export interface PdfRendererOptions {
  /** CHROMIUM_PATH (default /usr/bin/chromium). */
  executablePath: string;
  /** Pages rendering at once (default 4); further renders queue. */
  maxPages?: number;
  /** Per render: loading the HTML, then printing it (default 30 s each). */
  timeoutMs?: number;
}

export interface PdfOptions {
  /** Small text at the bottom of every page, before "Page x of y" (e.g. the invoice number). Plain text. */
  footerText?: string;
}

class NavigatedAway extends Error {
  constructor() {
    super('the document tried to navigate away');
  }
}

/** Plain text for Chromium's header/footer template, which is HTML. */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Every page is locked down once, when the pool creates it: no JavaScript, and every request except data: URLs
 * aborted — so whatever HTML a template produces can never fetch anything (no tracking pixel, no SSRF to an internal
 * address, no file:// read). Images such as the company logo must therefore be embedded as data URLs. Behind this,
 * the browser is started unable to resolve any host (see CHROMIUM_FLAGS), so not even a TCP connection leaves it.
 */
async function lockDown(page: Page): Promise<void> {
  await page.setJavaScriptEnabled(false);
  await page.setRequestInterception(true);
  page.on('request', (request: HTTPRequest) => {
    if (request.isInterceptResolutionHandled()) return;
    // A navigation of the page itself (meta refresh), to anywhere, answered "204 No Content" is cancelled and the
    // document stays; aborting it instead would replace the document with Chromium's error page.
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) void request.respond({ status: 204, body: '' }).catch(() => undefined);
    else if (request.url().startsWith('data:')) void request.continue().catch(() => undefined);
    else void request.abort('blockedbyclient').catch(() => undefined);
  });
}

/**
 * HTML → PDF on the process's warm Chromium. Expected failures (Chromium missing or not starting, a render that
 * fails or times out) are outcomes: 'pdf_renderer_unavailable' and 'pdf_render_failed'.
 */
export class PdfRenderer {
  private readonly browser: WarmBrowser;
  private readonly timeoutMs: number;

  constructor(readonly options: PdfRendererOptions) {
    this.browser = new WarmBrowser({ executablePath: options.executablePath, maxPages: options.maxPages, preparePage: lockDown });
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** The shared browser (diagnostics, tests, the benchmark). */
  get warmBrowser(): WarmBrowser {
    return this.browser;
  }

  async htmlToPdf(html: string, opts: PdfOptions = {}): Promise<Outcome<{ pdf: Buffer }>> {
    // One retry covers a browser that crashed while idle or mid-render: the retry relaunches it.
    for (let attempt = 1; ; attempt++) {
      const acquired = await this.browser.acquire();
      if (!acquired.ok) return acquired;
      const { lease } = acquired;
      try {
        const pdf = await this.print(lease.page, html, opts);
        await lease.release();
        return succeed({ pdf });
      } catch (e) {
        const crashed = !lease.page.browser().connected;
        // A page navigated by the previous document (a late meta refresh) fails this way; a fresh page will not.
        const hijacked = /Execution context was destroyed|navigat/i.test((e as Error).message) && !(e instanceof NavigatedAway);
        await lease.release(true);
        if ((crashed || hijacked) && attempt === 1) continue;
        return fail(PDF_RENDER_FAILED, `The PDF could not be rendered: ${(e as Error).message.split('\n')[0]}`);
      }
    }
  }

  /** Launches Chromium now rather than on the first render (optional; e.g. at start-up). */
  async warmUp(): Promise<Outcome> {
    const acquired = await this.browser.acquire();
    if (!acquired.ok) return acquired;
    await acquired.lease.release();
    return succeed({});
  }

  /** Graceful shutdown: renders in progress finish (up to `graceMs`), then Chromium closes. A later render relaunches it. */
  async close(graceMs?: number): Promise<void> {
    await this.browser.close(graceMs);
  }

  private async print(page: Page, html: string, opts: PdfOptions): Promise<Buffer> {
    await page.setContent(html, { waitUntil: 'load', timeout: this.timeoutMs });
    const pdf = await this.printLoaded(page, opts);
    // The document must still be ours: HTML that navigates (a meta refresh) ends on Chromium's "blocked" page, which
    // must never be handed out as the PDF. Such a page is discarded, not pooled.
    if (page.url() !== 'about:blank') throw new NavigatedAway();
    return pdf;
  }

  private async printLoaded(page: Page, opts: PdfOptions): Promise<Buffer> {
    const footer = `<div style="width:100%;font-size:7.5pt;color:#8a8f98;font-family:'DejaVu Sans','Liberation Sans',Arial,sans-serif;padding:0 15mm;display:flex;justify-content:space-between">`
      + `<span>${escapeHtml(opts.footerText ?? '')}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
    const bytes = await page.pdf({
      format: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: footer,
      margin: { top: '14mm', right: '15mm', bottom: '16mm', left: '15mm' },
      timeout: this.timeoutMs,
    });
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
}
