import type { ActionContext, ActionRequest, RecordJSON } from 'adminjs';
import type { AdminServices } from '../index.js';
import { Components } from '../../src/admin/components.js';
import type { Outcome } from '../../src/domain/shared/outcome.js';
import type { JobOutcome } from '../../src/domain/provisioning/worker.js';
import { actingStaff, confirmedByAdmin, isFormDisplay } from '../support.js';

export type Notice = { message: string; type: 'success' | 'info' | 'error' };
export type StaffOutcome = Outcome<{ job?: JobOutcome | null; message: string }>;

const text = (p: Record<string, unknown> | undefined, k: string) => (typeof p?.[k] === 'string' ? (p[k] as string).trim() : '');
const status = (ctx: ActionContext) => String(ctx.record?.params?.status ?? '');
const hasAccount = (ctx: ActionContext) => Boolean(ctx.record?.params?.providerRef);
const clip = (s: string, n = 240) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * The service answers ok when it queued the panel call; whether the panel did it is the job's status. So: success
 * when done, info when it waits in the queue (the panel did not answer; retried automatically), error when refused
 * or failed for good.
 */
export function noticeOf(out: StaffOutcome): Notice {
  if (!out.ok) return { message: out.message, type: 'error' };
  const job = out.job;
  if (job === undefined || job?.status === 'succeeded') return { message: out.message, type: 'success' };
  return { message: out.message, type: job?.status === 'failed' ? 'error' : 'info' };
}

const settled = (out: StaffOutcome) => (!out.ok ? 'refused' : out.job === undefined || out.job?.status === 'succeeded' ? 'done' : out.job?.status === 'failed' ? 'refused' : 'queued');

/** "2 suspended; 1 waiting for the server: b.test; c.test: Only an active service…" — each record that did not change, with why. */
export function bulkSummary(verb: string, results: Array<{ label: string; out: StaffOutcome }>): Notice {
  const done = results.filter((r) => settled(r.out) === 'done');
  const queued = results.filter((r) => settled(r.out) === 'queued');
  const refused = results.filter((r) => settled(r.out) === 'refused');
  const reasons = refused.map((r) => r.out.message);
  // One reason for every record (no reason given, say) is said once, not once per record.
  if (refused.length === results.length && results.length > 1 && new Set(reasons).size === 1) return { message: `None ${verb}: ${reasons[0]}`, type: 'error' };
  const parts = [`${done.length} ${verb}`];
  if (queued.length) parts.push(`${queued.length} waiting for the server, retried automatically (${queued.slice(0, 10).map((r) => r.label).join(', ')})`);
  parts.push(...refused.slice(0, 10).map((r, i) => `${r.label}: ${clip(reasons[i])}`));
  if (refused.length > 10) parts.push(`${refused.length - 10} more not changed`);
  const type = !queued.length && !refused.length ? 'success' : done.length || queued.length ? 'info' : 'error';
  return { message: parts.join('; '), type };
}

/** The record again (as the action left it) with the notice, plus anything else the page may use. */
export async function reply(ctx: ActionContext, notice: Notice, extra: Record<string, unknown> = {}) {
  const fresh = await ctx.resource.findOne(ctx.record!.id());
  return { record: (fresh ?? ctx.record!).toJSON(ctx.currentAdmin), notice, ...extra };
}

/**
 * A bulk action over the selected records, one at a time (each in its own transaction, so one refusal does not undo
 * the others). Without `form` it is a confirm-guard action (AdminJS calls it by GET after the dialog); with a form,
 * GET shows the form and POST acts.
 */
export function bulkAction(opts: {
  verb: string;
  guard?: string;
  form?: { title: string; description?: string; fields: unknown[]; submitLabel: string };
  label: (r: RecordJSON) => string;
  each: (id: number, adminId: number, payload: Record<string, unknown> | undefined) => Promise<StaffOutcome>;
}) {
  return {
    actionType: 'bulk',
    icon: 'Layers',
    component: opts.form ? Components.ActionForm : false,
    ...(opts.form ? { custom: opts.form } : { guard: opts.guard }),
    handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
      const records = ctx.records ?? [];
      const json = () => records.map((r) => r.toJSON(ctx.currentAdmin));
      const acts = opts.form ? !isFormDisplay(request.method) : confirmedByAdmin(request);
      if (!acts) return { records: json() };
      const adminId = actingStaff(ctx.currentAdmin).id;
      const payload = request.payload as Record<string, unknown> | undefined;
      const results: Array<{ label: string; out: StaffOutcome }> = [];
      for (const r of records) results.push({ label: opts.label(r.toJSON(ctx.currentAdmin)), out: await opts.each(Number(r.id()), adminId, payload) });
      const fresh = await ctx.resource.findMany(records.map((r) => r.id()));
      return { records: fresh.map((r) => r.toJSON(ctx.currentAdmin)), notice: bulkSummary(opts.verb, results), redirectUrl: ctx.h.resourceUrl({ resourceId: ctx.resource.id() }) };
    },
  };
}

const serviceLabel = (r: RecordJSON) => String(r.params.domain || `#${r.id}`);

/**
 * What staff do to a service's account on its server: Create, Suspend (with a reason), Unsuspend, Terminate, Change
 * package, Change password and Log in to panel, one service at a time and in bulk. Thin over ProvisioningService:
 * it changes the service, queues the panel call and runs it at once; the notice says what the panel answered.
 */
export function serviceProvisioningActions({ provisioning }: AdminServices) {
  const recordAction = (
    def: { icon: string; isVisible: (ctx: ActionContext) => boolean } & ({ guard: string } | { form: { title: string; description?: string; fields: unknown[]; submitLabel: string; opensUrl?: boolean } }),
    run: (serviceId: number, adminId: number, payload: Record<string, unknown> | undefined) => Promise<{ notice: Notice; extra?: Record<string, unknown> }>,
  ) => ({
    actionType: 'record',
    icon: def.icon,
    isVisible: def.isVisible,
    ...('form' in def ? { component: Components.ActionForm, custom: def.form } : { component: false, guard: def.guard }),
    handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
      const acts = 'form' in def ? !isFormDisplay(request.method) : confirmedByAdmin(request);
      if (!acts) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
      const done = await run(Number(ctx.record!.id()), actingStaff(ctx.currentAdmin).id, request.payload as Record<string, unknown> | undefined);
      return reply(ctx, done.notice, done.extra);
    },
  });
  const plain = (out: StaffOutcome) => ({ notice: noticeOf(out) });

  const reasonField = { name: 'reason', label: 'Reason', type: 'textarea', required: true, help: 'Sent to the server with the suspension and shown to the client.' };
  const liveAccount = (ctx: ActionContext) => hasAccount(ctx) && ['active', 'suspended'].includes(status(ctx));

  return {
    createAccount: recordAction(
      { icon: 'PlusSquare', isVisible: (ctx) => !hasAccount(ctx) && ['pending', 'active'].includes(status(ctx)), guard: 'Create the account for this service on its server now?' },
      async (serviceId, adminId) => plain(await provisioning.create({ serviceId, adminId })),
    ),
    suspendAccount: recordAction(
      {
        icon: 'PauseCircle',
        isVisible: (ctx) => status(ctx) === 'active',
        form: { title: 'Suspend this service', description: 'The service becomes suspended and its account is suspended on the server.', fields: [reasonField], submitLabel: 'Suspend' },
      },
      async (serviceId, adminId, p) => plain(await provisioning.suspend({ serviceId, adminId, reason: text(p, 'reason') })),
    ),
    unsuspendAccount: recordAction(
      { icon: 'PlayCircle', isVisible: (ctx) => status(ctx) === 'suspended', guard: 'Unsuspend this service and its account on the server?' },
      async (serviceId, adminId) => plain(await provisioning.unsuspend({ serviceId, adminId })),
    ),
    terminateAccount: recordAction(
      {
        icon: 'Trash2',
        isVisible: (ctx) => ['active', 'suspended', 'pending'].includes(status(ctx)),
        guard: 'Terminate this service? Its account and all its files, email and databases are deleted from the server. This cannot be undone.',
      },
      async (serviceId, adminId) => plain(await provisioning.terminate({ serviceId, adminId })),
    ),
    changePackage: recordAction(
      {
        icon: 'Package',
        isVisible: liveAccount,
        form: {
          title: 'Change package',
          description: 'Moves the account on the server to another package or plan. The product and price in Meridian stay as they are.',
          fields: [{ name: 'plan', label: 'New package', required: true, help: 'cPanel: the WHM package name, e.g. business. Virtualizor: the plan id.' }],
          submitLabel: 'Change package',
        },
      },
      async (serviceId, adminId, p) => plain(await provisioning.changePackage({ serviceId, adminId, plan: text(p, 'plan') })),
    ),
    changePassword: recordAction(
      {
        icon: 'Key',
        isVisible: liveAccount,
        form: {
          title: 'Change the account password',
          description: 'Sets a new password on the server. If the server refuses it, the old one stays.',
          fields: [{ name: 'password', label: 'New password', type: 'password', help: 'Leave empty to generate a strong one; it is shown once.' }],
          submitLabel: 'Change password',
        },
      },
      async (serviceId, adminId, p) => {
        const out = await provisioning.changePassword({ serviceId, adminId, password: text(p, 'password') || null });
        const notice = noticeOf(out);
        // Also when the panel call waits in the queue: the password is saved on the service and set when it runs.
        const generated = out.ok && out.job?.status !== 'failed' && 'password' in out ? out.password : undefined;
        // Not in the notice: notices are copied into the audit log, which every staff role can read.
        return generated ? { notice: { ...notice, message: `${notice.message} The generated password is shown once.` }, extra: { shownOnce: { label: 'New password', value: generated } } } : { notice };
      },
    ),
    loginToPanel: recordAction(
      {
        icon: 'LogIn',
        isVisible: (ctx) => hasAccount(ctx) && status(ctx) === 'active',
        form: { title: 'Log in to the control panel', description: 'Opens the account’s panel (cPanel / Virtualizor) with a one-time login session, without its password.', fields: [], submitLabel: 'Open panel', opensUrl: true },
      },
      async (serviceId) => {
        const out = await provisioning.loginUrl(serviceId);
        // The URL is a live login session: it goes to the page that opens it, never into the notice (audit log).
        return out.ok ? { notice: { message: 'Login session created; the panel opens in a new tab.', type: 'success' }, extra: { openUrl: out.url } } : { notice: { message: out.message, type: 'error' } };
      },
    ),
    vpsPower: recordAction(
      {
        icon: 'Power',
        isVisible: (ctx) => hasAccount(ctx) && status(ctx) === 'active',
        form: {
          title: 'VPS power',
          description: 'Start, shut down, restart or power off the VPS on its Virtualizor node (not for cPanel accounts).',
          fields: [{ name: 'action', label: 'Action', type: 'select', required: true, options: [{ value: 'start', label: 'Start' }, { value: 'stop', label: 'Shut down' }, { value: 'restart', label: 'Restart' }, { value: 'poweroff', label: 'Power off (hard)' }] }],
          submitLabel: 'Send',
        },
      },
      async (serviceId, _adminId, p) => {
        const out = await provisioning.power(serviceId, text(p, 'action'));
        return { notice: out.ok ? { message: out.message, type: 'success' } : { message: out.message, type: 'error' } };
      },
    ),
    bulkCreateAccounts: bulkAction({ verb: 'created', guard: 'Create the accounts of the selected services on their servers now?', label: serviceLabel, each: (serviceId, adminId) => provisioning.create({ serviceId, adminId }) }),
    bulkSuspendAccounts: bulkAction({
      verb: 'suspended',
      form: { title: 'Suspend the selected services', description: 'Each active service and its account on the server are suspended with this reason.', fields: [reasonField], submitLabel: 'Suspend' },
      label: serviceLabel,
      each: (serviceId, adminId, p) => provisioning.suspend({ serviceId, adminId, reason: text(p, 'reason') }),
    }),
    bulkUnsuspendAccounts: bulkAction({ verb: 'unsuspended', guard: 'Unsuspend the selected services and their accounts on the server?', label: serviceLabel, each: (serviceId, adminId) => provisioning.unsuspend({ serviceId, adminId }) }),
    bulkTerminateAccounts: bulkAction({
      verb: 'terminated',
      guard: 'Terminate the selected services? Their accounts and all their data are deleted from the servers. This cannot be undone.',
      label: serviceLabel,
      each: (serviceId, adminId) => provisioning.terminate({ serviceId, adminId }),
    }),
  };
}
