import type { ActionContext, ActionRequest } from 'adminjs';
import type { AdminServices } from '../index.js';
import { Components } from '../../src/admin/components.js';
import { actingStaff, confirmedByAdmin, isFormDisplay, requestContext, respond } from '../support.js';

const staffOnly = ({ record }: ActionContext) => record?.params?.userType === 'staff';

/** Staff-account actions for administrators: set a password, reset two-factor authentication, lift a lockout. */
export function userActions({ auth }: AdminServices) {
  return {
    setPassword: {
      actionType: 'record',
      icon: 'Key',
      component: Components.ActionForm,
      isVisible: staffOnly,
      custom: {
        title: 'Set a new password',
        description: 'The staff member is signed out everywhere and signs in with this password.',
        fields: [{ name: 'password', label: 'New password', type: 'password', required: true, help: 'At least 10 characters.' }],
        submitLabel: 'Set password',
      },
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (isFormDisplay(request.method)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
        const password = typeof request.payload?.password === 'string' ? request.payload.password : '';
        const outcome = await auth.setPasswordByAdministrator(Number(ctx.record!.id()), password, actingStaff(ctx.currentAdmin), requestContext());
        return respond(ctx, outcome, 'Password set. Their sessions have ended.');
      },
    },
    resetTwoFactor: {
      actionType: 'record',
      icon: 'Smartphone',
      component: false,
      guard: 'Turn off two-factor authentication for this staff member? They will be signed out.',
      isVisible: (ctx: ActionContext) => staffOnly(ctx) && Boolean(ctx.record?.params?.twoFactorEnabled),
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (!confirmedByAdmin(request)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
        const outcome = await auth.resetTwoFactor(Number(ctx.record!.id()), actingStaff(ctx.currentAdmin), requestContext());
        return respond(ctx, outcome, 'Two-factor authentication turned off.');
      },
    },
    unlock: {
      actionType: 'record',
      icon: 'Unlock',
      component: false,
      guard: 'Lift the lockout of this account now?',
      isVisible: (ctx: ActionContext) => staffOnly(ctx) && Boolean(ctx.record?.params?.lockedUntil),
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (!confirmedByAdmin(request)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
        await auth.unlockAccount(Number(ctx.record!.id()), requestContext(), actingStaff(ctx.currentAdmin));
        return respond(ctx, { ok: true }, 'Account unlocked.');
      },
    },
  };
}
