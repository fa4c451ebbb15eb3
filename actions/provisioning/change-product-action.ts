import type { ActionContext, ActionRequest } from 'adminjs';
import type { AdminServices } from '../index.js';
import { Components } from '../../src/admin/components.js';
import { actingStaff, isFormDisplay } from '../support.js';
import { noticeOf, reply } from './service-provisioning-actions.js';

/**
 * Upgrade / downgrade by staff: the service moves to another product of the same module, renews at its price, and
 * the account moves to its package on the server. The form lists only the products it can move to.
 */
export function changeProductAction({ ds, provisioning }: AdminServices) {
  return {
    changeProduct: {
      actionType: 'record',
      icon: 'Repeat',
      component: Components.ActionForm,
      isVisible: ({ record }: ActionContext) => ['active', 'suspended', 'pending'].includes(String(record?.params?.status ?? '')),
      custom: {
        title: 'Change product (upgrade / downgrade)',
        description: 'The service renews at the new product’s price from its next invoice, and its account moves to the new product’s package. No pro-rata invoice or credit is made for the current period.',
        fields: [{ name: 'productId', label: 'New product', type: 'select', required: true, optionsParam: 'productChoices' }],
        submitLabel: 'Change product',
      },
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        const serviceId = Number(ctx.record!.id());
        if (isFormDisplay(request.method)) {
          const json = ctx.record!.toJSON(ctx.currentAdmin);
          const rows = (await ds.query(
            `SELECT p.id, p.name FROM products p JOIN products cur ON cur.id = ? WHERE p.module = cur.module AND p.id <> cur.id AND p.retired = 0 ORDER BY p.name`,
            [Number(json.params.productId)],
          )) as Array<{ id: number | string; name: string }>;
          return { record: { ...json, params: { ...json.params, productChoices: JSON.stringify(rows.map((r) => ({ value: String(r.id), label: r.name }))) } } };
        }
        const productId = Number((request.payload as Record<string, unknown> | undefined)?.productId);
        const out = await provisioning.changeProduct({ serviceId, productId, adminId: actingStaff(ctx.currentAdmin).id });
        return reply(ctx, noticeOf(out));
      },
    },
  };
}
