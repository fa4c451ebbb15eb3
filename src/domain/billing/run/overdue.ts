import { In, type DataSource } from 'typeorm';
import { forUpdate } from '../../../db/locking.js';
import { inTransaction } from '../../../db/transaction.js';
import type { BillingSettings } from '../../settings.js';
import { addDays } from '../periods.js';
import { percentOf } from '../../shared/money.js';
import { priceInvoice, itemRows, type InvoiceClient, type InvoiceLine } from '../issue-invoice.js';
import type { TaxRateRow } from '../tax.js';
import { requestProvisioning } from '../../provisioning/requests.js';
import type { InvoiceReminderKind } from '../../../entities/billing/invoice-reminder.entity.js';

/** Sends one notice about an invoice (email, through the notifications module); false when it could not be sent. */
export type InvoiceNotifier = (notice: { kind: InvoiceReminderKind; invoiceId: number; clientId: number }) => Promise<{ ok: boolean; message?: string }>;

export interface OverdueCounts {
  lateFees: number;
  reminders: number;
  reminderFailures: number;
  suspensions: number;
  terminations: number;
}

export interface OverdueOptions {
  today: string;
  now: Date;
  settings: BillingSettings;
  dryRun: boolean;
  notify?: InvoiceNotifier;
}

type Errors = Array<{ step: string; record?: string; message: string }>;
class Rollback extends Error {}
const BATCH = 500;

/**
 * Late fees, reminders, overdue suspension and termination. Each is written so that running it again the same
 * day finds nothing left to do: a late fee is a line with a per-invoice billing key, a reminder is claimed by
 * inserting its (invoice, kind) row, and a suspension or termination changes the service's status with the
 * provisioning request in the same transaction.
 */
export async function runOverdue(ds: DataSource, o: OverdueOptions, errors: Errors): Promise<OverdueCounts> {
  const counts: OverdueCounts = { lateFees: 0, reminders: 0, reminderFailures: 0, suspensions: 0, terminations: 0 };
  const step = async (name: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (e) {
      if (!(e instanceof Rollback)) errors.push({ step: name, message: (e as Error).message });
    }
  };
  if (o.settings.lateFeeEnabled && o.settings.lateFee) await step('late_fees', () => lateFees(ds, o, counts, errors));
  if (o.notify || o.dryRun) await step('reminders', () => reminders(ds, o, counts, errors));
  await step('suspensions', () => suspensions(ds, o, counts, errors));
  await step('terminations', () => terminations(ds, o, counts, errors));
  await step('scheduled_terminations', () => scheduledTerminations(ds, o, counts, errors));
  return counts;
}

/** Runs `work` in a transaction that is rolled back in a dry run, so the counts are real and nothing is kept. */
async function tx(ds: DataSource, dryRun: boolean, work: Parameters<typeof inTransaction>[1]) {
  try {
    await inTransaction(ds, async (m) => {
      await work(m);
      if (dryRun) throw new Rollback();
    });
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
}

async function lateFees(ds: DataSource, o: OverdueOptions, c: OverdueCounts, errors: Errors) {
  const cutoff = addDays(o.today, -o.settings.lateFeeDays);
  const rateRows = (await ds.getRepository('TaxRate').find()) as TaxRateRow[];
  let cursor = 0;
  for (;;) {
    const ids = ((await ds.query(
      `SELECT i.id FROM invoices i JOIN clients c ON c.id = i.client_id
        WHERE i.id > ? AND i.status = 'unpaid' AND i.due_date <= ? AND c.late_fee_exempt = 0
          AND NOT EXISTS (SELECT 1 FROM invoice_items it WHERE it.invoice_id = i.id AND it.item_type = 'late_fee')
        ORDER BY i.id LIMIT ${BATCH}`,
      [cursor, cutoff],
    )) as Array<{ id: number | string }>).map((r) => Number(r.id));
    if (!ids.length) break;
    cursor = ids[ids.length - 1];
    for (const id of ids) {
      try {
        await tx(ds, o.dryRun, async (m) => {
          const inv = (await forUpdate(m.getRepository('Invoice').createQueryBuilder('i').where('i.id = :id', { id })).getOne()) as Record<string, any>;
          if (inv.status !== 'unpaid') return;
          const lines = (await m.getRepository('InvoiceItem').find({ where: { invoiceId: id }, order: { sortOrder: 'ASC' } })) as unknown as InvoiceLine[];
          if (lines.some((l) => l.itemType === 'late_fee')) return;
          const fee = o.settings.lateFee!;
          const amount = fee.kind === 'fixed' ? (fee.value as number) : percentOf(inv.total, fee.value as string);
          if (amount <= 0) return;
          const line: InvoiceLine = { itemType: 'late_fee', description: `Late payment fee (${inv.invoiceNumber ?? id} was due ${inv.dueDate})`, unitPrice: amount, taxable: false, billingKey: `latefee:${id}` };
          await m.getRepository('InvoiceItem').insert(itemRows(id, [line]).map((r) => ({ ...r, sortOrder: lines.length })));
          const client = (await m.getRepository('Client').findOneBy({ id: inv.clientId })) as unknown as InvoiceClient;
          const priced = priceInvoice(client, [...lines.map((l) => ({ ...l, unitPrice: (l as unknown as { unitPrice: number }).unitPrice })), line], rateRows, inv.taxInclusive);
          await m.getRepository('Invoice').update({ id }, { subtotal: priced.subtotal, tax1: priced.tax1, tax2: priced.tax2, total: priced.total });
          c.lateFees++;
        });
      } catch (e) {
        errors.push({ step: 'late_fees', record: `invoice ${id}`, message: (e as Error).message });
      }
    }
  }
}

/** The notices an unpaid invoice is due for today, oldest first. */
function noticesDue(inv: { issueDate: string; dueDate: string }, o: OverdueOptions): InvoiceReminderKind[] {
  const kinds: InvoiceReminderKind[] = ['created'];
  if (o.settings.dueSoonReminderDays > 0 && o.today >= addDays(inv.dueDate, -o.settings.dueSoonReminderDays) && o.today < inv.dueDate) kinds.push('due_soon');
  const levels: InvoiceReminderKind[] = ['overdue_1', 'overdue_2', 'overdue_3'];
  o.settings.overdueReminderDays.forEach((days, i) => {
    if (days > 0 && o.today >= addDays(inv.dueDate, days)) kinds.push(levels[i]);
  });
  return kinds;
}

async function reminders(ds: DataSource, o: OverdueOptions, c: OverdueCounts, errors: Errors) {
  let cursor = 0;
  for (;;) {
    const rows = (await ds.query(
      `SELECT i.id, i.client_id, i.issue_date, i.due_date FROM invoices i JOIN clients c ON c.id = i.client_id
        WHERE i.id > ? AND i.status = 'unpaid' AND i.issue_date <= ? AND c.overdue_notices_disabled = 0
        ORDER BY i.id LIMIT ${BATCH}`,
      [cursor, o.today],
    )) as Array<{ id: number | string; client_id: number | string; issue_date: string | Date; due_date: string | Date }>;
    if (!rows.length) break;
    cursor = Number(rows[rows.length - 1].id);
    const ids = rows.map((r) => Number(r.id));
    const sent = (await ds.getRepository('InvoiceReminder').find({ where: { invoiceId: In(ids) } })) as Array<{ invoiceId: number; kind: string; sentAt: Date | null }>;
    const done = new Set(sent.filter((s) => s.sentAt).map((s) => `${s.invoiceId}:${s.kind}`));
    for (const r of rows) {
      const inv = { id: Number(r.id), clientId: Number(r.client_id), issueDate: String(r.issue_date).slice(0, 10), dueDate: String(r.due_date).slice(0, 10) };
      for (const kind of noticesDue(inv, o)) {
        if (done.has(`${inv.id}:${kind}`)) continue;
        if (o.dryRun || !o.notify) {
          c.reminders++;
          continue;
        }
        // Claim first (the unique (invoice, kind) row), then send, then mark sent: a notice is sent at most once,
        // and one that failed is tried again by the next run.
        await ds.getRepository('InvoiceReminder').createQueryBuilder().insert().values({ invoiceId: inv.id, kind, sentAt: null }).orIgnore().updateEntity(false).execute();
        const claimed = await ds.getRepository('InvoiceReminder').createQueryBuilder().update().set({ sentAt: o.now }).where('invoice_id = :id AND kind = :kind AND sent_at IS NULL', { id: inv.id, kind }).execute();
        if ((claimed.affected ?? 0) !== 1) continue;
        const result = await o.notify!({ kind, invoiceId: inv.id, clientId: inv.clientId }).catch((e: Error) => ({ ok: false, message: e.message }));
        if (result.ok) c.reminders++;
        else {
          c.reminderFailures++;
          await ds.getRepository('InvoiceReminder').update({ invoiceId: inv.id, kind }, { sentAt: null });
          errors.push({ step: 'reminders', record: `invoice ${inv.id} (${kind})`, message: result.message ?? 'not sent' });
        }
      }
    }
  }
}

/** Services with an unpaid invoice due on or before `cutoff`, as (service, earliest such invoice). */
async function overdueServices(ds: DataSource, status: string, cutoff: string, extra: string): Promise<Array<{ serviceId: number; invoiceId: number; invoiceNumber: string | null }>> {
  const rows = (await ds.query(
    `SELECT s.id AS service_id, MIN(i.id) AS invoice_id FROM services s
       JOIN invoice_items it ON it.service_id = s.id
       JOIN invoices i ON i.id = it.invoice_id
      WHERE s.status = ? AND s.deleted_at IS NULL AND i.status = 'unpaid' AND i.due_date <= ? ${extra}
      GROUP BY s.id ORDER BY s.id`,
    [status, cutoff],
  )) as Array<{ service_id: number | string; invoice_id: number | string }>;
  const numbers = new Map<number, string | null>();
  const invIds = [...new Set(rows.map((r) => Number(r.invoice_id)))];
  for (let i = 0; i < invIds.length; i += BATCH) {
    for (const inv of (await ds.getRepository('Invoice').find({ where: { id: In(invIds.slice(i, i + BATCH)) }, select: ['id', 'invoiceNumber'] as never })) as Array<{ id: number; invoiceNumber: string | null }>) numbers.set(inv.id, inv.invoiceNumber);
  }
  return rows.map((r) => ({ serviceId: Number(r.service_id), invoiceId: Number(r.invoice_id), invoiceNumber: numbers.get(Number(r.invoice_id)) ?? null }));
}

async function suspensions(ds: DataSource, o: OverdueOptions, c: OverdueCounts, errors: Errors) {
  if (o.settings.suspendAfterDays <= 0) return;
  const due = await overdueServices(ds, 'active', addDays(o.today, -o.settings.suspendAfterDays), `AND s.override_auto_suspend = 0`);
  for (const d of due) {
    try {
      await tx(ds, o.dryRun, async (m) => {
        const changed = await m.getRepository('Service').update(
          { id: d.serviceId, status: 'active' },
          { status: 'suspended', overdueSuspended: true, suspendedAt: o.now, suspensionReason: `Overdue on payment (invoice ${d.invoiceNumber ?? d.invoiceId})` },
        );
        if ((changed.affected ?? 0) !== 1) return;
        await requestProvisioning(m, { serviceId: d.serviceId, action: 'suspend', key: `${d.serviceId}:overdue:${d.invoiceId}`, reason: `Overdue invoice ${d.invoiceNumber ?? d.invoiceId}`, now: o.now });
        c.suspensions++;
      });
    } catch (e) {
      errors.push({ step: 'suspensions', record: `service ${d.serviceId}`, message: (e as Error).message });
    }
  }
}

async function terminations(ds: DataSource, o: OverdueOptions, c: OverdueCounts, errors: Errors) {
  if (o.settings.terminateAfterDays <= 0) return;
  const due = await overdueServices(ds, 'suspended', addDays(o.today, -o.settings.terminateAfterDays), `AND s.overdue_suspended = 1`);
  for (const d of due) {
    try {
      await tx(ds, o.dryRun, async (m) => {
        const changed = await m.getRepository('Service').update({ id: d.serviceId, status: 'suspended' }, { status: 'terminated', terminationDate: o.today });
        if ((changed.affected ?? 0) !== 1) return;
        // Its addons end with it (FOSSBilling #1670: addons left running after the parent was terminated).
        await m.getRepository('ServiceAddon').update({ serviceId: d.serviceId, status: In(['active', 'suspended', 'pending']) }, { status: 'terminated', terminationDate: o.today });
        await requestProvisioning(m, { serviceId: d.serviceId, action: 'terminate', key: `${d.serviceId}:overdue`, reason: `Unpaid invoice ${d.invoiceNumber ?? d.invoiceId}`, now: o.now });
        c.terminations++;
      });
    } catch (e) {
      errors.push({ step: 'terminations', record: `service ${d.serviceId}`, message: (e as Error).message });
    }
  }
}

/**
 * Services whose termination date staff set (a cancellation at the end of the period, a planned shutdown) are
 * terminated on that date — also when it passed while the server was down — and the panel is asked to remove them.
 */
async function scheduledTerminations(ds: DataSource, o: OverdueOptions, c: OverdueCounts, errors: Errors) {
  const due = (await ds.query(
    `SELECT id FROM services WHERE termination_date IS NOT NULL AND termination_date <= ? AND status IN ('active', 'suspended') AND deleted_at IS NULL ORDER BY id`,
    [o.today],
  )) as Array<{ id: number | string }>;
  for (const { id } of due) {
    const serviceId = Number(id);
    try {
      await tx(ds, o.dryRun, async (m) => {
        const changed = await m.getRepository('Service').update({ id: serviceId, status: In(['active', 'suspended']) }, { status: 'terminated' });
        if ((changed.affected ?? 0) !== 1) return;
        await m.getRepository('ServiceAddon').update({ serviceId, status: In(['active', 'suspended', 'pending']) }, { status: 'terminated', terminationDate: o.today });
        await requestProvisioning(m, { serviceId, action: 'terminate', key: `${serviceId}:scheduled`, reason: 'Termination date reached', now: o.now });
        // The client's approved end-of-period cancellation is now carried out.
        await m.getRepository('CancellationRequest').update({ serviceId, status: 'approved' }, { status: 'completed' });
        c.terminations++;
      });
    } catch (e) {
      errors.push({ step: 'scheduled_terminations', record: `service ${serviceId}`, message: (e as Error).message });
    }
  }
}
