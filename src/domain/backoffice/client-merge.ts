import type { DataSource, EntityManager } from 'typeorm';
import { currentActor } from '../../audit/context.js';
import { forUpdate } from '../../db/locking.js';
import { inTransaction } from '../../db/transaction.js';
import type { Clock } from '../shared/clock.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';

/** Where rows point at a client: every foreign key to `clients`, found from the entity metadata. */
export interface ClientReference {
  entity: string;
  table: string;
  column: string;
}

/**
 * Every column that refers to a client, from the mapped entities — so a table added later is merged too. The audit
 * log is left out on purpose: it is the record of what happened to each account, and rewriting it would falsify it
 * (the merge's own entry names both clients).
 */
export function clientReferences(ds: DataSource): ClientReference[] {
  const out: ClientReference[] = [];
  for (const meta of ds.entityMetadatas) {
    if (meta.name === 'AuditLog') continue;
    for (const rel of meta.manyToOneRelations.concat(meta.oneToOneRelations)) {
      if (rel.inverseEntityMetadata.name !== 'Client' || !rel.joinColumns.length) continue;
      out.push({ entity: meta.name, table: meta.tableName, column: rel.joinColumns[0].databaseName });
    }
  }
  return out;
}

interface ClientRow {
  id: number;
  userId: number | null;
  displayName: string;
  email: string;
  currencyId: number;
  creditBalance: number;
  notes: string | null;
  deletedAt: Date | null;
}

export interface MergeResult {
  /** Rows moved to the surviving client, per table. */
  moved: Record<string, number>;
  creditMoved: number;
  loginMoved: boolean;
  /** Client custom fields both had: the surviving client's value was kept, the other stays on the closed account. */
  fieldConflicts: string[];
  message: string;
}

/** One-to-one links: a client has at most one affiliate and one reseller account. */
const ONE_PER_CLIENT = new Set(['Affiliate', 'Reseller']);

/**
 * Merges client `from` into client `into` in one transaction: services and their addons, domains, invoices,
 * transactions, orders, tickets, quotes, contacts, payment methods, custom field values, credit notes, billable items,
 * licences, cancellation requests, promotion uses and the email log all move; the credit balance moves through the
 * ledger (a closing entry on one, an opening entry on the other, so each ledger still adds up to its balance); notes
 * are carried over. The merged client is then closed and soft-deleted with a note, and an audit entry records who
 * merged what. Refused, changing nothing: a client into itself, a closed client, two currencies (every invoice of
 * an account is in its currency, so the renewals would be mis-billed), and two clients that both have a login — an
 * account has one owner login, and silently making one person's login a user of another account would hand them
 * its invoices and tickets; staff remove or re-invite one of the logins first. When only the merged client has a
 * login, it becomes the surviving client's login.
 */
export async function mergeClients(
  ds: DataSource,
  clock: Clock,
  input: { fromClientId: number; intoClientId: number; adminId: number | null; adminName?: string | null },
): Promise<Outcome<MergeResult>> {
  const { fromClientId: fromId, intoClientId: intoId } = input;
  if (!Number.isSafeInteger(fromId) || !Number.isSafeInteger(intoId) || fromId <= 0 || intoId <= 0) return fail('client_required', 'Choose the client to merge into.', 'intoClientId');
  if (fromId === intoId) return fail('same_client', 'A client cannot be merged into itself; choose another client.', 'intoClientId');
  const refs = clientReferences(ds);
  return inTransaction(ds, async (m) => {
    // Locked in id order, so two merges of the same pair in opposite directions cannot deadlock.
    const locked = new Map<number, ClientRow>();
    for (const id of [fromId, intoId].sort((a, b) => a - b)) {
      const row = (await forUpdate(m.getRepository('Client').createQueryBuilder('c').withDeleted().where('c.id = :id', { id })).getOne()) as ClientRow | null;
      if (row) locked.set(id, row);
    }
    const from = locked.get(fromId);
    const into = locked.get(intoId);
    if (!from) return fail('client_not_found', `Client #${fromId} does not exist.`);
    if (!into) return fail('client_not_found', `Client #${intoId} does not exist.`, 'intoClientId');
    if (from.deletedAt || into.deletedAt) return fail('client_closed', `${from.deletedAt ? from.displayName : into.displayName} is already closed (deleted); restore it first.`);
    if (from.currencyId !== into.currencyId) {
      return fail('currency_mismatch', `${from.displayName} is billed in another currency than ${into.displayName}; an account has one currency, so they cannot be merged. Move their services by hand instead.`, 'intoClientId');
    }
    if (from.userId && into.userId) {
      return fail('two_logins', `Both ${from.displayName} and ${into.displayName} have their own client-area login, and an account has one owner login. Remove one of them (or invite that person as a contact afterwards), then merge.`, 'intoClientId');
    }
    for (const ref of refs.filter((r) => ONE_PER_CLIENT.has(r.entity))) {
      const both = await count(m, ref, fromId) && await count(m, ref, intoId);
      if (both) return fail('both_have_' + ref.table, `Both clients have a ${ref.entity.toLowerCase()} account; merge those by hand first.`, 'intoClientId');
    }

    const moved: Record<string, number> = {};
    const fieldConflicts: string[] = [];
    for (const ref of refs) {
      if (ref.entity === 'CreditEntry') continue;
      if (ref.entity === 'CustomFieldValue') {
        moved[ref.table] = await moveCustomFields(m, fromId, intoId, fieldConflicts);
        continue;
      }
      if (ref.entity === 'PaymentMethod' && (await m.getRepository('PaymentMethod').count({ where: { clientId: intoId, isDefault: true } }))) {
        // The surviving client's default card stays the one charged.
        await m.getRepository('PaymentMethod').update({ clientId: fromId }, { isDefault: false });
      }
      // Counted under the client locks, then moved: the count is what moved.
      const n = await count(m, ref, fromId);
      if (n) await m.query(`UPDATE ${ref.table} SET ${ref.column} = ? WHERE ${ref.column} = ?`, [intoId, fromId]);
      moved[ref.table] = (moved[ref.table] ?? 0) + n;
    }

    const now = clock.now();
    const who = input.adminName ?? currentActor()?.actorName ?? (input.adminId ? `staff #${input.adminId}` : 'staff');
    const when = now.toISOString().slice(0, 10);
    const creditMoved = from.creditBalance;
    if (creditMoved !== 0) {
      const description = (s: string) => s.slice(0, 255);
      await m.getRepository('CreditEntry').insert({ clientId: fromId, source: 'manual', amount: -creditMoved, balanceAfter: 0, description: description(`Moved to ${into.displayName} (#${intoId}) by client merge`), adminId: input.adminId });
      await m.getRepository('CreditEntry').insert({ clientId: intoId, source: 'manual', amount: creditMoved, balanceAfter: into.creditBalance + creditMoved, description: description(`Moved from ${from.displayName} (#${fromId}) by client merge`), adminId: input.adminId });
    }
    const loginMoved = Boolean(from.userId && !into.userId);
    const carried = [`Merged from ${from.displayName} (#${fromId}, ${from.email}) on ${when} by ${who}.`];
    if (from.notes?.trim()) carried.push(from.notes.trim());
    if (fieldConflicts.length) carried.push(`Custom fields kept from this account (the merged one's values stay on #${fromId}): ${fieldConflicts.join(', ')}.`);
    // The login moves first: users ↔ clients is one-to-one (unique), so it may not be on both at once.
    if (loginMoved) await m.getRepository('Client').update({ id: fromId }, { userId: null });
    await m.getRepository('Client').update({ id: intoId }, {
      creditBalance: into.creditBalance + creditMoved,
      notes: [into.notes?.trim(), carried.join('\n')].filter(Boolean).join('\n\n'),
      ...(loginMoved ? { userId: from.userId } : {}),
    });
    await m.getRepository('Client').update({ id: fromId }, {
      creditBalance: 0,
      status: 'closed',
      deletedAt: now,
      notes: [from.notes?.trim(), `Merged into ${into.displayName} (#${intoId}) on ${when} by ${who}; its records are there now.`].filter(Boolean).join('\n\n'),
    });
    const total = Object.values(moved).reduce((a, b) => a + b, 0);
    const actor = currentActor();
    await m.getRepository('AuditLog').insert({
      userId: input.adminId ?? actor?.userId ?? null,
      actorType: actor?.actorType ?? 'staff',
      actorName: actor?.actorName ?? input.adminName ?? null,
      event: 'client_merge',
      auditableType: 'Client',
      auditableId: String(intoId),
      clientId: intoId,
      description: `Client ${from.displayName} (#${fromId}) merged into ${into.displayName} (#${intoId}): ${total} records moved, credit ${creditMoved} moved${loginMoved ? ', login moved' : ''}.`.slice(0, 2000),
      oldValues: { clientId: fromId, creditBalance: from.creditBalance, userId: from.userId },
      newValues: { clientId: intoId, moved, creditMoved, loginMoved, fieldConflicts },
      url: actor?.url ?? null,
      ipAddress: actor?.ipAddress ?? null,
      userAgent: actor?.userAgent ?? null,
    });
    const listed = Object.entries(moved).filter(([, n]) => n > 0).map(([t, n]) => `${n} ${t.replace(/_/g, ' ')}`);
    return succeed({
      moved,
      creditMoved,
      loginMoved,
      fieldConflicts,
      message: `${from.displayName} merged into ${into.displayName}: ${listed.length ? listed.join(', ') : 'no records'} moved${creditMoved ? `, credit moved` : ''}${loginMoved ? ', login moved' : ''}. ${from.displayName} is closed.`,
    });
  });
}

async function count(m: EntityManager, ref: ClientReference, clientId: number): Promise<number> {
  const rows = (await m.query(`SELECT COUNT(*) AS n FROM ${ref.table} WHERE ${ref.column} = ?`, [clientId])) as Array<{ n: number | string }>;
  return Number(rows[0]?.n ?? 0);
}

/**
 * Custom field values: service and ticket values keep their owner key and simply move; a client-level value moves
 * unless the surviving client already has one for that field (the unique (field, owner) pair), in which case the
 * surviving client's value is kept and the other stays with the closed account, named in the note.
 */
async function moveCustomFields(m: EntityManager, fromId: number, intoId: number, conflicts: string[]): Promise<number> {
  const rows = (await m.getRepository('CustomFieldValue').find({ where: { clientId: fromId } })) as Array<{ id: number; fieldId: number; serviceId: number | null; ticketId: number | null }>;
  let moved = 0;
  for (const r of rows) {
    const clientLevel = r.serviceId == null && r.ticketId == null;
    if (clientLevel && (await m.getRepository('CustomFieldValue').exists({ where: { fieldId: r.fieldId, ownerKey: `client:${intoId}` } }))) {
      const field = (await m.getRepository('CustomField').findOneBy({ id: r.fieldId })) as { name?: string; fieldName?: string } | null;
      conflicts.push(field?.name ?? field?.fieldName ?? `field #${r.fieldId}`);
      continue;
    }
    await m.getRepository('CustomFieldValue').update({ id: r.id }, clientLevel ? { clientId: intoId, ownerKey: `client:${intoId}` } : { clientId: intoId });
    moved++;
  }
  return moved;
}
