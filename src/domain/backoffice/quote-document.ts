import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { Like, type DataSource, type EntityManager } from 'typeorm';
import type { HtmlToPdf } from '../../integrations/pdf/invoice-pdf.js';
import { formatDate } from '../billing/invoice-document.js';
import { businessDate, systemClock, type Clock } from '../shared/clock.js';
import { formatMoney } from '../shared/money.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import type { QuoteItemRow, QuoteRow } from './quotes.js';

/** The printable quote: plain strings only, so the template needs nothing but `if` and `each`. */
export interface QuoteDocument {
  number: string;
  filename: string;
  subject: string;
  date: string;
  validUntil: string | null;
  currency: string;
  company: { name: string; addressLines: string[]; email: string | null };
  to: { name: string; lines: string[] };
  proposal: string | null;
  notes: string | null;
  lines: Array<{ description: string; quantity: number; unitPrice: string; discount: string; amount: string }>;
  totals: { subtotal: string; tax: string | null; total: string };
  taxInclusive: boolean;
}

export async function buildQuoteDocument(db: DataSource | EntityManager, quoteId: number, opts: { clock?: Clock; timeZone?: string; taxInclusive?: boolean } = {}): Promise<Outcome<{ document: QuoteDocument; quote: QuoteRow }>> {
  const q = (await db.getRepository('Quote').findOneBy({ id: quoteId })) as (QuoteRow & { proposal: string | null; notes: string | null; createdAt: Date; prospectCompany: string | null }) | null;
  if (!q) return fail('quote_not_found', `Quote #${quoteId} does not exist.`);
  const items = (await db.getRepository('QuoteItem').find({ where: { quoteId }, order: { sortOrder: 'ASC', id: 'ASC' } })) as QuoteItemRow[];
  const currency = (await db.getRepository('Currency').findOneByOrFail({ id: q.currencyId })) as { code: string; prefix: string; suffix: string; exponent: number };
  const client = q.clientId ? ((await db.getRepository('Client').findOne({ where: { id: q.clientId }, withDeleted: true })) as Record<string, string | null> | null) : null;
  const settings = new Map(((await db.getRepository('Setting').find({ where: [{ key: Like('company.%') }, { key: 'general.dateFormat' }] })) as Array<{ key: string; value: string | null }>).map((s) => [s.key, s.value?.trim() || null]));
  const money = (c: number) => formatMoney(c, { prefix: currency.prefix, suffix: currency.suffix, exponent: currency.exponent });
  const tz = opts.timeZone ?? 'UTC';
  const fmt = settings.get('general.dateFormat') ?? 'YYYY-MM-DD';
  const date = (d: string | Date | null) => formatDate(d, fmt, tz);
  const address = addressLines(settings.get('company.address') ?? null);
  const document: QuoteDocument = {
    number: q.quoteNumber,
    filename: `${q.quoteNumber.replace(/[^A-Za-z0-9._-]+/g, '-')}.pdf`,
    subject: q.subject,
    date: date(q.createdAt ?? businessDate((opts.clock ?? systemClock).now(), tz))!,
    validUntil: date(q.validUntil),
    currency: currency.code,
    company: { name: settings.get('company.name') ?? 'Meridian', addressLines: address, email: settings.get('company.email') ?? null },
    to: client
      ? { name: client.displayName ?? '', lines: [client.address1, client.address2, [client.city, client.postcode].filter(Boolean).join(' '), client.email].filter((x): x is string => Boolean(x?.trim())) }
      : { name: q.prospectName ?? q.prospectCompany ?? '', lines: [q.prospectCompany, q.prospectEmail].filter((x): x is string => Boolean(x?.trim())) },
    proposal: q.proposal?.trim() || null,
    notes: q.notes?.trim() || null,
    lines: items.map((i) => ({ description: i.description, quantity: i.quantity, unitPrice: money(i.unitPrice), discount: Number(i.discountPercent) ? `${Number(i.discountPercent)}%` : '—', amount: money(i.amount) })),
    totals: { subtotal: money(q.subtotal), tax: q.tax ? money(q.tax) : null, total: money(q.total) },
    taxInclusive: Boolean(opts.taxInclusive),
  };
  return succeed({ document, quote: q });
}

/** The company address setting: a JSON list of lines (as the settings screen stores it) or plain lines of text. */
function addressLines(raw: string | null): string[] {
  if (!raw) return [];
  if (raw.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed)) return parsed.map((x) => String(x).trim()).filter(Boolean);
    } catch {
      // not JSON after all: one line per line of text
    }
  }
  return raw.split(/\r?\n/).map((x) => x.trim()).filter(Boolean);
}

function findTemplate(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 7; i++) {
    const candidate = join(dir, 'templates', 'quote-pdf.hbs');
    if (existsSync(candidate)) return candidate;
    dir = resolve(dir, '..');
  }
  throw new Error('templates/quote-pdf.hbs not found: quote PDFs cannot be rendered');
}

let compiled: ((doc: QuoteDocument) => string) | null = null;

/** templates/quote-pdf.hbs in its own Handlebars environment: built-in helpers only, strict, escaped output. */
export function renderQuoteHtml(doc: QuoteDocument): string {
  if (!compiled) {
    const t = Handlebars.create().compile<QuoteDocument>(readFileSync(findTemplate(), 'utf8'), { strict: true, knownHelpersOnly: true });
    compiled = (d) => t(d, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
  }
  return compiled(doc);
}

/** The quote as a PDF, printed by the same warm Chromium as invoices. */
export async function renderQuotePdf(deps: { ds: DataSource | EntityManager; renderer: HtmlToPdf; clock?: Clock; timeZone?: string; taxInclusive?: boolean }, quoteId: number): Promise<Outcome<{ pdf: Buffer; filename: string; document: QuoteDocument; quote: QuoteRow }>> {
  const built = await buildQuoteDocument(deps.ds, quoteId, deps);
  if (!built.ok) return built;
  const printed = await deps.renderer.htmlToPdf(renderQuoteHtml(built.document), { footerText: `Quote ${built.document.number}` });
  if (!printed.ok) return printed;
  return succeed({ pdf: printed.pdf, filename: built.document.filename, document: built.document, quote: built.quote });
}
