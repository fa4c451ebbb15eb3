import type { EntityManager } from 'typeorm';
import { inTransaction } from '../../db/transaction.js';
import { forUpdate } from '../../db/locking.js';
import { businessDate } from '../shared/clock.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import { providerOf, type ProductRow, type ProvisioningDeps, type ServiceRow } from './context.js';
import { planOfProduct } from './create-account.js';
import { quoteOrderLine } from '../catalog/pricing.js';
import type { ProvisioningAction } from '../../entities/hosting/provisioning-job.entity.js';
import { requestProvisioning } from './requests.js';
import { generatePassword } from './usernames.js';
import type { JobOutcome, ProvisioningWorker } from './worker.js';

export interface StaffRequest {
  serviceId: number;
  adminId?: number | null;
}

type ActionOutcome = Outcome<{ job?: JobOutcome | null; message: string }>;

/**
 * What staff do to a service's account (the admin's Create / Suspend / Unsuspend / Terminate / Change package /
 * Change password, one at a time or in bulk). Each one changes the service as staff asked and queues the panel
 * call in one transaction, then runs the call at once; a panel that is down leaves the job queued for retry, and
 * the answer says so.
 */
export class ProvisioningService {
  constructor(private readonly deps: ProvisioningDeps & { timeZone: string }, readonly worker: ProvisioningWorker) {}

  async create(r: StaffRequest): Promise<ActionOutcome> {
    return this.change(r, 'create', (s) => {
      if (s.providerRef) return `The service already has an account (${s.providerRef}).`;
      if (!['pending', 'active'].includes(s.status)) return `A ${s.status} service cannot be created on a server.`;
      return null;
    }, {}, 'Account created');
  }

  async suspend(r: StaffRequest & { reason: string }): Promise<ActionOutcome> {
    const reason = r.reason?.trim();
    if (!reason) return fail('reason_required', 'Give a reason for the suspension (the client sees it).', 'reason');
    return this.change(r, 'suspend', (s) => (s.status === 'active' ? null : `Only an active service can be suspended; this one is ${s.status}.`), {
      status: 'suspended', suspensionReason: reason.slice(0, 1000), suspendedAt: this.deps.clock.now(), overdueSuspended: false,
    }, 'Suspended', reason);
  }

  async unsuspend(r: StaffRequest): Promise<ActionOutcome> {
    return this.change(r, 'unsuspend', (s) => (s.status === 'suspended' ? null : `The service is ${s.status}, not suspended.`), {
      status: 'active', suspensionReason: null, suspendedAt: null, overdueSuspended: false,
    }, 'Unsuspended');
  }

  async terminate(r: StaffRequest): Promise<ActionOutcome> {
    const today = businessDate(this.deps.clock.now(), this.deps.timeZone);
    return this.change(r, 'terminate', (s) => (['active', 'suspended', 'pending'].includes(s.status) ? null : `The service is already ${s.status}.`), {
      status: 'terminated', terminationDate: today,
    }, 'Terminated', 'Terminated by staff', async (m) => {
      await m.getRepository('ServiceAddon').createQueryBuilder().update().set({ status: 'terminated', terminationDate: today })
        .where('service_id = :id AND status IN (:...open)', { id: r.serviceId, open: ['active', 'suspended', 'pending'] }).execute();
    });
  }

  async changePackage(r: StaffRequest & { plan: string }): Promise<ActionOutcome> {
    const plan = r.plan?.trim();
    if (!plan) return fail('plan_required', 'Choose the package (cPanel) or plan id (Virtualizor) to move the account to.', 'plan');
    if (plan.length > 64) return fail('plan_invalid', 'That package name is too long.', 'plan');
    return this.change(r, 'change_package', (s) => (['active', 'suspended'].includes(s.status) ? null : `A ${s.status} service cannot change package.`), {}, `Package changed to ${plan}`, undefined, undefined, { plan });
  }

  /**
   * Moves a service to another product of the same module (an upgrade or downgrade by staff): the service renews at
   * the new product's price for its cycle (client-group discount applied; a promotion of the old product ends),
   * and the account is moved to the new package or plan on its server. No pro-rata invoice or credit is made for
   * the current period.
   */
  async changeProduct(r: StaffRequest & { productId: number }): Promise<ActionOutcome> {
    if (!Number.isInteger(r.productId) || r.productId <= 0) return fail('product_required', 'Choose the product to move the service to.', 'productId');
    const s = (await this.deps.ds.getRepository('Service').findOneBy({ id: r.serviceId })) as (ServiceRow & { currencyId: number; billingCycle: string }) | null;
    if (!s) return fail('service_not_found', `Service #${r.serviceId} does not exist.`);
    if (s.productId === r.productId) return fail('same_product', 'The service is already on that product.', 'productId');
    const [from, to] = (await Promise.all([s.productId, r.productId].map((id) => this.deps.ds.getRepository('Product').findOneBy({ id })))) as Array<ProductRow | null>;
    if (!to) return fail('product_not_found', `Product #${r.productId} does not exist.`, 'productId');
    if (to.module !== from!.module) return fail('module_differs', `“${from!.name}” and “${to.name}” are provisioned differently (${from!.module} / ${to.module}); order the new product and terminate this service instead.`, 'productId');
    const quote = await quoteOrderLine(this.deps.ds, { clientId: s.clientId, productId: to.id, cycle: s.billingCycle as never, currencyId: s.currencyId, today: businessDate(this.deps.clock.now(), this.deps.timeZone) });
    if (!quote.ok) return fail(quote.error, `“${to.name}”: ${quote.message}`, 'productId');
    const plan = to.module === 'none' ? null : await planOfProduct(this.deps.ds, to);
    if (to.module !== 'none' && !plan) return fail('no_plan', `Product “${to.name}” has no package or plan to move the account to.`, 'productId');
    const changes = { productId: to.id, recurringAmount: quote.service.recurringWithoutPromo, regularAmount: null, promotionEndsOn: null, promotionId: null };
    if (!s.providerRef || to.module === 'none') {
      await this.deps.ds.getRepository('Service').update({ id: s.id }, changes);
      return succeed({ message: `Moved to ${to.name}; there is no account on a server to change.` });
    }
    return this.change(r, 'change_package', (x) => (['active', 'suspended'].includes(x.status) ? null : `A ${x.status} service cannot change product.`), changes, `Moved to ${to.name} (package ${plan})`, undefined, undefined, { plan });
  }

  /** Sets a new password (given, or generated) on the panel; the old one stays if the panel refuses it. */
  async changePassword(r: StaffRequest & { password?: string | null }): Promise<ActionOutcome & { password?: string }> {
    const password = r.password?.trim() || generatePassword();
    if (password.length < 8 || password.length > 64) return fail('password_invalid', 'The password must be 8 to 64 characters.', 'password');
    if (/[\s'"\\]/.test(password)) return fail('password_invalid', 'The password may not contain spaces, quotes or backslashes.', 'password');
    const old = (await this.deps.ds.getRepository('Service').findOneBy({ id: r.serviceId })) as ServiceRow | null;
    const out = await this.change(r, 'change_password', (s) => (['active', 'suspended'].includes(s.status) ? null : `A ${s.status} service has no account to change.`), { password }, 'Password changed');
    if (out.ok && out.job?.status === 'failed' && old) await this.deps.ds.getRepository('Service').update({ id: r.serviceId }, { password: old.password });
    return out.ok ? { ...out, password: r.password?.trim() ? undefined : password } : out;
  }

  /** A one-time login link into the panel for the service's account. */
  async loginUrl(serviceId: number): Promise<Outcome<{ url: string }>> {
    const s = (await this.deps.ds.getRepository('Service').findOneBy({ id: serviceId })) as ServiceRow | null;
    if (!s) return fail('service_not_found', `Service #${serviceId} does not exist.`);
    if (!s.providerRef) return fail('no_account', 'The service has no account on a server yet.');
    const found = await providerOf(this.deps, s.serverId);
    if ('message' in found) return fail('no_server', found.message);
    const r = await found.provider.loginUrl(s.providerRef);
    return r.ok ? succeed({ url: r.url }) : fail(`provider_${r.failure}`, r.message);
  }

  /** Start, stop, restart or power off a VPS. Immediate, not queued: the answer is what staff want to see. */
  async power(serviceId: number, action: string): Promise<Outcome<{ message: string }>> {
    const actions = { start: 'started', stop: 'sent the shutdown signal', restart: 'restarted', poweroff: 'powered off' } as const;
    if (!(action in actions)) return fail('power_action_invalid', 'Choose start, stop, restart or power off.', 'action');
    const s = (await this.deps.ds.getRepository('Service').findOneBy({ id: serviceId })) as ServiceRow | null;
    if (!s) return fail('service_not_found', `Service #${serviceId} does not exist.`);
    if (!s.providerRef) return fail('no_account', 'The service has no VPS on a server yet.');
    if (s.status !== 'active') return fail('not_active', `The service is ${s.status}; power actions are for active VPSs.`);
    const found = await providerOf(this.deps, s.serverId);
    if ('message' in found) return fail('no_server', found.message);
    if (!found.provider.power) return fail('no_power_control', `Server “${found.server.name}” is a ${found.server.type} server; only VPSs have power controls.`);
    const r = await found.provider.power(s.providerRef, action as keyof typeof actions);
    return r.ok ? succeed({ message: `VPS ${s.domain ?? s.providerRef}: ${actions[action as keyof typeof actions]}.` }) : fail(`provider_${r.failure}`, r.message);
  }

  /** Staff's Retry on a failed (or cancelled) job: attempts start again and it runs now. */
  async retryJob(jobId: number): Promise<ActionOutcome> {
    const res = await this.deps.ds.getRepository('ProvisioningJob').createQueryBuilder().update()
      .set({ status: 'queued', attempts: 0, nextAttemptAt: this.deps.clock.now(), finishedAt: null })
      .where('id = :id AND status IN (:...st)', { id: jobId, st: ['failed', 'cancelled'] }).execute();
    if ((res.affected ?? 0) !== 1) return this.notSettable(jobId, 'retried');
    const job = await this.worker.runNow(jobId);
    return succeed({ job, message: describe(job, 'Done') });
  }

  async cancelJob(jobId: number): Promise<Outcome<{ message: string }>> {
    const res = await this.deps.ds.getRepository('ProvisioningJob').createQueryBuilder().update()
      .set({ status: 'cancelled', finishedAt: this.deps.clock.now(), nextAttemptAt: null })
      .where('id = :id AND status IN (:...st)', { id: jobId, st: ['queued', 'failed'] }).execute();
    if ((res.affected ?? 0) !== 1) return this.notSettable(jobId, 'cancelled');
    return succeed({ message: `Job #${jobId} cancelled; nothing more will be sent to the server for it.` });
  }

  private async notSettable(jobId: number, verb: string): Promise<Outcome<never>> {
    const job = (await this.deps.ds.getRepository('ProvisioningJob').findOneBy({ id: jobId })) as { status: string } | null;
    return job ? fail('job_state', `Job #${jobId} is ${job.status}; it cannot be ${verb}.`) : fail('job_not_found', `Job #${jobId} does not exist.`);
  }

  private async change(
    r: StaffRequest, action: ProvisioningAction, refuse: (s: ServiceRow) => string | null, changes: Record<string, unknown>, doneText: string,
    reason?: string, alsoIn?: (m: EntityManager) => Promise<void>, params?: Record<string, unknown>,
  ): Promise<ActionOutcome> {
    const now = this.deps.clock.now();
    const key = `${r.serviceId}:staff:${now.getTime()}`;
    const queued = await inTransaction(this.deps.ds, async (m) => {
      const s = (await forUpdate(m.getRepository('Service').createQueryBuilder('s').where('s.id = :id', { id: r.serviceId })).getOne()) as (ServiceRow & { productId: number }) | null;
      if (!s) return fail('service_not_found', `Service #${r.serviceId} does not exist.`);
      const product = (await m.getRepository('Product').findOneBy({ id: s.productId })) as { module: string; name: string };
      if (product.module === 'none') return fail('no_module', `Product “${product.name}” is set up by hand (no provisioning module).`);
      const why = refuse(s);
      if (why) return fail('not_allowed', why);
      if (Object.keys(changes).length) await m.getRepository('Service').update({ id: s.id }, changes);
      await alsoIn?.(m);
      await requestProvisioning(m, { serviceId: s.id, action, key, reason: reason ?? `${doneText} by staff`, requestedById: r.adminId ?? null, now, params });
      const job = (await m.getRepository('ProvisioningJob').findOneBy({ idempotencyKey: `${action}:${key}` })) as { id: number };
      return succeed({ jobId: job.id });
    });
    if (!queued.ok) return queued;
    const job = await this.worker.runNow(queued.jobId);
    return succeed({ job, message: describe(job, doneText) });
  }
}

function describe(job: JobOutcome | null, doneText: string): string {
  if (!job) return 'Queued: an earlier job of this service is still open; it runs after that one.';
  if (job.status === 'succeeded') return job.message ? `Nothing to do: ${job.message}` : `${doneText}.`;
  if (job.status === 'queued') return `The server did not take it yet (${job.message}); it will be retried automatically.`;
  return `Failed: ${job.message}`;
}
