import type { ActionContext, ActionRequest } from 'adminjs';
import type { HtmlToPdf } from '../../src/integrations/pdf/invoice-pdf.js';
import { Components } from '../../src/admin/components.js';
import { actingStaff, confirmedByAdmin, isFormDisplay } from '../support.js';

/** What the back-office actions need beyond AdminServices: the warm PDF renderer and the public URL for email links. */
export interface BackofficeDeps {
  pdf: HtmlToPdf;
  appUrl: string;
}

type Result = { ok: true; message: string } | { ok: false; message: string };
type Run = (id: number, staff: { id: number; email: string }, payload: Record<string, unknown>) => Promise<Result>;

export const text = (p: Record<string, unknown> | undefined, k: string) => (typeof p?.[k] === 'string' ? (p[k] as string).trim() : '');

async function answer(ctx: ActionContext, out: Result) {
  const fresh = await ctx.resource.findOne(ctx.record!.id());
  return { record: (fresh ?? ctx.record!).toJSON(ctx.currentAdmin), notice: { message: out.message, type: out.ok ? 'success' : 'error' } };
}

/**
 * A record action of the back office: with `form`, GET shows the form (components/action-form.jsx) and POST acts;
 * without, it is a confirm button that acts on POST or on the admin's own confirmed GET.
 */
export function recordAction(def: { icon: string; isVisible: (ctx: ActionContext) => boolean; guard?: string; form?: { title: string; description?: string; fields: unknown[]; submitLabel: string } }, run: Run) {
  return {
    actionType: 'record',
    icon: def.icon,
    isVisible: def.isVisible,
    ...(def.form ? { component: Components.ActionForm, custom: def.form } : { component: false, guard: def.guard }),
    handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
      const acts = def.form ? !isFormDisplay(request.method) : confirmedByAdmin(request);
      if (!acts) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
      return answer(ctx, await run(Number(ctx.record!.id()), actingStaff(ctx.currentAdmin), (request.payload ?? {}) as Record<string, unknown>));
    },
  };
}

export const param = (ctx: ActionContext, k: string) => String(ctx.record?.params?.[k] ?? '');
