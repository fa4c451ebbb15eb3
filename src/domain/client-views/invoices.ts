import { In } from 'typeorm';
import { buildInvoiceDocument, stampOf, type InvoiceDocument } from '../billing/invoice-document.js';
import type { InvoiceStatus } from '../../entities/billing/invoice.entity.js';
import type { Clock } from '../shared/clock.js';
import { moneyFormatter, type Db, type PageFor } from './money.js';
import { PAYABLE_STATUSES } from './dashboard.js';

/**
 * The list's filter, in the client's words. Drafts are staff work in progress and never shown; 'unpaid' is every
 * status that still takes a payment.
 */
export const INVOICE_FILTERS = {
  unpaid: [...PAYABLE_STATUSES],
  paid: ['paid'],
  cancelled: ['cancelled'],
  all: ['unpaid', 'payment_pending', 'collections', 'paid', 'cancelled', 'refunded'],
} as const satisfies Record<string, readonly InvoiceStatus[]>;
export type InvoiceFilter = keyof typeof INVOICE_FILTERS;
export const isInvoiceFilter = (v: unknown): v is InvoiceFilter => typeof v === 'string' && Object.hasOwn(INVOICE_FILTERS, v);

export interface InvoiceListRow {
  id: number;
  number: string;
  issueDate: string;
  dueDate: string;
  total: string;
  balance: string;
  status: string;
  /** 'Overdue' for an unpaid invoice past its due date, else the status in words. */
  label: string;
  /** The badge's style: the status, or 'overdue'. */
  badge: string;
}

export async function listInvoices(db: Db, clientId: number, filter: InvoiceFilter, today: string, pageFor: PageFor): Promise<{ total: number; rows: InvoiceListRow[] }> {
  const where = { clientId, status: In([...INVOICE_FILTERS[filter]]) };
  const repo = db.getRepository('Invoice');
  const total = await repo.count({ where });
  const page = pageFor(total);
  const money = await moneyFormatter(db);
  const rows = (await repo.find({ where, order: { issueDate: 'DESC', id: 'DESC' }, take: page.limit, skip: page.offset })) as Array<{
    id: number; invoiceNumber: string | null; issueDate: string; dueDate: string; total: number; amountPaid: number; credit: number; status: InvoiceStatus; currencyId: number;
  }>;
  return {
    total,
    rows: rows.map((i) => {
      const balance = i.total - i.amountPaid - i.credit;
      const stamp = stampOf(i.status, i.dueDate, today, balance);
      return {
        id: i.id,
        number: i.invoiceNumber ?? `#${i.id}`,
        issueDate: i.issueDate,
        dueDate: i.dueDate,
        total: money(i.total, i.currencyId),
        balance: money(['cancelled', 'refunded'].includes(i.status) ? 0 : balance, i.currencyId),
        status: i.status,
        label: stamp.label.charAt(0) + stamp.label.slice(1).toLowerCase(),
        badge: stamp.label === 'OVERDUE' ? 'overdue' : i.status,
      };
    }),
  };
}

export interface InvoiceOfClient {
  document: InvoiceDocument;
  status: InvoiceStatus;
  currencyId: number;
  /** Balance due in minor units; 0 when closed. */
  balanceDue: number;
  payable: boolean;
  /** The client's account credit that could pay it (same currency), formatted; null when there is none to use. */
  usableCredit: string | null;
  /** How to pay by bank transfer while something is due (the invoice's gateway, else the enabled bank transfer). */
  bankTransfer: string | null;
}

/**
 * One invoice of the client (never a draft), as the printable document plus what the pay section needs.
 * Null when the invoice is not theirs — the caller answers 404, exactly as for a missing one.
 */
export async function invoiceOfClient(db: Db, clientId: number, invoiceId: number, opts: { clock: Clock; timeZone: string }): Promise<InvoiceOfClient | null> {
  const own = (await db.getRepository('Invoice').findOne({ where: { id: invoiceId, clientId }, select: { id: true, status: true, currencyId: true, total: true, amountPaid: true, credit: true } })) as {
    id: number; status: InvoiceStatus; currencyId: number; total: number; amountPaid: number; credit: number;
  } | null;
  if (!own || own.status === 'draft') return null;
  const built = await buildInvoiceDocument(db, own.id, { clock: opts.clock, timeZone: opts.timeZone });
  if (!built.ok) return null;
  const payable = (PAYABLE_STATUSES as readonly string[]).includes(own.status);
  const balanceDue = payable ? own.total - own.amountPaid - own.credit : 0;
  const client = (await db.getRepository('Client').findOne({ where: { id: clientId }, select: { id: true, creditBalance: true, currencyId: true } })) as { creditBalance: number; currencyId: number };
  const money = await moneyFormatter(db);
  const usableCredit = payable && balanceDue > 0 && client.creditBalance > 0 && client.currencyId === own.currencyId ? money(client.creditBalance, client.currencyId) : null;
  return { document: built.document, status: own.status, currencyId: own.currencyId, balanceDue, payable: payable && balanceDue > 0, usableCredit, bankTransfer: payable && balanceDue > 0 ? built.document.paymentInstructions ?? (await bankTransferInstructions(db)) : null };
}

/** The client's invoice (never a draft) in brief, for actions that only need to know it is theirs; else null. */
export async function ownInvoice(db: Db, clientId: number, invoiceId: number): Promise<{ id: number; status: InvoiceStatus; currencyId: number } | null> {
  const row = (await db.getRepository('Invoice').findOne({ where: { id: invoiceId, clientId }, select: { id: true, status: true, currencyId: true } })) as { id: number; status: InvoiceStatus; currencyId: number } | null;
  return row && row.status !== 'draft' ? row : null;
}

/** The enabled bank transfer gateway's instructions (PaymentGateway 'banktransfer', config.instructions). */
export async function bankTransferInstructions(db: Db): Promise<string | null> {
  const gw = (await db.getRepository('PaymentGateway').findOne({ where: { code: 'banktransfer', enabled: true } })) as { config: Record<string, unknown> | null } | null;
  const text = gw?.config?.instructions;
  return typeof text === 'string' && text.trim() ? text.trim() : null;
}
