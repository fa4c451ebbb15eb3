import type { EntityManager } from 'typeorm';

/** eventId prefix of the outbound gateway-log row that records one payment attempt (checkout or saved-card charge). */
export const ATTEMPT_PREFIX = 'attempt:';

/** What we asked the provider for: the yardstick every notification of this attempt is measured against. */
export interface AttemptRequest {
  kind: 'checkout' | 'charge';
  clientId: number;
  invoiceId: number;
  amount: number;
  currency: string;
  saveMethod: boolean;
  /** Saved-card charges: the payment method charged, and the business date of the attempt (for the retry spacing). */
  paymentMethodId?: number;
  date?: string;
}

export interface Attempt {
  logId: number;
  gateway: string;
  attemptId: string;
  checkoutReference: string | null;
  request: AttemptRequest;
}

interface AttemptRow {
  id: number;
  gateway: string;
  eventId: string;
  reference: string | null;
  request: unknown;
}

/** The attempt a notification belongs to: by our attempt id when the provider echoes it, else by its checkout id. */
export async function findAttempt(m: EntityManager, gateway: string, by: { attemptId: string | null; checkoutReference: string | null }): Promise<Attempt | null> {
  const repo = m.getRepository('GatewayLog');
  let row: AttemptRow | null = null;
  if (by.attemptId) row = (await repo.findOne({ where: { gateway, eventId: `${ATTEMPT_PREFIX}${by.attemptId}` } })) as AttemptRow | null;
  if (!row && by.checkoutReference) row = (await repo.findOne({ where: { gateway, direction: 'outbound', reference: by.checkoutReference } })) as AttemptRow | null;
  if (!row || !row.eventId?.startsWith(ATTEMPT_PREFIX)) return null;
  const request = row.request as AttemptRequest | null;
  if (!request || typeof request.invoiceId !== 'number' || typeof request.amount !== 'number') return null;
  return { logId: row.id, gateway: row.gateway, attemptId: row.eventId.slice(ATTEMPT_PREFIX.length), checkoutReference: row.reference, request };
}
