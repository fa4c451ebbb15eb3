import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { InvoiceDocument } from '../../domain/billing/invoice-document.js';

/**
 * Invoice HTML from templates/invoice/invoice.hbs. The template gets its own Handlebars environment
 * (`Handlebars.create()`: nothing registered elsewhere in the process leaks in) compiled with `knownHelpersOnly`, so
 * only the built-in block helpers exist, and `strict`, so a misspelt field fails loudly instead of printing nothing.
 * Values are escaped by `{{ }}`; the view model holds only plain strings and numbers, and Handlebars ≥ 4.6 refuses
 * prototype access, so `{{constructor...}}`-style lookups give nothing.
 */

export type InvoiceTemplate = (doc: InvoiceDocument) => string;

/** templates/invoice/invoice.hbs of the checkout, found from src/ or dist/src/. */
export function findInvoiceTemplate(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 7; i++) {
    const candidate = join(dir, 'templates', 'invoice', 'invoice.hbs');
    if (existsSync(candidate)) return candidate;
    dir = resolve(dir, '..');
  }
  throw new Error('templates/invoice/invoice.hbs not found: invoice PDFs cannot be rendered');
}

export function compileInvoiceTemplate(source: string): InvoiceTemplate {
  const hbs = Handlebars.create();
  const template = hbs.compile<InvoiceDocument>(source, { strict: true, knownHelpersOnly: true, noEscape: false });
  return (doc) => template(doc, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
}

const cache = new Map<string, InvoiceTemplate>();

/** The compiled template of a file, compiled once per process. */
export function loadInvoiceTemplate(path: string = findInvoiceTemplate()): InvoiceTemplate {
  let t = cache.get(path);
  if (!t) {
    t = compileInvoiceTemplate(readFileSync(path, 'utf8'));
    cache.set(path, t);
  }
  return t;
}

export function renderInvoiceHtml(doc: InvoiceDocument, template: InvoiceTemplate = loadInvoiceTemplate()): string {
  return template(doc);
}
