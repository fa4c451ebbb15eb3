import type { ActionContext, ActionRequest } from 'adminjs';
import type { AdminServices } from '../index.js';
import { confirmedByAdmin } from '../support.js';
import { reply } from '../provisioning/service-provisioning-actions.js';

/** Test connection on a TLD: its registrar module's settings and credentials, with a cheap authenticated call. */
export function registrarActions({ domains }: AdminServices) {
  return {
    testRegistrar: {
      actionType: 'record',
      icon: 'Activity',
      component: false,
      // No confirm dialog (nothing changes at the registrar), but still only from the admin's own page.
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (!confirmedByAdmin(request)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
        const code = ctx.record!.params.registrar ? String(ctx.record!.params.registrar) : null;
        const out = await domains.testRegistrar(code);
        return reply(ctx, { message: out.message, type: out.ok ? 'success' : 'error' });
      },
    },
  };
}
