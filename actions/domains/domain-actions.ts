import type { ActionContext, ActionRequest } from 'adminjs';
import type { AdminServices } from '../index.js';
import { Components } from '../../src/admin/components.js';
import type { Outcome } from '../../src/domain/shared/outcome.js';
import { SYNCED_STATUSES } from '../../src/domain/domains/sync.js';
import { actingStaff, confirmedByAdmin, isFormDisplay } from '../support.js';
import { noticeOf, reply, type Notice } from '../provisioning/service-provisioning-actions.js';

type Payload = Record<string, unknown> | undefined;
type Message = Outcome<{ message: string }>;
type Form = { title: string; description?: string; fields: unknown[]; submitLabel: string; valuesParam?: string };

export const text = (p: Payload, k: string) => (typeof p?.[k] === 'string' ? (p[k] as string).trim() : '');
const param = (ctx: ActionContext, k: string) => ctx.record?.params?.[k];
const status = (ctx: ActionContext) => String(param(ctx, 'status') ?? '');
const flag = (ctx: ActionContext, k: string) => [true, 'true', 1, '1'].includes(param(ctx, k) as never);
/** Registered with us now: what the registrar lets us change (as DomainService's own rule). */
const managed = (ctx: ActionContext) => ['active', 'grace', 'redemption'].includes(status(ctx));
const pending = (ctx: ActionContext) => status(ctx) === 'pending';

/** Years as typed; empty is the given default, anything else goes to the service, which says what it accepts. */
export function yearsOf(p: Payload, fallback: number): number {
  const raw = text(p, 'years');
  return raw === '' ? fallback : Number(raw);
}

export const YEAR_CHOICES = Array.from({ length: 10 }, (_, i) => ({ value: String(i + 1), label: i ? `${i + 1} years` : '1 year' }));

const plain = (out: Message): { notice: Notice } => ({ notice: out.ok ? { message: out.message, type: 'success' } : { message: out.message, type: 'error' } });

/**
 * What staff do to a client's domain at its registrar: Register or Transfer a pending one now, Renew, nameservers,
 * the EPP code, lock and ID protection, Sync, and Mark registered for one done by hand. Each is a thin call of
 * DomainService; the bulk Renew and Sync are domainBulkActions.
 */
export function domainActions(services: AdminServices) {
  const { domains } = services;

  const recordAction = (
    def: { icon: string; isVisible: (ctx: ActionContext) => boolean; guard?: string; form?: Form; formValues?: (ctx: ActionContext) => Record<string, string> },
    run: (domainId: number, adminId: number, payload: Payload, ctx: ActionContext) => Promise<{ notice: Notice; extra?: Record<string, unknown> }>,
  ) => ({
    actionType: 'record',
    icon: def.icon,
    isVisible: def.isVisible,
    ...(def.form ? { component: Components.ActionForm, custom: def.form } : { component: false, ...(def.guard ? { guard: def.guard } : {}) }),
    handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
      const acts = def.form ? !isFormDisplay(request.method) : confirmedByAdmin(request);
      if (!acts) {
        const json = ctx.record!.toJSON(ctx.currentAdmin);
        if (!def.form?.valuesParam || !def.formValues) return { record: json };
        return { record: { ...json, params: { ...json.params, [def.form.valuesParam]: JSON.stringify(def.formValues(ctx)) } } };
      }
      const done = await run(Number(ctx.record!.id()), actingStaff(ctx.currentAdmin).id, request.payload as Payload, ctx);
      return reply(ctx, done.notice, done.extra);
    },
  });

  const toggle = (on: boolean, kind: 'lock' | 'privacy') =>
    recordAction(
      kind === 'lock'
        ? { icon: on ? 'Lock' : 'Unlock', isVisible: (ctx) => managed(ctx) && flag(ctx, 'registrarLock') !== on, ...(on ? {} : { guard: 'Unlock this domain at the registrar? Anyone with its EPP code can then transfer it away.' }) }
        : { icon: on ? 'EyeOff' : 'Eye', isVisible: (ctx) => managed(ctx) && flag(ctx, 'idProtection') !== on },
      async (id, adminId) => plain(kind === 'lock' ? await domains.setLock(id, on, { adminId }) : await domains.setIdProtection(id, on, { adminId })),
    );

  return {
    registerDomain: recordAction(
      { icon: 'PlusSquare', isVisible: (ctx) => pending(ctx) && param(ctx, 'registrationType') !== 'transfer', guard: 'Register this domain at its registrar now? The registrar charges the reseller account for it.' },
      async (id, adminId) => ({ notice: noticeOf(await domains.registerNow(id, { adminId })) }),
    ),
    transferDomain: recordAction(
      {
        icon: 'Shuffle',
        isVisible: pending,
        form: {
          title: 'Transfer this domain in',
          description: 'Submits the transfer to the registrar now; the registrar charges the reseller account for it. A wrong code is refused by the registrar, and the order is then closed with what the client paid returned as credit.',
          fields: [{ name: 'eppCode', label: 'EPP (transfer) code', type: 'password', help: 'From the current registrar. Leave empty to use the code given with the order.' }],
          submitLabel: 'Submit transfer',
        },
      },
      async (id, adminId, p, ctx) => {
        const eppCode = text(p, 'eppCode');
        // Without a code, a domain ordered as a registration would be registered instead of transferred.
        if (!eppCode && param(ctx, 'registrationType') !== 'transfer') return { notice: { message: 'Give the EPP (transfer) code from the current registrar to transfer this domain.', type: 'error' } };
        return { notice: noticeOf(await domains.registerNow(id, { adminId, eppCode: eppCode || null })) };
      },
    ),
    renewDomain: recordAction(
      {
        icon: 'RefreshCw',
        isVisible: managed,
        form: {
          title: 'Renew at the registrar',
          description: 'Renews the domain at its registrar now, without an invoice (already paid, or a goodwill renewal); the registrar charges the reseller account. To bill the client, let the renewal run invoice it instead.',
          fields: [{ name: 'years', label: 'Years', type: 'select', required: true, options: YEAR_CHOICES }],
          submitLabel: 'Renew now',
          valuesParam: 'renewValues',
        },
        formValues: (ctx) => ({ years: String(param(ctx, 'registrationPeriod') ?? '1') }),
      },
      async (id, adminId, p) => ({ notice: noticeOf(await domains.renewNow(id, yearsOf(p, 1), { adminId })) }),
    ),
    updateNameservers: recordAction(
      {
        icon: 'Server',
        isVisible: managed,
        form: {
          title: 'Nameservers',
          description: 'Sets the nameservers at the registrar; Meridian records them only when the registrar accepts them.',
          fields: [{ name: 'nameservers', label: 'Nameservers', type: 'textarea', required: true, help: 'One per line, two to five, e.g. ns1.example.net.' }],
          submitLabel: 'Save nameservers',
          valuesParam: 'nameserverValues',
        },
        formValues: (ctx) => ({ nameservers: currentNameservers(ctx).join('\n') }),
      },
      async (id, adminId, p) => plain(await domains.setNameservers(id, text(p, 'nameservers'), { adminId })),
    ),
    getEppCode: recordAction(
      {
        icon: 'Key',
        isVisible: managed,
        form: { title: 'EPP (transfer) code', description: 'Reads the code from the registrar and shows it here once. Give it only to the domain’s owner.', fields: [], submitLabel: 'Show EPP code' },
      },
      async (id, adminId) => {
        const out = await domains.getEppCode(id, { adminId });
        if (!out.ok) return plain(out);
        // Not in the notice: notices are copied into the audit log, which every staff role can read.
        return { notice: { message: `${out.message.replace(/\.$/, '')} is shown below, once.`, type: 'success' }, extra: { shownOnce: { label: 'EPP code', value: out.eppCode } } };
      },
    ),
    lockDomain: toggle(true, 'lock'),
    unlockDomain: toggle(false, 'lock'),
    enableIdProtection: toggle(true, 'privacy'),
    disableIdProtection: toggle(false, 'privacy'),
    syncDomain: recordAction(
      { icon: 'RotateCw', isVisible: (ctx) => SYNCED_STATUSES.includes(status(ctx)) },
      async (id) => plain(await domains.sync(id)),
    ),
    updateContact: recordAction(
      { icon: 'User', isVisible: managed, guard: 'Send the client’s current profile to the registrar as this domain’s registrant contact?' },
      async (id, adminId) => plain(await domains.updateContact(id, { adminId })),
    ),
    markRegistered: recordAction(
      {
        icon: 'CheckSquare',
        isVisible: (ctx) => ['pending', 'pending_transfer'].includes(status(ctx)),
        form: {
          title: 'Mark as registered',
          description: 'For a domain registered or transferred by hand at the registrar: it becomes active and is billed again from its expiry. Nothing is sent to the registrar.',
          fields: [{ name: 'expiryDate', label: 'Expiry date', type: 'date', help: 'Leave empty for today plus the registration period.' }],
          submitLabel: 'Mark registered',
        },
      },
      async (id, adminId, p) => plain(await domains.markRegistered(id, text(p, 'expiryDate') || null, { adminId })),
    ),
  };
}

/** AdminJS flattens the JSON list into nameservers.0, nameservers.1, … */
function currentNameservers(ctx: ActionContext): string[] {
  const params = (ctx.record?.params ?? {}) as Record<string, unknown>;
  if (Array.isArray(params.nameservers)) return params.nameservers.map(String);
  return Object.keys(params)
    .filter((k) => /^nameservers\.\d+$/.test(k))
    .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]))
    .map((k) => String(params[k]));
}
