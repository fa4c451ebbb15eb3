import AdminJS, { type ActionContext, type ActionRequest, type ResourceOptions, type CurrentAdmin } from 'adminjs';
import { MeridianDatabase, MeridianResource, writeOnlySecrets } from './adapter.js';
import { Components, componentLoader } from './components.js';
import { permissionFor, type ResourceDescriptor } from '../domain/access/permissions.js';
import { moneyProperties, secretProperties } from '../db/columns.js';
import { NAV } from '../../resources/navigation.js';
import { currentActor } from '../audit/context.js';
import { confirmedByAdmin } from '../../actions/support.js';
import type { ResourceSpec } from '../../resources/define.js';

AdminJS.registerAdapter({ Database: MeridianDatabase, Resource: MeridianResource });

export const ADMIN_ROOT = '/admin';
const BUILT_IN_ACTIONS = ['list', 'show', 'search', 'new', 'edit', 'delete', 'bulkDelete'];

/** The signed-in staff member as AdminJS sees it. `permissions` is attached per request and never stored. */
export type StaffAdmin = CurrentAdmin & { id: number; permissions?: ReadonlySet<string> };

export function can(admin: CurrentAdmin | undefined, resourceId: string, action: string): boolean {
  const perms = (admin as StaffAdmin | undefined)?.permissions;
  return Boolean(perms && perms.has(permissionFor(resourceId, action)));
}

function guarded(resourceId: string, actionName: string, existing?: unknown) {
  return ({ currentAdmin, record }: ActionContext) => {
    if (!can(currentAdmin, resourceId, actionName)) return false;
    if (typeof existing === 'function') return Boolean(existing({ currentAdmin, record }));
    return existing === undefined ? true : Boolean(existing);
  };
}

/** "clientId" → "Client", "nextDueDate" → "Next due date": labels in the business's words. */
export function humanLabel(property: string): string {
  const words = property.replace(/Id$/, '').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Decimal display for money properties: two decimals always ("0.00", not "0"). */
const MONEY_PROPS = { decimalSeparator: '.', groupSeparator: ',', decimalScale: 2, fixedDecimalLength: 2, disableAbbreviations: true };

type ActionHandler = (req: ActionRequest, res: unknown, ctx: ActionContext) => Promise<Record<string, unknown>>;

/**
 * Every workflow action that did something — its answer carries a notice, success or refusal — is written to the
 * audit log with who, what, and the outcome, whether AdminJS called it by POST (forms) or GET (confirm buttons).
 * Showing an action's form (no notice) is not recorded.
 */
function audited(resourceId: string, action: string, handler: ActionHandler): ActionHandler {
  return async (req, res, ctx) => {
    const out = await handler(req, res, ctx);
    const notice = out?.notice as { message?: string; type?: string } | undefined;
    if (notice) {
      const actor = currentActor();
      const ids = ctx.record ? String(ctx.record.id()) : (ctx.records ?? []).map((r) => r.id()).join(',').slice(0, 64) || null;
      await (ctx.resource as unknown as { entityRepository(name: string): { insert(v: object): Promise<unknown> } }).entityRepository('AuditLog').insert({
        userId: actor?.userId ?? null,
        actorType: 'staff',
        actorName: actor?.actorName ?? null,
        event: 'action',
        auditableType: resourceId,
        auditableId: ids,
        description: `${action}: ${notice.type ?? ''} — ${String(notice.message ?? '').slice(0, 900)}`,
        url: actor?.url ?? null,
        ipAddress: actor?.ipAddress ?? null,
        userAgent: actor?.userAgent ?? null,
      });
    }
    return out;
  };
}

/** Adds the server-side permission check and secret hiding to every action and property of a resource. */
function withPolicies(spec: ResourceSpec): { resource: Function; options: ResourceOptions } {
  const id = spec.resource.name;
  const options: ResourceOptions = { ...spec.options, id };
  const actions: Record<string, Record<string, unknown>> = { ...((options.actions as Record<string, Record<string, unknown>>) ?? {}) };
  const entityMeta = (spec.resource as unknown as { getRepository(): { metadata: { deleteDateColumn?: { propertyName: string } } } }).getRepository().metadata;
  if (entityMeta.deleteDateColumn) {
    const deletedProp = entityMeta.deleteDateColumn.propertyName;
    actions.restore = {
      actionType: 'record',
      icon: 'RotateCcw',
      guard: 'Restore this record?',
      component: false,
      isVisible: ({ record }: ActionContext) => Boolean(record?.params?.[deletedProp]),
      handler: async (req: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (!confirmedByAdmin(req)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
        await (ctx.resource as MeridianResource).restore(ctx.record!.id());
        const fresh = await ctx.resource.findOne(ctx.record!.id());
        return {
          record: fresh!.toJSON(ctx.currentAdmin),
          notice: { message: 'Record restored.', type: 'success' },
        };
      },
      ...(actions.restore ?? {}),
    };
  }
  for (const name of new Set([...BUILT_IN_ACTIONS, ...Object.keys(actions)])) {
    const a = actions[name] ?? {};
    const handler = !BUILT_IN_ACTIONS.includes(name) && typeof a.handler === 'function' ? audited(id, name, a.handler as ActionHandler) : a.handler;
    actions[name] = { ...a, ...(handler ? { handler } : {}), isAccessible: guarded(id, name, a.isAccessible) };
  }
  const properties: Record<string, Record<string, unknown>> = { ...((options.properties as Record<string, Record<string, unknown>>) ?? {}) };
  for (const prop of secretProperties) properties[prop] = { ...(properties[prop] ?? {}), isVisible: false };
  const writable = new Set(spec.writeOnlySecrets ?? []);
  writeOnlySecrets.set(spec.resource, writable);
  for (const prop of writable) {
    properties[prop] = {
      ...(properties[prop] ?? {}),
      type: 'password',
      isVisible: { list: false, show: false, filter: false, edit: true },
      description: 'Stored encrypted and never shown. Type a new value to replace it; leave empty to keep the current one.',
    };
  }
  if (writable.size && Array.isArray(options.editProperties)) options.editProperties = [...options.editProperties, ...[...writable].filter((p) => !options.editProperties!.includes(p))];
  for (const prop of moneyProperties.get(spec.resource)?.keys() ?? []) {
    properties[prop] = { ...(properties[prop] ?? {}), props: { ...MONEY_PROPS, ...((properties[prop]?.props as object) ?? {}) } };
  }
  return { resource: spec.resource, options: { ...options, actions: actions as never, properties: properties as never } };
}

/** Workflow actions by resource id, merged into the resources' options (see actions/index.ts). */
export type ActionsByResource = Record<string, Record<string, Record<string, unknown>>>;

export function buildAdmin(
  resources: ResourceSpec[],
  extraActions: ActionsByResource = {},
  dashboard?: { handler: (...args: never[]) => Promise<unknown> },
  reports?: { handler: (...args: never[]) => Promise<unknown> },
  calendar?: { handler: (...args: never[]) => Promise<unknown> },
): AdminJS {
  // AdminJS orders sidebar groups by first appearance: sort resources by the menu's group order (stable).
  const groupOrder = Object.values(NAV).map((n) => n.name as string);
  const rank = (spec: ResourceSpec) => {
    const nav = spec.options.navigation as { name?: string } | undefined;
    const i = groupOrder.indexOf(nav?.name ?? '');
    return i === -1 ? groupOrder.length : i;
  };
  const ordered = resources.map((spec, i) => ({ spec, i })).sort((a, b) => rank(a.spec) - rank(b.spec) || a.i - b.i).map((x) => x.spec);
  const merged = ordered.map((spec) => {
    const extra = extraActions[spec.resource.name];
    if (!extra) return spec;
    return { ...spec, options: { ...spec.options, actions: { ...((spec.options.actions as object) ?? {}), ...extra } as never } };
  });
  return new AdminJS({
    rootPath: ADMIN_ROOT,
    loginPath: `${ADMIN_ROOT}/login`,
    logoutPath: `${ADMIN_ROOT}/logout`,
    componentLoader,
    resources: merged.map(withPolicies),
    branding: { companyName: 'Meridian', withMadeWithLove: false, logo: false },
    pages: { 'My account': { component: Components.AccountPage, icon: 'User' }, ...(reports ? { Reports: { component: Components.Reports, icon: 'BarChart2', handler: reports.handler as never } } : {}),
      ...(calendar ? { Calendar: { component: Components.Calendar, icon: 'Calendar', handler: calendar.handler as never } } : {}),
    },
    dashboard: { component: Components.Dashboard, ...(dashboard ? { handler: dashboard.handler as never } : {}) },
    settings: { defaultPerPage: 20 },
    locale: {
      language: 'en',
      translations: {
        en: {
          actions: { processOrder: 'Process order', cancelOrder: 'Cancel order', markFraud: 'Mark as fraud', bulkProcessOrders: 'Accept orders', bulkCancelOrders: 'Cancel orders', bulkMarkFraud: 'Mark as fraud', restore: 'Restore', setPassword: 'Set password', resetTwoFactor: 'Reset 2FA', unlock: 'Unlock', recordPayment: 'Record payment', applyCredit: 'Apply credit', cancelInvoice: 'Cancel invoice', refund: 'Refund', addCredit: 'Add credit', sendTest: 'Send test email', preview: 'Preview', billingPreview: 'Billing preview', runBillingNow: 'Run billing now', downloadPdf: 'Download PDF', markPaid: 'Mark paid', details: 'Lines & payments', massPayment: 'One payment for several', generateInvoiceNow: 'Generate invoice now', sendInvoiceEmail: 'Send invoice email', sendReminder: 'Send reminder', bulkCancel: 'Cancel', overdue: 'Overdue', dueThisWeek: 'Due this week', createAccount: 'Create account', suspendAccount: 'Suspend', unsuspendAccount: 'Unsuspend', terminateAccount: 'Terminate', changePackage: 'Change package', changeProduct: 'Change product', changePassword: 'Change password', loginToPanel: 'Log in to panel', vpsPower: 'VPS power', bulkCreateAccounts: 'Create accounts', bulkSuspendAccounts: 'Suspend', bulkUnsuspendAccounts: 'Unsuspend', bulkTerminateAccounts: 'Terminate', testConnection: 'Test connection', syncAccounts: 'Sync accounts', retryJob: 'Retry', cancelJob: 'Cancel job', bulkRetryJobs: 'Retry', bulkCancelJobs: 'Cancel jobs', failedJobs: 'Failed jobs', registerDomain: 'Register', transferDomain: 'Transfer in', renewDomain: 'Renew', updateNameservers: 'Nameservers', getEppCode: 'Get EPP code', lockDomain: 'Lock', unlockDomain: 'Unlock', enableIdProtection: 'ID protection on', disableIdProtection: 'ID protection off', syncDomain: 'Sync', markRegistered: 'Mark registered', bulkRenewDomains: 'Renew', bulkSyncDomains: 'Sync', bulkUpdatePrices: 'Update prices', updateContact: 'Update contact', testRegistrar: 'Test registrar connection' },
          labels: { navigation: 'Navigation', ...Object.fromEntries(groupOrder.map((g) => [g, g])), ...resourceLabels(ordered) },
          properties: propertyLabels(ordered),
        },
      },
    } as never,
  });
}

/** Resource names in the sidebar: "SupportTicket" → "Support tickets". */
function resourceLabels(specs: ResourceSpec[]): Record<string, string> {
  const plural = (s: string) => (/(s|x|ch|sh)$/.test(s) ? `${s}es` : /[^aeiou]y$/.test(s) ? `${s.slice(0, -1)}ies` : `${s}s`);
  return Object.fromEntries(specs.map((s) => [s.resource.name, plural(humanLabel(s.resource.name))]));
}

/** Property labels for every column of every resource, unless a resource sets its own. */
function propertyLabels(specs: ResourceSpec[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const spec of specs) {
    const meta = (spec.resource as unknown as { getRepository(): { metadata: { columns: Array<{ propertyName: string }> } } }).getRepository().metadata;
    for (const c of meta.columns) labels[c.propertyName] ??= humanLabel(c.propertyName);
  }
  return { ...labels, id: 'ID', createdAt: 'Created', updatedAt: 'Updated', deletedAt: 'Deleted' };
}

/** What the RBAC catalogue needs to know about each resource: its sidebar group and its workflow actions. */
export function describeResources(admin: AdminJS): ResourceDescriptor[] {
  return admin.resources.map((r) => {
    const decorated = r.decorate();
    const nav = decorated.options.navigation as { name?: string } | string | null | undefined;
    const group = typeof nav === 'string' ? nav : (nav?.name ?? 'Other');
    const actions = Object.keys(decorated.actions).filter((a) => !BUILT_IN_ACTIONS.includes(a) && a !== 'restore');
    return { id: r.id(), group, actions };
  });
}
