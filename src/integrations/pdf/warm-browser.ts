import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { fail, succeed, type Outcome } from '../../domain/shared/outcome.js';

/**
 * One headless Chromium per process, started on first use and kept warm: launching costs ~0.5–2 s, a render on a
 * warm browser tens of milliseconds. Pages are pooled (at most `maxPages` at a time, further callers queue), so
 * concurrent renders share the browser without opening a tab per request. If Chromium crashes or disconnects, the
 * pool is dropped and the next caller launches a fresh browser; `close()` shuts it down for a graceful exit.
 */

/**
 * Headless, no sandbox (we run as root in containers and render only our own escaped HTML, with JavaScript and the
 * network off), and nothing that phones home — without the network flags Chromium keeps trying outside hosts.
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
  // Second lock behind the pages' request interception: the browser resolves no host at all, IP literals included,
  // so not even a speculative TCP connection (Chromium preconnects for navigations) leaves it.
  '--host-resolver-rules=MAP * ~NOTFOUND',
] as const;

export const PDF_RENDERER_UNAVAILABLE = 'pdf_renderer_unavailable';

export function chromiumMissingMessage(path: string): string {
  return `Chromium was not found at ${path}. Install it (apt-get install chromium) or set CHROMIUM_PATH.`;
}

export interface WarmBrowserOptions {
  /** CHROMIUM_PATH; the Debian package installs /usr/bin/chromium. */
  executablePath: string;
  /** Pages open at once; more concurrent callers wait their turn. */
  maxPages?: number;
  launchTimeoutMs?: number;
  /** Called once on every new page before its first use (e.g. to lock down the network). */
  preparePage?: (page: Page) => Promise<void>;
}

export interface PageLease {
  page: Page;
  /** Gives the page back; `discard` closes it instead (after a failed render its state is unknown). */
  release(discard?: boolean): Promise<void>;
}

export class WarmBrowser {
  private browser: Browser | null = null;
  private launching: Promise<Outcome<{ browser: Browser }>> | null = null;
  private idle: Page[] = [];
  private slotsInUse = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly maxPages: number;
  private launches = 0;
  private closing = false;

  constructor(private readonly options: WarmBrowserOptions) {
    this.maxPages = Math.max(1, options.maxPages ?? 4);
  }

  /** How many times Chromium was launched by this instance (diagnostics, tests). */
  get launchCount(): number {
    return this.launches;
  }

  /** The running browser, if any (diagnostics, tests). */
  get current(): Browser | null {
    return this.browser?.connected ? this.browser : null;
  }

  /** A page of the warm browser, launching it if needed. Always release the lease. */
  async acquire(): Promise<Outcome<{ lease: PageLease }>> {
    if (this.closing) return fail(PDF_RENDERER_UNAVAILABLE, 'The PDF renderer is shutting down.');
    await this.takeSlot();
    try {
      const started = await this.ensureBrowser();
      if (!started.ok) {
        this.giveSlot();
        return started;
      }
      const browser = started.browser;
      let page = this.idle.pop();
      // A pooled page that navigated after it was given back (a late meta refresh) is not reused.
      while (page && (page.isClosed() || page.url() !== 'about:blank')) {
        if (!page.isClosed()) void page.close().catch(() => undefined);
        page = this.idle.pop();
      }
      if (!page) {
        const fresh = await browser.newPage();
        try {
          if (this.options.preparePage) await this.options.preparePage(fresh);
        } catch (e) {
          await fresh.close().catch(() => undefined);
          throw e;
        }
        page = fresh;
      }
      const leased = page;
      let released = false;
      const lease: PageLease = {
        page: leased,
        release: async (discard = false) => {
          if (released) return;
          released = true;
          try {
            // A page goes back to the pool only if it still belongs to the live browser and shows our content.
            const reusable = !discard && !leased.isClosed() && this.browser === browser && browser.connected && leased.url() === 'about:blank';
            if (reusable) this.idle.push(leased);
            else if (!leased.isClosed()) await leased.close().catch(() => undefined);
          } finally {
            this.giveSlot();
          }
        },
      };
      return succeed({ lease });
    } catch (e) {
      this.giveSlot();
      // The browser died between launch and newPage: report it as unavailable rather than throwing.
      return fail(PDF_RENDERER_UNAVAILABLE, `Chromium could not open a page: ${(e as Error).message}`);
    }
  }

  /**
   * Graceful shutdown: refuses new renders, lets those in progress finish (up to `graceMs`), then closes the browser
   * and its pages. A later acquire() launches a new one.
   */
  async close(graceMs = 10_000): Promise<void> {
    this.closing = true;
    try {
      const deadline = Date.now() + graceMs;
      while ((this.slotsInUse > 0 || this.waiting.length > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const pending = this.launching;
      if (pending) await pending.catch(() => undefined);
      const browser = this.browser;
      this.browser = null;
      this.idle = [];
      if (browser) await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
    } finally {
      this.closing = false;
    }
  }

  private async ensureBrowser(): Promise<Outcome<{ browser: Browser }>> {
    if (this.browser?.connected) return succeed({ browser: this.browser });
    // Concurrent first callers share one launch.
    this.launching ??= this.launch().finally(() => {
      this.launching = null;
    });
    return this.launching;
  }

  private async launch(): Promise<Outcome<{ browser: Browser }>> {
    const path = this.options.executablePath;
    try {
      await access(path, constants.X_OK);
    } catch {
      return fail(PDF_RENDERER_UNAVAILABLE, chromiumMissingMessage(path));
    }
    let browser: Browser;
    try {
      browser = await puppeteer.launch({
        executablePath: path,
        headless: true,
        args: [...CHROMIUM_FLAGS],
        timeout: this.options.launchTimeoutMs ?? 30_000,
        // Our own shutdown closes the browser; puppeteer's handlers would call process.exit() on SIGINT/SIGTERM and
        // cut the server's graceful shutdown short. Its exit handler still kills Chromium if the process just ends.
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
    } catch (e) {
      return fail(PDF_RENDERER_UNAVAILABLE, `Chromium at ${path} could not be started: ${(e as Error).message.split('\n')[0]}`);
    }
    this.launches++;
    browser.on('disconnected', () => {
      // Crashed, killed or closed: forget it and its pages; the next acquire() relaunches.
      if (this.browser === browser) {
        this.browser = null;
        this.idle = [];
      }
    });
    this.browser = browser;
    this.idle = [];
    return succeed({ browser });
  }

  private takeSlot(): Promise<void> {
    if (this.slotsInUse < this.maxPages) {
      this.slotsInUse++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private giveSlot(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiter, so the count stays the same.
    if (next) next();
    else this.slotsInUse--;
  }
}
