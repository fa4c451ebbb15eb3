import type { Request } from 'express';
import { businessDate } from '../../../domain/shared/clock.js';
import { clientOf, notFound, type ClientAreaDeps, type ClientPermission } from '../../kit.js';

/** A record id from the URL; anything else is a page that does not exist. */
export function idParam(req: Request, name = 'id'): number {
  const raw = String(req.params[name] ?? '');
  if (!/^[1-9]\d{0,9}$/.test(raw)) throw notFound();
  return Number(raw);
}

/** Today in the business timezone: due dates, overdue and pro-rata are all counted in it. */
export const todayOf = (deps: ClientAreaDeps): string => businessDate(deps.clock.now(), deps.config.APP_TIMEZONE);

/** Which parts of the account the signed-in person may see (the owner: all; a contact: their permissions). */
export function abilities(req: Request): Record<ClientPermission, boolean> {
  const c = clientOf(req);
  const may = (p: ClientPermission) => c.contactId === null || c.permissions.includes(p);
  return { billing: may('billing'), services: may('services'), support: may('support'), orders: may('orders'), profile: may('profile'), domains: may('domains') };
}
