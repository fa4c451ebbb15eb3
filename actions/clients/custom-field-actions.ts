import type { ActionContext, ActionRequest } from 'adminjs';
import type { AdminServices } from '../index.js';
import { Components } from '../../src/admin/components.js';
import { CustomFields, inputName, type FieldDef, type FieldOwner } from '../../src/domain/clients/custom-fields.js';
import { fail } from '../../src/domain/shared/outcome.js';
import { isFormDisplay, respond } from '../support.js';

const FORM_TYPES: Record<FieldDef['fieldType'], string> = { text: 'text', link: 'text', textarea: 'textarea', dropdown: 'select', checkbox: 'checkbox', password: 'password' };

/** The form of a record's custom fields: its fields and current values go to the page as record params. */
function customFieldsAction(fields: CustomFields, ownerOf: (ctx: ActionContext) => Promise<FieldOwner | null>, title: string) {
  return {
    actionType: 'record',
    icon: 'List',
    component: Components.ActionForm,
    custom: { title, description: 'Fields staff defined under Custom fields. Password fields are never shown; leave one empty to keep it.', fieldsParam: 'customFieldForm', valuesParam: 'customFieldValues', submitLabel: 'Save' },
    handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
      const owner = await ownerOf(ctx);
      if (!owner) return respond(ctx, fail('not_found', 'Not found.'), '');
      const defs = await fields.definitions(owner, { staff: true });
      if (isFormDisplay(request.method)) {
        const json = ctx.record!.toJSON(ctx.currentAdmin);
        const values = await fields.values(owner, defs);
        const form = defs.map((d) => ({
          name: inputName(d), label: `${d.name}${d.adminOnly ? ' (staff only)' : ''}`, type: FORM_TYPES[d.fieldType], required: d.required, help: d.description ?? undefined,
          ...(d.fieldType === 'dropdown' ? { options: d.options.map((o) => ({ value: o, label: o })) } : {}),
        }));
        const current = Object.fromEntries(defs.map((d) => [inputName(d), d.fieldType === 'checkbox' ? (values[d.id] === 'on' ? 'true' : 'false') : values[d.id]]));
        return { record: { ...json, params: { ...json.params, customFieldForm: JSON.stringify(form), customFieldValues: JSON.stringify(current) } } };
      }
      if (!defs.length) return respond(ctx, fail('no_fields', 'There are no custom fields for this record. Add them under Custom fields.'), '');
      const out = await fields.save(owner, defs, (request.payload ?? {}) as Record<string, unknown>);
      if (!out.ok) return respond(ctx, fail(out.error, 'errors' in out ? Object.values(out.errors).join(' ') : out.message), '');
      return respond(ctx, out, 'Custom fields saved.');
    },
  };
}

/** Client: Custom fields (profile fields); Service: Custom fields (its product's fields). */
export function customFieldActions({ ds }: AdminServices) {
  const fields = new CustomFields(ds);
  return {
    Client: { customFields: customFieldsAction(fields, async (ctx) => ({ kind: 'client', clientId: Number(ctx.record!.id()) }), 'Custom fields') },
    Service: {
      customFields: customFieldsAction(
        fields,
        async (ctx) => {
          const s = (await ds.getRepository('Service').findOne({ where: { id: Number(ctx.record!.id()) }, select: { id: true, clientId: true } })) as { id: number; clientId: number } | null;
          return s ? { kind: 'service', serviceId: s.id, clientId: s.clientId } : null;
        },
        'Product custom fields',
      ),
    },
  };
}
