import type { ActionContext, ActionRequest } from 'adminjs';
import type { AdminServices } from '../index.js';
import { Components } from '../../src/admin/components.js';
import { fail } from '../../src/domain/shared/outcome.js';
import { confirmedByAdmin, isFormDisplay, respond } from '../support.js';

/**
 * Payment Gateways: Set credentials (each provider's own keys, written encrypted, never shown again; a blank field
 * keeps the stored value) and Test configuration (a harmless authenticated call to the provider).
 */
export function gatewayActions({ gatewaySettings }: AdminServices) {
  return {
    setCredentials: {
      actionType: 'record',
      icon: 'Key',
      component: Components.ActionForm,
      isVisible: ({ record }: ActionContext) => gatewaySettings.credentialFields(String(record?.params?.code ?? '')).length > 0,
      custom: {
        title: 'Set credentials',
        description: 'Keys are stored encrypted and are never shown again. Leave a field empty to keep what is stored.',
        fieldsParam: 'credentialFields',
        submitLabel: 'Save credentials',
      },
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        const code = String(ctx.record!.params.code);
        if (isFormDisplay(request.method)) {
          const json = ctx.record!.toJSON(ctx.currentAdmin);
          const fields = gatewaySettings.credentialFields(code).map((f: { key: string; label: string }) => ({ name: f.key, label: f.label, type: 'password' }));
          return { record: { ...json, params: { ...json.params, credentialFields: JSON.stringify(fields) } } };
        }
        const out = await gatewaySettings.setCredentials(code, (request.payload ?? {}) as Record<string, unknown>);
        return respond(ctx, out, out.ok ? out.message : '');
      },
    },
    gatewayOptions: {
      actionType: 'record',
      icon: 'Settings',
      component: Components.ActionForm,
      custom: {
        title: 'Currencies and instructions',
        description: 'Which currencies customers may pay in with this gateway, and (bank transfer) what the invoice tells them.',
        valuesParam: 'currentOptions',
        fields: [
          { name: 'currencies', label: 'Accepted currencies (ISO codes separated by commas; empty = all)' },
          { name: 'instructions', label: 'Payment instructions printed on invoices (bank transfer)', type: 'textarea' },
        ],
        submitLabel: 'Save',
      },
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (isFormDisplay(request.method)) {
          const json = ctx.record!.toJSON(ctx.currentAdmin);
          const current = await gatewaySettings.options(String(ctx.record!.params.code));
          return { record: { ...json, params: { ...json.params, currentOptions: JSON.stringify(current) } } };
        }
        const p = (request.payload ?? {}) as Record<string, unknown>;
        const str = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : '');
        const out = await gatewaySettings.setOptions(String(ctx.record!.params.code), { currencies: str('currencies'), instructions: str('instructions') });
        return respond(ctx, out, out.ok ? out.message : '');
      },
    },
    testConfiguration: {
      actionType: 'record',
      icon: 'Activity',
      component: false,
      isVisible: ({ record }: ActionContext) => gatewaySettings.credentialFields(String(record?.params?.code ?? '')).length > 0,
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (!confirmedByAdmin(request)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
        const out = await gatewaySettings.test(String(ctx.record!.params.code));
        return respond(ctx, out, out.ok ? out.message : '');
      },
    },
  };
}

/** Gateway log: Mark reviewed — a person looked at a flagged notification and wrote down what they did. */
export function gatewayLogActions({ ds }: AdminServices) {
  return {
    markReviewed: {
      actionType: 'record',
      icon: 'CheckCircle',
      component: Components.ActionForm,
      isVisible: ({ record }: ActionContext) => record?.params?.result === 'flagged',
      custom: { title: 'Mark reviewed', fields: [{ name: 'note', label: 'What was done (recorded, refunded, nothing needed…)', type: 'textarea', required: true }], submitLabel: 'Mark reviewed' },
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (isFormDisplay(request.method)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
        const note = String((request.payload as Record<string, unknown> | undefined)?.note ?? '').trim();
        if (!note) return respond(ctx, fail('note_required', 'Say what was done.', 'note'), '');
        const id = Number(ctx.record!.id());
        const row = (await ds.getRepository('GatewayLog').findOneBy({ id })) as { result: string | null; message: string | null } | null;
        if (row?.result !== 'flagged') return respond(ctx, fail('not_flagged', 'This notification is not waiting for review.'), '');
        const who = (ctx.currentAdmin as { email?: string } | undefined)?.email ?? 'staff';
        await ds.getRepository('GatewayLog').update({ id, result: 'flagged' }, { result: 'reviewed', message: `${row.message ?? ''}\nReviewed by ${who}: ${note}`.slice(0, 4000) });
        return respond(ctx, { ok: true }, 'Marked reviewed.');
      },
    },
  };
}
