import type { DataSource, EntityManager } from 'typeorm';
import { forUpdate } from '../../db/locking.js';
import { inTransaction } from '../../db/transaction.js';
import type { QuoteStage } from '../../entities/billing/quote.entity.js';
import { addDays } from '../billing/periods.js';
import { claimNumber } from '../billing/numbering.js';
import { issueInvoice, priceInvoice, type InvoiceClient, type InvoiceLine } from '../billing/issue-invoice.js';
import type { TaxRateRow } from '../billing/tax.js';
import { billingSettings } from '../settings.js';
import { businessDate, type Clock } from '../shared/clock.js';
import { percentOf } from '../shared/money.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';

export interface QuoteLineInput {
  description: string;
  quantity?: number;
  /** Cents. */
  unitPrice: number;
  /** Percent as a decimal string, e.g. '10' or '12.5'. */
  discountPercent?: string;
  taxable?: boolean;
}

export interface QuoteItemRow {
  id: number;
  quoteId: number;
  description: string;
  quantity: number;
  unitPrice: number;
  discountPercent: string;
  amount: number;
  taxable: boolean;
  sortOrder: number;
}

export interface QuoteRow {
  id: number;
  quoteNumber: string;
  subject: string;
  clientId: number | null;
  prospectName: string | null;
  prospectEmail: string | null;
  stage: QuoteStage;
  validUntil: string | null;
  currencyId: number;
  subtotal: number;
  tax: number;
  total: number;
  invoiceId: number | null;
  acceptedAt: Date | null;
  adminNotes: string | null;
}

type Db = DataSource | EntityManager;

/** unitPrice × quantity less the line's discount, rounded once (half-up), as the quote shows it. */
export function lineAmount(unitPrice: number, quantity: number, discountPercent: string | null | undefined): number {
  const gross = unitPrice * quantity;
  const pct = discountPercent && Number(discountPercent) !== 0 ? discountPercent : null;
  return pct ? gross - percentOf(gross, pct) : gross;
}

/**
 * The invoice line a quote line becomes. The same amount, always: a whole-unit line keeps its quantity and unit
 * price; a discounted one whose amount is not a whole multiple of the quantity becomes one line of that amount,
 * with the arithmetic in its description, so the invoice never re-rounds what the client accepted.
 */
export function invoiceLineOf(item: Pick<QuoteItemRow, 'description' | 'quantity' | 'unitPrice' | 'discountPercent' | 'amount' | 'taxable'>, fmt: (c: number) => string = String): InvoiceLine {
  const plain = item.amount === item.unitPrice * item.quantity;
  if (plain) return { itemType: 'other', description: item.description, unitPrice: item.unitPrice, quantity: item.quantity, taxable: item.taxable };
  const how = `${item.quantity} × ${fmt(item.unitPrice)}${Number(item.discountPercent) ? `, ${Number(item.discountPercent)}% off` : ''}`;
  return { itemType: 'other', description: `${item.description} (${how})`, unitPrice: item.amount, quantity: 1, taxable: item.taxable };
}

/** The client the quote is priced for; a prospect has no address yet, so no tax rule applies to them. */
async function pricingClient(db: Db, q: { clientId: number | null; currencyId: number }): Promise<InvoiceClient> {
  if (q.clientId) {
    const c = (await db.getRepository('Client').findOne({ where: { id: q.clientId }, withDeleted: true })) as InvoiceClient | null;
    if (c) return c;
  }
  return { id: 0, country: '', state: null, taxExempt: false, currencyId: q.currencyId, defaultGateway: null };
}

/** Totals of a set of quote items, taxed exactly as an invoice of the same lines would be (priceInvoice). */
export async function priceQuote(db: Db, q: { clientId: number | null; currencyId: number }, items: QuoteItemRow[], taxInclusive: boolean) {
  const client = await pricingClient(db, q);
  const rates = (await db.getRepository('TaxRate').find()) as TaxRateRow[];
  const priced = priceInvoice(client, items.map((i) => invoiceLineOf(i)), rates, taxInclusive);
  return { subtotal: priced.subtotal, tax: priced.tax1 + priced.tax2, total: priced.total };
}

const STAFF_STAGES: QuoteStage[] = ['draft', 'delivered', 'on_hold', 'lost', 'dead'];

/**
 * Quotes (WHMCS stages draft → delivered → accepted / lost / dead, with on hold). Totals are always computed from
 * the lines with the invoice tax rules; accepting raises one invoice with the same lines and total — once, however
 * often accept is pressed — and an expired quote cannot be accepted.
 */
export class QuoteDesk {
  constructor(private readonly deps: { ds: DataSource; clock: Clock; timeZone: string }) {}

  private today(): string {
    return businessDate(this.deps.clock.now(), this.deps.timeZone);
  }

  /** A new draft quote with its lines, numbered from the 'quote' sequence. */
  async create(input: { subject: string; clientId?: number | null; prospectName?: string; prospectEmail?: string; currencyId?: number; validUntil?: string | null; lines: QuoteLineInput[]; proposal?: string; notes?: string }): Promise<Outcome<{ quoteId: number; quoteNumber: string }>> {
    const subject = input.subject?.trim();
    if (!subject) return fail('subject_required', 'Give the quote a subject.', 'subject');
    if (!input.lines.length) return fail('no_lines', 'A quote needs at least one line.');
    for (const l of input.lines) {
      if (!l.description?.trim()) return fail('line_invalid', 'Every line needs a description.');
      if (!Number.isSafeInteger(l.unitPrice) || !Number.isInteger(l.quantity ?? 1) || (l.quantity ?? 1) < 1) return fail('line_invalid', `Line "${l.description}" has an invalid price or quantity.`);
      const pct = Number(l.discountPercent ?? 0);
      if (!Number.isFinite(pct) || pct < 0 || pct > 100) return fail('line_invalid', `Line "${l.description}": a discount is 0 to 100 percent.`);
    }
    const taxInclusive = (await billingSettings(this.deps.ds)).taxInclusive;
    return inTransaction(this.deps.ds, async (m) => {
      let currencyId = input.currencyId;
      if (input.clientId) {
        const client = (await m.getRepository('Client').findOneBy({ id: input.clientId })) as { currencyId: number } | null;
        if (!client) return fail('client_not_found', `Client #${input.clientId} does not exist.`, 'clientId');
        currencyId ??= client.currencyId;
      }
      if (!currencyId) return fail('currency_required', 'Choose the currency of the quote.', 'currencyId');
      const quoteNumber = await claimNumber(m, 'quote', this.today());
      const res = await m.getRepository('Quote').insert({
        quoteNumber, subject: subject.slice(0, 255), clientId: input.clientId ?? null, prospectName: input.prospectName ?? null, prospectEmail: input.prospectEmail ?? null,
        stage: 'draft', validUntil: input.validUntil ?? null, currencyId, subtotal: 0, tax: 0, total: 0, proposal: input.proposal ?? null, notes: input.notes ?? null,
      });
      const quoteId = res.identifiers[0].id as number;
      await m.getRepository('QuoteItem').insert(input.lines.map((l, i) => ({
        quoteId, description: l.description.trim(), quantity: l.quantity ?? 1, unitPrice: l.unitPrice, discountPercent: l.discountPercent ?? '0',
        amount: lineAmount(l.unitPrice, l.quantity ?? 1, l.discountPercent), taxable: l.taxable ?? true, sortOrder: i,
      })));
      await this.recomputeIn(m, quoteId, taxInclusive);
      return succeed({ quoteId, quoteNumber });
    });
  }

  /** Line amounts and quote totals again from the lines (after staff edited lines in the admin). */
  async recompute(quoteId: number): Promise<Outcome<{ subtotal: number; tax: number; total: number }>> {
    const taxInclusive = (await billingSettings(this.deps.ds)).taxInclusive;
    return inTransaction(this.deps.ds, async (m) => {
      const q = (await forUpdate(m.getRepository('Quote').createQueryBuilder('q').where('q.id = :id', { id: quoteId })).getOne()) as QuoteRow | null;
      if (!q) return fail('quote_not_found', `Quote #${quoteId} does not exist.`);
      if (q.invoiceId) return fail('already_invoiced', `Quote ${q.quoteNumber} is accepted and invoiced; its amounts are final.`);
      return succeed(await this.recomputeIn(m, quoteId, taxInclusive));
    });
  }

  private async recomputeIn(m: EntityManager, quoteId: number, taxInclusive: boolean) {
    const q = (await m.getRepository('Quote').findOneByOrFail({ id: quoteId })) as QuoteRow;
    const items = await this.items(m, quoteId);
    for (const i of items) {
      const amount = lineAmount(i.unitPrice, i.quantity, i.discountPercent);
      if (amount !== i.amount) {
        await m.getRepository('QuoteItem').update({ id: i.id }, { amount });
        i.amount = amount;
      }
    }
    const totals = await priceQuote(m, q, items, taxInclusive);
    await m.getRepository('Quote').update({ id: quoteId }, totals);
    return totals;
  }

  async items(db: Db, quoteId: number): Promise<QuoteItemRow[]> {
    return (await db.getRepository('QuoteItem').find({ where: { quoteId }, order: { sortOrder: 'ASC', id: 'ASC' } })) as QuoteItemRow[];
  }

  /** Staff moving a quote between stages by hand; 'accepted' goes through accept(), which raises the invoice. */
  async setStage(quoteId: number, stage: string): Promise<Outcome<{ stage: QuoteStage }>> {
    if (!(STAFF_STAGES as string[]).includes(stage)) return fail('stage_invalid', 'Choose draft, delivered, on hold, lost or dead (accepting raises the invoice: use Mark accepted).', 'stage');
    return inTransaction(this.deps.ds, async (m) => {
      const q = (await forUpdate(m.getRepository('Quote').createQueryBuilder('q').where('q.id = :id', { id: quoteId })).getOne()) as QuoteRow | null;
      if (!q) return fail('quote_not_found', `Quote #${quoteId} does not exist.`);
      if (q.stage === 'accepted') return fail('already_accepted', `Quote ${q.quoteNumber} is accepted${q.invoiceId ? ' and invoiced' : ''}; its stage no longer changes.`);
      await m.getRepository('Quote').update({ id: quoteId }, { stage });
      return succeed({ stage: stage as QuoteStage });
    });
  }

  /**
   * Accepts a quote and raises its invoice, in one transaction under the quote's row lock, so pressing accept twice
   * (or the client and staff at once) makes one invoice. `clientId` scopes it to a client (the client area):
   * another client's quote is "not found". The invoice has the quote's lines with the same amounts and, because it
   * is priced by the same rules, the same total; if tax rules changed since the quote was made, accepting is refused
   * so the client never gets an invoice that differs from what they accepted.
   */
  async accept(input: { quoteId: number; clientId?: number; byClient?: boolean }): Promise<Outcome<{ invoiceId: number; invoiceNumber: string | null; already: boolean }>> {
    const settings = await billingSettings(this.deps.ds);
    const today = this.today();
    return inTransaction(this.deps.ds, async (m) => {
      const q = (await forUpdate(m.getRepository('Quote').createQueryBuilder('q').where('q.id = :id', { id: input.quoteId })).getOne()) as QuoteRow | null;
      if (!q || (input.clientId !== undefined && q.clientId !== input.clientId)) return fail('quote_not_found', 'That quote does not exist.');
      if (input.byClient && q.stage === 'draft') return fail('quote_not_found', 'That quote does not exist.');
      if (q.invoiceId) {
        const inv = (await m.getRepository('Invoice').findOneBy({ id: q.invoiceId })) as { invoiceNumber: string | null } | null;
        return succeed({ invoiceId: q.invoiceId, invoiceNumber: inv?.invoiceNumber ?? null, already: true });
      }
      if (['lost', 'dead', 'accepted'].includes(q.stage)) return fail('not_open', `Quote ${q.quoteNumber} is ${q.stage.replace('_', ' ')}; it can no longer be accepted.`);
      if (q.validUntil && q.validUntil < today) return fail('quote_expired', `Quote ${q.quoteNumber} expired on ${q.validUntil}; ask us for a new one.`);
      if (!q.clientId) return fail('no_client', `Quote ${q.quoteNumber} is for a prospect: add them as a client and set the client on the quote first.`);
      const client = (await m.getRepository('Client').findOneBy({ id: q.clientId })) as (InvoiceClient & { displayName: string }) | null;
      if (!client) return fail('client_not_found', 'The quote’s client no longer exists.');
      if (client.currencyId !== q.currencyId) return fail('currency_mismatch', `The quote is in another currency than the client’s account; invoices are in the account’s currency, so staff must re-issue the quote.`);
      const items = await this.items(m, q.id);
      if (!items.length) return fail('no_lines', `Quote ${q.quoteNumber} has no lines.`);
      const currency = (await m.getRepository('Currency').findOneBy({ id: q.currencyId })) as { prefix: string; suffix: string } | null;
      const fmt = (c: number) => `${currency?.prefix ?? ''}${(c / 100).toFixed(2)}${currency?.suffix ?? ''}`;
      const lines = items.map((i) => invoiceLineOf(i, fmt));
      const now = await priceQuote(m, q, items, settings.taxInclusive);
      if (now.total !== q.total || now.subtotal !== q.subtotal) {
        return fail('totals_changed', `Quote ${q.quoteNumber} no longer adds up to its total (tax rules or lines changed since it was made); staff must recalculate and send it again.`);
      }
      const issued = await issueInvoice(m, { clientId: q.clientId, issueDate: today, dueDate: addDays(today, settings.paymentTermsDays), lines, status: 'unpaid', taxInclusive: settings.taxInclusive, notes: `Quote ${q.quoteNumber}: ${q.subject}` });
      if (!issued.ok) return issued;
      await m.getRepository('Quote').update({ id: q.id }, { stage: 'accepted', acceptedAt: this.deps.clock.now(), invoiceId: issued.invoiceId });
      return succeed({ invoiceId: issued.invoiceId, invoiceNumber: issued.invoiceNumber, already: false });
    });
  }
}


