import AdminJS, { type ActionContext, type ActionRequest, type ResourceOptions, type CurrentAdmin } from 'adminjs';
import { MeridianDatabase, MeridianResource } from './adapter.js';
import { Components, componentLoader } from './components.js';
import { permissionFor, type ResourceDescriptor } from '../domain/access/permissions.js';
import { secretProperties } from '../db/columns.js';
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
      handler: async (_req: ActionRequest, _res: unknown, ctx: ActionContext) => {
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
    actions[name] = { ...a, isAccessible: guarded(id, name, a.isAccessible) };
  }
  const properties: Record<string, Record<string, unknown>> = { ...((options.properties as Record<string, Record<string, unknown>>) ?? {}) };
  for (const prop of secretProperties) properties[prop] = { ...(properties[prop] ?? {}), isVisible: false };
  return { resource: spec.resource, options: { ...options, actions: actions as never, properties: properties as never } };
}

/** Workflow actions by resource id, merged into the resources' options (see actions/index.ts). */
export type ActionsByResource = Record<string, Record<string, Record<string, unknown>>>;

export function buildAdmin(resources: ResourceSpec[], extraActions: ActionsByResource = {}): AdminJS {
  const merged = resources.map((spec) => {
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
    pages: { 'My account': { component: Components.AccountPage, icon: 'User' } },
    settings: { defaultPerPage: 20 },
    locale: {
      language: 'en',
      translations: {
        en: {
          actions: { restore: 'Restore' },
          labels: { navigation: 'Navigation' },
        },
      },
    } as never,
  });
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
