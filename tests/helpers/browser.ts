import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { loadConfig } from '../../src/config/config.js';
import { testEngine } from './db.js';

/**
 * The system Chromium, headless, with one page at desktop size and JavaScript off — the client area must work for a
 * customer with a locked-down browser — plus the few moves the browser tests make.
 */
export async function openBrowser(): Promise<{ browser: Browser; page: Page }> {
  const browser = await puppeteer.launch({ executablePath: loadConfig({ NODE_ENV: 'test' }).CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const page = await browser.newPage();
  await page.setViewport({ width: 1200, height: 900 });
  await page.setJavaScriptEnabled(false);
  return { browser, page };
}

/** Numbered full-page screenshots under test-artifacts/<name>/<engine>/ (CI keeps them when a step fails). */
export function screenshots(page: () => Page, name: string) {
  const dir = join(process.cwd(), 'test-artifacts', name, testEngine());
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return (step: string) => page().screenshot({ path: join(dir, `${String(++n).padStart(2, '0')}-${step}.png`), fullPage: true });
}

/** The text of the page's main element, as a reader sees it. */
export const mainText = (page: Page) => page.$eval('main', (m) => (m as unknown as { innerText: string }).innerText);

/** Clicks a submit button and waits for the page the form leads to. */
export async function submitForm(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

/** How far the page is wider than the screen (0 or less: it fits, no sideways scrolling on a phone). */
export const overflowWidth = async (page: Page) => (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
