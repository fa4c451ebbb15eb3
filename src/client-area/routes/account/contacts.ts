import express, { type NextFunction, type Request, type Response } from 'express';
import { CONTACT_TYPES } from '../../../entities/clients/client-contact.entity.js';
import { CONTACT_EMAIL_FLAGS, type ContactEmailFlag, type ContactInput } from '../../../domain/clients/contacts.js';
import { CLIENT_PERMISSIONS, clientOf, field, flash, notFound, render, requestContext, requirePermission, wrap } from '../../kit.js';
import { accountTabs, fieldList, formErrors, type AccountKit } from './shared.js';

const EMAIL_LABELS: Record<ContactEmailFlag, string> = {
  generalEmails: 'General emails',
  invoiceEmails: 'Invoices and billing',
  productEmails: 'Services',
  domainEmails: 'Domains',
  supportEmails: 'Support tickets',
};

const PERMISSION_LABELS: Record<(typeof CLIENT_PERMISSIONS)[number], string> = {
  billing: 'Invoices and payments',
  services: 'Services',
  support: 'Support tickets',
  orders: 'Place orders',
  profile: 'Account details',
  domains: 'Domains',
};

/**
 * Only the account owner manages the people on the account: a contact allowed to do so could give itself every
 * permission. Contacts get 403 here, whatever their permissions.
 */
const ownerOnly = (req: Request, res: Response, next: NextFunction) =>
  requirePermission('profile')(req, res, (err?: unknown) => {
    if (err) return next(err);
    if (clientOf(req).contactId !== null) return next(Object.assign(new Error('Only the account owner can manage contacts.'), { statusCode: 403 }));
    next();
  });

function contactInput(body: unknown): ContactInput {
  return {
    firstName: field(body, 'firstName'),
    lastName: field(body, 'lastName'),
    companyName: field(body, 'companyName'),
    email: field(body, 'email'),
    phone: field(body, 'phone'),
    contactType: field(body, 'contactType') || 'general',
    emails: CONTACT_EMAIL_FLAGS.filter((f) => fieldList(body, 'emails').includes(f)),
    login: field(body, 'login') === 'on' || field(body, 'login') === '1',
    permissions: fieldList(body, 'permissions'),
  };
}

/** The contacts of the account: list, add, edit (with a login and its permissions), remove. */
export function contactRoutes(kit: AccountKit): express.Router {
  const { deps, contacts } = kit;
  const router = express.Router();
  router.use('/account/contacts', ownerOnly);

  const formPage = (req: Request, res: Response, status: number, values: ContactInput & { id?: number; hasLogin?: boolean; invitationPending?: boolean }, extra: Record<string, unknown> = {}) =>
    render(
      deps,
      req,
      res,
      'account/contact-form',
      {
        title: values.id ? 'Edit contact' : 'Add a contact',
        tabs: accountTabs(req),
        values,
        action: values.id ? `/account/contacts/${values.id}` : '/account/contacts',
        contactTypes: CONTACT_TYPES.map((t) => ({ value: t, selected: t === values.contactType })),
        emailOptions: CONTACT_EMAIL_FLAGS.map((f) => ({ value: f, label: EMAIL_LABELS[f], checked: values.emails.includes(f) })),
        permissionOptions: CLIENT_PERMISSIONS.map((p) => ({ value: p, label: PERMISSION_LABELS[p], checked: values.permissions.includes(p) })),
        ...extra,
      },
      status,
    );

  const idOf = (req: Request): number => {
    const id = Number(req.params.id);
    if (!/^\d{1,10}$/.test(req.params.id) || !Number.isSafeInteger(id)) throw notFound();
    return id;
  };

  router.get(
    '/account/contacts',
    wrap(async (req, res) => {
      const list = await contacts.list(clientOf(req).clientId);
      render(deps, req, res, 'account/contacts', { title: 'Contacts', tabs: accountTabs(req), contacts: list.map((c) => ({ ...c, permissionLabels: c.permissions.map((p) => PERMISSION_LABELS[p]).join(', ') })) });
    }),
  );

  router.get('/account/contacts/new', (req, res) =>
    formPage(req, res, 200, { firstName: '', lastName: '', companyName: '', email: '', phone: '', contactType: 'general', emails: ['generalEmails'], login: false, permissions: [] }),
  );

  router.post(
    '/account/contacts',
    wrap(async (req, res) => {
      const input = contactInput(req.body);
      const result = await contacts.save(clientOf(req).clientId, null, input, requestContext(req));
      if (result.ok) {
        flash(req, 'success', result.invited ? `Contact added. We emailed ${input.email} a link to choose a password.` : 'Contact added.');
        return res.redirect(303, '/account/contacts');
      }
      if ('fields' in result) return formPage(req, res, 422, input, formErrors(result.fields));
      return formPage(req, res, 422, input, { error: result.message });
    }),
  );

  router.get(
    '/account/contacts/:id',
    wrap(async (req, res) => {
      const c = await contacts.get(clientOf(req).clientId, idOf(req));
      if (!c) throw notFound();
      formPage(req, res, 200, { ...c, companyName: c.companyName ?? '', phone: c.phone ?? '', login: c.hasLogin });
    }),
  );

  router.post(
    '/account/contacts/:id',
    wrap(async (req, res) => {
      const id = idOf(req);
      const me = clientOf(req);
      const existing = await contacts.get(me.clientId, id);
      if (!existing) throw notFound();
      const input = contactInput(req.body);
      const result = await contacts.save(me.clientId, id, input, requestContext(req));
      if (result.ok) {
        flash(req, 'success', result.invited ? `Contact saved. We emailed ${input.email} a link to choose a password.` : 'Contact saved.');
        return res.redirect(303, '/account/contacts');
      }
      const values = { ...input, id, hasLogin: existing.hasLogin, invitationPending: existing.invitationPending };
      if ('fields' in result) return formPage(req, res, 422, values, formErrors(result.fields));
      if (result.error === 'not_found') throw notFound();
      return formPage(req, res, 422, values, { error: result.message });
    }),
  );

  router.post(
    '/account/contacts/:id/invite',
    wrap(async (req, res) => {
      const result = await contacts.resendInvite(clientOf(req).clientId, idOf(req));
      if (!result.ok && result.error === 'not_found') throw notFound();
      flash(req, result.ok ? 'success' : 'info', result.ok ? 'We sent a new invitation link.' : result.message);
      res.redirect(303, '/account/contacts');
    }),
  );

  router.post(
    '/account/contacts/:id/delete',
    wrap(async (req, res) => {
      const result = await contacts.remove(clientOf(req).clientId, idOf(req));
      if (!result.ok) throw notFound();
      flash(req, 'success', 'Contact removed.');
      res.redirect(303, '/account/contacts');
    }),
  );

  return router;
}
