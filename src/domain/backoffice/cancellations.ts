import type { DataSource, EntityManager } from 'typeorm';
import { forUpdate } from '../../db/locking.js';
import { inTransaction } from '../../db/transaction.js';
import { requestProvisioning } from '../provisioning/requests.js';
import { billingSettings } from '../settings.js';
import { businessDate, type Clock } from '../shared/clock.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import { withdrawUnpaidBilling, type Withdrawn } from './withdraw-billing.js';
import { notifyClient, type Mail } from './notify.js';

export interface CancellationDeskDeps {
  ds: DataSource;
  clock: Clock;
  timeZone: string;
  /** Runs the queued terminate at once, as staff's own Terminate does; without it the scheduler picks it up. */
  worker?: { runNow(jobId: number): Promise<unknown> };
  email?: Mail;
  appUrl?: string;
}

interface RequestRow {
  id: number;
  serviceId: number;
  clientId: number;
  type: 'immediate' | 'end_of_period';
  status: string;
  reason: string;
  staffNotes: string | null;
}

interface ServiceRow {
  id: number;
  clientId: number;
  productId: number;
  status: string;
  domain: string | null;
  nextDueDate: string | null;
  providerRef: string | null;
}

export interface Approved {
  message: string;
  serviceStatus: string;
  terminationDate: string;
  jobId: number | null;
  withdrawn: Withdrawn;
  emailed: boolean;
}

const LIVE = ['pending', 'active', 'suspended'];
const note = (old: string | null, line: string) => (old?.trim() ? `${old.trim()}\n${line}` : line);

/**
 * Staff's side of a client's cancellation request (the client files it in the client area).
 * - Approve, immediate: the service ends today — terminated, with a terminate job for its server account (queued in
 *   the same transaction, then run at once like staff's Terminate), or cancelled when it never had an account.
 * - Approve, end of period: the service keeps running to the end of what was paid; its termination date is set to
 *   its next due date, so the daily billing run terminates it then and never invoices the period after it.
 * Either way, an unpaid renewal invoice for time the service will not run is cancelled (or, when it also bills
 * other things, those lines are taken off it), and the client is emailed.
 * - Reject: nothing changes but the request; the client is told why.
 */
export class CancellationDesk {
  constructor(private readonly deps: CancellationDeskDeps) {}

  async approve(input: { requestId: number; adminId: number | null; notes?: string }): Promise<Outcome<Approved>> {
    const { ds, clock } = this.deps;
    const today = businessDate(clock.now(), this.deps.timeZone);
    const taxInclusive = (await billingSettings(ds)).taxInclusive;
    const done = await inTransaction(ds, async (m) => {
      const loaded = await this.lockPending(m, input.requestId);
      if (!loaded.ok) return loaded;
      const { request, service } = loaded;
      if (!LIVE.includes(service.status)) return fail('not_cancellable', `The service is already ${service.status}; reject the request or close it by hand.`);
      const now = clock.now();
      const staffNotes = input.notes?.trim() ? note(request.staffNotes, input.notes.trim()) : request.staffNotes;
      let jobId: number | null = null;
      let serviceStatus = service.status;
      let terminationDate: string;
      // A service not yet set up has no paid period to run out: it ends now, whichever the client chose.
      const endsNow = request.type === 'immediate' || service.status === 'pending';
      if (endsNow) {
        terminationDate = today;
        // With no account on a server there is nothing to terminate: the service is simply cancelled.
        serviceStatus = service.providerRef ? 'terminated' : 'cancelled';
        await m.getRepository('Service').update({ id: service.id }, { status: serviceStatus, terminationDate });
        await m.getRepository('ServiceAddon').createQueryBuilder().update().set({ status: serviceStatus, terminationDate })
          .where('service_id = :id AND status IN (:...open)', { id: service.id, open: LIVE }).execute();
        if (service.providerRef) {
          const key = `${service.id}:cancellation:${request.id}`;
          await requestProvisioning(m, { serviceId: service.id, action: 'terminate', key, reason: `Cancellation request #${request.id}`, requestedById: input.adminId, now });
          jobId = ((await m.getRepository('ProvisioningJob').findOneBy({ idempotencyKey: `terminate:${key}` })) as { id: number }).id;
        }
        await m.getRepository('CancellationRequest').update({ id: request.id }, { status: 'completed', processedById: input.adminId, processedAt: now, staffNotes });
      } else {
        // The paid period runs up to the day before the next due date; on that day the billing run terminates it.
        // A service already past its due date (unpaid) has no paid time left: it ends at the next run.
        terminationDate = service.nextDueDate && service.nextDueDate > today ? service.nextDueDate : today;
        await m.getRepository('Service').update({ id: service.id }, { terminationDate });
        await m.getRepository('ServiceAddon').createQueryBuilder().update().set({ terminationDate })
          .where('service_id = :id AND status IN (:...open)', { id: service.id, open: LIVE }).execute();
        // 'approved' until the billing run carries it out; the client area shows it as scheduled.
        await m.getRepository('CancellationRequest').update({ id: request.id }, { status: 'approved', processedById: input.adminId, processedAt: now, staffNotes });
      }
      const withdrawn = await withdrawUnpaidBilling(m, { serviceId: service.id, from: endsNow ? null : terminationDate, now, taxInclusive, why: `service cancelled (request #${request.id})` });
      return succeed({ request, service, jobId, serviceStatus, terminationDate, withdrawn, immediate: endsNow });
    });
    if (!done.ok) return done;
    if (done.jobId && this.deps.worker) await this.deps.worker.runNow(done.jobId).catch(() => undefined);
    const { request, service, terminationDate, withdrawn } = done;
    const immediate = done.immediate;
    const emailed = await this.tell('cancellation_approved', service, {
      type: immediate ? 'immediately' : 'at the end of the paid period',
      endDate: terminationDate,
      reason: '',
    });
    const parts = [immediate ? `Service ${service.domain ?? `#${service.id}`} ${done.serviceStatus} today${done.jobId ? '; its account is being removed from the server' : ''}.` : `Service ${service.domain ?? `#${service.id}`} will be terminated on ${terminationDate} by the billing run; it will not be invoiced again.`];
    if (withdrawn.cancelled.length) parts.push(`Cancelled unpaid invoice(s) ${withdrawn.cancelled.join(', ')}.`);
    if (withdrawn.reduced.length) parts.push(`Took its lines off invoice(s) ${withdrawn.reduced.join(', ')}.`);
    if (withdrawn.paidSkipped.length) parts.push(`Invoice(s) ${withdrawn.paidSkipped.join(', ')} already have payments: refund or adjust them by hand.`);
    parts.push(emailed ? 'The client has been emailed.' : 'No email was sent to the client.');
    return succeed({ message: parts.join(' '), serviceStatus: done.serviceStatus, terminationDate, jobId: done.jobId, withdrawn, emailed });
  }

  async reject(input: { requestId: number; adminId: number | null; reason: string }): Promise<Outcome<{ message: string; emailed: boolean }>> {
    const reason = input.reason?.trim() ?? '';
    if (!reason) return fail('reason_required', 'Say why the request is rejected; the client is told.', 'reason');
    if (reason.length > 2000) return fail('reason_too_long', 'Keep the reason under 2,000 characters.', 'reason');
    const done = await inTransaction(this.deps.ds, async (m) => {
      const loaded = await this.lockPending(m, input.requestId);
      if (!loaded.ok) return loaded;
      const { request, service } = loaded;
      await m.getRepository('CancellationRequest').update(
        { id: request.id },
        { status: 'rejected', processedById: input.adminId, processedAt: this.deps.clock.now(), staffNotes: note(request.staffNotes, `Rejected: ${reason}`) },
      );
      return succeed({ service });
    });
    if (!done.ok) return done;
    const emailed = await this.tell('cancellation_rejected', done.service, { type: '', endDate: '', reason });
    return succeed({ message: `Request rejected; the service stays as it is.${emailed ? ' The client has been emailed.' : ' No email was sent to the client.'}`, emailed });
  }

  private async lockPending(m: EntityManager, requestId: number): Promise<Outcome<{ request: RequestRow; service: ServiceRow }>> {
    const request = (await forUpdate(m.getRepository('CancellationRequest').createQueryBuilder('c').where('c.id = :id', { id: requestId })).getOne()) as RequestRow | null;
    if (!request) return fail('request_not_found', `Cancellation request #${requestId} does not exist.`);
    if (request.status !== 'pending') return fail('not_pending', `This request is already ${request.status}.`);
    const service = (await forUpdate(m.getRepository('Service').createQueryBuilder('s').withDeleted().where('s.id = :id', { id: request.serviceId })).getOne()) as ServiceRow | null;
    if (!service) return fail('service_not_found', `Service #${request.serviceId} no longer exists.`);
    return succeed({ request, service });
  }

  private async tell(templateName: string, service: ServiceRow, cancellation: Record<string, string>): Promise<boolean> {
    const product = (await this.deps.ds.getRepository('Product').findOneBy({ id: service.productId })) as { name: string } | null;
    return notifyClient(this.deps, {
      templateName,
      clientId: service.clientId,
      related: { type: 'Service', id: service.id },
      context: { service: { id: service.id, productName: product?.name ?? 'Service', domain: service.domain ?? '' }, cancellation },
    });
  }
}
