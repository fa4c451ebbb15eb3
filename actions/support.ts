import type { ActionContext, ActionRequest, ActionResponse, CurrentAdmin, RecordActionResponse } from 'adminjs';
import { currentActor } from '../src/audit/context.js';

/** Outcome of a domain service, as returned by every service a workflow action calls. */
export type Outcome = { ok: true } | { ok: false; error: string; message: string };

/** The request context (IP, user agent, URL) of the staff member acting, for services that audit themselves. */
export function requestContext() {
  const actor = currentActor();
  return { ip: actor?.ipAddress ?? null, userAgent: actor?.userAgent ?? null, url: actor?.url ?? null };
}

export function actingStaff(admin: CurrentAdmin | undefined): { id: number; email: string } {
  const a = admin as (CurrentAdmin & { id?: number }) | undefined;
  if (!a?.id) throw new Error('no staff member in this request');
  return { id: Number(a.id), email: a.email };
}

/** Maps a service outcome to what AdminJS shows: the record again plus a success or error notice. */
export async function respond(ctx: ActionContext, outcome: Outcome, success: string): Promise<RecordActionResponse> {
  const fresh = ctx.record ? await ctx.resource.findOne(ctx.record.id()) : null;
  return {
    record: (fresh ?? ctx.record)!.toJSON(ctx.currentAdmin),
    notice: outcome.ok ? { message: success, type: 'success' } : { message: outcome.message, type: 'error' },
  };
}

/** GET on a form action only shows the form; the work happens on POST. */
export function isFormDisplay(method: string | undefined): boolean {
  return (method ?? 'get').toLowerCase() !== 'post';
}

/**
 * AdminJS calls an action without a component (a confirm-guard action, every bulk action here) with GET, from its
 * own page after the confirm dialog. A GET that changes data could be triggered from another site by a link, so GET
 * acts only when the browser says it is the admin's own script: Sec-Fetch-Site same-origin, not a navigation.
 * POST always acts (the session cookie is SameSite=Lax, so other sites cannot POST with it).
 */
export function confirmedByAdmin(request: ActionRequest): boolean {
  if (!isFormDisplay(request.method)) return true;
  // @adminjs/express hands the action a copy of the Express request: Node's `headers` getter is not copied, but the
  // raw [name, value, …] list is.
  const raw = (request as unknown as { rawHeaders?: unknown }).rawHeaders;
  const header = (name: string) => {
    if (!Array.isArray(raw)) return undefined;
    for (let i = 0; i + 1 < raw.length; i += 2) if (String(raw[i]).toLowerCase() === name) return String(raw[i + 1]);
    return undefined;
  };
  return header('sec-fetch-site') === 'same-origin' && header('sec-fetch-mode') !== 'navigate';
}

export type { ActionResponse };

export type BulkResult = { ok: boolean; label: string; message?: string };

/** One notice for a bulk action: how many worked, and each record that did not with its reason. */
export function bulkSummary(verb: string, results: BulkResult[]) {
  const failed = results.filter((r) => !r.ok);
  const done = results.length - failed.length;
  const detail = failed.slice(0, 8).map((f) => `${f.label}: ${f.message}`).join('; ');
  return { message: `${done} ${verb}${failed.length ? `; ${failed.length} not: ${detail}${failed.length > 8 ? '…' : ''}` : ''}.`, type: failed.length && !done ? 'error' : 'success' } as const;
}
