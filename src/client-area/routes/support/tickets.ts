import { createReadStream } from 'node:fs';
import express, { type Request, type Response } from 'express';
import { clientOf, field, flash, notFound, pagination, render, requestContext, requirePermission, wrap, type ClientAreaDeps } from '../../kit.js';
import { ALLOWED_EXTENSIONS, ATTACHMENT_LIMITS, AttachmentStore, SERVABLE_CONTENT_TYPES } from '../../../domain/support/attachments.js';
import { CLIENT_PRIORITIES, ClientTickets, MESSAGE_MAX, SUBJECT_MAX, type NewTicketInput, type TicketAuthor } from '../../../domain/support/tickets.js';
import { sendTicketOpened } from '../../../domain/support/notices.js';
import { notifyDepartmentStaff } from '../../../domain/support/desk-notify.js';
import { FILE_FIELD, readMessageForm } from './uploads.js';

const FILTERS = ['all', 'open', 'closed'] as const;
const PER_PAGE = 20;

/** What the forms say about attachments, and the file picker's hint (the server checks regardless). */
const UPLOAD_HINT = {
  field: FILE_FIELD,
  maxFiles: ATTACHMENT_LIMITS.maxFiles,
  maxMb: ATTACHMENT_LIMITS.maxFileBytes / 1024 / 1024,
  extensions: ALLOWED_EXTENSIONS.join(', '),
  accept: [...ALLOWED_EXTENSIONS, 'jpeg'].map((e) => `.${e}`).join(','),
};

const idParam = (s: string | undefined): number | null => (s && /^[1-9]\d{0,9}$/.test(s) ? Number(s) : null);

function authorOf(req: Request): TicketAuthor {
  const c = clientOf(req);
  return { userId: c.userId, name: c.name, email: c.email, ipAddress: requestContext(req).ip };
}

/** The customer's tickets: list, open (with files), read, reply, close, download an attachment. */
export function ticketRoutes(deps: ClientAreaDeps): express.Router {
  const router = express.Router();
  const tickets = new ClientTickets({ ds: deps.ds, clock: deps.clock, store: new AttachmentStore(deps.config.STORAGE_DIR), timeZone: deps.config.APP_TIMEZONE });
  const allowed = requirePermission('support');

  router.get(
    '/tickets',
    allowed,
    wrap(async (req, res) => {
      const filter = FILTERS.find((f) => f === req.query.status) ?? 'all';
      let pages = pagination(req, 0, PER_PAGE).view;
      const rows = await tickets.list(clientOf(req).clientId, filter, (total) => {
        const p = pagination(req, total, PER_PAGE);
        pages = p.view;
        return p;
      });
      render(deps, req, res, 'tickets/index', { title: 'Support tickets', rows, filter, pages });
    }),
  );

  async function renderNew(req: Request, res: Response, values: NewTicketInput, errors: Record<string, string>, status = 200) {
    const [departments, services] = await Promise.all([tickets.departments(), tickets.services(clientOf(req).clientId)]);
    render(deps, req, res, 'tickets/new', { title: 'Open a ticket', departments, services, priorities: CLIENT_PRIORITIES, values, errors, upload: UPLOAD_HINT, limits: { subject: SUBJECT_MAX, message: MESSAGE_MAX } }, status);
  }

  router.get(
    '/tickets/new',
    allowed,
    wrap(async (req, res) => {
      const pre = (name: string) => (typeof req.query[name] === 'string' ? String(req.query[name]) : '');
      await renderNew(req, res, { departmentId: pre('department'), serviceId: pre('service'), priority: 'medium', subject: '', message: '' }, {});
    }),
  );

  router.post(
    '/tickets/new',
    allowed,
    wrap(async (req, res) => {
      const form = await readMessageForm(req, res);
      const input: NewTicketInput = {
        departmentId: field(form.fields, 'departmentId'),
        priority: field(form.fields, 'priority'),
        subject: field(form.fields, 'subject'),
        message: field(form.fields, 'message'),
        serviceId: field(form.fields, 'serviceId'),
      };
      const c = clientOf(req);
      const out = await tickets.open(c.clientId, authorOf(req), input, form.files);
      if (!out.ok) {
        if ('errors' in out) return renderNew(req, res, input, out.errors, 422);
        throw Object.assign(new Error(out.message), { statusCode: 422 });
      }
      try {
        const mail = await sendTicketOpened(deps.ds, deps.services.email, { clientId: c.clientId, ticketId: out.ticketId, ticketNumber: out.ticketNumber, subject: out.subject, department: out.department, to: c.email, appUrl: deps.config.APP_URL });
        if (!mail.ok) deps.logger.warn({ ticketId: out.ticketId, reason: mail.message }, 'ticket acknowledgement not sent');
      } catch (err) {
        deps.logger.warn({ err, ticketId: out.ticketId }, 'ticket acknowledgement failed');
      }
      await tellStaff(out.ticketId, 'new');
      flash(req, 'success', `Ticket ${out.ticketNumber} has been opened. We will answer here and by email.`);
      res.redirect(303, `/tickets/${out.ticketId}`);
    }),
  );

  /** The department's staff hear of the customer's message; mail trouble is logged, the message is saved anyway. */
  async function tellStaff(ticketId: number, kind: 'new' | 'reply') {
    try {
      const sent = await notifyDepartmentStaff(deps.ds, deps.services.email, deps.config.APP_URL, ticketId, kind);
      if (sent.failures.length) deps.logger.warn({ ticketId, failures: sent.failures }, 'staff ticket notification not sent');
    } catch (err) {
      deps.logger.warn({ err, ticketId }, 'staff ticket notification failed');
    }
  }

  async function renderThread(req: Request, res: Response, ticketId: number, values: { message: string }, errors: Record<string, string>, status = 200) {
    const ticket = await tickets.thread(clientOf(req).clientId, ticketId);
    if (!ticket) throw notFound();
    render(deps, req, res, 'tickets/show', { title: `${ticket.number} · ${ticket.subject}`, ticket, values, errors, upload: UPLOAD_HINT, limits: { message: MESSAGE_MAX } }, status);
  }

  router.get(
    '/tickets/:id',
    allowed,
    wrap(async (req, res) => {
      const id = idParam(req.params.id);
      if (!id) throw notFound();
      await renderThread(req, res, id, { message: '' }, {});
    }),
  );

  router.post(
    '/tickets/:id/reply',
    allowed,
    wrap(async (req, res) => {
      const id = idParam(req.params.id);
      if (!id) throw notFound();
      const form = await readMessageForm(req, res);
      const message = field(form.fields, 'message');
      const out = await tickets.reply(clientOf(req).clientId, id, authorOf(req), message, form.files);
      if (!out.ok) {
        if ('errors' in out) return renderThread(req, res, id, { message }, out.errors, 422);
        throw notFound();
      }
      await tellStaff(id, 'reply');
      flash(req, 'success', out.reopened ? 'Your reply has been added and the ticket is open again.' : 'Your reply has been added.');
      res.redirect(303, `/tickets/${id}`);
    }),
  );

  router.post(
    '/tickets/:id/close',
    allowed,
    wrap(async (req, res) => {
      const id = idParam(req.params.id);
      if (!id) throw notFound();
      const out = await tickets.close(clientOf(req).clientId, id);
      if (!out.ok) throw notFound();
      flash(req, 'success', out.alreadyClosed ? 'The ticket was already closed.' : 'The ticket has been closed. Reply to it any time to open it again.');
      res.redirect(303, `/tickets/${id}`);
    }),
  );

  router.get(
    '/tickets/:id/attachments/:attachmentId',
    allowed,
    wrap(async (req, res, next) => {
      const id = idParam(req.params.id);
      const attachmentId = idParam(req.params.attachmentId);
      const file = id && attachmentId ? await tickets.attachment(clientOf(req).clientId, id, attachmentId) : null;
      if (!file) throw notFound();
      // Always a download, with a type from the allow-list that the browser may not second-guess: an uploaded file
      // can never run as a page of this site.
      res.attachment(file.fileName);
      const type = SERVABLE_CONTENT_TYPES.has(file.contentType) ? file.contentType : 'application/octet-stream';
      res.set({
        'Content-Type': type === 'text/plain' ? 'text/plain; charset=utf-8' : type,
        'Content-Length': String(file.size),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cache-Control': 'private, no-store',
      });
      createReadStream(file.path)
        .on('error', (err) => (res.headersSent ? res.destroy(err) : next(err)))
        .pipe(res);
    }),
  );

  return router;
}
