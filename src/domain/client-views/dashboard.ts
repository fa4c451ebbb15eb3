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
}

/**
 * The figures of a signed-in client's home page. Amounts due are balances (total less what was paid or credited),
 * summed per currency: an old invoice in another currency is shown in that currency, never converted.
 * Overdue: due before today (business date) and still payable, as the invoice stamp says.
 */
export async function clientDashboard(db: Db, clientId: number, today: string, now: Date): Promise<DashboardView> {
  // Independent reads: on MariaDB they run side by side on the pool (SQLite serialises them anyway).
  const [money, client, activeServices, due, openTickets, announcements] = await Promise.all([
    moneyFormatter(db),
    db.getRepository('Client').findOne({ where: { id: clientId }, select: { id: true, creditBalance: true, currencyId: true } }) as Promise<{ creditBalance: number; currencyId: number } | null>,
    db.getRepository('Service').count({ where: { clientId, status: 'active' } }),
    db
      .getRepository('Invoice')
      .createQueryBuilder('i')
      .select('i.currency_id', 'currencyId')
      .addSelect('COUNT(*)', 'count')
      .addSelect('SUM(i.total - i.amount_paid - i.credit)', 'balance')
      .addSelect('SUM(CASE WHEN i.due_date < :today THEN 1 ELSE 0 END)', 'overdueCount')
      .addSelect('SUM(CASE WHEN i.due_date < :today THEN i.total - i.amount_paid - i.credit ELSE 0 END)', 'overdueBalance')
      .where('i.client_id = :clientId AND i.status IN (:...payable)', { clientId, payable: PAYABLE_STATUSES, today })
      .groupBy('i.currency_id')
      .getRawMany() as Promise<Array<Record<string, unknown>>>,
    db.getRepository('SupportTicket').createQueryBuilder('t').where('t.client_id = :clientId AND t.status <> :closed', { clientId, closed: 'closed' }).getCount(),
    latestAnnouncements(db, now, 3),
  ]);
  return {
    activeServices,
    unpaid: { count: due.reduce((n, r) => n + toInt(r.count), 0), totals: due.filter((r) => toInt(r.count) > 0).map((r) => money(toInt(r.balance), toInt(r.currencyId))) },
    overdue: {
      count: due.reduce((n, r) => n + toInt(r.overdueCount), 0),
      totals: due.filter((r) => toInt(r.overdueCount) > 0).map((r) => money(toInt(r.overdueBalance), toInt(r.currencyId))),
    },
    openTickets,
    creditBalance: money(client?.creditBalance ?? 0, client?.currencyId ?? 0),
    announcements,
  };
}

/** Published announcements whose publication time has come, newest first. */
export async function latestAnnouncements(db: Db, now: Date, limit: number): Promise<AnnouncementSummary[]> {
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
