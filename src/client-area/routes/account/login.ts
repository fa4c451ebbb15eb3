import express, { type Request, type Response } from 'express';
import { identityOf } from '../../../domain/clients/sessions.js';
import { field, flash, render, requestContext, wrap, type ClientSession, type Flash } from '../../kit.js';
import { destroySession, regenerateKeepingVisit, safeNext, saveSession, signIn, tooMany, type AccountKit } from './shared.js';

/** How long a password-accepted login may wait for its two-factor code. */
const PENDING_2FA_MS = 5 * 60_000;

/**
 * Log in (password, then the TOTP code when the customer turned it on) and log out. AuthService decides and
 * counts failures in the database (the same lockout and IP throttle as staff logins); this file maps its answers
 * to pages and keeps the session honest: a new session id at every change of who is signed in.
 */
export function loginRoutes(kit: AccountKit): express.Router {
  const { deps, auth } = kit;
  const router = express.Router();

  const loginPage = (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) =>
    render(deps, req, res, 'account/login', { title: 'Log in', next: safeNext(req.body?.next ?? req.query.next), ...extra }, status);

  /** The session of an identity AuthService accepted; null when the login acts for no open account. */
  const sessionOf = async (userId: number): Promise<{ who: ClientSession; verified: boolean } | null> => {
    const id = await identityOf(deps.ds, userId);
    if (!id) return null;
    const { emailVerified, ...rest } = id;
    return { who: { ...rest, authenticatedAt: deps.clock.now().getTime() }, verified: emailVerified };
  };

  const finish = async (req: Request, res: Response, userId: number, next: string, notes: Flash[] = []) => {
    const s = await sessionOf(userId);
    if (!s) return loginPage(req, res, 403, { error: 'This account is closed or disabled. Please contact us.' });
    // The layout has no banner slot: an unverified address is pointed out once, at login.
    if (!s.verified) notes.push({ type: 'info', message: 'Please verify your email address: follow the link we sent you, or ask for a new one on your account page.' });
    await signIn(req, s.who, notes);
    res.redirect(303, next);
  };

  router.get('/login', (req, res) => {
    if (req.session.client) return res.redirect(303, safeNext(req.query.next));
    loginPage(req, res, 200);
  });

  router.post(
    '/login',
    wrap(async (req, res) => {
      const email = field(req.body, 'email');
      const password = typeof req.body?.password === 'string' ? (req.body.password as string) : '';
      if (!email || !password || email.length > 255 || password.length > 1024) {
        return loginPage(req, res, 422, { error: 'Enter your email address and password.', email: email.slice(0, 255), errors: { email: email ? undefined : 'Enter your email address.', password: password ? undefined : 'Enter your password.' } });
      }
      const ctx = requestContext(req);
      const result = await auth.authenticate(email, password, ctx.ip, ctx.userAgent);
      const next = safeNext(req.body?.next);
      switch (result.code) {
        case 'ok':
          return finish(req, res, result.user!.id, next);
        case 'needs_second_factor':
          await regenerateKeepingVisit(req);
          req.session.clientPending2fa = { userId: result.user!.id, at: deps.clock.now().getTime(), next };
          await saveSession(req);
          return res.redirect(303, '/login/2fa');
        case 'locked':
        case 'throttled':
          return loginPage(req, res, 429, { error: tooMany(res, result.retryAfterSeconds), email });
        case 'inactive':
          return loginPage(req, res, 403, { error: 'This account is disabled. Please contact us.', email });
        default:
          return loginPage(req, res, 401, { error: 'The email address or password is incorrect.', email });
      }
    }),
  );

  const pendingOf = (req: Request) => {
    const p = req.session.clientPending2fa;
    if (!p) return null;
    if (p.at + PENDING_2FA_MS <= deps.clock.now().getTime()) {
      delete req.session.clientPending2fa;
      return null;
    }
    return p;
  };

  router.get('/login/2fa', (req, res) => {
    if (!pendingOf(req)) return res.redirect(303, '/login');
    render(deps, req, res, 'account/login-2fa', { title: 'Two-factor authentication' });
  });

  router.post(
    '/login/2fa',
    wrap(async (req, res) => {
      const pending = pendingOf(req);
      if (!pending) {
        flash(req, 'error', 'Your login took too long. Please log in again.');
        return res.redirect(303, '/login');
      }
      const code = field(req.body, 'code');
      const page = (status: number, error: string) => render(deps, req, res, 'account/login-2fa', { title: 'Two-factor authentication', errors: { code: error } }, status);
      if (!code || code.length > 64) return page(422, 'Enter the code from your authenticator app or a recovery code.');
      const result = await auth.verifySecondFactor(pending.userId, code, requestContext(req));
      switch (result.code) {
        case 'ok': {
          const notes: Flash[] = result.method === 'recovery_code' ? [{ type: 'info', message: `You used a recovery code; ${result.recoveryCodesLeft} left.` }] : [];
          return finish(req, res, pending.userId, safeNext(pending.next), notes);
        }
        case 'locked':
        case 'throttled':
          return page(429, tooMany(res, result.retryAfterSeconds));
        case 'inactive':
          delete req.session.clientPending2fa;
          return loginPage(req, res, 403, { error: 'This account is disabled. Please contact us.' });
        default:
          return page(401, 'That code is not correct.');
      }
    }),
  );

  router.post(
    '/logout',
    wrap(async (req, res) => {
      const c = req.session.client;
      if (c) await auth.logout({ id: c.userId, email: c.email }, requestContext(req));
      await destroySession(req);
      res.clearCookie('meridian.client');
      res.redirect(303, '/login');
    }),
  );

  return router;
}
