import { createAccount } from './create-account.js';
import { done, failed, fromProvider, loadContext, providerOf, type JobContext, type ProvisioningDeps, type StepResult } from './context.js';
import type { JobRow } from './queue.js';

/**
 * Runs one job against the panel. The service row says what the panel should look like (the billing run, a payment
 * or staff change it first, in the same transaction that queued the job); the job brings the panel there. So a
 * suspend whose service was paid and made active again before the worker got to it does nothing, and the later
 * unsuspend job — run after it, never before — leaves the account active.
 */
export async function runJob(deps: ProvisioningDeps, job: JobRow): Promise<StepResult> {
  if (job.serviceId === null) return failed('The job names no service.');
  const ctx = await loadContext(deps.ds, job.serviceId);
  if (!ctx) return failed(`Service #${job.serviceId} no longer exists.`);
  if (job.action === 'create') return createAccount(deps, ctx);
  const { service } = ctx;
  if (!service.providerRef) return done({ skipped: 'There is no account on a server for this service.' });
  const wanted = WANTED[job.action];
  if (wanted && !wanted.includes(service.status)) return done({ skipped: `The service is ${service.status} now, so there is nothing to ${job.action.replace('_', ' ')}.` });
  const found = await providerOf(deps, service.serverId);
  if ('message' in found) return failed(found.message);
  const { provider } = found;
  const ref = service.providerRef;
  switch (job.action) {
    case 'suspend': {
      const r = await provider.suspend(ref, job.reason ?? service.suspensionReason ?? 'Suspended');
      return r.ok ? done({ suspended: ref }) : fromProvider(r);
    }
    case 'unsuspend': {
      const r = await provider.unsuspend(ref);
      return r.ok ? done({ unsuspended: ref }) : fromProvider(r);
    }
    case 'terminate': {
      const r = await provider.terminate(ref);
      // Gone already (an earlier attempt removed it before its answer was lost): that is what was asked.
      if (!r.ok && r.failure !== 'not_found') return fromProvider(r);
      await recordTerminated(deps, ctx, !r.ok);
      return done({ terminated: ref, alreadyGone: !r.ok });
    }
    case 'change_package': {
      const plan = typeof job.params?.plan === 'string' ? job.params.plan : null;
      if (!plan) return failed('No package or plan was given.');
      const r = await provider.changePackage(ref, plan);
      return r.ok ? done({ plan }) : fromProvider(r);
    }
    case 'change_password': {
      if (!service.password) return failed('The service has no password to set.');
      const r = await provider.changePassword(ref, service.password);
      return r.ok ? done({ passwordChanged: true }) : fromProvider(r);
    }
    default:
      return failed(`Unknown action ${String(job.action)}.`);
  }
}

/** The states a service must still be in for the action to be wanted. */
const WANTED: Partial<Record<JobRow['action'], string[]>> = {
  suspend: ['suspended'],
  unsuspend: ['active'],
  terminate: ['terminated', 'cancelled', 'fraud'],
};

async function recordTerminated(deps: ProvisioningDeps, ctx: JobContext, alreadyGone: boolean) {
  const data = { ...(ctx.service.providerData ?? {}), terminatedAt: deps.clock.now().toISOString(), ...(alreadyGone ? { alreadyGone: true } : {}) };
  await deps.ds.getRepository('Service').update({ id: ctx.service.id }, { providerData: data });
}
