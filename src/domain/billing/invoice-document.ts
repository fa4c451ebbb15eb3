import { In, Like, type DataSource, type EntityManager } from 'typeorm';
import { Invoice, type InvoiceStatus } from '../../entities/billing/invoice.entity.js';
import { InvoiceItem } from '../../entities/billing/invoice-item.entity.js';
import { Transaction } from '../../entities/billing/transaction.entity.js';
import { Client } from '../../entities/clients/client.entity.js';
import { Currency } from '../../entities/system/currency.entity.js';
import { PaymentGateway } from '../../entities/system/payment-gateway.entity.js';
import { Setting } from '../../entities/system/setting.entity.js';
import { businessDate, systemClock, type Clock } from '../shared/clock.js';
import { formatMoney, type Cents } from '../shared/money.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';

/**
 * The printable view of one invoice: plain strings and numbers only, everything already formatted, so the template
 * (templates/invoice/invoice.hbs) has no logic beyond `if` and `each` and can be rendered in an isolated Handlebars
 * environment with escaped variables. Built from what the invoice stored when it was issued (totals, tax names and
 * rates), never recomputed from today's catalogue or tax rules — a reprint must match the original.
 */
export interface InvoiceDocument {
  id: number;
  /** The invoice number, or "DRAFT-<id>" before a number is issued. */
  number: string;
  /** Safe download name, e.g. "INV-2026-00012.pdf". */
  filename: string;
  status: InvoiceStatus;
  stamp: { label: StampLabel; tone: 'paid' | 'due' | 'overdue' | 'void' | 'draft' };
  issueDate: string;
  dueDate: string;
  paidDate: string | null;
  company: {
    name: string;
    legalName: string | null;
    addressLines: string[];
    email: string | null;
    phone: string | null;
    url: string | null;
    taxId: string | null;
    /** A data: URL (the page may fetch nothing else), or null for the text logo. */
    logo: string | null;
  };
  client: {
    name: string;
    /** The person, when the client is a company. */
    attention: string | null;
    addressLines: string[];
    email: string;
    taxId: string | null;
  };
  currency: { code: string; prefix: string; suffix: string };
  lines: Array<{ description: string; period: string | null; quantity: number; unitPrice: string; amount: string; taxable: boolean }>;
  taxes: Array<{ name: string; rate: string; amount: string }>;
  taxInclusive: boolean;
  totals: {
    subtotal: string;
    discount: string | null;
    total: string;
    paid: string;
    credit: string | null;
    /** Null when nothing can be due any more (cancelled, refunded). */
    balanceDue: string | null;
  };
  payments: Array<{ date: string; method: string; reference: string | null; kind: 'Payment' | 'Refund' | 'Credit' | 'Chargeback' | 'Adjustment'; amount: string }>;
  notes: string | null;
  /** Bank details and the like, shown while something is due. */
  paymentInstructions: string | null;
  /** The same amounts in minor units, for callers that need numbers (email, tests). */
  amounts: { subtotal: Cents; discount: Cents; tax1: Cents; tax2: Cents; total: Cents; paid: Cents; credit: Cents; balanceDue: Cents };
}

export type StampLabel = 'DRAFT' | 'UNPAID' | 'OVERDUE' | 'PAID' | 'CANCELLED' | 'REFUNDED' | 'COLLECTIONS' | 'PAYMENT PENDING';

export interface InvoiceDocumentOptions {
  /** "Today" decides OVERDUE; in the business timezone. */
  clock?: Clock;
  timeZone?: string;
}

export const INVOICE_NOT_FOUND = 'invoice_not_found';

/** Reads the invoice, its lines, client, currency, completed transactions and company settings into a document. */
export async function buildInvoiceDocument(db: DataSource | EntityManager, invoiceId: number, opts: InvoiceDocumentOptions = {}): Promise<Outcome<{ document: InvoiceDocument }>> {
  if (!Number.isSafeInteger(invoiceId) || invoiceId <= 0) return fail(INVOICE_NOT_FOUND, `There is no invoice #${invoiceId}.`);
  const invoice = (await db.getRepository(Invoice).findOne({ where: { id: invoiceId } })) as Invoice | null;
  if (!invoice) return fail(INVOICE_NOT_FOUND, `There is no invoice #${invoiceId}.`);

  // One after another: inside a caller's transaction they share a single connection anyway.
  const items = (await db.getRepository(InvoiceItem).find({ where: { invoiceId }, order: { sortOrder: 'ASC', id: 'ASC' } })) as InvoiceItem[];
  // A client closed (soft-deleted) after the invoice was issued still appears on it.
  const client = (await db.getRepository(Client).findOne({ where: { id: invoice.clientId }, withDeleted: true })) as Client | null;
  const currency = (await db.getRepository(Currency).findOne({ where: { id: invoice.currencyId } })) as Currency | null;
  const transactions = (await db.getRepository(Transaction).find({ where: { invoiceId, status: 'completed' }, order: { date: 'ASC', id: 'ASC' } })) as Transaction[];
  const settings = (await db.getRepository(Setting).find({ where: [{ key: Like('company.%') }, { key: 'general.dateFormat' }] })) as Setting[];
  // Foreign keys make these impossible; reaching here means a broken database, which is a bug, not an outcome.
  if (!client || !currency) throw new Error(`invoice ${invoiceId} refers to a missing client or currency`);

  const gatewayCodes = [...new Set([...transactions.map((t) => t.gateway), ...(invoice.paymentGateway ? [invoice.paymentGateway] : [])])];
  const gateways = gatewayCodes.length
    ? ((await db.getRepository(PaymentGateway).find({ where: { code: In(gatewayCodes) } })) as PaymentGateway[])
    : [];
  const gatewayByCode = new Map(gateways.map((g) => [g.code, g]));

  const setting = settingsReader(settings);
  const dateFormat = setting.string('general.dateFormat') ?? 'YYYY-MM-DD';
  const date = (d: string | Date | null | undefined) => formatDate(d, dateFormat, opts.timeZone ?? 'UTC');
  const money = (cents: Cents) => formatMoney(cents, { prefix: currency.prefix, suffix: currency.suffix, exponent: currency.exponent });

  const today = businessDate((opts.clock ?? systemClock).now(), opts.timeZone ?? 'UTC');
  const balanceDue = invoice.total - invoice.amountPaid - invoice.credit;
  const stamp = stampOf(invoice.status, invoice.dueDate, today, balanceDue);
  const number = invoice.invoiceNumber ?? `DRAFT-${invoice.id}`;
  const closed = invoice.status === 'cancelled' || invoice.status === 'refunded';

  const taxes: InvoiceDocument['taxes'] = [];
  if (invoice.tax1 !== 0 || Number(invoice.taxRate1) > 0) taxes.push({ name: invoice.taxName1 || 'Tax', rate: percent(invoice.taxRate1), amount: money(invoice.tax1) });
  if (invoice.tax2 !== 0 || Number(invoice.taxRate2) > 0) taxes.push({ name: invoice.taxName2 || 'Tax', rate: percent(invoice.taxRate2), amount: money(invoice.tax2) });

  const gatewayName = (code: string) => gatewayByCode.get(code)?.displayName ?? GATEWAY_NAMES[code] ?? code;
  const instructions = invoice.paymentGateway ? gatewayByCode.get(invoice.paymentGateway)?.config?.instructions : undefined;

  const document: InvoiceDocument = {
    id: invoice.id,
    number,
    filename: `${number.replace(/[^A-Za-z0-9._-]+/g, '-')}.pdf`,
    status: invoice.status,
    stamp,
    issueDate: date(invoice.issueDate)!,
    dueDate: date(invoice.dueDate)!,
    paidDate: invoice.status === 'paid' ? date(invoice.paidAt) : null,
    company: {
      name: setting.string('company.name') ?? 'Meridian',
      legalName: setting.string('company.legalName'),
      addressLines: setting.lines('company.address'),
      email: setting.string('company.email'),
      phone: setting.string('company.phone'),
      url: setting.string('company.url'),
      taxId: setting.string('company.taxId'),
      logo: dataUrlOrNull(setting.string('company.logoUrl')),
    },
    client: {
      name: client.displayName,
      attention: client.companyName?.trim() ? [client.firstName, client.lastName].filter(Boolean).join(' ') || null : null,
      addressLines: clientAddress(client),
      email: client.email,
      taxId: client.taxId?.trim() || null,
    },
    currency: { code: currency.code, prefix: currency.prefix, suffix: currency.suffix },
    lines: items.map((i) => ({
      description: i.description,
      period: periodOf(i, date),
      quantity: i.quantity,
      unitPrice: money(i.unitPrice),
      amount: money(i.amount),
      taxable: i.taxable,
    })),
    taxes,
    taxInclusive: invoice.taxInclusive,
    totals: {
      subtotal: money(invoice.subtotal),
      discount: invoice.discount ? money(-invoice.discount) : null,
      total: money(invoice.total),
      paid: money(invoice.amountPaid),
      credit: invoice.credit ? money(invoice.credit) : null,
      balanceDue: closed ? null : money(balanceDue),
    },
    payments: transactions.map((t) => ({
      date: date(t.date)!,
      method: gatewayName(t.gateway),
      reference: t.transactionId,
      kind: TRANSACTION_KIND[t.type] ?? 'Payment',
      amount: money(t.amountIn - t.amountOut),
    })),
    notes: invoice.notes?.trim() || null,
    paymentInstructions: !closed && balanceDue > 0 && typeof instructions === 'string' && instructions.trim() ? instructions.trim() : null,
    amounts: {
      subtotal: invoice.subtotal,
      discount: invoice.discount,
      tax1: invoice.tax1,
      tax2: invoice.tax2,
      total: invoice.total,
      paid: invoice.amountPaid,
      credit: invoice.credit,
      balanceDue: closed ? 0 : balanceDue,
    },
  };
  return succeed({ document });
}

/** "2026-01-01 – 2026-01-31", unless the description already names the period (billing often writes it there). */
function periodOf(i: InvoiceItem, date: (d: string | null) => string | null): string | null {
  if (!i.periodStart) return null;
  if (i.description.includes(i.periodStart) || i.description.includes(date(i.periodStart)!)) return null;
  return i.periodEnd ? `${date(i.periodStart)} – ${date(i.periodEnd)}` : `from ${date(i.periodStart)}`;
}

/**
 * The stamp across the invoice. OVERDUE is not a stored status: an unpaid invoice whose due date is before today
 * (business timezone) with something still to pay. The due date itself is not overdue yet.
 */
export function stampOf(status: InvoiceStatus, dueDate: string, today: string, balanceDue: Cents): InvoiceDocument['stamp'] {
  switch (status) {
    case 'paid':
      return { label: 'PAID', tone: 'paid' };
    case 'cancelled':
      return { label: 'CANCELLED', tone: 'void' };
    case 'refunded':
      return { label: 'REFUNDED', tone: 'void' };
    case 'draft':
      return { label: 'DRAFT', tone: 'draft' };
    case 'collections':
      return { label: 'COLLECTIONS', tone: 'overdue' };
    case 'payment_pending':
      return { label: 'PAYMENT PENDING', tone: 'due' };
    default:
      return dueDate < today && balanceDue > 0 ? { label: 'OVERDUE', tone: 'overdue' } : { label: 'UNPAID', tone: 'due' };
  }
}

const GATEWAY_NAMES: Record<string, string> = { manual: 'Manual payment', credit: 'Account credit', banktransfer: 'Bank transfer' };
const TRANSACTION_KIND: Record<string, InvoiceDocument['payments'][number]['kind']> = {
  payment: 'Payment',
  refund: 'Refund',
  credit_applied: 'Credit',
  chargeback: 'Chargeback',
  adjustment: 'Adjustment',
};

/** '7.2500' → '7.25%', '20.0000' → '20%': the stored rate, exactly, without trailing zeros. */
export function percent(rate: string): string {
  const [w, f = ''] = String(rate).split('.');
  const frac = f.replace(/0+$/, '');
  return `${w}${frac ? `.${frac}` : ''}%`;
}

/**
 * Dates in the 'general.dateFormat' setting (tokens YYYY, MM, DD; e.g. 'DD/MM/YYYY'). Date-only values are
 * printed as stored; instants (payment dates) as their calendar date in the business timezone.
 */
export function formatDate(value: string | Date | null | undefined, format: string, timeZone: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  const ymd = value instanceof Date ? businessDate(value, timeZone) : /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : businessDate(new Date(value), timeZone);
  const [y, m, d] = ymd.split('-');
  return format.replace(/YYYY/g, y).replace(/MM/g, m).replace(/DD/g, d);
}

/** The only logos a locked-down page can show: an embedded raster or SVG image. Anything else gives the text logo. */
export function dataUrlOrNull(value: string | null): string | null {
  if (!value) return null;
  const v = value.trim();
  return /^data:image\/(png|jpeg|gif|webp|svg\+xml)(;[a-z0-9=.+-]+)*(;base64)?,[A-Za-z0-9+/=%._~-]*$/i.test(v) ? v : null;
}

function clientAddress(c: Client): string[] {
  const cityLine = [c.city, [c.state, c.postcode].filter((x) => x?.trim()).join(' ')].filter((x) => x?.trim()).join(', ');
  return [c.address1, c.address2, cityLine, countryName(c.country)].map((x) => x?.trim() ?? '').filter(Boolean);
}

function countryName(code: string | null): string | null {
  if (!code) return null;
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** Settings by key, typed as the settings screen stores them ('json' address lines, plain strings). */
function settingsReader(rows: Setting[]) {
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const string = (key: string): string | null => {
    const v = byKey.get(key)?.value;
    return typeof v === 'string' && v.trim() ? v.trim() : null;
  };
  const lines = (key: string): string[] => {
    const raw = string(key);
    if (!raw) return [];
    if (byKey.get(key)?.type === 'json' || raw.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(raw);
        if (Array.isArray(parsed)) return parsed.map((x) => String(x).trim()).filter(Boolean);
      } catch {
        // not JSON after all: fall through to one line per line of text
      }
    }
    return raw.split(/\r?\n/).map((x) => x.trim()).filter(Boolean);
  };
  return { string, lines };
}
