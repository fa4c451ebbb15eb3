import type { EntityManager } from 'typeorm';
import type { InvoiceItemType } from '../../entities/billing/invoice-item.entity.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import { claimNumber } from './numbering.js';
import { computeTax, selectTaxRates, type TaxRateRow } from './tax.js';

export interface InvoiceLine {
  itemType: InvoiceItemType;
  description: string;
  /** Cents per unit; negative for promotions and credits. */
  unitPrice: number;
  quantity?: number;
  taxable: boolean;
  serviceId?: number | null;
  serviceAddonId?: number | null;
  domainId?: number | null;
  billableItemId?: number | null;
  periodStart?: string | null;
  periodEnd?: string | null;
  /** Unique per thing billed and period (e.g. 'service:12:2026-12-01'): the database refuses to bill it twice. */
  billingKey?: string | null;
}

export interface IssueInvoiceInput {
  clientId: number;
  issueDate: string;
  dueDate: string;
  lines: InvoiceLine[];
  status?: 'unpaid' | 'draft';
  taxInclusive: boolean;
  notes?: string | null;
  paymentGateway?: string | null;
}

export interface IssuedInvoice {
  invoiceId: number;
  invoiceNumber: string | null;
  total: number;
}

/**
 * Writes an invoice with its lines inside the caller's transaction: taxes from the client's location (unless
 * tax-exempt) through computeTax, totals stored as computed at issue, a number claimed from the sequence unless it
 * is a draft. The caller owns the transaction, so an invoice and whatever it bills (a service's next invoice date,
 * an order) are written together or not at all.
 */
export async function issueInvoice(m: EntityManager, input: IssueInvoiceInput): Promise<Outcome<IssuedInvoice>> {
  if (!input.lines.length) return fail('no_lines', 'An invoice needs at least one line.');
  const client = (await m.getRepository('Client').findOneBy({ id: input.clientId })) as
    | { id: number; country: string; state: string | null; taxExempt: boolean; currencyId: number; defaultGateway: string | null }
    | null;
  if (!client) return fail('client_not_found', `Client #${input.clientId} does not exist.`);
  for (const l of input.lines) {
    if (!Number.isSafeInteger(l.unitPrice) || !Number.isInteger(l.quantity ?? 1) || (l.quantity ?? 1) < 1) return fail('invalid_line', `Line "${l.description}" has an invalid amount or quantity.`);
  }
  const rateRows = (await m.getRepository('TaxRate').find()) as TaxRateRow[];
  const priced = priceInvoice(client, input.lines, rateRows, input.taxInclusive);
  if (priced.total < 0) return fail('negative_total', 'The invoice would total less than zero.');
  const status = input.status ?? 'unpaid';
  const invoiceNumber = status === 'draft' ? null : await claimNumber(m, 'invoice', input.issueDate);
  const res = await m.getRepository('Invoice').insert(invoiceRow(client, priced, { ...input, status, invoiceNumber }));
  const invoiceId = res.identifiers[0].id as number;
  await m.getRepository('InvoiceItem').insert(itemRows(invoiceId, input.lines));
  return succeed({ invoiceId, invoiceNumber, total: priced.total });
}

export interface InvoiceClient {
  id: number;
  country: string;
  state: string | null;
  taxExempt: boolean;
  currencyId: number;
  defaultGateway: string | null;
}

/** Taxes and totals of a set of lines for a client: the one place invoice amounts are computed. */
export function priceInvoice(client: InvoiceClient, lines: InvoiceLine[], rateRows: TaxRateRow[], inclusive: boolean) {
  const rates = selectTaxRates(rateRows, client.country, client.state);
  const tax = computeTax({ lines: lines.map((l) => ({ amount: l.unitPrice * (l.quantity ?? 1), taxable: l.taxable })), rates, inclusive, exempt: client.taxExempt });
  return { ...tax, rates, inclusive };
}

export function invoiceRow(
  client: InvoiceClient,
  priced: ReturnType<typeof priceInvoice>,
  d: { invoiceNumber: string | null; status: string; issueDate: string; dueDate: string; notes?: string | null; paymentGateway?: string | null },
): Record<string, unknown> {
  return {
    invoiceNumber: d.invoiceNumber,
    clientId: client.id,
    currencyId: client.currencyId,
    status: d.status,
    issueDate: d.issueDate,
    dueDate: d.dueDate,
    subtotal: priced.subtotal,
    tax1: priced.tax1,
    tax2: priced.tax2,
    total: priced.total,
    taxRate1: priced.rates.level1?.rate ?? '0',
    taxName1: priced.rates.level1?.name ?? null,
    taxRate2: priced.rates.level2?.rate ?? '0',
    taxName2: priced.rates.level2?.name ?? null,
    taxInclusive: priced.inclusive,
    paymentGateway: d.paymentGateway ?? client.defaultGateway ?? null,
    notes: d.notes ?? null,
  };
}

export function itemRows(invoiceId: number, lines: InvoiceLine[]): Array<Record<string, unknown>> {
  return lines.map((l, i) => ({
    invoiceId,
    itemType: l.itemType,
    description: l.description.slice(0, 65535),
    quantity: l.quantity ?? 1,
    unitPrice: l.unitPrice,
    amount: l.unitPrice * (l.quantity ?? 1),
    taxable: l.taxable,
    serviceId: l.serviceId ?? null,
    serviceAddonId: l.serviceAddonId ?? null,
    domainId: l.domainId ?? null,
    billableItemId: l.billableItemId ?? null,
    periodStart: l.periodStart ?? null,
    periodEnd: l.periodEnd ?? null,
    billingKey: l.billingKey ?? null,
    sortOrder: i,
  }));
}
