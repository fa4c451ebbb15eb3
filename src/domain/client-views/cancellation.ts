import type { DataSource } from 'typeorm';
import { forUpdate } from '../../db/locking.js';
import { inTransaction } from '../../db/transaction.js';
import { CANCELLATION_TYPES, type CancellationType } from '../../entities/hosting/cancellation-request.entity.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';

/** Requests staff have not finished with: while one is open, another would only duplicate it. */
export const OPEN_CANCELLATION_STATUSES = ['pending', 'approved'] as const;
const CANCELLABLE_SERVICE_STATUSES = ['pending', 'active', 'suspended'];
export const REASON_MAX = 2000;

export const isCancellationType = (v: unknown): v is CancellationType => typeof v === 'string' && (CANCELLATION_TYPES as readonly string[]).includes(v);

/**
 * A client asks to cancel one of their services: at once, or at the end of the period already paid (the daily job
 * carries those out on the next due date). Recorded for staff as a CancellationRequest; nothing is terminated here.
 * Outcomes: service_not_found (not the client's), type_invalid, reason_required, reason_too_long, not_cancellable,
 * already_requested.
 */
export async function requestCancellation(ds: DataSource, input: { clientId: number; serviceId: number; type: string; reason: string }): Promise<Outcome<{ requestId: number }>> {
  const reason = input.reason.trim();
  // WHMCS calls it "End of Billing Period"; both spellings mean the same request.
  const type = input.type === 'end_of_billing_period' ? 'end_of_period' : input.type;
  if (!isCancellationType(type)) return fail('type_invalid', 'Choose when the service should end.', 'type');
  if (!reason) return fail('reason_required', 'Tell us why you are cancelling.', 'reason');
  if (reason.length > REASON_MAX) return fail('reason_too_long', `Keep the reason under ${REASON_MAX.toLocaleString('en')} characters.`, 'reason');
  return inTransaction(ds, async (m) => {
    // The service row is locked so two quick submissions cannot both see "no open request".
    const service = (await forUpdate(m.getRepository('Service').createQueryBuilder('s').where('s.id = :id AND s.client_id = :clientId', { id: input.serviceId, clientId: input.clientId })).getOne()) as
      | { id: number; status: string }
      | null;
    if (!service) return fail('service_not_found', 'That service does not exist.');
    if (!CANCELLABLE_SERVICE_STATUSES.includes(service.status)) return fail('not_cancellable', `This service is ${service.status}; there is nothing to cancel.`);
    const open = await m
      .getRepository('CancellationRequest')
      .createQueryBuilder('c')
      .where('c.service_id = :id AND c.status IN (:...open)', { id: service.id, open: OPEN_CANCELLATION_STATUSES })
      .getCount();
    if (open) return fail('already_requested', 'A cancellation request for this service is already open; our team will deal with it.');
    const res = await m.getRepository('CancellationRequest').insert({ serviceId: service.id, clientId: input.clientId, type, reason, status: 'pending' });
    return succeed({ requestId: res.identifiers[0].id as number });
  });
}
