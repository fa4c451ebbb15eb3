import type { EntityManager } from 'typeorm';
import { forUpdate } from '../../db/locking.js';
import type { CreditEntrySource } from '../../entities/billing/credit-entry.entity.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';

export interface CreditChange {
  clientId: number;
  /** Positive adds credit, negative uses it (cents, client currency). */
  amount: number;
  source: CreditEntrySource;
  description: string;
  invoiceId?: number | null;
  transactionId?: number | null;
  creditNoteId?: number | null;
  adminId?: number | null;
}

/**
 * The one way a client's credit balance changes: the client row is locked, the balance moved, and a ledger row
 * with the balance after it written, in the caller's transaction. Credit never goes below zero.
 */
export async function changeCredit(m: EntityManager, c: CreditChange): Promise<Outcome<{ balanceAfter: number; entryId: number }>> {
  if (!Number.isSafeInteger(c.amount) || c.amount === 0) return fail('invalid_amount', 'The amount must be a non-zero amount of money.', 'amount');
  const client = (await forUpdate(m.getRepository('Client').createQueryBuilder('c').where('c.id = :id', { id: c.clientId })).getOne()) as
    | { id: number; creditBalance: number }
    | null;
  if (!client) return fail('client_not_found', `Client #${c.clientId} does not exist.`, 'clientId');
  const balanceAfter = client.creditBalance + c.amount;
  if (balanceAfter < 0) return fail('insufficient_credit', 'The client does not have that much credit.', 'amount');
  await m.getRepository('Client').update({ id: client.id }, { creditBalance: balanceAfter });
  const res = await m.getRepository('CreditEntry').insert({
    clientId: c.clientId,
    source: c.source,
    amount: c.amount,
    balanceAfter,
    description: c.description.slice(0, 255),
    invoiceId: c.invoiceId ?? null,
    transactionId: c.transactionId ?? null,
    creditNoteId: c.creditNoteId ?? null,
    adminId: c.adminId ?? null,
  });
  return succeed({ balanceAfter, entryId: res.identifiers[0].id as number });
}
