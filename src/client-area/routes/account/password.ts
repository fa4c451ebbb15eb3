import express, { type Request, type Response } from 'express';
import { field, flash, render, requestContext, wrap } from '../../kit.js';
import { formErrors, passwordField, tooMany, type AccountKit } from './shared.js';

const SAME_ANSWER = 'If an account uses this address, we have sent it a link to choose a new password. The link works once, for one hour.';

/**
 * Forgotten password (the same answer whether or not the address has an account) and the pages behind the emailed
 * links that set a password: a reset, and a contact's invitation.
 */
export function passwordRoutes(kit: AccountKit): express.Router {
  const { deps, credentials } = kit;
  const router = express.Router();

  const forgotPage = (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) => render(deps, req, res, 'account/forgot', { title: 'Forgot your password?', ...extra }, status);

  router.get('/password/forgot', (req, res) => forgotPage(req, res, 200));

  router.post(
    '/password/forgot',
    wrap(async (req, res) => {
      const email = field(req.body, 'email').slice(0, 255);
      if (!email) return forgotPage(req, res, 422, { email, ...formErrors({ email: 'Enter your email address.' }) });
      const result = await credentials.requestPasswordReset(email, requestContext(req));
      if (!result.ok && result.error === 'throttled') return forgotPage(req, res, 429, { email, error: tooMany(res, 'retryAfterSeconds' in result ? result.retryAfterSeconds : undefined) });
      flash(req, 'success', SAME_ANSWER);
      res.redirect(303, '/password/forgot/sent');
    }),
  );

  router.get('/password/forgot/sent', (req, res) => render(deps, req, res, 'account/message', { title: 'Check your email', heading: 'Check your email', message: 'Did not get it? Check the spam folder, or ask again in a few minutes.', link: { href: '/login', text: 'Back to log in' } }));

  /** The two pages that set a password from a link: they differ only in their words and purpose. */
  const setPasswordPages = (path: string, purpose: 'reset_password' | 'contact_invite', words: { title: string; done: string }) => {
    const page = (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) =>
      render(deps, req, res, 'account/reset', { title: words.title, action: `${path}/${encodeURIComponent(req.params.token)}`, ...extra }, status);
    const dead = (req: Request, res: Response, status = 400, message = 'This link is invalid, has expired, or was already used.') =>
      render(deps, req, res, 'account/message', { title: words.title, heading: 'This link does not work', message, link: purpose === 'reset_password' ? { href: '/password/forgot', text: 'Ask for a new link' } : { href: '/login', text: 'Log in' } }, status);

    router.get(
      `${path}/:token`,
      wrap(async (req, res) => {
        // The token stays out of Referer headers of anything this page might load.
        res.set('Referrer-Policy', 'no-referrer');
        if (!(await credentials.tokenIsLive(req.params.token, purpose))) return dead(req, res);
        page(req, res, 200);
      }),
    );
    router.post(
      `${path}/:token`,
      wrap(async (req, res) => {
        res.set('Referrer-Policy', 'no-referrer');
        const result = await credentials.setPasswordWithToken(req.params.token, purpose, passwordField(req.body, 'password'), passwordField(req.body, 'passwordConfirm'), requestContext(req));
        if (result.ok) {
          // Whoever was signed in in this browser is not necessarily the person who owns the link.
          delete req.session.client;
          delete req.session.clientUser;
          flash(req, 'success', words.done);
          return res.redirect(303, '/login');
        }
        if (result.error === 'throttled') return dead(req, res, 429, tooMany(res, 'retryAfterSeconds' in result ? result.retryAfterSeconds : undefined));
        if ('fields' in result) return page(req, res, 422, formErrors(result.fields));
        return dead(req, res);
      }),
    );
  };

  setPasswordPages('/password/reset', 'reset_password', { title: 'Choose a new password', done: 'Your password has been changed, and every other session of your login ended. Log in with the new password.' });
  setPasswordPages('/account/invite', 'contact_invite', { title: 'Accept your invitation', done: 'Your password is set. Log in with your email address and the new password.' });

  return router;
}
