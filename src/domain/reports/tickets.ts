/**
 * Ticket response times: for tickets opened in a range, how long the first staff reply took, per department. The
 * opening message is the thread's first reply, so it never counts as a response; internal notes are not replies the
 * client saw. Tickets staff opened themselves (source 'admin') have nobody waiting and are left out of the times.
 */
import type { DataSource } from 'typeorm';
import { succeed, type Outcome } from '../shared/outcome.js';
import { instantBounds, toInstant, toInt, type DateRange } from './range.js';
import type { ReportResult, ReportRow } from './types.js';

export interface ResponseTimes {
  tickets: number;
  responded: number;
  awaiting: number;
  /** Whole seconds, null when no ticket was answered. */
  averageSeconds: number | null;
  medianSeconds: number | null;
}

/** Average and median of whole-second waits. */
export function responseTimes(waits: number[], tickets: number): ResponseTimes {
  const sorted = [...waits].sort((a, b) => a - b);
  const n = sorted.length;
  const average = n ? Math.round(sorted.reduce((s, w) => s + w, 0) / n) : null;
  const median = n ? (n % 2 ? sorted[(n - 1) / 2] : Math.round((sorted[n / 2 - 1] + sorted[n / 2]) / 2)) : null;
  return { tickets, responded: n, awaiting: tickets - n, averageSeconds: average, medianSeconds: median };
}

/** Per ticket opened in [start, end): its department and the wait until the first staff reply (null if none yet). */
export async function firstResponses(ds: DataSource, start: string, end: string): Promise<Array<{ departmentId: number; department: string; counted: boolean; waitSeconds: number | null }>> {
  const raw = (await ds.query(
    `SELECT t.id, t.department_id, d.name AS department, t.source, t.created_at, MIN(r.created_at) AS first_staff_reply
       FROM support_tickets t
       JOIN ticket_departments d ON d.id = t.department_id
       LEFT JOIN ticket_replies r ON r.ticket_id = t.id AND r.author_type = 'staff' AND r.is_internal_note = 0
            AND r.id > (SELECT MIN(r0.id) FROM ticket_replies r0 WHERE r0.ticket_id = t.id)
      WHERE t.created_at >= ? AND t.created_at < ?
      GROUP BY t.id, t.department_id, d.name, t.source, t.created_at`,
    [start, end],
  )) as Array<Record<string, unknown>>;
  return raw.map((r) => {
    const opened = toInstant(r.created_at)!.getTime();
    const first = toInstant(r.first_staff_reply);
    return {
      departmentId: toInt(r.department_id),
      department: String(r.department),
      counted: r.source !== 'admin',
      waitSeconds: first ? Math.max(0, Math.round((first.getTime() - opened) / 1000)) : null,
    };
  });
}

export async function ticketResponseReport(ds: DataSource, range: DateRange, timeZone: string): Promise<Outcome<{ report: ReportResult }>> {
  const { start, end } = instantBounds(range, timeZone);
  const tickets = await firstResponses(ds, start, end);
  const byDept = new Map<number, { name: string; tickets: number; waits: number[] }>();
  for (const t of tickets) {
    let d = byDept.get(t.departmentId);
    if (!d) byDept.set(t.departmentId, (d = { name: t.department, tickets: 0, waits: [] }));
    if (!t.counted) continue;
    d.tickets++;
    if (t.waitSeconds !== null) d.waits.push(t.waitSeconds);
  }
  const row = (department: string, tickets: number, waits: number[]): ReportRow => ({ department, ...responseTimes(waits, tickets) });
  const rows = [...byDept.values()].sort((a, b) => a.name.localeCompare(b.name)).map((d) => row(d.name, d.tickets, d.waits));
  const all = [...byDept.values()];
  const totals = [row('Total', all.reduce((s, d) => s + d.tickets, 0), all.flatMap((d) => d.waits))];
  return succeed({
    report: {
      columns: [
        { key: 'department', label: 'Department', kind: 'text' },
        { key: 'tickets', label: 'Tickets', kind: 'int' },
        { key: 'responded', label: 'Answered', kind: 'int' },
        { key: 'awaiting', label: 'Awaiting first reply', kind: 'int' },
        { key: 'averageSeconds', label: 'Average first response (s)', kind: 'seconds' },
        { key: 'medianSeconds', label: 'Median first response (s)', kind: 'seconds' },
      ],
      rows,
      totals,
      note: 'Tickets opened in the range by clients or by email; the wait runs from the ticket being opened to the first staff reply the client saw (internal notes do not count).',
    },
  });
}
