import type { EntityManager } from 'typeorm';
import type { ProvisioningAction } from '../../entities/hosting/provisioning-job.entity.js';

/**
 * Asks for a change on the server (create, suspend, unsuspend, terminate …) by queueing a provisioning job in the
 * caller's transaction, so the status change and the request are recorded together. The worker that talks to
 * cPanel/Virtualizor (src/domain/provisioning/worker.ts) runs the queue. The idempotency key makes asking twice a no-op.
 * Registrar calls (register, transfer, renew a domain) go through the same queue with a domainId instead.
 */
export async function requestProvisioning(
  m: EntityManager,
  r: ({ serviceId: number; domainId?: undefined } | { domainId: number; serviceId?: undefined }) & { action: ProvisioningAction; key: string; reason: string; requestedById?: number | null; now: Date; params?: Record<string, unknown> },
): Promise<void> {
  await m
    .getRepository('ProvisioningJob')
    .createQueryBuilder()
    .insert()
    .values({
      serviceId: r.serviceId ?? null,
      domainId: r.domainId ?? null,
      action: r.action,
      status: 'queued',
      attempts: 0,
      maxAttempts: 5,
      nextAttemptAt: r.now,
      reason: r.reason.slice(0, 255),
      requestedById: r.requestedById ?? null,
      idempotencyKey: `${r.action}:${r.key}`.slice(0, 191),
      params: r.params ?? null,
    })
    .orIgnore().updateEntity(false)
    .execute();
}
