import express, { type Request, type Response } from 'express';
import { clientOf, flash, notFound, render, requestContext, requirePermission, wrap } from '../../kit.js';
import { PROFILE_FIELDS, type ProfileInput } from '../../../domain/clients/validation.js';
import { CustomFields, formFields, inputName, postedFields } from '../../../domain/clients/custom-fields.js';
import { accountTabs, countryOptions, formErrors, profileInput, tooMany, type AccountKit } from './shared.js';

/** The account's details (name, company, address, phone, tax id, country) and confirming a new email address. */
export function profileRoutes(kit: AccountKit): express.Router {
  const { deps, accounts, credentials } = kit;
  const router = express.Router();

  const fields = new CustomFields(deps.ds);
  /** The client's custom fields as the form shows them: posted values (with their errors) or the stored ones. */
  const customFieldsOf = async (clientId: number, posted?: Record<string, unknown>, errors: Record<string, string> = {}) => {
    const owner = { kind: 'client' as const, clientId };
    const defs = await fields.definitions(owner, { staff: false });
    if (posted) return formFields(defs, postedFields(posted), errors);
    const stored = await fields.values(owner, defs);
    return formFields(defs, Object.fromEntries(defs.map((d) => [inputName(d), stored[d.id]])), errors);
  };
  const page = async (req: Request, res: Response, status: number, values: ProfileInput, extra: Record<string, unknown> = {}, posted?: Record<string, unknown>, fieldErrors: Record<string, string> = {}) =>
    render(
      deps, req, res, 'account/profile',
      { title: 'Your details', tabs: accountTabs(req), values, countries: countryOptions(values.country), customFields: await customFieldsOf(clientOf(req).clientId, posted, fieldErrors), ...extra },
      status,
    );

  router.get(
    '/account',
    // The layout's "Account" link leads every login somewhere it may go: a contact without 'profile' to its own security page.
    (req, res, next) => {
      const c = req.session.client;
      if (c && c.contactId !== null && !c.permissions.includes('profile')) return res.redirect(303, '/account/security');
      next();
    },
    requirePermission('profile'),
    wrap(async (req, res) => {
      const client = await accounts.profile(clientOf(req).clientId);
      if (!client) throw notFound();
      const values = Object.fromEntries(PROFILE_FIELDS.map((k) => [k, client[k] ?? ''])) as unknown as ProfileInput;
      const login = await accounts.loginStatus(clientOf(req).userId);
      await page(req, res, 200, values, { accountEmail: client.email, login });
    }),
  );

  router.post(
    '/account',
    requirePermission('profile'),
    wrap(async (req, res) => {
      const me = clientOf(req);
      const input = profileInput(req.body);
      // The custom fields are checked first: a wrong one saves nothing of the form.
      const owner = { kind: 'client' as const, clientId: me.clientId };
      const defs = await fields.definitions(owner, { staff: false });
      const body = (req.body ?? {}) as Record<string, unknown>;
      const checked = fields.check(defs, body);
      if (Object.keys(checked.errors).length) {
        const login = await accounts.loginStatus(me.userId);
        return page(req, res, 422, input, { login, errorSummary: 'Please correct the fields marked below.', errors: {} }, body, checked.errors);
      }
      const result = await accounts.updateProfile(me.clientId, input, { ...requestContext(req), userId: me.userId, email: me.email });
      if (result.ok) {
        await fields.save(owner, defs, body);
        if (me.contactId === null) req.session.client = { ...me, name: input.companyName || `${input.firstName} ${input.lastName}` };
        flash(req, 'success', 'Your details have been saved.');
        return res.redirect(303, '/account');
      }
      const login = await accounts.loginStatus(me.userId);
      if ('fields' in result) return page(req, res, 422, input, { login, ...formErrors(result.fields) }, body);
      throw notFound();
    }),
  );

  // Followed from the email sent to the new address; no login needed (it may be opened on another device).
  router.get(
    '/account/email/confirm/:token',
    wrap(async (req, res) => {
      res.set('Referrer-Policy', 'no-referrer');
      const result = await credentials.confirmEmailChange(req.params.token, requestContext(req));
      if (result.ok) {
        const me = req.session.client;
        if (me && me.userId === result.userId) req.session.client = { ...me, email: result.email };
        flash(req, 'success', `Your email address is now ${result.email}.`);
        return res.redirect(303, me ? '/account/security' : '/login');
      }
      const status = result.error === 'throttled' ? 429 : 400;
      const message = result.error === 'throttled' ? tooMany(res, 'retryAfterSeconds' in result ? result.retryAfterSeconds : undefined) : result.message;
      render(deps, req, res, 'account/message', { title: 'Email change', heading: 'This link does not work', message, link: { href: '/account/security', text: 'Back to your security settings' } }, status);
    }),
  );

  return router;
}
