import express, { type Request, type Response } from 'express';
import { clientOf, field, flash, render, requestContext, requireClient, wrap } from '../../kit.js';
import { countryOptions, formErrors, passwordField, profileInput, tooMany, type AccountKit } from './shared.js';

/** Creating an account, and the email verification link (which works whether or not its owner is logged in). */
export function registerRoutes(kit: AccountKit): express.Router {
  const { deps, accounts } = kit;
  const router = express.Router();

  const page = (req: Request, res: Response, status: number, values: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    render(deps, req, res, 'account/register', { title: 'Create an account', values, countries: countryOptions(values.country as string), ...extra }, status);

  router.get('/register', (req, res) => {
    if (req.session.client) return res.redirect(303, '/');
    page(req, res, 200, { country: '' });
  });

  router.post(
    '/register',
    wrap(async (req, res) => {
      const input = { ...profileInput(req.body), email: field(req.body, 'email'), password: passwordField(req.body, 'password'), passwordConfirm: passwordField(req.body, 'passwordConfirm') };
      const values = { ...input, password: '', passwordConfirm: '' };
      const result = await accounts.register(input, requestContext(req));
      if (result.ok) {
        flash(req, 'success', `Your account is ready. We sent a link to ${input.email}: follow it to verify your address, then log in.`);
        return res.redirect(303, '/login');
      }
      if (result.error === 'throttled') return page(req, res, 429, values, { error: tooMany(res, 'retryAfterSeconds' in result ? result.retryAfterSeconds : undefined) });
      if ('fields' in result) return page(req, res, 422, values, formErrors(result.fields));
      return page(req, res, 422, values, { error: result.message });
    }),
  );

  router.get(
    '/verify-email/:token',
    wrap(async (req, res) => {
      const result = await accounts.verifyEmail(req.params.token, requestContext(req));
      if (result.ok) {
        flash(req, 'success', 'Thank you: your email address is verified.');
        return res.redirect(303, req.session.client ? '/account' : '/login');
      }
      const status = result.error === 'throttled' ? 429 : 400;
      const message = result.error === 'throttled' ? tooMany(res, 'retryAfterSeconds' in result ? result.retryAfterSeconds : undefined) : result.message;
      render(deps, req, res, 'account/message', { title: 'Email verification', heading: 'This link does not work', message, link: req.session.client ? { href: '/account', text: 'Send a new link from your account page' } : { href: '/login', text: 'Log in' } }, status);
    }),
  );

  router.post(
    '/verify-email/resend',
    requireClient,
    wrap(async (req, res) => {
      const result = await accounts.resendVerification(clientOf(req).userId);
      if (result.ok) flash(req, 'success', 'We sent you a new verification link.');
      else flash(req, result.error === 'throttled' ? 'error' : 'info', result.error === 'throttled' ? 'Too many verification emails: please try again later.' : result.message);
      res.redirect(303, '/account/security');
    }),
  );

  return router;
}
