import type { ActionContext, ActionRequest } from 'adminjs';
import type { AdminServices } from '../index.js';
import { Components } from '../../src/admin/components.js';
import { actingStaff, bulkSummary, confirmedByAdmin, isFormDisplay, type BulkResult } from '../support.js';
import type { Notice } from '../provisioning/service-provisioning-actions.js';
import { registrarNotice, YEAR_CHOICES, yearsOf } from './domain-actions.js';

type Payload = Record<string, unknown> | undefined;

/**
 * A bulk action over the selected domains, one at a time: each is its own registrar call, so one the registrar
 * refuses (or does not answer for) does not stop the others; the notice lists each domain that did not go through.
 * With a form, GET shows it and POST acts; without, AdminJS calls it by GET after its confirm dialog.
 */
function eachDomain(opts: {
  verb: string;
  guard?: string;
  form?: { title: string; description?: string; fields: unknown[]; submitLabel: string };
  each: (domainId: number, adminId: number, payload: Payload) => Promise<Notice>;
}) {
  return {
    actionType: 'bulk',
    icon: 'Layers',
    component: opts.form ? Components.ActionForm : false,
    ...(opts.form ? { custom: opts.form } : opts.guard ? { guard: opts.guard } : {}),
    handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
      const records = ctx.records ?? [];
      const json = () => records.map((r) => r.toJSON(ctx.currentAdmin));
      const acts = opts.form ? !isFormDisplay(request.method) : confirmedByAdmin(request);
      if (!acts) return { records: json() };
      const adminId = actingStaff(ctx.currentAdmin).id;
      const results: BulkResult[] = [];
      for (const r of records) {
        const label = String(r.params.domainName || `#${r.id()}`);
        const notice = await opts.each(Number(r.id()), adminId, request.payload as Payload);
        // The service's messages mostly start with the name already; the summary puts it in front once.
        const message = notice.message.startsWith(`${label}: `) ? notice.message.slice(label.length + 2) : notice.message;
        results.push({ ok: notice.type === 'success', label, message });
      }
      const fresh = await ctx.resource.findMany(records.map((r) => r.id()));
      return { records: fresh.map((r) => r.toJSON(ctx.currentAdmin)), notice: bulkSummary(opts.verb, results), redirectUrl: ctx.h.resourceUrl({ resourceId: ctx.resource.id() }) };
    },
  };
}

/** Renew and Sync for many domains at once (the staff side of a registrar price run or an audit after an outage). */
export function domainBulkActions({ domains }: AdminServices) {
  return {
    bulkRenewDomains: eachDomain({
      verb: 'renewed',
      form: {
        title: 'Renew the selected domains at the registrar',
        description: 'Each active, grace or redemption domain is renewed at its registrar now, without an invoice; the registrar charges the reseller account for each.',
        fields: [{ name: 'years', label: 'Years', type: 'select', options: YEAR_CHOICES, help: 'Empty: 1 year.' }],
        submitLabel: 'Renew now',
      },
      each: async (id, adminId, p) => registrarNotice(await domains.renewNow(id, yearsOf(p, 1), { adminId })),
    }),
    bulkSyncDomains: eachDomain({
      verb: 'synced',
      each: async (id) => {
        const out = await domains.sync(id);
        return out.ok ? { message: out.message, type: 'success' } : { message: out.message, type: 'error' };
      },
    }),
  };
}
