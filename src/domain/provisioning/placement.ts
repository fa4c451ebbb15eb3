import type { EntityManager } from 'typeorm';
import { marks } from '../../db/bulk.js';

/**
 * Which server of a group a new account goes to. Capacity is counted from the services table (pending, active and
 * suspended accounts occupy a slot; terminated, cancelled and fraud ones do not), not from servers.active_accounts,
 * which is only as fresh as the last sync.
 *
 * Two placements running at the same moment may pick the same server; a server can then end one account over its
 * limit. The limit is a planning figure, not a panel-enforced one, so this is accepted rather than locked.
 */

export type PlacementResult =
  | { ok: true; serverId: number }
  | { ok: false; error: 'no_servers' | 'all_full'; message: string };

/** Service statuses that hold an account on the server. */
export const OCCUPYING_STATUSES = ['pending', 'active', 'suspended'] as const;

interface Candidate {
  id: number;
  used: number;
  max: number;
  /** Id of the newest service ever placed on the server (any status); null when it never had one. */
  newest: number | null;
}

const hasRoom = (c: Candidate) => c.max <= 0 || c.used < c.max;
const byId = (a: Candidate, b: Candidate) => a.id - b.id;

const pickers: Record<string, (cs: Candidate[]) => Candidate> = {
  least_used: (cs) => [...cs].sort((a, b) => a.used - b.used || byId(a, b))[0],
  // The server that waited longest since its last new account; never-used servers first.
  round_robin: (cs) => [...cs].sort((a, b) => (a.newest ?? 0) - (b.newest ?? 0) || byId(a, b))[0],
  fill_first: (cs) => [...cs].sort(byId)[0],
};

/**
 * Chooses an active server of the group (of `type`, when given) with room left, by the group's fill method:
 * least_used → fewest accounts; round_robin → the server whose newest service is oldest; fill_first → the lowest id
 * with room. Ties go to the lowest id. A max_accounts of 0 or less means unlimited.
 */
export async function chooseServer(m: Pick<EntityManager, 'query'>, groupId: number, opts: { type?: 'cpanel' | 'virtualizor' } = {}): Promise<PlacementResult> {
  const [group] = (await m.query('SELECT name, fill_method FROM server_groups WHERE id = ?', [groupId])) as Array<{ name: string; fill_method: string }>;
  if (!group) return { ok: false, error: 'no_servers', message: `Server group #${groupId} does not exist. Check the product's server group.` };

  // Soft-deleted services still count: the account may well be on the panel.
  const rows = (await m.query(
    `SELECT s.id AS id, s.max_accounts AS max_accounts,
            COUNT(CASE WHEN sv.status IN (${marks(OCCUPYING_STATUSES.length)}) THEN 1 END) AS used,
            MAX(sv.id) AS newest
       FROM servers s
       LEFT JOIN services sv ON sv.server_id = s.id
      WHERE s.server_group_id = ? AND s.status = 'active'${opts.type ? ' AND s.type = ?' : ''}
      GROUP BY s.id, s.max_accounts`,
    [...OCCUPYING_STATUSES, groupId, ...(opts.type ? [opts.type] : [])],
  )) as Array<{ id: number | string; max_accounts: number | string | null; used: number | string; newest: number | string | null }>;

  const candidates: Candidate[] = rows.map((r) => ({
    id: Number(r.id),
    used: Number(r.used),
    max: Number(r.max_accounts ?? 0),
    newest: r.newest === null ? null : Number(r.newest),
  }));
  const name = `“${group.name}”`;
  if (!candidates.length) {
    const kind = opts.type ? `${opts.type} ` : '';
    return { ok: false, error: 'no_servers', message: `Server group ${name} has no active ${kind}server. Add one to the group or set an existing server's status to active.` };
  }
  const open = candidates.filter(hasRoom);
  if (!open.length) {
    const accounts = candidates.reduce((n, c) => n + c.used, 0);
    const servers = `${candidates.length} server${candidates.length === 1 ? '' : 's'}`;
    return { ok: false, error: 'all_full', message: `Every server in group ${name} is full (${servers}, ${accounts} account${accounts === 1 ? '' : 's'}). Raise a server's maximum accounts or add a server to the group.` };
  }
  const pick = pickers[group.fill_method] ?? pickers.least_used;
  return { ok: true, serverId: pick(open).id };
}
