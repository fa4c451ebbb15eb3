import type { ActionContext, ActionRequest, RecordJSON } from 'adminjs';
import type { AdminServices } from '../index.js';
import { Components } from '../../src/admin/components.js';
import { bulkSummary as summarize, confirmedByAdmin, type BulkResult as Result } from '../support.js';

const label = (r: RecordJSON) => String(r.params.ticketNumber ?? `#${r.id}`);

/** Assign or close many tickets at once; each ticket is handled (and may be refused) on its own. */
export function ticketBulkActions({ ds, desk }: AdminServices) {
  const each = async (ctx: ActionContext, verb: string, work: (id: number) => Promise<{ ok: boolean; message?: string }>) => {
    const records = ctx.records ?? [];
    const results: Result[] = [];
    for (const r of records) {
      const out = await work(Number(r.id()));
      results.push({ ok: out.ok, label: label(r.toJSON(ctx.currentAdmin)), message: out.ok ? undefined : out.message });
    }
    return { records: records.map((r) => r.toJSON(ctx.currentAdmin)), notice: summarize(verb, results), redirectUrl: ctx.h.resourceUrl({ resourceId: ctx.resource.id() }) };
  };
  return {
    bulkClose: {
      actionType: 'bulk',
      icon: 'Archive',
      component: false,
      guard: 'Close each selected ticket?',
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (!confirmedByAdmin(request)) return { records: (ctx.records ?? []).map((r) => r.toJSON(ctx.currentAdmin)) };
        return each(ctx, 'closed', (id) => desk.changeStatus(id, 'closed'));
      },
    },
    bulkAssign: {
      actionType: 'bulk',
      icon: 'UserCheck',
      component: Components.ActionForm,
      custom: {
        title: 'Assign the selected tickets',
        description: 'Tickets of a department the staff member does not work are left as they are and listed.',
        fields: [{ name: 'staffEmail', label: 'Staff member’s email', required: true }],
        submitLabel: 'Assign',
      },
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        const records = ctx.records ?? [];
        if ((request.method ?? 'get').toLowerCase() !== 'post') return { records: records.map((r) => r.toJSON(ctx.currentAdmin)) };
        const raw = (request.payload as Record<string, unknown> | undefined)?.staffEmail;
        const address = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
        const staff = address ? ((await ds.getRepository('User').createQueryBuilder('u').where("LOWER(u.email) = :address AND u.userType = 'staff' AND u.status = 'active'", { address }).getOne()) as { id: number } | null) : null;
        if (!staff) return { records: records.map((r) => r.toJSON(ctx.currentAdmin)), notice: { message: `No active staff member has the address “${address}”.`, type: 'error' } };
        return each(ctx, 'assigned', (id) => desk.assign(id, staff.id));
      },
    },
  };
}
