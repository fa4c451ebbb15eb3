/**
 * The reports staff can run, who may run each (the screen whose data it shows: a report is another view of that
 * screen's rows), and one entry point that checks the request and runs one.
 */
import type { DataSource } from 'typeorm';
import { fail, type Outcome } from '../shared/outcome.js';
import { incomeReport, transactionsReport } from './income.js';
import { invoicesReport, taxReport } from './invoices.js';
import { clientsReport, servicesReport } from './clients.js';
import { ticketResponseReport } from './tickets.js';
import { parseRange, type Granularity } from './range.js';
import type { ReportResult } from './types.js';

export interface ReportDefinition {
  id: string;
  title: string;
  /** The admin screen (resource id) whose view permission the report needs. */
  resource: string;
  /** Whether the report is broken down by day or month. */
  byPeriod: boolean;
  /** Extra filters the report takes (query parameters). */
  filters: string[];
}

export const REPORTS: ReportDefinition[] = [
  { id: 'income', title: 'Income by period', resource: 'Transaction', byPeriod: true, filters: [] },
  { id: 'transactions', title: 'Transactions', resource: 'Transaction', byPeriod: false, filters: ['gateway', 'type', 'status', 'currency', 'clientId'] },
  { id: 'invoices', title: 'Invoices', resource: 'Invoice', byPeriod: false, filters: [] },
  { id: 'tax', title: 'Tax collected by rate', resource: 'Invoice', byPeriod: false, filters: [] },
  { id: 'clients', title: 'New clients', resource: 'Client', byPeriod: true, filters: [] },
  { id: 'services', title: 'Services by product', resource: 'Service', byPeriod: false, filters: [] },
  { id: 'ticket-response', title: 'Ticket response times', resource: 'SupportTicket', byPeriod: false, filters: [] },
];

export const reportById = (id: string) => REPORTS.find((r) => r.id === id);

/** Query parameters of a report request, as they arrive (strings). */
export type ReportQuery = Record<string, unknown>;

const text = (v: unknown, max = 64) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : undefined);

/** Runs a report from request parameters: unknown report, bad dates or filters are refused with a reason. */
export async function runReport(ds: DataSource, id: string, q: ReportQuery, timeZone: string): Promise<Outcome<{ report: ReportResult; definition: ReportDefinition }>> {
  const definition = reportById(id);
  if (!definition) return fail('unknown_report', `There is no report called "${String(id).slice(0, 40)}".`, 'report');
  const parsed = parseRange(q.from, q.to);
  if (!parsed.ok) return parsed;
  const { range } = parsed;
  const period = q.period === undefined || q.period === '' ? 'month' : q.period;
  if (period !== 'day' && period !== 'month') return fail('invalid_period', 'Break down by "day" or "month".', 'period');
  const granularity = period as Granularity;
  let out;
  switch (definition.id) {
    case 'income':
      out = await incomeReport(ds, range, granularity, timeZone);
      break;
    case 'transactions': {
      const clientRaw = text(q.clientId);
      if (clientRaw !== undefined && !/^[1-9]\d{0,9}$/.test(clientRaw)) return fail('invalid_client', 'The client filter must be a client id.', 'clientId');
      out = await transactionsReport(ds, range, { gateway: text(q.gateway), type: text(q.type), status: text(q.status), currency: text(q.currency, 3), clientId: clientRaw ? Number(clientRaw) : undefined }, timeZone);
      break;
    }
    case 'invoices':
      out = await invoicesReport(ds, range);
      break;
    case 'tax':
      out = await taxReport(ds, range, timeZone);
      break;
    case 'clients':
      out = await clientsReport(ds, range, granularity, timeZone);
      break;
    case 'services':
      out = await servicesReport(ds, range);
      break;
    default:
      out = await ticketResponseReport(ds, range, timeZone);
  }
  return out.ok ? { ...out, definition } : out;
}
