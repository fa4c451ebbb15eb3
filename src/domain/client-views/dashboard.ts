import { DataSource } from 'typeorm';
import { referenceCache } from '../../db/reference-cache.js';
import { moneyFormatter, toInt, type Db } from './money.js';

/** Invoice statuses a client still has to pay (the same set PaymentService accepts payments on). */
export const PAYABLE_STATUSES = ['unpaid', 'payment_pending', 'collections'] as const;

export interface AnnouncementSummary {
  id: number;
  title: string;
  excerpt: string;
  publishedAt: Date | string | null;
}

export interface DashboardView {
  activeServices: number;
  unpaid: { count: number; totals: string[] };
  overdue: { count: number; totals: string[] };
  openTickets: number;
  creditBalance: string;
  announcements: AnnouncementSummary[];
  /** Current network issues that touch this client (their servers or services, or everyone's systems). */
  networkIssues: Array<{ id: number; title: string; status: string }>;
}

/**
 * The figures of a signed-in client's home page. Amounts due are balances (total less what was paid or credited),
 * summed per currency: an old invoice in another currency is shown in that currency, never converted.
 * Overdue: due before today (business date) and still payable, as the invoice stamp says.
 */
export async function clientDashboard(db: Db, clientId: number, today: string, now: Date): Promise<DashboardView> {
  // The home page of every signed-in client, so it is two plain queries (the account's figures in one row, the
  // balances due per currency) plus the cached currencies and announcements; on MariaDB they run side by side.
  const payable = PAYABLE_STATUSES.map(() => '?').join(', ');
  const [money, [account], due, announcements, networkIssues] = await Promise.all([
    moneyFormatter(db),
    db.query(
      `SELECT c.credit_balance AS credit, c.currency_id AS currency,
         (SELECT COUNT(*) FROM services s WHERE s.client_id = c.id AND s.status = 'active' AND s.deleted_at IS NULL) AS services,
         (SELECT COUNT(*) FROM support_tickets t WHERE t.client_id = c.id AND t.status <> 'closed') AS tickets
       FROM clients c WHERE c.id = ? AND c.deleted_at IS NULL`,
      [clientId],
    ) as Promise<Array<Record<string, unknown>>>,
    db.query(
      `SELECT currency_id AS currencyId, COUNT(*) AS count, SUM(total - amount_paid - credit) AS balance,
         SUM(CASE WHEN due_date < ? THEN 1 ELSE 0 END) AS overdueCount,
         SUM(CASE WHEN due_date < ? THEN total - amount_paid - credit ELSE 0 END) AS overdueBalance
       FROM invoices WHERE client_id = ? AND status IN (${payable}) GROUP BY currency_id`,
      [today, today, clientId, ...PAYABLE_STATUSES],
    ) as Promise<Array<Record<string, unknown>>>,
    latestAnnouncements(db, now, 3),
    issuesAffecting(db, clientId),
  ]);
  return {
    activeServices: toInt(account?.services),
    unpaid: { count: due.reduce((n, r) => n + toInt(r.count), 0), totals: due.filter((r) => toInt(r.count) > 0).map((r) => money(toInt(r.balance), toInt(r.currencyId))) },
    overdue: {
      count: due.reduce((n, r) => n + toInt(r.overdueCount), 0),
      totals: due.filter((r) => toInt(r.overdueCount) > 0).map((r) => money(toInt(r.overdueBalance), toInt(r.currencyId))),
    },
    openTickets: toInt(account?.tickets),
    creditBalance: money(toInt(account?.credit), toInt(account?.currency)),
    announcements,
    networkIssues,
  };
}

interface CurrentIssue {
  id: number;
  title: string;
  status: string;
  type: string;
  serverId: number | null;
  affectedServiceIds: number[] | null;
}

const CURRENT_ISSUE_STATUSES = ['reported', 'investigating', 'in_progress', 'outage'];

/**
 * Network issues not yet resolved that concern this client: one on a server that hosts a service of theirs, one that
 * names a service of theirs, or one on shared systems (no server, no services named) that concerns everybody. The
 * open issues are cached a few seconds; the client's services are read only when there is an issue at all.
 */
async function issuesAffecting(db: Db, clientId: number): Promise<DashboardView['networkIssues']> {
  const read = () =>
    db.getRepository('NetworkIssue').find({ where: CURRENT_ISSUE_STATUSES.map((status) => ({ status })), order: { id: 'DESC' }, select: { id: true, title: true, status: true, type: true, serverId: true, affectedServiceIds: true } }) as Promise<CurrentIssue[]>;
  const current = db instanceof DataSource ? await referenceCache(db).get('NetworkIssue', 'current', read) : await read();
  if (!current.length) return [];
  const services = (await db.query(`SELECT id, server_id FROM services WHERE client_id = ? AND deleted_at IS NULL AND status IN ('active', 'suspended')`, [clientId])) as Array<{ id: number | string; server_id: number | string | null }>;
  const serviceIds = new Set(services.map((s) => Number(s.id)));
  const serverIds = new Set(services.filter((s) => s.server_id !== null).map((s) => Number(s.server_id)));
  return current
    .filter((i) => {
      const named = Array.isArray(i.affectedServiceIds) && i.affectedServiceIds.length > 0;
      if (named) return i.affectedServiceIds!.some((id) => serviceIds.has(Number(id)));
      if (i.serverId !== null) return serverIds.has(Number(i.serverId));
      return i.type !== 'server';
    })
    .map((i) => ({ id: i.id, title: i.title, status: i.status }));
}

/** Published announcements whose publication time has come, newest first. */
export async function latestAnnouncements(db: Db, now: Date, limit: number): Promise<AnnouncementSummary[]> {
  // Every visitor's front page and every client's dashboard show them: cached a few seconds (by the minute, so one
  // scheduled to appear does so within a minute at most).
  if (db instanceof DataSource) {
    const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
    return referenceCache(db).get('Announcement', `${limit}@${minute.toISOString()}`, () => readAnnouncements(db, minute, limit));
  }
  return readAnnouncements(db, now, limit);
}

async function readAnnouncements(db: Db, now: Date, limit: number): Promise<AnnouncementSummary[]> {
  const rows = (await db
    .getRepository('Announcement')
    .createQueryBuilder('a')
    .select(['a.id', 'a.title', 'a.body', 'a.publishedAt'])
    .where('a.published = 1 AND (a.published_at IS NULL OR a.published_at <= :now)', { now })
    .orderBy('a.published_at', 'DESC')
    .addOrderBy('a.id', 'DESC')
    .take(limit)
    .getMany()) as Array<{ id: number; title: string; body: string; publishedAt: Date | null }>;
  return rows.map((r) => ({ id: r.id, title: r.title, excerpt: excerpt(r.body), publishedAt: r.publishedAt }));
}

/**
 * A plain-text teaser of an announcement body, which staff may write with markup: tags are dropped for the excerpt
 * only (the page escapes whatever is left, so this is about looks, not safety).
 */
function excerpt(body: string, max = 220): string {
  const text = String(body ?? '').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
