import type { NextFunction, Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { permissionFor } from '../domain/access/permissions.js';
import type { RbacService } from '../domain/access/rbac-service.js';
import { runAs, type Actor } from '../audit/context.js';
import { secretProperties } from '../db/columns.js';
import type { StaffAdmin } from './admin.js';

/** What an admin URL asks to do: /api/resources/Invoice/records/5/recordPayment → Invoice, recordPayment, 5. */
export function parseAdminRoute(path: string): { resourceId: string; action: string; recordId?: string; api: boolean } | null {
  const m =
    /^\/(api\/)?resources\/([^/]+)(?:\/(?:actions\/([^/]+)|records\/([^/]+)\/([^/]+)|bulk\/([^/]+)|search(?:\/.*)?))?\/?$/.exec(path);
  if (!m) return null;
  const [, api, resourceId, resourceAction, recordId, recordAction, bulkAction] = m;
  const action = resourceAction ?? recordAction ?? bulkAction ?? (path.includes('/search') ? 'search' : 'list');
  return { resourceId: decodeURIComponent(resourceId), action, recordId, api: Boolean(api) };
}


export function actorFrom(req: Request, admin: { id: number; email?: string } | undefined, type: Actor['actorType'] = 'staff'): Actor {
  return {
    userId: admin?.id ?? null,
    actorType: type,
    actorName: admin?.email ?? null,
    ipAddress: req.ip ?? null,
    userAgent: req.get('user-agent')?.slice(0, 500) ?? null,
    url: req.originalUrl.slice(0, 2000),
  };
}

/** A refusal for want of a permission, in the audit log like every other refusal. */
export async function auditRefusal(ds: DataSource, actor: Actor, what: { auditableType: string; auditableId: string | null; description: string }): Promise<void> {
  await ds.getRepository('AuditLog').insert({
    userId: actor.userId, actorType: 'staff', actorName: actor.actorName, event: 'forbidden', ...what, url: actor.url, ipAddress: actor.ipAddress, userAgent: actor.userAgent,
  });
}

/**
 * The signed-in staff member with their permissions, for the admin's own routes that AdminJS does not route (CSV
 * reports, invoice PDFs); `rbac` loads the permissions where the admin guard has not attached them. Null when signed out.
 */
export async function signedInStaff(req: Request, rbac?: Pick<RbacService, 'permissionsOf'>): Promise<StaffAdmin | null> {
  const admin = (req.session as unknown as { adminUser?: StaffAdmin } | undefined)?.adminUser;
  if (!admin?.id) return null;
  if (!admin.permissions && rbac) {
    const permissions = await rbac.permissionsOf(Number(admin.id));
    Object.defineProperty(admin, 'permissions', { value: permissions, enumerable: false, configurable: true, writable: true });
  }
  return admin;
}

/** An error answer of those routes: JSON to a caller that asks for it, plain text otherwise; never cached. */
export function refuseStaffRequest(req: Request, res: Response, status: number, error: string, message: string): void {
  res.setHeader('Cache-Control', 'no-store');
  if (req.accepts(['html', 'text', 'json']) === 'json') res.status(status).json({ error, message });
  else res.status(status).type('text/plain').send(message);
}

/**
 * Removes secret properties from every record in a response, however deeply nested (a record's `params`, records
 * populated into it, records inside a custom action's answer). AdminJS flattens nested values into keys such as
 * "twoFactorRecoveryCodes.0", so any secret segment of a key counts.
 */
export function scrubSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrubSecrets);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'params' && v && typeof v === 'object') {
        out[k] = Object.fromEntries(Object.entries(v).filter(([pk]) => !pk.split('.').some((part) => secretProperties.has(part))));
      } else {
        out[k] = scrubSecrets(v);
      }
    }
    return out;
  }
  return value;
}

/**
 * Every /admin request after login: attach the staff member's permissions, refuse what they may not do with 403
 * (audited), run the rest under their identity for the audit trail, record workflow actions, and scrub secrets from
 * every JSON answer.
 */
export function adminGuard(ds: DataSource, rbac: RbacService) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const admin = (req.session as unknown as { adminUser?: StaffAdmin } | undefined)?.adminUser;
    if (!admin?.id) {
      if (req.path.startsWith('/api/')) return res.status(401).json({ error: 'not_authenticated', message: 'Please log in.' });
      return res.redirect(`${req.baseUrl}/login?next=${encodeURIComponent(req.originalUrl)}`);
    }
    let permissions: Set<string>;
    try {
      permissions = await rbac.permissionsOf(admin.id);
    } catch (e) {
      return next(e);
    }
    // Not enumerable, so it is neither stored in the session nor sent to the browser.
    Object.defineProperty(admin, 'permissions', { value: permissions, enumerable: false, configurable: true, writable: true });
    const actor = actorFrom(req, admin);

    const originalJson = res.json.bind(res);
    res.json = (body: unknown) => originalJson(scrubSecrets(body));

    const route = parseAdminRoute(req.path);
    if (route && !permissions.has(permissionFor(route.resourceId, route.action))) {
      await auditRefusal(ds, actor, {
        auditableType: route.resourceId,
        auditableId: route.recordId ?? null,
        description: `Refused ${req.method} ${route.action} on ${route.resourceId}: missing ${permissionFor(route.resourceId, route.action)}`,
      });
      const message = `You do not have permission to ${route.action} ${route.resourceId}.`;
      if (route.api) return res.status(403).json({ error: 'forbidden', message, notice: { message, type: 'error' } });
      return res.status(403).type('text/plain').send(message);
    }
    runAs(actor, next);
  };
}
