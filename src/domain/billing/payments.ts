import { In, type DataSource, type EntityManager } from 'typeorm';
import { forUpdate } from '../../db/locking.js';
import { inTransaction } from '../../db/transaction.js';
import { businessDate, type Clock } from '../shared/clock.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import { divideRounded, formatDecimal } from '../shared/money.js';
import { claimNumber } from './numbering.js';
import { changeCredit } from './credit.js';

export interface InvoiceRow {
  id: number;
  invoiceNumber: string | null;
  clientId: number;
  currencyId: number;
  status: string;
  total: number;
  amountPaid: number;
  credit: number;
  paidAt: Date | null;
}

/** Runs inside the payment's transaction when an invoice becomes paid (activate orders, lift overdue suspensions…). */
export type InvoicePaidHook = (m: EntityManager, invoice: InvoiceRow) => Promise<void>;

export interface RecordPaymentInput {
  invoiceId: number;
  /** Cents, in the invoice's currency. */
  amount: number;
  gateway: string;
  /** The gateway's own id; a second payment with the same gateway and id is recognised and not recorded again. */
  transactionId?: string | null;
  fees?: number;
  date?: Date;
  description?: string;
  adminId?: number | null;
}

export interface PaymentResult {
  transactionIds: number[];
  applied: number;
  toCredit: number;
  invoiceStatus: string;
  duplicate: boolean;
}

const PAYABLE = new Set(['unpaid', 'payment_pending', 'collections']);
const balanceOf = (i: InvoiceRow) => i.total - i.amountPaid - i.credit;
const label = (i: InvoiceRow) => i.invoiceNumber ?? `draft invoice #${i.id}`;

/**
 * Money received and returned. Every change runs in one transaction with the invoice row locked, and keeps the
 * ledger rule: an invoice's amountPaid equals the sum of (amountIn − amountOut) of its completed transactions.
 * Money beyond an invoice's balance is recorded as its own transaction, not on the invoice, and becomes account
 * credit — so it is never lost and never counted twice.
 */
export class PaymentService {
  private readonly paidHooks: InvoicePaidHook[] = [];

  constructor(private readonly ds: DataSource, private readonly clock: Clock, private readonly timezone = 'UTC') {}

  onInvoicePaid(hook: InvoicePaidHook): void {
    this.paidHooks.push(hook);
  }

  async recordPayment(input: RecordPaymentInput): Promise<Outcome<PaymentResult>> {
    const checked = this.checkPayment(input);
    if (!checked.ok) return checked;
    return inTransaction(this.ds, (m) => this.pay(m, checked.input));
  }

  /**
   * The same, inside a transaction the caller holds: a gateway notification is recorded in the transaction that
   * marks its log row handled, so the payment and "this event was handled" commit or roll back together.
   */
  async recordPaymentIn(m: EntityManager, input: RecordPaymentInput): Promise<Outcome<PaymentResult>> {
    const checked = this.checkPayment(input);
    return checked.ok ? this.pay(m, checked.input) : checked;
  }

  /**
   * Money a gateway took for an invoice that no longer takes payments (cancelled while the customer was paying):
   * it is never lost — recorded as its own transaction and added to the client's account credit.
   */
  async receiveToCreditIn(m: EntityManager, input: { clientId: number; currencyId: number; amount: number; gateway: string; transactionId: string; fees?: number; invoiceLabel: string }): Promise<Outcome<{ transactionId: number; duplicate: boolean }>> {
    const seen = (await forUpdate(m.getRepository('Transaction').createQueryBuilder('t').where('t.gateway = :g AND t.transactionId = :id', { g: input.gateway, id: input.transactionId })).getOne()) as { id: number } | null;
    if (seen) return succeed({ transactionId: seen.id, duplicate: true });
    const client = (await m.getRepository('Client').findOneBy({ id: input.clientId })) as { currencyId: number } | null;
    if (!client || client.currencyId !== input.currencyId) return fail('currency_mismatch', 'The payment is in another currency than the client’s account credit.');
    const res = await m.getRepository('Transaction').insert({
      clientId: input.clientId, currencyId: input.currencyId, invoiceId: null, gateway: input.gateway, transactionId: input.transactionId, type: 'payment',
      status: 'completed', date: this.clock.now(), amountIn: input.amount, fees: input.fees ?? 0, description: `Payment for ${input.invoiceLabel}, which no longer takes payments: added to account credit`.slice(0, 255),
    });
    const id = res.identifiers[0].id as number;
    const credited = await changeCredit(m, { clientId: input.clientId, amount: input.amount, source: 'overpayment', description: `Payment for ${input.invoiceLabel} after it was closed`, transactionId: id });
    if (!credited.ok) throw new Error(`crediting a late payment failed: ${credited.message}`);
    return succeed({ transactionId: id, duplicate: false });
  }

  private checkPayment(input: RecordPaymentInput): Outcome<{ input: RecordPaymentInput & { transactionId: string | null; fees: number; date: Date } }> {
    const fees = input.fees ?? 0;
    if (!Number.isSafeInteger(input.amount) || input.amount <= 0) return fail('invalid_amount', 'The amount must be more than zero.', 'amount');
    if (!Number.isSafeInteger(fees) || fees < 0 || fees > input.amount) return fail('invalid_fees', 'Fees must be between zero and the amount.', 'fees');
    if (!input.gateway || input.gateway.length > 32) return fail('invalid_gateway', 'Choose a payment method.', 'gateway');
    const txnId = input.transactionId?.trim() || null;
    if (txnId && txnId.length > 191) return fail('invalid_transaction_id', 'The transaction id is too long.', 'transactionId');
    const date = input.date ?? this.clock.now();
    if (Number.isNaN(date.getTime())) return fail('invalid_date', 'The payment date is not a date.', 'date');
    return succeed({ input: { ...input, transactionId: txnId, fees, date } });
  }

  /** Records one payment on one invoice inside the caller's transaction (after the input was checked). */
  private async pay(m: EntityManager, input: RecordPaymentInput & { transactionId: string | null; fees: number; date: Date }): Promise<Outcome<PaymentResult>> {
    const { transactionId: txnId, fees, date } = input;
    const invoice = await this.lockInvoice(m, input.invoiceId);
    if (!invoice) return fail('invoice_not_found', `Invoice #${input.invoiceId} does not exist.`, 'invoiceId');
    if (txnId) {
      // A locking read: under MariaDB's repeatable read a plain SELECT would not see a payment another transaction
      // (the same provider event arriving twice at once) committed after this one began, and would insert it again.
      const seen = (await forUpdate(m.getRepository('Transaction').createQueryBuilder('t').where('t.gateway = :g AND t.transactionId = :id', { g: input.gateway, id: txnId })).getMany()) as Array<{ id: number; invoiceId: number | null }>;
      if (seen.length) {
        // A repeated notification of the same payment: answer as before and change nothing.
        if (seen.some((t) => t.invoiceId === invoice.id) || seen.every((t) => t.invoiceId === null)) {
          return succeed({ transactionIds: seen.map((t) => t.id), applied: 0, toCredit: 0, invoiceStatus: invoice.status, duplicate: true });
        }
        return fail('duplicate_transaction', `Transaction ${txnId} of ${input.gateway} is already recorded on another invoice.`, 'transactionId');
      }
    }
    if (!PAYABLE.has(invoice.status) && invoice.status !== 'paid') {
      return fail('invoice_not_payable', `Invoice ${label(invoice)} is ${invoice.status}; it cannot take payments.`, 'invoiceId');
    }
    const applied = Math.min(input.amount, Math.max(balanceOf(invoice), 0));
    const excess = input.amount - applied;
    const base = { clientId: invoice.clientId, currencyId: invoice.currencyId, gateway: input.gateway, type: 'payment', status: 'completed', date };
    const ids: number[] = [];
    if (applied > 0) {
      const res = await m.getRepository('Transaction').insert({
        ...base,
        invoiceId: invoice.id,
        transactionId: txnId,
        amountIn: applied,
        fees: excess > 0 ? 0 : fees,
        description: (input.description || `Payment of ${label(invoice)}`).slice(0, 255),
      });
      ids.push(res.identifiers[0].id as number);
    }
    if (excess > 0) {
      const res = await m.getRepository('Transaction').insert({
        ...base,
        invoiceId: null,
        transactionId: applied > 0 ? null : txnId,
        amountIn: excess,
        fees,
        description: `Overpayment of ${label(invoice)} added to account credit`,
      });
      const creditTxn = res.identifiers[0].id as number;
      ids.push(creditTxn);
      const credited = await changeCredit(m, {
        clientId: invoice.clientId,
        amount: excess,
        source: 'overpayment',
        description: `Overpayment of ${label(invoice)} (${formatDecimal(excess)})`,
        invoiceId: invoice.id,
        transactionId: creditTxn,
        adminId: input.adminId,
      });
      if (!credited.ok) throw new Error(`crediting an overpayment failed: ${credited.message}`);
    }
    const status = await this.settle(m, invoice, applied, 0, date);
    return succeed({ transactionIds: ids, applied, toCredit: excess, invoiceStatus: status, duplicate: false });
  }

  /**
   * One payment that covers several invoices of a client (a bank transfer for three invoices): applied to them
   * oldest due first, all in one transaction; what is left becomes credit. Each invoice gets its own transaction
   * row; the gateway reference is kept on the first and suffixed on the others (`REF#2`…), so the same payment
   * notified again is recognised.
   */
  async recordMassPayment(input: { invoiceIds: number[]; amount: number; gateway: string; transactionId?: string | null; date?: Date; adminId?: number | null }): Promise<Outcome<{ paid: string[]; toCredit: number }>> {
    const ids = [...new Set(input.invoiceIds)].filter((x) => Number.isSafeInteger(x) && x > 0).sort((a, b) => a - b);
    if (!ids.length) return fail('no_invoices', 'Choose at least one invoice.');
    if (!Number.isSafeInteger(input.amount) || input.amount <= 0) return fail('invalid_amount', 'The amount must be more than zero.', 'amount');
    if (!input.gateway || input.gateway.length > 32) return fail('invalid_gateway', 'Choose a payment method.', 'gateway');
    const txn = input.transactionId?.trim() || null;
    const date = input.date ?? this.clock.now();
    return inTransaction(this.ds, async (m) => {
      const invoices: InvoiceRow[] = [];
      for (const id of ids) {
        const inv = await this.lockInvoice(m, id);
        if (!inv) return fail('invoice_not_found', `Invoice #${id} does not exist.`);
        invoices.push(inv);
      }
      if (new Set(invoices.map((i) => i.clientId)).size > 1) return fail('several_clients', 'A mass payment covers invoices of one client.');
      if (txn && (await m.getRepository('Transaction').exists({ where: { gateway: input.gateway, transactionId: txn } }))) {
        return succeed({ paid: [], toCredit: 0 });
      }
      const due = (await m.getRepository('Invoice').find({ where: { id: In(ids) }, order: { dueDate: 'ASC', id: 'ASC' } })) as InvoiceRow[];
      let left = input.amount;
      const paid: string[] = [];
      for (const [n, inv] of due.entries()) {
        const balance = inv.total - inv.amountPaid - inv.credit;
        if (left <= 0 || balance <= 0 || !PAYABLE.has(inv.status)) continue;
        const part = n === due.length - 1 ? left : Math.min(left, balance);
        const out = await this.pay(m, { invoiceId: inv.id, amount: part, gateway: input.gateway, transactionId: txn ? (paid.length ? `${txn}#${paid.length + 1}` : txn) : null, fees: 0, date, adminId: input.adminId, description: `Mass payment${txn ? ` ${txn}` : ''} for ${label(inv)}` });
        if (!out.ok) throw new Error(out.message);
        left -= part;
        paid.push(label(inv));
      }
      if (left > 0) {
        const rest = await m.getRepository('Transaction').insert({ clientId: invoices[0].clientId, invoiceId: null, currencyId: invoices[0].currencyId, gateway: input.gateway, transactionId: paid.length ? null : txn, type: 'payment', status: 'completed', date, amountIn: left, description: 'Mass payment remainder added to account credit' });
        const credited = await changeCredit(m, { clientId: invoices[0].clientId, amount: left, source: 'overpayment', description: 'Mass payment remainder', transactionId: rest.identifiers[0].id as number, adminId: input.adminId });
        if (!credited.ok) throw new Error(credited.message);
      }
      return succeed({ paid, toCredit: left });
    });
  }

  /** Pays an invoice from the client's account credit, up to `amount` (default: as much as it needs and there is). */
  async applyCredit(input: { invoiceId: number; amount?: number; adminId?: number | null }): Promise<Outcome<{ applied: number; invoiceStatus: string }>> {
    if (input.amount !== undefined && (!Number.isSafeInteger(input.amount) || input.amount <= 0)) return fail('invalid_amount', 'The amount must be more than zero.', 'amount');
    return inTransaction(this.ds, async (m) => {
      const invoice = await this.lockInvoice(m, input.invoiceId);
      if (!invoice) return fail('invoice_not_found', `Invoice #${input.invoiceId} does not exist.`, 'invoiceId');
      if (!PAYABLE.has(invoice.status)) return fail('invoice_not_payable', `Invoice ${label(invoice)} is ${invoice.status}; credit cannot be applied.`, 'invoiceId');
      const client = (await m.getRepository('Client').findOneBy({ id: invoice.clientId })) as { creditBalance: number; currencyId: number };
      if (client.currencyId !== invoice.currencyId) return fail('currency_mismatch', 'The client’s credit is in another currency than this invoice.');
      const want = Math.min(input.amount ?? Number.MAX_SAFE_INTEGER, balanceOf(invoice));
      if (input.amount !== undefined && input.amount > balanceOf(invoice)) return fail('amount_exceeds_balance', `Only ${formatDecimal(balanceOf(invoice))} is due on this invoice.`, 'amount');
      const amount = Math.min(want, client.creditBalance);
      if (amount <= 0) return fail('nothing_to_apply', client.creditBalance <= 0 ? 'The client has no credit.' : 'Nothing is due on this invoice.');
      if (input.amount !== undefined && amount < input.amount) return fail('insufficient_credit', 'The client does not have that much credit.', 'amount');
      const used = await changeCredit(m, {
        clientId: invoice.clientId,
        amount: -amount,
        source: 'applied_to_invoice',
        description: `Applied to ${label(invoice)}`,
        invoiceId: invoice.id,
        adminId: input.adminId,
      });
      if (!used.ok) return used;
      const status = await this.settle(m, invoice, 0, amount, this.clock.now());
      return succeed({ applied: amount, invoiceStatus: status });
    });
  }

  /**
   * Returns money from a recorded payment: to the client through the gateway (recorded here; the gateway call is the
   * gateway module's), or to account credit. Never more than is left of that payment.
   */
  async refund(input: { transactionId: number; amount: number; toCredit: boolean; gatewayRefundId?: string | null; reason?: string; adminId?: number | null }): Promise<Outcome<{ refundTransactionId: number; invoiceStatus: string | null; creditNoteNumber: string | null }>> {
    if (!Number.isSafeInteger(input.amount) || input.amount <= 0) return fail('invalid_amount', 'The amount must be more than zero.', 'amount');
    return inTransaction(this.ds, async (m) => {
      const repo = m.getRepository('Transaction');
      const original = (await forUpdate(repo.createQueryBuilder('t').where('t.id = :id', { id: input.transactionId })).getOne()) as
        | { id: number; clientId: number; invoiceId: number | null; currencyId: number; gateway: string; type: string; status: string; amountIn: number; transactionId: string | null }
        | null;
      if (!original) return fail('transaction_not_found', `Transaction #${input.transactionId} does not exist.`);
      if (original.type !== 'payment' || original.status !== 'completed' || original.amountIn <= 0) return fail('not_refundable', 'Only a completed payment can be refunded.');
      const already = await repo
        .createQueryBuilder('r')
        .select('COALESCE(SUM(r.amount_out), 0)', 'sum')
        .where('r.refund_of_id = :id AND r.status = :s', { id: original.id, s: 'completed' })
        .getRawOne<{ sum: string | number }>();
      const refundable = original.amountIn - Number(already?.sum ?? 0);
      if (input.amount > refundable) return fail('amount_exceeds_refundable', `Only ${formatDecimal(refundable)} of this payment can still be refunded.`, 'amount');
      if (!original.invoiceId && !input.toCredit) {
        // This payment became account credit: paying it back takes that credit away again.
        const taken = await changeCredit(m, { clientId: original.clientId, amount: -input.amount, source: 'reversal', description: `Refund of overpayment (transaction #${original.id})`, adminId: input.adminId });
        if (!taken.ok) return fail('credit_already_used', 'That overpayment has already been used as credit; it cannot be paid back.', 'amount');
      }
      const res = await repo.insert({
        clientId: original.clientId,
        invoiceId: original.invoiceId,
        currencyId: original.currencyId,
        gateway: input.toCredit ? 'credit' : original.gateway,
        transactionId: input.gatewayRefundId?.trim() || null,
        type: 'refund',
        amountOut: input.amount,
        refundOfId: original.id,
        status: 'completed',
        date: this.clock.now(),
        description: (input.reason ? `Refund: ${input.reason}` : `Refund of transaction #${original.id}`).slice(0, 255),
      });
      const refundId = res.identifiers[0].id as number;
      if (input.toCredit) {
        const credited = await changeCredit(m, { clientId: original.clientId, amount: input.amount, source: 'refund_to_credit', description: `Refund to credit of transaction #${original.id}`, invoiceId: original.invoiceId, transactionId: refundId, adminId: input.adminId });
        if (!credited.ok) throw new Error(credited.message);
      }
      let invoiceStatus: string | null = null;
      let creditNoteNumber: string | null = null;
      if (original.invoiceId) {
        const invoice = (await this.lockInvoice(m, original.invoiceId))!;
        creditNoteNumber = await this.issueCreditNote(m, invoice, input.amount, input.reason ?? `Refund of transaction #${original.id}`, refundId);
        const amountPaid = invoice.amountPaid - input.amount;
        // WHMCS behaviour: a partial refund leaves a paid invoice paid; a refund of everything marks it refunded.
        const fullyRefunded = amountPaid === 0 && invoice.credit === 0 && invoice.status === 'paid';
        invoiceStatus = fullyRefunded ? 'refunded' : invoice.status;
        await m.getRepository('Invoice').update({ id: invoice.id }, { amountPaid, ...(fullyRefunded ? { status: 'refunded', refundedAt: this.clock.now() } : {}) });
      }
      return succeed({ refundTransactionId: refundId, invoiceStatus, creditNoteNumber });
    });
  }

  async addCredit(input: { clientId: number; amount: number; description: string; adminId?: number | null }): Promise<Outcome<{ balanceAfter: number }>> {
    if (!Number.isSafeInteger(input.amount) || input.amount === 0) return fail('invalid_amount', 'The amount must be a non-zero amount of money.', 'amount');
    if (!input.description?.trim()) return fail('description_required', 'Say why the credit changes.', 'description');
    return inTransaction(this.ds, async (m) => {
      const r = await changeCredit(m, { clientId: input.clientId, amount: input.amount, source: input.amount > 0 ? 'manual' : 'reversal', description: input.description.trim(), adminId: input.adminId });
      return r.ok ? succeed({ balanceAfter: r.balanceAfter }) : r;
    });
  }

  /**
   * The document a refund of invoiced money needs: a credit note against the invoice, numbered from its own
   * sequence, with the refunded tax in the invoice's own proportion of tax to total (rounded half-up once).
   */
  private async issueCreditNote(m: EntityManager, invoice: InvoiceRow, amount: number, reason: string, refundTransactionId: number): Promise<string> {
    const full = (await m.getRepository('Invoice').findOneBy({ id: invoice.id })) as { tax1: number; tax2: number; total: number };
    const taxTotal = full.tax1 + full.tax2;
    const tax = full.total > 0 ? Number(divideRounded(BigInt(amount) * BigInt(taxTotal), BigInt(full.total), 'half-up')) : 0;
    const today = businessDate(this.clock.now(), this.timezone);
    const number = await claimNumber(m, 'credit_note', today);
    await m.getRepository('CreditNote').insert({
      creditNoteNumber: number,
      clientId: invoice.clientId,
      invoiceId: invoice.id,
      currencyId: invoice.currencyId,
      issueDate: today,
      subtotal: amount - tax,
      tax,
      total: amount,
      reason: `${reason.slice(0, 200)} (refund transaction #${refundTransactionId})`,
      status: 'issued',
    });
    return number;
  }

  private async lockInvoice(m: EntityManager, id: number): Promise<InvoiceRow | null> {
    if (!Number.isSafeInteger(id) || id <= 0) return null;
    return (await forUpdate(m.getRepository('Invoice').createQueryBuilder('i').where('i.id = :id', { id })).getOne()) as InvoiceRow | null;
  }

  /** Adds money to the invoice and marks it paid once nothing is due, running the paid hooks exactly then. */
  private async settle(m: EntityManager, invoice: InvoiceRow, cash: number, credit: number, date: Date): Promise<string> {
    const next = { ...invoice, amountPaid: invoice.amountPaid + cash, credit: invoice.credit + credit };
    const becomesPaid = invoice.status !== 'paid' && balanceOf(next) <= 0;
    await m.getRepository('Invoice').update(
      { id: invoice.id },
      { amountPaid: next.amountPaid, credit: next.credit, ...(becomesPaid ? { status: 'paid', paidAt: date } : {}) },
    );
    if (becomesPaid) {
      const paid = { ...next, status: 'paid', paidAt: date };
      for (const hook of this.paidHooks) await hook(m, paid);
      return 'paid';
    }
    return invoice.status;
  }
}

/**
 * Invoices whose amountPaid differs from the sum of their completed transactions — the ledger rule's check, for
 * tests and for the admin's integrity report. Empty means the books agree.
 */
export async function ledgerDiscrepancies(ds: DataSource | EntityManager): Promise<Array<{ invoiceId: number; amountPaid: number; transactions: number }>> {
  const rows: Array<{ id: number | string; amount_paid: number | string; tx: number | string | null }> = await ds.query(
    `SELECT i.id, i.amount_paid, (SELECT COALESCE(SUM(t.amount_in - t.amount_out), 0) FROM transactions t
        WHERE t.invoice_id = i.id AND t.status = 'completed') AS tx
       FROM invoices i`,
  );
  return rows
    .filter((r) => Number(r.amount_paid) !== Number(r.tx ?? 0))
    .map((r) => ({ invoiceId: Number(r.id), amountPaid: Number(r.amount_paid), transactions: Number(r.tx ?? 0) }));
}
