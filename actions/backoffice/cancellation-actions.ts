import type { AdminServices } from '../index.js';
import { CancellationDesk } from '../../src/domain/backoffice/cancellations.js';
import { systemClock } from '../../src/domain/shared/clock.js';
import { param, recordAction, text, type BackofficeDeps } from './shared.js';

/** Approve or reject a client's cancellation request (CancellationRequest), through CancellationDesk. */
export function cancellationActions(services: AdminServices, backoffice?: BackofficeDeps) {
  const desk = new CancellationDesk({ ds: services.ds, clock: systemClock, timeZone: services.timezone, worker: services.provisioning.worker, email: services.email, appUrl: backoffice?.appUrl });
  const pending = (ctx: Parameters<typeof param>[0]) => param(ctx, 'status') === 'pending';
  return {
    approveCancellation: recordAction(
      {
        icon: 'CheckCircle',
        isVisible: pending,
        form: {
          title: 'Approve this cancellation',
          description: 'Immediate: the service is terminated today and its account removed from the server. End of period: it runs to its next due date, is terminated then by the billing run and never invoiced again. Unpaid invoices for unused time are cancelled; the client is emailed.',
          fields: [{ name: 'notes', label: 'Staff notes (not shown to the client)', type: 'textarea' }],
          submitLabel: 'Approve',
        },
      },
      async (id, staff, p) => {
        const out = await desk.approve({ requestId: id, adminId: staff.id, notes: text(p, 'notes') });
        return out.ok ? { ok: true, message: out.message } : out;
      },
    ),
    rejectCancellation: recordAction(
      {
        icon: 'XCircle',
        isVisible: pending,
        form: {
          title: 'Reject this cancellation',
          description: 'The service stays as it is. The client is emailed the reason.',
          fields: [{ name: 'reason', label: 'Reason (sent to the client)', type: 'textarea', required: true }],
          submitLabel: 'Reject',
        },
      },
      async (id, staff, p) => {
        const out = await desk.reject({ requestId: id, adminId: staff.id, reason: text(p, 'reason') });
        return out.ok ? { ok: true, message: out.message } : out;
      },
    ),
  };
}
