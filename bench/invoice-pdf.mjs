// Invoice PDF benchmark: one invoice printed N times on a warm Chromium through Meridian's renderer (database read,
// view model, Handlebars template, locked-down pooled page, A4 with page footer), next to a bare
// `page.setContent(sameHtml) + page.pdf()` on the same browser, measured in the same run (interleaved, so both see
// the same machine load). Target: the renderer ≤ 2× the bare print.
// Build first (npm run build); `node bench/invoice-pdf.mjs [N]`; CHROMIUM_PATH as for the server.
import { setAppKey } from '../dist/src/db/secrets.js';
import { createDataSource } from '../dist/src/db/data-source.js';
import { PdfRenderer } from '../dist/src/integrations/pdf/pdf-renderer.js';
import { renderInvoicePdf } from '../dist/src/integrations/pdf/invoice-pdf.js';
import { buildInvoiceDocument } from '../dist/src/domain/billing/invoice-document.js';
import { loadInvoiceTemplate } from '../dist/src/integrations/pdf/invoice-html.js';

const N = Number(process.argv[2] ?? 50);
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

setAppKey('base64:YmVuY2gta2V5LWJlbmNoLWtleS1iZW5jaC1rZXktYmU=');
const ds = await createDataSource({ databaseUrl: 'sqlite::memory:' });
await ds.initialize();
await ds.runMigrations({ transaction: 'each' });

// A tiny company: settings, a currency, a client, one invoice of 8 lines with tax, and a partial payment.
const settings = [
  ['company.name', 'Meridian Bench Hosting', 'string'],
  ['company.legalName', 'Meridian Bench Hosting LLC', 'string'],
  ['company.address', JSON.stringify(['100 Congress Ave, Suite 400', 'Austin, TX 78701', 'United States']), 'json'],
  ['company.email', 'billing@bench.example', 'string'],
  ['company.taxId', 'EIN 00-0000000', 'string'],
];
await ds.getRepository('Setting').insert(settings.map(([key, value, type]) => ({ key, value, type, groupName: 'General', description: null, isPublic: true, secretValue: null })));
const currencyId = (await ds.getRepository('Currency').insert({ code: 'USD', prefix: '$', suffix: ' USD', exponent: 2, exchangeRate: '1', isDefault: true })).identifiers[0].id;
const clientRepo = ds.getRepository('Client');
const client = await clientRepo.save(clientRepo.create({ firstName: 'Jane', lastName: 'Doe', companyName: 'Acme Widgets Inc', email: 'jane@acme.example', address1: '1 Main Street', city: 'Springfield', state: 'IL', postcode: '62701', country: 'US', currencyId }));
const lines = Array.from({ length: 8 }, (_, i) => ({ description: `Business Hosting ${i + 1} - site${i + 1}.example`, unitPrice: 1999 + i * 100, quantity: 1 + (i % 3) }));
const subtotal = lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0);
const tax1 = Math.round((subtotal * 825) / 10000);
const invoiceId = (
  await ds.getRepository('Invoice').insert({
    invoiceNumber: 'INV-2026-00012', clientId: client.id, currencyId, status: 'unpaid', issueDate: '2026-01-01', dueDate: '2026-01-15',
    subtotal, discount: 0, tax1, tax2: 0, total: subtotal + tax1, amountPaid: 5000, credit: 0, taxRate1: '8.2500', taxName1: 'Sales Tax', taxRate2: '0.0000', taxInclusive: false,
  })
).identifiers[0].id;
await ds.getRepository('InvoiceItem').insert(lines.map((l, i) => ({ invoiceId, itemType: 'service', description: l.description, quantity: l.quantity, unitPrice: l.unitPrice, amount: l.unitPrice * l.quantity, taxable: true, periodStart: '2026-01-01', periodEnd: '2026-01-31', sortOrder: i })));
const txRepo = ds.getRepository('Transaction');
await txRepo.save(txRepo.create({ clientId: client.id, invoiceId, currencyId, gateway: 'banktransfer', transactionId: 'TX-1', type: 'payment', amountIn: 5000, amountOut: 0, date: new Date('2026-01-10T12:00:00Z'), status: 'completed' }));

const renderer = new PdfRenderer({ executablePath: CHROMIUM });
let bare;
try {
  // Warm up: launch Chromium, fill the page pool, compile the template.
  const t0 = process.hrtime.bigint();
  const first = await renderInvoicePdf({ ds, renderer }, invoiceId);
  if (!first.ok) {
    console.error(`invoice PDF: ${first.error}: ${first.message}`);
    process.exitCode = 1;
  } else {
    const coldMs = ms(t0);
    const built = await buildInvoiceDocument(ds, invoiceId);
    const html = loadInvoiceTemplate()(built.document);
    bare = await renderer.warmBrowser.current.newPage();
    await bare.setContent(html);
    await bare.pdf({ format: 'A4', printBackground: true });
    for (let i = 0; i < 3; i++) await renderInvoicePdf({ ds, renderer }, invoiceId);

    const ours = [];
    const oursHtmlOnly = [];
    const bareTimes = [];
    let bytes = 0;
    for (let i = 0; i < N; i++) {
      let t = process.hrtime.bigint();
      const out = await renderInvoicePdf({ ds, renderer }, invoiceId);
      ours.push(ms(t));
      if (!out.ok) throw new Error(out.message);
      bytes = out.pdf.length;

      t = process.hrtime.bigint();
      const r = await renderer.htmlToPdf(html, { footerText: 'Invoice INV-2026-00012' });
      oursHtmlOnly.push(ms(t));
      if (!r.ok) throw new Error(r.message);

      t = process.hrtime.bigint();
      await bare.setContent(html);
      await bare.pdf({ format: 'A4', printBackground: true });
      bareTimes.push(ms(t));
    }
    const ratio = mean(ours) / mean(bareTimes);
    console.log(`Invoice PDF, one invoice (8 lines, ${Math.round(bytes / 1024)} KB), ${N} renders each, warm browser (first render incl. launch: ${coldMs.toFixed(0)} ms)`);
    console.log(`  Meridian renderInvoicePdf (DB + template + pdf) : mean ${mean(ours).toFixed(1)} ms   p95 ${pct(ours, 95).toFixed(1)} ms`);
    console.log(`  Meridian PdfRenderer.htmlToPdf (same HTML)      : mean ${mean(oursHtmlOnly).toFixed(1)} ms   p95 ${pct(oursHtmlOnly, 95).toFixed(1)} ms`);
    console.log(`  bare page.setContent + page.pdf (same HTML)     : mean ${mean(bareTimes).toFixed(1)} ms   p95 ${pct(bareTimes, 95).toFixed(1)} ms`);
    console.log(`  ratio Meridian / bare: ${ratio.toFixed(2)}x (renderer only: ${(mean(oursHtmlOnly) / mean(bareTimes)).toFixed(2)}x)   target <= 2x   ${ratio <= 2 ? 'OK' : 'ABOVE TARGET'}`);
  }
} finally {
  await bare?.close().catch(() => undefined);
  await renderer.close();
  await ds.destroy();
}
