import type { ActionContext, ActionRequest } from 'adminjs';
import type { AdminServices } from '../index.js';
import { Components } from '../../src/admin/components.js';
import { confirmedByAdmin, isFormDisplay, respond } from '../support.js';

/**
 * Test connection and Sync accounts on a server. The test's answer (version and latency, or the exact reason: bad
 * token, refused, TLS, timeout) is also stored on the server, for the Last check columns of the list.
 */
export function serverActions({ servers }: AdminServices) {
  return {
    testConnection: {
      actionType: 'record',
      icon: 'Activity',
      component: false,
      // No confirm dialog (it changes nothing on the server), but still only from the admin's own page.
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (!confirmedByAdmin(request)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
        const out = await servers.testConnection(Number(ctx.record!.id()));
        return respond(ctx, out, out.ok ? out.message : '');
      },
    },
    syncAccounts: {
      actionType: 'record',
      icon: 'RefreshCw',
      component: Components.ActionForm,
      custom: {
        title: 'Sync accounts',
        description: 'Reads the accounts on this server, links them to their services and updates disk and bandwidth usage. Nothing is changed on the server.',
        fields: [{ name: 'importUnknown', label: 'Import accounts Meridian does not know, when the owner’s email is a client’s and the package a product’s', type: 'checkbox' }],
        submitLabel: 'Sync now',
      },
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (isFormDisplay(request.method)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
        const importUnknown = (request.payload as Record<string, unknown> | undefined)?.importUnknown === 'true';
        const out = await servers.syncAccounts(Number(ctx.record!.id()), { importUnknown });
        return respond(ctx, out, out.ok ? out.message : '');
      },
    },
  };
}
