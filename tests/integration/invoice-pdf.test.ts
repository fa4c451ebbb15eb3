import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { openTestDb, type TestDb } from '../helpers/db.js';
import { createStaff, startTestApp, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/auth.js';
import { loadConfig } from '../../src/config/config.js';
import { FixedClock } from '../../src/domain/shared/clock.js';
import { formatMoney, percentOf } from '../../src/domain/shared/money.js';
import { buildInvoiceDocument, dataUrlOrNull, percent, stampOf } from '../../src/domain/billing/invoice-document.js';
import { PdfRenderer } from '../../src/integrations/pdf/pdf-renderer.js';
import { renderInvoicePdf } from '../../src/integrations/pdf/invoice-pdf.js';
import { loadInvoiceTemplate } from '../../src/integrations/pdf/invoice-html.js';
import { buildInvoicePdfRouter } from '../../src/admin/invoice-pdf-route.js';
import { RbacService } from '../../src/domain/access/rbac-service.js';
import { buildAdmin, describeResources } from '../../src/admin/admin.js';
import { allResources } from '../../resources/index.js';
import { seedDemoData } from '../../src/demo/seed.js';
import { Client } from '../../src/entities/clients/client.entity.js';
import { Currency } from '../../src/entities/system/currency.entity.js';
import { Setting } from '../../src/entities/system/setting.entity.js';
import { Invoice } from '../../src/entities/billing/invoice.entity.js';
import { InvoiceItem } from '../../src/entities/billing/invoice-item.entity.js';
import { Transaction } from '../../src/entities/billing/transaction.entity.js';

/**
 * Invoice PDF: a real invoice from the database, printed by the warm system Chromium, read back with pdftotext
 * (poppler-utils). Also: escaping, the page's network lock, one browser for concurrent renders, recovery from a
 * crashed browser, the error when Chromium is missing, and the admin download route's answers.
 */

const CHROMIUM = loadConfig({ NODE_ENV: 'test' }).CHROMIUM_PATH;
const MISSING = '/nonexistent/meridian-test/chromium';
// 1x1 transparent PNG.
const PNG_DATA_URL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** The PDF's text with every run of whitespace made one space: table cells and wrapped lines read as one string. */
function pdfText(pdf: Buffer): string {
  const r = spawnSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf });
  if (r.status !== 0) throw new Error(`pdftotext failed: ${r.stderr?.toString()}`);
  return r.stdout.toString('utf8').replace(/\s+/g, ' ');
}

/** Images drawn in the PDF (an image's transparency mask is listed separately as 'smask' and not counted). */
function pdfImageCount(pdf: Buffer): number {
  const r = spawnSync('pdfimages', ['-list', '-'], { input: pdf });
  if (r.status !== 0) throw new Error(`pdfimages failed: ${r.stderr?.toString()}`);
  return r.stdout.toString().trim().split('\n').slice(2).filter((line) => line.trim().split(/\s+/)[2] === 'image').length;
}

/** A loopback HTTP server counting every request and every TCP connection, to prove the page reached nothing. */
async function trap(): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/png' }).end();
  });
  server.on('connection', (socket) => {
    hits.push('(tcp connection)');
    socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let seq = 0;

interface Fixture {
  invoiceId: number;
  number: string;
  clientName: string;
  descriptions: string[];
  total: number;
}

async function companySettings(ds: DataSource, logo = '') {
  const repo = ds.getRepository(Setting);
  const rows: Array<[string, string, string]> = [
    ['company.name', 'Meridian Test Hosting', 'string'],
    ['company.legalName', 'Meridian Test Hosting LLC', 'string'],
    ['company.email', 'billing@meridian-test.example', 'string'],
    ['company.phone', '+1 512 555 0100', 'string'],
    ['company.url', 'https://meridian-test.example', 'string'],
    ['company.address', JSON.stringify(['200 Test Street', 'Austin, TX 78701', 'United States']), 'json'],
    ['company.taxId', 'EIN 12-3456789', 'string'],
    ['company.logoUrl', logo, 'string'],
  ];
  for (const [key, value, type] of rows) {
    const existing = (await repo.findOne({ where: { key } })) as Setting | null;
    if (existing) await repo.update({ id: existing.id }, { value });
    else await repo.insert({ key, value, type: type as Setting['type'], groupName: 'General', description: null, isPublic: true, secretValue: null });
  }
}

async function usd(ds: DataSource): Promise<number> {
  const repo = ds.getRepository(Currency);
  const found = (await repo.findOne({ where: { code: 'USD' } })) as Currency | null;
  if (found) {
    await repo.update({ id: found.id }, { prefix: '$', suffix: ' USD', exponent: 2 });
    return found.id;
  }
  return (await repo.insert({ code: 'USD', prefix: '$', suffix: ' USD', exponent: 2, exchangeRate: '1', isDefault: true })).identifiers[0].id as number;
}

/**
 * Client, invoice of three lines (one with a service period, one not taxable) with 8.25% tax, a partial payment and
 * credit applied. Totals are computed here with the money helpers, as billing stores them.
 */
async function makeInvoice(ds: DataSource, over: { companyName?: string; description?: string; status?: Invoice['status']; number?: string } = {}): Promise<Fixture> {
  seq++;
  const currencyId = await usd(ds);
  const clientRepo = ds.getRepository(Client);
  const client = (await clientRepo.save(
    clientRepo.create({
      firstName: 'Jane',
      lastName: `Doe ${seq}`,
      companyName: over.companyName ?? `Acme Widgets ${seq} Inc`,
      email: `jane${seq}-${Date.now()}@acme.example`,
      address1: '1 Main Street',
      city: 'Springfield',
      state: 'IL',
      postcode: '62701',
      country: 'US',
      currencyId,
    }),
  )) as Client;
  const lines = [
    { description: over.description ?? `Business Hosting ${seq} - acme.example`, unitPrice: 119999, quantity: 1, taxable: true, periodStart: '2026-01-01', periodEnd: '2026-01-31', itemType: 'service' as const },
    { description: 'Extra IP address', unitPrice: 300, quantity: 2, taxable: true, periodStart: null, periodEnd: null, itemType: 'other' as const },
    { description: 'Setup fee', unitPrice: 2500, quantity: 1, taxable: false, periodStart: null, periodEnd: null, itemType: 'setup_fee' as const },
  ];
  const subtotal = lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0);
  const taxable = lines.filter((l) => l.taxable).reduce((s, l) => s + l.unitPrice * l.quantity, 0);
  const tax1 = percentOf(taxable, '8.2500');
  const total = subtotal + tax1;
  const status = over.status ?? 'unpaid';
  const paid = status === 'paid' ? total - 1000 : status === 'refunded' ? 0 : 50000;
  const number = over.number ?? `INV-2026-${String(10000 + seq).padStart(5, '0')}`;
  const invoiceId = (
    await ds.getRepository(Invoice).insert({
      invoiceNumber: number,
      clientId: client.id,
      currencyId,
      status,
      issueDate: '2026-01-01',
      dueDate: '2026-01-15',
      paidAt: status === 'paid' ? new Date('2026-01-12T10:00:00Z') : null,
      subtotal,
      discount: 0,
      tax1,
      tax2: 0,
      total,
      amountPaid: paid,
      credit: 1000,
      taxRate1: '8.2500',
      taxName1: 'Texas Sales Tax',
      taxRate2: '0.0000',
      taxName2: null,
      taxInclusive: false,
      notes: 'Thank you for your business.',
    })
  ).identifiers[0].id as number;
  await ds.getRepository(InvoiceItem).insert(
    lines.map((l, i) => ({ invoiceId, itemType: l.itemType, description: l.description, quantity: l.quantity, unitPrice: l.unitPrice, amount: l.unitPrice * l.quantity, taxable: l.taxable, periodStart: l.periodStart, periodEnd: l.periodEnd, sortOrder: i })),
  );
  const txn = ds.getRepository(Transaction);
  const payment = (await txn.save(
    txn.create({ clientId: client.id, invoiceId, currencyId, gateway: 'banktransfer', transactionId: `TX-PDF-${seq}`, type: 'payment', amountIn: status === 'refunded' ? total - 1000 : paid, amountOut: 0, date: new Date('2026-01-10T12:00:00Z'), status: 'completed' }),
  )) as Transaction;
  if (status === 'refunded') {
    await txn.save(txn.create({ clientId: client.id, invoiceId, currencyId, gateway: 'banktransfer', transactionId: `TX-PDF-${seq}-R`, type: 'refund', amountIn: 0, amountOut: total - 1000, date: new Date('2026-01-20T12:00:00Z'), status: 'completed', refundOfId: payment.id }));
  }
  return { invoiceId, number, clientName: client.displayName, descriptions: lines.map((l) => l.description), total };
}

const money = (cents: number) => formatMoney(cents, { prefix: '$', suffix: ' USD' });

describe('invoice PDF', () => {
  let db: TestDb;
  let renderer: PdfRenderer;

  beforeAll(async () => {
    db = await openTestDb();
    await companySettings(db.ds);
    renderer = new PdfRenderer({ executablePath: CHROMIUM });
  });
  afterAll(async () => {
    await renderer?.close();
    await db?.close();
  });

  it('prints a real invoice: number, client, every line, exact totals, payments and the status stamp', async () => {
    const f = await makeInvoice(db.ds);
    const clock = new FixedClock(new Date('2026-01-10T12:00:00Z'));
    const out = await renderInvoicePdf({ ds: db.ds, renderer, clock, timeZone: 'UTC' }, f.invoiceId);
    if (!out.ok) throw new Error(out.message);
    expect(out.pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(out.filename).toBe(`${f.number}.pdf`);

    // 1,199.99 + 2 × 3.00 + 25.00 = 1,230.99; tax 8.25% of 1,205.99 = 99.494… → 99.49; total 1,330.48
    expect(f.total).toBe(133048);
    const text = pdfText(out.pdf);
    expect(text).toContain(f.number);
    expect(text).toContain(f.clientName);
    for (const d of f.descriptions) expect(text).toContain(d);
    expect(text).toContain('$1,330.48 USD');
    expect(text).toContain('$1,199.99 USD');
    expect(text).toContain('$99.49 USD');
    expect(text).toContain('Texas Sales Tax (8.25%)');
    expect(text).toContain('$500.00 USD'); // payment
    expect(text).toContain('$10.00 USD'); // credit applied
    expect(text).toContain('$820.48 USD'); // balance due: 1,330.48 − 500.00 − 10.00
    expect(text).toContain(`TX-PDF-${seq}`);
    expect(text).toContain('Bank transfer');
    expect(text).toContain('2026-01-01 – 2026-01-31');
    expect(text).toContain('Meridian Test Hosting LLC');
    expect(text).toContain('200 Test Street');
    expect(text).toContain('Springfield, IL 62701');
    expect(text).toContain('UNPAID');
    expect(text).not.toContain('OVERDUE');
  });

  it('stamps OVERDUE after the due date, and PAID, CANCELLED, REFUNDED by status', async () => {
    const late = await makeInvoice(db.ds);
    const after = new FixedClock(new Date('2026-01-16T00:30:00Z'));
    const overdue = await renderInvoicePdf({ ds: db.ds, renderer, clock: after, timeZone: 'UTC' }, late.invoiceId);
    if (!overdue.ok) throw new Error(overdue.message);
    expect(pdfText(overdue.pdf)).toContain('OVERDUE');
    // The due date in the business timezone decides: 00:30 UTC on the 16th is still the 15th in New York.
    const sameDay = await buildInvoiceDocument(db.ds, late.invoiceId, { clock: after, timeZone: 'America/New_York' });
    expect(sameDay.ok && sameDay.document.stamp.label).toBe('UNPAID');

    for (const [status, label] of [['paid', 'PAID'], ['cancelled', 'CANCELLED'], ['refunded', 'REFUNDED']] as const) {
      const f = await makeInvoice(db.ds, { status });
      const out = await renderInvoicePdf({ ds: db.ds, renderer, clock: after, timeZone: 'UTC' }, f.invoiceId);
      if (!out.ok) throw new Error(out.message);
      const text = pdfText(out.pdf);
      expect({ status, stamp: text.includes(label), total: text.includes('$1,330.48 USD') }).toEqual({ status, stamp: true, total: true });
      expect(text).not.toContain('OVERDUE');
      // Nothing can be due on a cancelled or refunded invoice; a paid one shows 0.00.
      expect(text.includes('Balance due')).toBe(status === 'paid');
      if (status === 'refunded') expect(text).toContain('-$1,320.48 USD');
    }
  });

  it('builds the view model from stored values, exactly', async () => {
    const f = await makeInvoice(db.ds);
    const built = await buildInvoiceDocument(db.ds, f.invoiceId, { clock: new FixedClock(new Date('2026-01-02T00:00:00Z')), timeZone: 'UTC' });
    if (!built.ok) throw new Error(built.message);
    const d = built.document;
    expect(d.amounts).toEqual({ subtotal: 123099, discount: 0, tax1: 9949, tax2: 0, total: 133048, paid: 50000, credit: 1000, balanceDue: 82048 });
    expect(d.totals).toEqual({ subtotal: '$1,230.99 USD', discount: null, total: '$1,330.48 USD', paid: '$500.00 USD', credit: '$10.00 USD', balanceDue: '$820.48 USD' });
    expect(d.taxes).toEqual([{ name: 'Texas Sales Tax', rate: '8.25%', amount: '$99.49 USD' }]);
    expect(d.lines.map((l) => [l.description, l.period, l.quantity, l.unitPrice, l.amount])).toEqual([
      [f.descriptions[0], '2026-01-01 – 2026-01-31', 1, '$1,199.99 USD', '$1,199.99 USD'],
      ['Extra IP address', null, 2, '$3.00 USD', '$6.00 USD'],
      ['Setup fee', null, 1, '$25.00 USD', '$25.00 USD'],
    ]);
    expect(d.payments).toEqual([{ date: '2026-01-10', method: 'Bank transfer', reference: `TX-PDF-${seq}`, kind: 'Payment', amount: '$500.00 USD' }]);
    expect(d.client).toEqual({ name: f.clientName, attention: `Jane Doe ${seq}`, addressLines: ['1 Main Street', 'Springfield, IL 62701', 'United States'], email: expect.stringMatching(/@acme\.example$/), taxId: null });
    expect(d.company.addressLines).toEqual(['200 Test Street', 'Austin, TX 78701', 'United States']);
    expect(d.company.logo).toBeNull();
    expect(d.stamp).toEqual({ label: 'UNPAID', tone: 'due' });
    expect(await buildInvoiceDocument(db.ds, 999_999)).toEqual({ ok: false, error: 'invoice_not_found', message: 'There is no invoice #999999.' });
  });

  it('has small rules that are pinned down', () => {
    expect(percent('8.2500')).toBe('8.25%');
    expect(percent('20.0000')).toBe('20%');
    expect(percent('0.5000')).toBe('0.5%');
    expect(stampOf('unpaid', '2026-01-15', '2026-01-15', 100)).toEqual({ label: 'UNPAID', tone: 'due' });
    expect(stampOf('unpaid', '2026-01-15', '2026-01-16', 100)).toEqual({ label: 'OVERDUE', tone: 'overdue' });
    expect(stampOf('unpaid', '2026-01-15', '2026-01-16', 0)).toEqual({ label: 'UNPAID', tone: 'due' });
    expect(stampOf('payment_pending', '2026-01-15', '2026-03-01', 100).label).toBe('PAYMENT PENDING');
    expect(dataUrlOrNull(PNG_DATA_URL)).toBe(PNG_DATA_URL);
    expect(dataUrlOrNull('https://cdn.example/logo.png')).toBeNull();
    expect(dataUrlOrNull('data:text/html;base64,PHNjcmlwdD4=')).toBeNull();
    expect(dataUrlOrNull('data:image/png;base64,AAAA" onerror="x')).toBeNull();
  });

  it('escapes HTML and Handlebars in client names and line descriptions, and fetches nothing', async () => {
    const t = await trap();
    try {
      const evilName = `<script>document.title='x'</script> & <b>Bold</b> "Quoted" Ltd`;
      const evilLine = `<img src="${t.url}/pixel.png"> {{constructor.name}} <style>body{display:none}</style>`;
      const f = await makeInvoice(db.ds, { companyName: evilName, description: evilLine });
      const built = await buildInvoiceDocument(db.ds, f.invoiceId);
      if (!built.ok) throw new Error(built.message);
      const html = loadInvoiceTemplate()(built.document);
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('<img src="http');
      expect(html).toContain('&lt;img src&#x3D;&quot;http');
      expect(html).toContain('{{constructor.name}}');

      const out = await renderInvoicePdf({ ds: db.ds, renderer }, f.invoiceId);
      if (!out.ok) throw new Error(out.message);
      const text = pdfText(out.pdf);
      expect(text).toContain(`<script>document.title='x'</script> & <b>Bold</b> "Quoted" Ltd`);
      expect(text).toContain(`<img src="${t.url}/pixel.png"> {{constructor.name}}`);
      expect(text).toContain('$1,330.48 USD');
      expect(t.hits).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('locks the page network down: only data: URLs load, whatever the HTML asks for', async () => {
    const t = await trap();
    try {
      const html = `<!DOCTYPE html><html><head>
        <link rel="stylesheet" href="${t.url}/style.css">
        <style>@import url("${t.url}/import.css"); body { background: url("${t.url}/bg.png"); }</style>
        <script src="${t.url}/script.js"></script>
        </head><body><h1>Network test</h1>
        <img src="${t.url}/img.png"><iframe src="${t.url}/frame"></iframe><object data="${t.url}/object"></object>
        <img src="file:///etc/passwd"><img src="${PNG_DATA_URL}" width="20" height="20">
        <script>fetch('${t.url}/fetch')</script>
        </body></html>`;
      const out = await renderer.htmlToPdf(html);
      if (!out.ok) throw new Error(out.message);
      expect(pdfText(out.pdf)).toContain('Network test');
      await new Promise((r) => setTimeout(r, 300));
      expect(t.hits).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('keeps the document when the HTML tries to navigate away (meta refresh to a URL or a data: page)', async () => {
    const t = await trap();
    try {
      for (const target of [`${t.url}/refresh`, 'data:text/html,<h1>Replaced</h1>']) {
        const html = `<html><head><meta http-equiv="refresh" content="0; url=${target}"></head><body><h1>Refresh test</h1></body></html>`;
        for (let i = 0; i < 3; i++) {
          const out = await renderer.htmlToPdf(html);
          if (!out.ok) throw new Error(out.message);
          const text = pdfText(out.pdf);
          expect(text).toContain('Refresh test');
          expect(text).not.toContain('Replaced');
        }
      }
      // The pool is not poisoned: the next render is whole.
      const next = await renderer.htmlToPdf('<h1>After the refresh</h1>');
      expect(next.ok && pdfText(next.pdf).includes('After the refresh')).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
      expect(t.hits).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('embeds a data: URL logo and ignores a remote one', async () => {
    const t = await trap();
    try {
      await companySettings(db.ds, PNG_DATA_URL);
      const f = await makeInvoice(db.ds);
      const withLogo = await renderInvoicePdf({ ds: db.ds, renderer }, f.invoiceId);
      if (!withLogo.ok) throw new Error(withLogo.message);
      expect(pdfImageCount(withLogo.pdf)).toBe(1);
      expect(pdfText(withLogo.pdf)).not.toMatch(/Meridian Test Hosting(?! LLC)/); // the logo replaces the text wordmark

      await companySettings(db.ds, `${t.url}/logo.png`);
      const remote = await renderInvoicePdf({ ds: db.ds, renderer }, f.invoiceId);
      if (!remote.ok) throw new Error(remote.message);
      expect(pdfImageCount(remote.pdf)).toBe(0);
      expect(pdfText(remote.pdf)).toMatch(/Meridian Test Hosting(?! LLC)/);
      expect(t.hits).toEqual([]);
    } finally {
      await companySettings(db.ds, '');
      await t.close();
    }
  });

  it('renders 10 invoices at once on one browser, launched once', async () => {
    const fresh = new PdfRenderer({ executablePath: CHROMIUM, maxPages: 4 });
    try {
      const fixtures: Fixture[] = [];
      for (let i = 0; i < 10; i++) fixtures.push(await makeInvoice(db.ds));
      const outs = await Promise.all(fixtures.map((f) => renderInvoicePdf({ ds: db.ds, renderer: fresh }, f.invoiceId)));
      outs.forEach((out, i) => {
        if (!out.ok) throw new Error(out.message);
        expect(out.pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        // each PDF is its own invoice: no page shared content between concurrent renders
        const text = pdfText(out.pdf);
        expect(text).toContain(fixtures[i].number);
        expect(text).toContain(fixtures[i].clientName);
        for (const other of fixtures) if (other !== fixtures[i]) expect(text).not.toContain(other.number);
      });
      expect(fresh.warmBrowser.launchCount).toBe(1);
      const pages = await fresh.warmBrowser.current!.pages();
      expect(pages.length).toBeLessThanOrEqual(4 + 1); // the pool, plus the blank tab Chromium opens at start
    } finally {
      await fresh.close();
    }
  });

  it('relaunches Chromium after it crashed, and after close()', async () => {
    const own = new PdfRenderer({ executablePath: CHROMIUM });
    try {
      const f = await makeInvoice(db.ds);
      expect((await own.warmUp()).ok).toBe(true);
      const browser = own.warmBrowser.current!;
      const gone = new Promise<void>((r) => browser.once('disconnected', () => r()));
      browser.process()!.kill('SIGKILL');
      await gone;
      expect(own.warmBrowser.current).toBeNull();
      const after = await renderInvoicePdf({ ds: db.ds, renderer: own }, f.invoiceId);
      expect(after.ok).toBe(true);
      expect(own.warmBrowser.launchCount).toBe(2);

      // killed in the middle of a render: the render is retried once on a new browser
      const during = renderInvoicePdf({ ds: db.ds, renderer: own }, f.invoiceId);
      own.warmBrowser.current!.process()!.kill('SIGKILL');
      expect((await during).ok).toBe(true);

      await own.close();
      expect(own.warmBrowser.current).toBeNull();
      expect((await renderInvoicePdf({ ds: db.ds, renderer: own }, f.invoiceId)).ok).toBe(true);
    } finally {
      await own.close();
    }
  });

  it('closes gracefully: renders in progress finish, new ones are refused until it has closed', async () => {
    const own = new PdfRenderer({ executablePath: CHROMIUM, maxPages: 2 });
    const f = await makeInvoice(db.ds);
    expect((await own.warmUp()).ok).toBe(true);
    const browser = own.warmBrowser.current!;
    const built = await buildInvoiceDocument(db.ds, f.invoiceId);
    if (!built.ok) throw new Error(built.message);
    const html = loadInvoiceTemplate()(built.document);
    // Three renders already asked for (two printing, one queued for a page) when shutdown begins.
    const inFlight = [1, 2, 3].map(() => own.htmlToPdf(html));
    const closing = own.close();
    const late = await own.htmlToPdf('<p>late</p>');
    expect(late).toEqual({ ok: false, error: 'pdf_renderer_unavailable', message: 'The PDF renderer is shutting down.' });
    const outs = await Promise.all(inFlight);
    expect(outs.map((o) => o.ok)).toEqual([true, true, true]);
    await closing;
    expect(browser.connected).toBe(false);
    expect(browser.process()?.exitCode ?? browser.process()?.signalCode).not.toBeNull();
    expect(own.warmBrowser.current).toBeNull();
    for (const o of outs) if (o.ok) expect(pdfText(o.pdf)).toContain(f.number);
  });

  it("answers 'pdf_renderer_unavailable' with a clear message when Chromium is missing", async () => {
    const path = loadConfig({ NODE_ENV: 'test', CHROMIUM_PATH: MISSING }).CHROMIUM_PATH;
    const missing = new PdfRenderer({ executablePath: path });
    const f = await makeInvoice(db.ds);
    const out = await renderInvoicePdf({ ds: db.ds, renderer: missing }, f.invoiceId);
    expect(out).toEqual({
      ok: false,
      error: 'pdf_renderer_unavailable',
      message: `Chromium was not found at ${MISSING}. Install it (apt-get install chromium) or set CHROMIUM_PATH.`,
    });
    expect(missing.warmBrowser.launchCount).toBe(0);

    // The route turns it into 503 with the same message (a router on a bare app with a fake signed-in admin).
    const app = express();
    app.use((req, _res, next) => {
      const adminUser = { id: 1, email: 'a@b.c' };
      Object.defineProperty(adminUser, 'permissions', { value: new Set(['Invoice.action.downloadPdf']), enumerable: false });
      (req as unknown as { session: unknown }).session = { adminUser };
      next();
    });
    app.use('/admin', buildInvoicePdfRouter({ ds: db.ds, renderer: missing }));
    const res = await request(app).get(`/admin/invoices/${f.invoiceId}/pdf`).set('Accept', 'application/json');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: 'pdf_renderer_unavailable', message: `Chromium was not found at ${MISSING}. Install it (apt-get install chromium) or set CHROMIUM_PATH.` });

    const anonymous = express();
    anonymous.use((req, _res, next) => {
      (req as unknown as { session: unknown }).session = {};
      next();
    });
    anonymous.use('/admin', buildInvoicePdfRouter({ ds: db.ds, renderer: missing }));
    expect((await request(anonymous).get(`/admin/invoices/${f.invoiceId}/pdf`)).status).toBe(401);
  });
});

describe('GET /admin/invoices/:id/pdf', () => {
  let t: TestApp;
  let renderer: PdfRenderer;
  const PERMISSION = 'Invoice.action.downloadPdf';

  beforeAll(async () => {
    t = await startTestApp();
    renderer = new PdfRenderer({ executablePath: CHROMIUM });
    await companySettings(t.ds);
    // Until the Download PDF action is registered with the admin, RBAC sync does not know the permission: grant it
    // as sync would (Full Administrator and Billing hold Billing-group actions; Support does not).
    const perms = t.ds.getRepository('Permission');
    if (!(await perms.findOne({ where: { name: PERMISSION } }))) {
      const permissionId = (await perms.insert({ name: PERMISSION, displayName: 'Invoice: downloadPdf', groupName: 'Billing', description: null })).identifiers[0].id as number;
      const roles = (await t.ds.getRepository('Role').find()) as Array<{ id: number; name: string }>;
      const grants = roles.filter((r) => r.name === 'Full Administrator' || r.name === 'Billing').map((r) => ({ permissionId, roleId: r.id }));
      await t.ds.getRepository('PermissionRole').insert(grants);
    }
    // The lead mounts the router under the admin guard; mounting it here too (after the app's routes) keeps this
    // test independent of that wiring: whichever answers first, the rules are the same.
    t.built.app.use('/admin', buildInvoicePdfRouter({ ds: t.ds, renderer, rbac: t.rbac }));
    await createStaff(t.ds, { email: 'billing@pdf.test', password: 'billing-password-1', role: 'Billing' });
    await createStaff(t.ds, { email: 'support@pdf.test', password: 'support-password-1', role: 'Support' });
  });
  afterAll(async () => {
    await renderer?.close();
    await t?.close();
  });

  it('sends the PDF as an attachment to staff with the permission', async () => {
    const f = await makeInvoice(t.ds, { number: 'INV-2026-00012' });
    const agent = t.agent();
    await loginAs(agent, 'billing@pdf.test', 'billing-password-1');
    const res = await agent.get(`/admin/invoices/${f.invoiceId}/pdf`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename="INV-2026-00012.pdf"');
    expect(res.headers['cache-control']).toBe('private, no-store');
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(Number(res.headers['content-length'])).toBe(pdf.length);
    const text = pdfText(pdf);
    expect(text).toContain('INV-2026-00012');
    expect(text).toContain(f.clientName);
    expect(text).toContain('$1,330.48 USD');
  });

  it('refuses staff without the permission with 403 and records the refusal', async () => {
    const f = await makeInvoice(t.ds);
    const agent = t.agent();
    await loginAs(agent, 'support@pdf.test', 'support-password-1');
    const res = await agent.get(`/admin/invoices/${f.invoiceId}/pdf`);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).not.toContain('application/pdf');
    const logged = (await t.ds.getRepository('AuditLog').find({ where: { event: 'forbidden', auditableType: 'Invoice', auditableId: String(f.invoiceId) } })) as Array<{ description: string; actorName: string }>;
    expect(logged.length).toBe(1);
    expect(logged[0].actorName).toBe('support@pdf.test');
    expect(logged[0].description).toContain(PERMISSION);
  });

  it('answers 404 for an unknown invoice and 400 for an id that is not a number', async () => {
    const agent = t.agent();
    await loginAs(agent, 'billing@pdf.test', 'billing-password-1');
    const missing = await agent.get('/admin/invoices/987654/pdf').set('Accept', 'application/json');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'invoice_not_found', message: 'There is no invoice #987654.' });
    for (const bad of ['abc', '1.5', '-3', '0', '12abc', '99999999999999999999']) {
      const res = await agent.get(`/admin/invoices/${encodeURIComponent(bad)}/pdf`).set('Accept', 'application/json');
      expect({ bad, status: res.status, error: res.body.error }).toEqual({ bad, status: 400, error: 'invalid_id' });
    }
  });
});

describe('invoice PDF of the demo company', () => {
  let db: TestDb;
  let renderer: PdfRenderer;
  const today = '2026-03-15';

  beforeAll(async () => {
    db = await openTestDb();
    await new RbacService(db.ds).sync(describeResources(buildAdmin(allResources)));
    expect(await seedDemoData(db.ds, { timezone: 'UTC', today })).toBe(true);
    renderer = new PdfRenderer({ executablePath: CHROMIUM });
  });
  afterAll(async () => {
    await renderer?.close();
    await db?.close();
  });

  it('prints every demo invoice; one PDF per status carries its number, client, lines, total and stamp', async () => {
    const clock = new FixedClock(new Date(`${today}T12:00:00Z`));
    const invoices = (await db.ds.getRepository(Invoice).find({ order: { id: 'ASC' } })) as Invoice[];
    const currencies = new Map(((await db.ds.getRepository(Currency).find()) as Currency[]).map((c) => [c.id, c]));
    const template = loadInvoiceTemplate();
    const printedStatuses = new Set<string>();
    for (const inv of invoices) {
      const built = await buildInvoiceDocument(db.ds, inv.id, { clock, timeZone: 'UTC' });
      if (!built.ok) throw new Error(built.message);
      const doc = built.document;
      const cur = currencies.get(inv.currencyId)!;
      const fmt = (c: number) => formatMoney(c, { prefix: cur.prefix, suffix: cur.suffix, exponent: cur.exponent });
      expect({ id: inv.id, total: doc.totals.total, stamp: doc.stamp.label }).toEqual({
        id: inv.id,
        total: fmt(inv.total),
        stamp: stampOf(inv.status, inv.dueDate, today, inv.total - inv.amountPaid - inv.credit).label,
      });
      template(doc); // strict template: every demo invoice has every field it needs
      if (printedStatuses.has(inv.status)) continue;
      printedStatuses.add(inv.status);
      const out = await renderInvoicePdf({ ds: db.ds, renderer, clock, timeZone: 'UTC' }, inv.id);
      if (!out.ok) throw new Error(out.message);
      const text = pdfText(out.pdf);
      const flat = (s: string) => s.replace(/\s+/g, ' ').trim();
      expect({ id: inv.id, number: text.includes(doc.number), client: text.includes(flat(doc.client.name)), total: text.includes(fmt(inv.total)), stamp: text.includes(doc.stamp.label) }).toEqual({
        id: inv.id,
        number: true,
        client: true,
        total: true,
        stamp: true,
      });
      for (const line of doc.lines) expect(text).toContain(flat(line.description));
    }
    expect([...printedStatuses].sort()).toEqual(['cancelled', 'collections', 'draft', 'paid', 'payment_pending', 'refunded', 'unpaid']);
  });
});
