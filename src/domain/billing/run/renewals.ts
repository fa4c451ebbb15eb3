import { In, type DataSource, type EntityManager } from 'typeorm';
import { inTransaction } from '../../../db/transaction.js';
import { bulkInsert, bulkInsertReturningIds, marks } from '../../../db/bulk.js';
import type { BillingSettings } from '../../settings.js';
import { addDays, anchorDayOf, isRecurring, nextDueDate, type BillingCycle } from '../periods.js';
import { claimNumbers } from '../numbering.js';
import { invoiceRow, itemRows, priceInvoice, type InvoiceClient, type InvoiceLine } from '../issue-invoice.js';
import type { TaxRateRow } from '../tax.js';
import { renewalPrice } from '../promotion-periods.js';

/**
 * Renewal invoicing for services, their addons and domains. Each thing billed carries the due date of its next
 * unbilled period (nextInvoiceDate, WHMCS semantics); its invoice is created `invoiceDaysBefore` days ahead of it.
 * Work goes client batch by client batch; each batch is one transaction that writes the invoices, their lines and
 * the advanced next-invoice dates together, so a run killed at any point leaves whole batches or nothing. Every line
 * has a billing key (thing + period start) with a unique index: a period already billed is skipped, and a second
 * run — at the same time or later — can never bill it again.
 */
export interface RenewalPlanInvoice {
  clientId: number;
  dueDate: string;
  invoiceNumber: string | null;
  total: number;
  lines: Array<{ description: string; amount: number; billingKey: string }>;
}

export interface RenewalResult {
  invoices: number;
  lines: number;
  services: number;
  addons: number;
  domains: number;
  alreadyBilled: number;
  /** What was (or, in a dry run, would be) invoiced. Kept only up to `planLimit` entries. */
  plan: RenewalPlanInvoice[];
  errors: Array<{ clientId: number; message: string }>;
}

export interface RenewalOptions {
  today: string;
  settings: BillingSettings;
  dryRun: boolean;
  batchSize?: number;
  /** Batches in flight at once (default: 2 on MariaDB/MySQL, 1 on SQLite). */
  parallel?: number;
  planLimit?: number;
  onBatch?: (done: number) => void;
}

interface Due {
  kind: 'service' | 'addon' | 'domain';
  id: number;
  clientId: number;
  cycle: BillingCycle;
  years?: number;
  amount: number;
  /** Set when a recurring promotion runs out: periods from promotionEndsOn on cost regularAmount. */
  regularAmount: number | null;
  promotionEndsOn: string | null;
  nextInvoiceDate: string;
  anchorDay: number;
  taxable: boolean;
  label: string;
  serviceId?: number | null;
  /** The day the item ends (services and addons): periods starting on or after it are not billed. */
  terminationDate?: string | null;
}

class DryRunRollback extends Error {
  constructor(readonly batch: RenewalResult) {
    super('dry run');
  }
}

const MAX_CATCH_UP = 36;
const CHUNK = 1000;

const chunks = <T>(xs: T[], n = CHUNK): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

export async function runRenewals(ds: DataSource, opts: RenewalOptions): Promise<RenewalResult> {
  const result: RenewalResult = { invoices: 0, lines: 0, services: 0, addons: 0, domains: 0, alreadyBilled: 0, plan: [], errors: [] };
  const batchSize = opts.batchSize ?? 2000;
  const products = new Map<number, { name: string; taxable: boolean; prorataDay: number | null }>();
  const rateRows = (await ds.getRepository('TaxRate').find()) as TaxRateRow[];
  // The latest invoice date any item could have and still be due today: the largest lead time applies.
  const maxLead = Math.max(opts.settings.invoiceDaysBefore, opts.settings.domainInvoiceDaysBefore, ...Object.values(opts.settings.invoiceDaysBeforeByCycle), 0);
  const horizon = addDays(opts.today, maxLead);
  // Client batches are handed out in id order by one cursor; on MariaDB two batches run at once, each in its own
  // transaction on its own connection, so one batch's reads overlap the other's writes. SQLite has one writer.
  const sqlite = ds.options.type === 'better-sqlite3' || ds.options.type === 'sqlite';
  const parallel = Math.max(1, opts.parallel ?? (sqlite ? 1 : 2));
  let cursor = 0;
  let exhausted = false;
  let handOut: Promise<number[]> = Promise.resolve([]);
  const nextBatch = () =>
    (handOut = handOut.then(async () => {
      if (exhausted) return [];
      const ids = await nextClients(ds, cursor, horizon, batchSize);
      if (ids.length) cursor = ids[ids.length - 1];
      else exhausted = true;
      return ids;
    }));
  let done = 0;
  // A worker that dies (the process is being stopped, a progress callback threw) stops the others taking more.
  let stopped = false;
  const worker = async () => {
    for (let clientIds = await nextBatch(); clientIds.length && !stopped; clientIds = await nextBatch()) {
      try {
        // Counted only once committed (or rolled back on purpose): a deadlock retry runs the callback again.
        const batch = await inTransaction(ds, async (m) => {
          const planned = await billBatch(m, clientIds, opts, horizon, products, rateRows);
          if (opts.dryRun) throw new DryRunRollback(planned);
          return planned;
        });
        merge(result, batch, opts.planLimit);
      } catch (e) {
        if (e instanceof DryRunRollback) merge(result, e.batch, opts.planLimit);
        else {
          // One bad batch must not stop the run: record it and go on; the next run tries those clients again.
          result.errors.push({ clientId: clientIds[0], message: `clients ${clientIds[0]}–${clientIds[clientIds.length - 1]}: ${(e as Error).message}` });
        }
      }
      done += clientIds.length;
      opts.onBatch?.(done);
    }
  };
  const ends = await Promise.allSettled(Array.from({ length: parallel }, () => worker().catch((e) => ((stopped = true), Promise.reject(e)))));
  const died = ends.find((e): e is PromiseRejectedResult => e.status === 'rejected');
  if (died) throw died.reason;
  return result;
}

function merge(into: RenewalResult, batch: RenewalResult, planLimit = 1000) {
  for (const k of ['invoices', 'lines', 'services', 'addons', 'domains', 'alreadyBilled'] as const) into[k] += batch[k];
  for (const p of batch.plan) if (into.plan.length < planLimit) into.plan.push(p);
}

/** The next `limit` client ids (after `cursor`) with anything whose next invoice date is on or before `horizon`. */
async function nextClients(ds: DataSource, cursor: number, horizon: string, limit: number): Promise<number[]> {
  const q = (sql: string) => ds.query(`${sql} ORDER BY client_id LIMIT ${Number(limit)}`, [cursor, horizon]) as Promise<Array<{ client_id: number | string }>>;
  const [s, a, d] = await Promise.all([
    // A termination date on or before the next unbilled period (an approved end-of-period cancellation, a planned
    // shutdown) means that period is never used: it must not be invoiced.
    q(`SELECT DISTINCT client_id FROM services WHERE client_id > ? AND next_invoice_date <= ? AND status IN ('active','suspended') AND billing_cycle NOT IN ('free','onetime') AND deleted_at IS NULL AND (termination_date IS NULL OR termination_date > next_invoice_date)`),
    q(`SELECT DISTINCT client_id FROM client_addons WHERE client_id > ? AND next_invoice_date <= ? AND status IN ('active','suspended') AND billing_cycle NOT IN ('free','onetime') AND (termination_date IS NULL OR termination_date > next_invoice_date)`),
    q(`SELECT DISTINCT client_id FROM domains WHERE client_id > ? AND next_invoice_date <= ? AND status = 'active' AND auto_renew = 1`),
  ]);
  const ids = [...new Set([...s, ...a, ...d].map((r) => Number(r.client_id)))].sort((x, y) => x - y);
  return ids.slice(0, limit);
}

const leadFor = (settings: BillingSettings, item: Pick<Due, 'kind' | 'cycle'>) =>
  item.kind === 'domain' ? settings.domainInvoiceDaysBefore : (settings.invoiceDaysBeforeByCycle[item.cycle] ?? settings.invoiceDaysBefore);

async function loadDue(m: EntityManager, clientIds: number[], horizon: string, products: Map<number, { name: string; taxable: boolean; prorataDay: number | null }>): Promise<Due[]> {
  // Plain SQL: at hundreds of thousands of rows, hydrating entities costs more than the queries themselves.
  const ids = marks(clientIds.length);
  const services = (await m.query(
    `SELECT id, client_id, product_id, billing_cycle, recurring_amount, regular_amount, promotion_ends_on, next_invoice_date, registration_date, domain, termination_date FROM services
      WHERE client_id IN (${ids}) AND next_invoice_date <= ? AND status IN ('active','suspended') AND billing_cycle NOT IN ('free','onetime') AND deleted_at IS NULL
        AND (termination_date IS NULL OR termination_date > next_invoice_date)`,
    [...clientIds, horizon],
  )) as Array<Record<string, any>>;
  const missing = [...new Set(services.map((s) => Number(s.product_id)))].filter((id) => !products.has(id));
  if (missing.length) {
    for (const p of (await m.getRepository('Product').findBy({ id: In(missing) })) as Array<Record<string, any>>) {
      products.set(p.id, { name: p.name, taxable: p.taxable, prorataDay: p.prorataBilling ? p.prorataDay : null });
    }
  }
  const addons = (await m.query(
    `SELECT id, client_id, service_id, name, billing_cycle, recurring_amount, regular_amount, promotion_ends_on, next_invoice_date, registration_date, termination_date FROM client_addons
      WHERE client_id IN (${ids}) AND next_invoice_date <= ? AND status IN ('active','suspended') AND billing_cycle NOT IN ('free','onetime')
        AND (termination_date IS NULL OR termination_date > next_invoice_date)`,
    [...clientIds, horizon],
  )) as Array<Record<string, any>>;
  const domains = (await m.query(
    `SELECT id, client_id, domain_name, registration_period, recurring_amount, next_invoice_date FROM domains
      WHERE client_id IN (${ids}) AND next_invoice_date <= ? AND status = 'active' AND auto_renew = 1`,
    [...clientIds, horizon],
  )) as Array<Record<string, any>>;
  const day = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v)).slice(0, 10);
  const promotionEnd = (r: Record<string, any>) =>
    r.promotion_ends_on ? { regularAmount: Number(r.regular_amount), promotionEndsOn: day(r.promotion_ends_on) } : { regularAmount: null, promotionEndsOn: null };
  const due: Due[] = [];
  for (const s of services) {
    const p = products.get(Number(s.product_id));
    const next = day(s.next_invoice_date);
    due.push({
      kind: 'service', id: Number(s.id), clientId: Number(s.client_id), cycle: s.billing_cycle, amount: Number(s.recurring_amount), ...promotionEnd(s), nextInvoiceDate: next,
      anchorDay: p?.prorataDay ?? anchorDayOf(s.registration_date ? day(s.registration_date) : next), taxable: p?.taxable ?? true,
      label: `${p?.name ?? 'Service'}${s.domain ? ` - ${s.domain}` : ''}`, serviceId: Number(s.id), terminationDate: s.termination_date ? day(s.termination_date) : null,
    });
  }
  for (const a of addons) {
    const next = day(a.next_invoice_date);
    due.push({ kind: 'addon', id: Number(a.id), clientId: Number(a.client_id), cycle: a.billing_cycle, amount: Number(a.recurring_amount), ...promotionEnd(a), nextInvoiceDate: next, anchorDay: anchorDayOf(a.registration_date ? day(a.registration_date) : next), taxable: true, label: `Addon: ${a.name}`, serviceId: Number(a.service_id), terminationDate: a.termination_date ? day(a.termination_date) : null });
  }
  for (const d of domains) {
    const years = Math.max(1, Number(d.registration_period ?? 1));
    const next = day(d.next_invoice_date);
    due.push({ kind: 'domain', id: Number(d.id), clientId: Number(d.client_id), cycle: 'annually', years, amount: Number(d.recurring_amount), regularAmount: null, promotionEndsOn: null, nextInvoiceDate: next, anchorDay: anchorDayOf(next), taxable: true, label: `Domain renewal - ${d.domain_name} (${years} year${years > 1 ? 's' : ''})` });
  }
  return due;
}

/** The periods of one item that are due for invoicing by `today`, and the item's next unbilled due date after them. */
function periodsDue(item: Due, today: string, lead: number): { periods: Array<{ start: string; end: string }>; next: string } {
  const periods: Array<{ start: string; end: string }> = [];
  let due = item.nextInvoiceDate;
  if (!isRecurring(item.cycle)) return { periods, next: due };
  // Catching up stops at the termination date too: a period that starts after the service ends is never billed.
  while (addDays(due, -lead) <= today && periods.length < MAX_CATCH_UP && !(item.terminationDate && due >= item.terminationDate)) {
    let next = due;
    for (let y = 0; y < (item.years ?? 1); y++) next = nextDueDate(item.anchorDay, next, item.cycle);
    periods.push({ start: due, end: addDays(next, -1) });
    due = next;
  }
  return { periods, next: due };
}

async function billBatch(
  m: EntityManager,
  clientIds: number[],
  opts: RenewalOptions,
  horizon: string,
  products: Map<number, { name: string; taxable: boolean; prorataDay: number | null }>,
  rateRows: TaxRateRow[],
): Promise<RenewalResult> {
  const out: RenewalResult = { invoices: 0, lines: 0, services: 0, addons: 0, domains: 0, alreadyBilled: 0, plan: [], errors: [] };
  const due = await loadDue(m, clientIds, horizon, products);
  if (!due.length) return out;

  type Planned = { item: Due; line: InvoiceLine & { billingKey: string }; dueDate: string };
  const planned: Planned[] = [];
  const advance = new Map<string, { kind: Due['kind']; ids: number[] }>();
  const promotionsEnded: Due[] = [];
  for (const item of due) {
    const { periods, next } = periodsDue(item, opts.today, leadFor(opts.settings, item));
    if (!periods.length) continue;
    for (const p of periods) {
      planned.push({
        item,
        dueDate: p.start,
        line: {
          itemType: item.kind === 'service' ? 'service' : item.kind,
          description: `${item.label} (${p.start} - ${p.end})`,
          unitPrice: renewalPrice({ recurringAmount: item.amount, regularAmount: item.regularAmount, promotionEndsOn: item.promotionEndsOn }, p.start),
          taxable: item.taxable,
          serviceId: item.kind === 'domain' ? null : (item.serviceId ?? null),
          serviceAddonId: item.kind === 'addon' ? item.id : null,
          domainId: item.kind === 'domain' ? item.id : null,
          periodStart: p.start,
          periodEnd: p.end,
          billingKey: `${item.kind}:${item.id}:${p.start}`,
        },
      });
    }
    // Once a period at full price is billed, the item's own price becomes the full one: staff and the client
    // area then show what the renewals really cost.
    if (item.promotionEndsOn && periods[periods.length - 1].start >= item.promotionEndsOn) promotionsEnded.push(item);
    const key = `${item.kind}|${next}`;
    const group = advance.get(key);
    if (group) group.ids.push(item.id);
    else advance.set(key, { kind: item.kind, ids: [item.id] });
    out[item.kind === 'service' ? 'services' : item.kind === 'addon' ? 'addons' : 'domains']++;
  }

  // Periods billed before (by an earlier or a concurrent run) are skipped; the unique index backs this up.
  const billed = new Set<string>();
  for (const keys of chunks(planned.map((p) => p.line.billingKey))) {
    const rows = (await m.query(`SELECT billing_key FROM invoice_items WHERE billing_key IN (${keys.map(() => '?').join(',')})`, keys)) as Array<{ billing_key: string }>;
    for (const r of rows) billed.add(r.billing_key);
  }
  const fresh = planned.filter((p) => !billed.has(p.line.billingKey));
  out.alreadyBilled = planned.length - fresh.length;

  // Group lines into invoices: per client and due date when invoicing together, else one invoice per line.
  const groups = new Map<string, Planned[]>();
  for (const p of fresh) {
    const key = opts.settings.invoiceTogether ? `${p.item.clientId}|${p.dueDate}` : `${p.item.clientId}|${p.dueDate}|${p.line.billingKey}`;
    const lines = groups.get(key);
    if (lines) lines.push(p);
    else groups.set(key, [p]);
  }
  const clients = new Map<number, InvoiceClient>();
  const clientIdsNeeded = [...new Set(fresh.map((p) => p.item.clientId))];
  for (const ids of chunks(clientIdsNeeded)) {
    const rows = (await m.query(`SELECT id, country, state, tax_exempt, currency_id, default_gateway FROM clients WHERE id IN (${marks(ids.length)})`, ids)) as Array<Record<string, any>>;
    for (const c of rows) {
      clients.set(Number(c.id), { id: Number(c.id), country: c.country, state: c.state, taxExempt: Boolean(Number(c.tax_exempt)), currencyId: Number(c.currency_id), defaultGateway: c.default_gateway });
    }
  }
  const invoices = [...groups.values()].map((lines) => {
    const client = clients.get(lines[0].item.clientId)!;
    const priced = priceInvoice(client, lines.map((l) => l.line), rateRows, opts.settings.taxInclusive);
    return { client, lines, priced, dueDate: lines[0].dueDate };
  });
  // Everything that does not need invoice numbers happens before they are claimed: the sequence row stays locked
  // from the claim to the commit, and a parallel batch waits on it only for that long.
  const tables = { service: 'services', addon: 'client_addons', domain: 'domains' } as const;
  for (const [key, { kind, ids }] of advance) {
    const next = key.split('|')[1];
    for (const part of chunks(ids)) await m.query(`UPDATE ${tables[kind]} SET next_invoice_date = ? WHERE id IN (${marks(part.length)})`, [next, ...part]);
  }

  for (const item of promotionsEnded) {
    await m.query(`UPDATE ${tables[item.kind]} SET recurring_amount = regular_amount, regular_amount = NULL, promotion_ends_on = NULL WHERE id = ? AND promotion_ends_on IS NOT NULL`, [item.id]);
  }

  const numbers = await claimNumbers(m, 'invoice', opts.today, invoices.length);
  for (const part of chunks(invoices.map((inv, i) => ({ inv, number: numbers[i] })))) {
    const rows = part.map(({ inv, number }) => invoiceRow(inv.client, inv.priced, { invoiceNumber: number, status: 'unpaid', issueDate: opts.today, dueDate: inv.dueDate }));
    let ids = await bulkInsertReturningIds(m, 'invoices', rows);
    if (!ids) {
      const idRows = (await m.query(`SELECT id, invoice_number FROM invoices WHERE invoice_number IN (${marks(part.length)})`, part.map((p) => p.number))) as Array<{ id: number | string; invoice_number: string }>;
      const idOf = new Map(idRows.map((r) => [r.invoice_number, Number(r.id)]));
      ids = part.map((p) => idOf.get(p.number)!);
    }
    const invoiceIds = ids;
    await bulkInsert(m, 'invoice_items', part.flatMap(({ inv }, i) => itemRows(invoiceIds[i], inv.lines.map((l) => l.line))));
  }

  out.invoices = invoices.length;
  out.lines = fresh.length;
  out.plan = invoices.map((inv, i) => ({
    clientId: inv.client.id,
    dueDate: inv.dueDate,
    invoiceNumber: numbers[i] ?? null,
    total: inv.priced.total,
    lines: inv.lines.map((l) => ({ description: l.line.description, amount: l.line.unitPrice, billingKey: l.line.billingKey })),
  }));
  return out;
}
