/**
 * Role-based access control: what each permission is called and which default role holds it.
 * A permission is `<resource>.<verb>` (view, create, edit, delete) or `<resource>.action.<name>` for a workflow
 * action such as `Invoice.action.recordPayment`. The server checks it on every admin request; the UI only hides
 * what the server would refuse anyway.
 */
export type Verb = 'view' | 'create' | 'edit' | 'delete';

export interface ResourceDescriptor {
  id: string;
  /** Sidebar group name, e.g. "Billing". */
  group: string;
  /** Names of custom (workflow) actions on the resource. */
  actions: string[];
}

export interface PermissionDefinition {
  name: string;
  displayName: string;
  groupName: string;
}

const BUILT_IN: Record<string, Verb> = {
  list: 'view',
  show: 'view',
  search: 'view',
  new: 'create',
  edit: 'edit',
  delete: 'delete',
  bulkDelete: 'delete',
  restore: 'delete',
};

export function permissionFor(resourceId: string, action: string): string {
  const verb = BUILT_IN[action];
  return verb ? `${resourceId}.${verb}` : `${resourceId}.action.${action}`;
}

export function catalogue(resources: ResourceDescriptor[]): PermissionDefinition[] {
  const out: PermissionDefinition[] = [];
  for (const r of resources) {
    for (const verb of ['view', 'create', 'edit', 'delete'] as Verb[]) {
      out.push({ name: `${r.id}.${verb}`, displayName: `${verb[0].toUpperCase()}${verb.slice(1)} ${r.id}`, groupName: r.group });
    }
    for (const a of r.actions) out.push({ name: `${r.id}.action.${a}`, displayName: `${r.id}: ${a}`, groupName: r.group });
  }
  return out;
}

export const FULL_ADMINISTRATOR = 'Full Administrator';
export const DEFAULT_ROLES = [
  { name: FULL_ADMINISTRATOR, description: 'Everything, including staff, roles and system settings.' },
  { name: 'Billing', description: 'Clients, orders and billing in full; catalogue, support and reports read-only.' },
  { name: 'Support', description: 'Support desk in full; clients, services, orders and billing read-only.' },
  { name: 'Read-only', description: 'Sees everything except security records; changes nothing.' },
] as const;

/** Security records that only Full Administrators see: who may log in, with what rights, and their sessions. */
const SECURITY = new Set(['User', 'Staff', 'Role', 'Permission', 'RoleUser', 'PermissionRole', 'ApiToken', 'Session', 'LoginThrottle']);

/** Whether a default role holds a permission. Staff may change role grants afterwards; these are the starting point. */
export function defaultGrant(role: string, resource: ResourceDescriptor, permission: string): boolean {
  if (role === FULL_ADMINISTRATOR) return true;
  if (SECURITY.has(resource.id)) return false;
  const isView = permission.endsWith('.view');
  switch (role) {
    case 'Billing':
      return ['Billing', 'Orders', 'Clients', 'Utilities'].includes(resource.group) || isView;
    case 'Support':
      return ['Support', 'Utilities'].includes(resource.group) || isView;
    case 'Read-only':
      return isView;
    default:
      return false;
  }
}
