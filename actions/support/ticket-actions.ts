import type { ActionContext, ActionRequest } from 'adminjs';
import type { AdminServices } from '../index.js';
import { Components } from '../../src/admin/components.js';
import { fail } from '../../src/domain/shared/outcome.js';
import { STATUS_LABELS } from '../../src/domain/support/desk.js';
import { predefinedChoices } from '../../src/domain/support/desk-predefined.js';
import { TICKET_PRIORITIES } from '../../src/entities/support/support-ticket.entity.js';
import { actingStaff, isFormDisplay, respond } from '../support.js';
import { ticketBulkActions } from './ticket-bulk-actions.js';

const text = (p: unknown, k: string) => {
  const v = (p as Record<string, unknown> | undefined)?.[k];
  return typeof v === 'string' ? v.trim() : '';
};
const positiveId = (s: string) => (/^[1-9]\d{0,9}$/.test(s) ? Number(s) : null);
const STATUS_OPTIONS = Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label }));
const open = ({ record }: ActionContext) => record?.params?.status !== 'closed';

/** The record's JSON with extra params (choices for selects, the thread) as JSON strings, for the form or page. */
function withParams(ctx: ActionContext, extra: Record<string, unknown>) {
  const json = ctx.record!.toJSON(ctx.currentAdmin);
  return { record: { ...json, params: { ...json.params, ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, JSON.stringify(v)])) } } };
}

/** Staff actions on a support ticket: thread, reply, note, status, department / priority, assign, merge. */
export function ticketActions(services: AdminServices) {
  const { ds, desk } = services;
  const id = (ctx: ActionContext) => Number(ctx.record!.id());
  return {
    thread: {
      actionType: 'record',
      icon: 'MessageSquare',
      component: Components.TicketThread,
      showInDrawer: false,
      handler: async (_request: ActionRequest, _res: unknown, ctx: ActionContext) => withParams(ctx, { thread: await desk.thread(id(ctx)), predefinedChoices: await predefinedChoices(ds) }),
    },
    reply: {
      actionType: 'record',
      icon: 'CornerDownRight',
      component: Components.ActionForm,
      custom: {
        title: 'Reply to the customer',
        description: 'The customer and the ticket’s CC contacts are emailed; the ticket becomes Answered. A predefined reply goes before your text, with its placeholders filled in.',
        fields: [
          { name: 'predefinedReplyId', label: 'Predefined reply', type: 'select', optionsParam: 'predefinedChoices' },
          { name: 'message', label: 'Message', type: 'textarea' },
        ],
        submitLabel: 'Send reply',
      },
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (isFormDisplay(request.method)) return withParams(ctx, { predefinedChoices: [{ value: '', label: '— none —' }, ...(await predefinedChoices(ds))] });
        const p = request.payload;
        const canned = text(p, 'predefinedReplyId');
        const predefinedReplyId = canned ? positiveId(canned) : null;
        if (canned && !predefinedReplyId) return respond(ctx, fail('invalid_predefined_reply', 'Choose a predefined reply from the list.'), '');
        const out = await desk.reply({ ticketId: id(ctx), staff: actingStaff(ctx.currentAdmin), message: text(p, 'message'), predefinedReplyId });
        const mailNote = out.ok && out.mail.failures.length ? ` The email to the customer was not sent: ${out.mail.failures.join('; ')}` : '';
        return respond(ctx, out, `Reply added; the ticket is Answered.${mailNote}`);
      },
    },
    addNote: {
      actionType: 'record',
      icon: 'Lock',
      component: Components.ActionForm,
      custom: { title: 'Add an internal note', description: 'Staff only: never shown to the customer nor emailed to them.', fields: [{ name: 'message', label: 'Note', type: 'textarea', required: true }], submitLabel: 'Add note' },
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (isFormDisplay(request.method)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
        const out = await desk.addNote({ ticketId: id(ctx), staff: actingStaff(ctx.currentAdmin), message: text(request.payload, 'message') });
        return respond(ctx, out, 'Note added (staff only).');
      },
    },
    changeStatus: {
      actionType: 'record',
      icon: 'Flag',
      component: Components.ActionForm,
      custom: { title: 'Change status', fields: [{ name: 'status', label: 'Status', type: 'select', options: STATUS_OPTIONS, required: true }], submitLabel: 'Change status' },
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (isFormDisplay(request.method)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
        const out = await desk.changeStatus(id(ctx), text(request.payload, 'status'));
        return respond(ctx, out, out.ok ? `Status is now ${STATUS_LABELS[out.status]}.` : '');
      },
    },
    changeDepartment: {
      actionType: 'record',
      icon: 'Shuffle',
      component: Components.ActionForm,
      custom: {
        title: 'Change department or priority',
        description: 'An assignee who does not work the new department is unassigned.',
        fields: [
          { name: 'departmentId', label: 'Department', type: 'select', optionsParam: 'departmentChoices' },
          { name: 'priority', label: 'Priority', type: 'select', options: [{ value: '', label: '— keep —' }, ...TICKET_PRIORITIES.map((v) => ({ value: v, label: v }))] },
        ],
        submitLabel: 'Save',
      },
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (isFormDisplay(request.method)) {
          const rows = (await ds.getRepository('TicketDepartment').find({ order: { sortOrder: 'ASC', name: 'ASC' } })) as Array<{ id: number; name: string }>;
          return withParams(ctx, { departmentChoices: [{ value: '', label: '— keep —' }, ...rows.map((d) => ({ value: String(d.id), label: d.name }))] });
        }
        const dept = text(request.payload, 'departmentId');
        const departmentId = dept ? positiveId(dept) : undefined;
        if (departmentId === null) return respond(ctx, fail('invalid_department', 'Choose a department from the list.'), '');
        const priority = text(request.payload, 'priority') || undefined;
        if (departmentId === undefined && priority === undefined) return respond(ctx, fail('nothing_to_change', 'Choose a department or a priority to change.'), '');
        const out = await desk.update(id(ctx), { departmentId, priority });
        return respond(ctx, out, out.ok && out.unassigned ? 'Saved; the assignee does not work that department and was unassigned.' : 'Saved.');
      },
    },
    assign: {
      actionType: 'record',
      icon: 'UserCheck',
      component: Components.ActionForm,
      custom: { title: 'Assign to a staff member', description: 'Only staff of the ticket’s department are listed (everyone, when the department has no staff of its own).', fields: [{ name: 'staffId', label: 'Staff member', type: 'select', optionsParam: 'staffChoices' }], submitLabel: 'Assign' },
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (isFormDisplay(request.method)) {
          const staff = await desk.eligibleStaff(Number(ctx.record!.params.departmentId));
          return withParams(ctx, { staffChoices: [{ value: '', label: '— unassigned —' }, ...staff.map((s) => ({ value: String(s.id), label: `${s.name} <${s.email}>` }))] });
        }
        const raw = text(request.payload, 'staffId');
        const staffId = raw ? positiveId(raw) : null;
        if (raw && !staffId) return respond(ctx, fail('not_eligible', 'Choose a staff member from the list.'), '');
        const out = await desk.assign(id(ctx), staffId);
        return respond(ctx, out, out.ok ? (out.assignedTo ? `Assigned to ${out.assignedTo}.` : 'Unassigned.') : '');
      },
    },
    mergeInto: {
      actionType: 'record',
      icon: 'GitMerge',
      component: Components.ActionForm,
      isVisible: open,
      custom: {
        title: 'Merge into another ticket',
        description: 'This ticket’s messages and files move to the other ticket of the same customer, and this one is closed with a pointer to it.',
        fields: [{ name: 'intoNumber', label: 'Ticket number to keep', required: true, help: 'e.g. TKT-123456' }],
        submitLabel: 'Merge',
      },
      handler: async (request: ActionRequest, _res: unknown, ctx: ActionContext) => {
        if (isFormDisplay(request.method)) return { record: ctx.record!.toJSON(ctx.currentAdmin) };
        const out = await desk.merge(id(ctx), text(request.payload, 'intoNumber'), actingStaff(ctx.currentAdmin));
        return respond(ctx, out, out.ok ? `Merged into ${out.intoNumber}: ${out.moved.replies} message(s) and ${out.moved.attachments} file(s) moved; this ticket is closed.` : '');
      },
    },
    ...ticketBulkActions(services),
  };
}
