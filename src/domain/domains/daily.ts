import { isDuplicateKey } from '../../db/errors.js';
import { addDays } from '../billing/periods.js';
import { daysBetween } from '../shared/clock.js';
import type { DomainJobDeps } from './jobs.js';
import { sendDomainNotice } from './notices.js';
import { loadDomain } from './registration-data.js';
import { bareTld, type DomainProductRow } from './pricing.js';
import { phaseAfterExpiry, syncDomain, SYNCED_STATUSES } from './sync.js';

export const DEFAULT_REMINDER_DAYS = [30, 7, 1];
/** A domain read from its registrar less than this long ago is not read again by the daily task. */
const SYNC_EVERY_MS = 20 * 3_600_000;
/** Transfers in are polled more often: the client waits on them. */
const TRANSFER_POLL_MS = 50 * 60_000;

export interface DomainDailyReport {
  synced: number;
  syncErrors: string[];
  statusChanged: number;
  remindersSent: number;
  reminderFailures: string[];
}

/**
 * The domains' part of the day, run after billing: read every registered domain back from its registrar (status,
 * expiry, transfers in progress), move domains past their expiry into grace, redemption or expired, and send the
 * expiry reminders that have come due — each at most once per expiry date.
 */
export class DomainDaily {
  constructor(private readonly deps: DomainJobDeps & { reminderDays?: () => Promise<number[]> }) {}

  async run(): Promise<DomainDailyReport> {
    const report: DomainDailyReport = { synced: 0, syncErrors: [], statusChanged: 0, remindersSent: 0, reminderFailures: [] };
    await this.syncAll(report);
    await this.movePastExpiry(report);
    await this.remind(report);
    return report;
  }

  /** Transfers in under way, asked about hourly by the scheduler: completed ones become active, failed ones credited. */
  async pollTransfers(): Promise<DomainDailyReport> {
    const report: DomainDailyReport = { synced: 0, syncErrors: [], statusChanged: 0, remindersSent: 0, reminderFailures: [] };
    await this.syncWhere(report, ['pending_transfer'], TRANSFER_POLL_MS);
    return report;
  }

  private async syncAll(report: DomainDailyReport): Promise<void> {
    await this.syncWhere(report, SYNCED_STATUSES.filter((s) => s !== 'pending_transfer'), SYNC_EVERY_MS);
    await this.syncWhere(report, ['pending_transfer'], TRANSFER_POLL_MS);
  }

  private async syncWhere(report: DomainDailyReport, statuses: string[], everyMs: number): Promise<void> {
    const deps = { ...this.deps, registrars: this.deps.registrars.forOneRun() };
    const before = new Date(this.deps.clock.now().getTime() - everyMs);
    const rows = (await this.deps.ds.getRepository('Domain').createQueryBuilder('d').select('d.id', 'id')
      .where("d.status IN (:...st) AND d.registrar IS NOT NULL AND d.registrar <> 'manual' AND (d.last_sync_at IS NULL OR d.last_sync_at < :before)", { st: statuses, before })
      .orderBy('d.id').limit(5000).getRawMany()) as Array<{ id: number | string }>;
    const queue = rows.map((r) => Number(r.id));
    // A few at a time: registrars rate-limit, and the answers are mostly waiting on the network.
    await Promise.all(Array.from({ length: 4 }, async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const out = await syncDomain(deps, id).catch((e: Error) => ({ ok: false as const, message: `Domain #${id}: ${e.message}` }));
        if (out.ok) report.synced++;
        else report.syncErrors.push(out.message);
      }
    }));
  }

  /** Domains no registrar reports on (manual ones, or a registrar that did not answer) follow their dates. */
  private async movePastExpiry(report: DomainDailyReport): Promise<void> {
    const today = this.deps.today();
    const rows = (await this.deps.ds.getRepository('Domain').createQueryBuilder('d').select(['d.id AS id', 'd.tld AS tld', 'd.expiry_date AS expiry', 'd.status AS status'])
      .where('d.status IN (:...st) AND d.expiry_date < :today', { st: ['active', 'grace', 'redemption'], today }).getRawMany()) as Array<{ id: number; tld: string; expiry: string | Date; status: string }>;
    if (!rows.length) return;
    const products = new Map(((await this.deps.ds.getRepository('DomainProduct').find()) as DomainProductRow[]).map((p) => [bareTld(p.tld), p]));
    for (const r of rows) {
      const expiryDate = r.expiry instanceof Date ? r.expiry.toISOString().slice(0, 10) : String(r.expiry).slice(0, 10);
      const phase = phaseAfterExpiry(products.get(bareTld(r.tld)) ?? null, expiryDate, today);
      if (phase === r.status) continue;
      const res = await this.deps.ds.getRepository('Domain').createQueryBuilder().update().set({ status: phase }).where('id = :id AND status = :was', { id: r.id, was: r.status }).execute();
      report.statusChanged += res.affected ?? 0;
    }
  }

  private async remind(report: DomainDailyReport): Promise<void> {
    const days = [...new Set((await this.deps.reminderDays?.()) ?? DEFAULT_REMINDER_DAYS)].filter((n) => Number.isInteger(n) && n > 0).sort((a, b) => a - b);
    if (!days.length) return;
    const today = this.deps.today();
    const rows = (await this.deps.ds.getRepository('Domain').createQueryBuilder('d').select(['d.id AS id', 'd.expiry_date AS expiry'])
      .where("d.status = 'active' AND d.expiry_date >= :today AND d.expiry_date <= :last", { today, last: addDays(today, days[days.length - 1]) }).getRawMany()) as Array<{ id: number; expiry: string | Date }>;
    const repo = this.deps.ds.getRepository('DomainReminder');
    for (const r of rows) {
      const expiryDate = r.expiry instanceof Date ? r.expiry.toISOString().slice(0, 10) : String(r.expiry).slice(0, 10);
      // The most urgent reminder that applies: a domain found 20 days out gets the 30-day one now and the 7-day one later.
      const daysBefore = days.find((n) => daysBetween(today, expiryDate) <= n)!;
      const key = { domainId: Number(r.id), expiryDate, daysBefore };
      const claimed = (await repo.findOneBy(key)) as { id: number; sentAt: Date | null } | null;
      if (claimed?.sentAt) continue;
      if (!claimed) {
        try {
          await repo.insert({ ...key, sentAt: null });
        } catch (e) {
          if (isDuplicateKey(e)) continue; // another run claimed it a moment ago
          throw e;
        }
      }
      const d = await loadDomain(this.deps.ds, key.domainId);
      const sent = d ? await sendDomainNotice(this.deps, d, { kind: 'reminder', daysBefore }) : null;
      if (sent?.ok) {
        await repo.update(key, { sentAt: this.deps.clock.now() });
        report.remindersSent++;
      } else if (sent) report.reminderFailures.push(`${d!.domainName}: ${sent.message}`);
    }
  }
}
