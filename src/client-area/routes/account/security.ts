import express, { type Request, type Response } from 'express';
import { clientOf, field, flash, render, requestContext, requireClient, wrap } from '../../kit.js';
import { accountTabs, formErrors, passwordField, tooMany, type AccountKit } from './shared.js';

/**
 * The login's own security, for the owner and for contacts alike: email address (with re-verification), password,
 * two-factor authentication. Every change asks for a proof (current password or code) and goes through AuthService.
 */
export function securityRoutes(kit: AccountKit): express.Router {
  const { deps, auth, accounts, credentials } = kit;
  const router = express.Router();
  router.use('/account/security', requireClient);

  const page = async (req: Request, res: Response, status = 200, extra: Record<string, unknown> = {}) => {
    const me = clientOf(req);
    const [login, pending] = await Promise.all([accounts.loginStatus(me.userId), auth.pendingEnrolment(me.userId)]);
    render(deps, req, res, 'account/security', { title: 'Login & security', tabs: accountTabs(req), login, enrolment: pending, ...extra }, status);
  };

  router.get('/account/security', wrap(async (req, res) => page(req, res)));

  router.post(
    '/account/security/password',
    wrap(async (req, res) => {
      const me = clientOf(req);
      const current = passwordField(req.body, 'currentPassword');
      const next = passwordField(req.body, 'newPassword');
      const confirm = passwordField(req.body, 'newPasswordConfirm');
      const errors: Record<string, string> = {};
      if (!current) errors.currentPassword = 'Enter your current password.';
      if (!next) errors.newPassword = 'Choose a new password.';
      else if (next !== confirm) errors.newPasswordConfirm = 'The two passwords differ.';
      if (Object.keys(errors).length) return page(req, res, 422, { passwordForm: formErrors(errors) });
      const result = await auth.changePassword(me.userId, current, next, { ...requestContext(req), keepSessionId: req.sessionID });
      if (result.ok) {
        // The session stays valid past the password change it made itself.
        req.session.client = { ...me, authenticatedAt: deps.clock.now().getTime() };
        flash(req, 'success', 'Your password has been changed. Your other sessions have been logged out.');
        return res.redirect(303, '/account/security');
      }
      if (result.error === 'throttled') return page(req, res, 429, { error: tooMany(res, result.retryAfterSeconds) });
      const fieldName = result.error === 'wrong_password' ? 'currentPassword' : 'newPassword';
      return page(req, res, 422, { passwordForm: formErrors({ [fieldName]: result.message }) });
    }),
  );

  router.post(
    '/account/email',
    requireClient,
    wrap(async (req, res) => {
      const me = clientOf(req);
      const newEmail = field(req.body, 'newEmail').slice(0, 300);
      const result = await credentials.requestEmailChange(me.userId, newEmail, passwordField(req.body, 'currentPassword'), requestContext(req));
      if (result.ok) {
        flash(req, 'success', `We sent a link to ${newEmail}. Your address changes when you follow it.`);
        return res.redirect(303, '/account/security');
      }
      if (result.error === 'throttled') return page(req, res, 429, { error: tooMany(res, 'retryAfterSeconds' in result ? result.retryAfterSeconds : undefined), newEmail });
      if ('fields' in result) return page(req, res, 422, { newEmail, emailForm: formErrors(result.fields) });
      return page(req, res, 422, { error: result.message, newEmail });
    }),
  );

  router.post(
    '/account/security/2fa/start',
    wrap(async (req, res) => {
      const result = await auth.startTwoFactorEnrolment(clientOf(req).userId);
      if (!result.ok) flash(req, 'info', result.message);
      res.redirect(303, '/account/security#two-factor');
    }),
  );

  router.post(
    '/account/security/2fa/confirm',
    wrap(async (req, res) => {
      const me = clientOf(req);
      const code = field(req.body, 'code').slice(0, 20);
      const result = await auth.confirmTwoFactorEnrolment(me.userId, code, requestContext(req));
      if (!result.ok) return page(req, res, 422, { twoFactorForm: formErrors({ code: result.message }) });
      render(deps, req, res, 'account/recovery-codes', { title: 'Recovery codes', codes: result.recoveryCodes });
    }),
  );

  router.post(
    '/account/security/2fa/disable',
    wrap(async (req, res) => {
      const me = clientOf(req);
      const password = passwordField(req.body, 'currentPassword');
      if (!password) return page(req, res, 422, { disableForm: formErrors({ currentPassword: 'Enter your current password.' }) });
      const result = await auth.disableTwoFactor(me.userId, { password }, requestContext(req));
      if (result.ok) {
        flash(req, 'success', 'Two-factor authentication is off.');
        return res.redirect(303, '/account/security');
      }
      if (result.error === 'throttled') return page(req, res, 429, { error: tooMany(res, result.retryAfterSeconds) });
      return page(req, res, 422, { disableForm: formErrors({ currentPassword: result.message }) });
    }),
  );

  return router;
}
