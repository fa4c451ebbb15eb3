import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import Handlebars from 'handlebars';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import type { Logger } from '../logger.js';
import { AuthService, type AuthOptions, type RequestContext, type SessionTerminator, type StaffIdentity } from '../domain/access/auth-service.js';

/**
 * Staff login, two-factor step, logout and the "My account → Security" page of the back office, as server-rendered
 * forms mounted at /admin before AdminJS. Everything that decides is in AuthService; this file maps its results to
 * pages and status codes, keeps the session honest (regenerated at every privilege change, CSRF token per session),
 * and ends sessions whose user was deactivated or changed password elsewhere.
 */

declare module 'express-session' {
  interface SessionData {
    /** The signed-in staff member, as AdminJS reads it (currentAdmin). */
    adminUser?: { id: number; email: string; title: string };
    /** When this session was authenticated (ms since epoch): sessions older than a password change end. */
    adminAuthenticatedAt?: number;
    /** Synchronizer CSRF token for every form of this session. */
    csrfToken?: string;
    /** Password accepted, two-factor code still due. Holds no privileges. */
    pendingSecondFactor?: { userId: number; next: string; expiresAt: number };
    /** One message for the next page (post/redirect/get). */
    flash?: { type: 'success' | 'error'; message: string };
  }
}

/** Overrides of the login rules and clock (tests, unusual deployments). */
export interface StaffAuthSettings extends Partial<AuthOptions> {
  now?: () => Date;
}

export interface StaffAuthDeps {
  ds: DataSource;
  config: AppConfig;
  logger: Logger;
  sessionStore: SessionTerminator;
  /** The application's AuthService, shared with the admin's user actions. */
  auth: AuthService;
  now?: () => Date;
  /** Where login.hbs and friends are; found automatically (templates/admin) otherwise. */
  templatesDir?: string;
}

const ROOT = '/admin';
const SESSION_COOKIE = 'meridian.sid';
/** How long a password-accepted login may wait for its two-factor code. */
const PENDING_SECOND_FACTOR_MS = 5 * 60_000;

const EVENT_LABELS: Record<string, string> = {
  login: 'Logged in',
  login_failed: 'Failed login',
  lockout: 'Account locked',
  logout: 'Logged out',
  unlock: 'Lock lifted',
  password_changed: 'Password changed',
  password_change_failed: 'Password change refused',
  '2fa_enabled': 'Two-factor turned on',
  '2fa_disabled': 'Two-factor turned off',
  '2fa_disable_failed': 'Two-factor change refused',
  '2fa_reset': 'Two-factor reset by an administrator',
  recovery_code_used: 'Recovery code used',
  recovery_codes_regenerated: 'New recovery codes',
  update: 'Account edited',
};

/** A redirect target after login: only a relative path inside the back office, never elsewhere. */
export function safeNext(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length > 2000) return ROOT;
  if (!/^\/admin(?:[/?#]|$)/.test(raw)) return ROOT;
  if (/[\\\s\u0000-\u001f\u007f]/.test(raw) || raw.includes('//')) return ROOT;
  if (/^\/admin\/(?:login|logout)(?:[/?#]|$)/.test(raw)) return ROOT;
  try {
    const base = 'http://meridian.invalid';
    const url = new URL(raw, base);
    if (url.origin !== base || !/^\/admin(?:\/|$)/.test(url.pathname)) return ROOT;
  } catch {
    return ROOT;
  }
  return raw;
}

function findTemplatesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'templates', 'admin');
    if (existsSync(join(candidate, 'login.hbs'))) return candidate;
    dir = resolve(dir, '..');
  }
  throw new Error('templates/admin/login.hbs not found: staff login pages cannot be rendered');
}

type View = 'layout' | 'login' | 'login-2fa' | 'account' | 'message';

function loadViews(dir: string): Record<View, Handlebars.TemplateDelegate> {
  const hbs = Handlebars.create();
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  const views = {} as Record<View, Handlebars.TemplateDelegate>;
  for (const name of ['layout', 'login', 'login-2fa', 'account', 'message'] as View[]) {
    views[name] = hbs.compile(readFileSync(join(dir, `${name}.hbs`), 'utf8'), { strict: false });
  }
  return views;
}

function formatTime(d: Date | null | undefined): string | null {
  if (!d) return null;
  return `${new Date(d).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function minutes(seconds: number | undefined): string {
  const m = Math.max(1, Math.ceil((seconds ?? 60) / 60));
  return m === 1 ? '1 minute' : `${m} minutes`;
}

function field(body: unknown, name: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
}

const wrap =
  (fn: (req: Request, res: Response, next: NextFunction) => Promise<unknown>): RequestHandler =>
  (req, res, next) => {
    fn(req, res, next).catch(next);
  };

export function buildStaffAuthRouter(deps: StaffAuthDeps): express.Router {
  const auth = deps.auth;
  const now = deps.now ?? (() => new Date());
  void auth.warmUp().catch(() => undefined);
  const views = loadViews(deps.templatesDir ?? findTemplatesDir());
  const log = deps.logger.child({ component: 'staff-auth' });
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });

  const ctxOf = (req: Request): RequestContext => ({
    ip: req.ip ?? req.socket.remoteAddress ?? null,
    userAgent: req.get('user-agent')?.slice(0, 500) ?? null,
    url: req.originalUrl.slice(0, 2000),
  });

  const csrfToken = (req: Request): string => {
    req.session.csrfToken ??= randomBytes(32).toString('base64url');
    return req.session.csrfToken;
  };

  const csrfValid = (req: Request): boolean => {
    const sent = field(req.body, '_csrf');
    const expected = req.session?.csrfToken;
    if (!sent || !expected) return false;
    const a = Buffer.from(sent);
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  const render = (res: Response, status: number, view: Exclude<View, 'layout'>, data: Record<string, unknown>) => {
    res.status(status);
    res.set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    });
    const body = views[view](data);
    res.send(views.layout({ ...data, body }));
  };

  const regenerate = (req: Request) => new Promise<void>((ok, fail) => req.session.regenerate((e) => (e ? fail(e) : ok())));
  const saveSession = (req: Request) => new Promise<void>((ok, fail) => req.session.save((e) => (e ? fail(e) : ok())));
  const destroySession = (req: Request) => new Promise<void>((ok) => (req.session ? req.session.destroy(() => ok()) : ok()));

  /** A new session id for the new privilege level, so a planted or observed id is worth nothing. */
  const signIn = async (req: Request, user: StaffIdentity) => {
    await regenerate(req);
    req.session.adminUser = { id: user.id, email: user.email, title: user.displayName };
    req.session.adminAuthenticatedAt = now().getTime();
    await saveSession(req);
    log.info({ userId: user.id }, 'staff login');
  };

  // Every back-office request: a session whose user was deactivated, deleted or changed password elsewhere ends.
  router.use(
    wrap(async (req, _res, next) => {
      const admin = req.session?.adminUser;
      if (!admin) return next();
      if (await auth.sessionStillValid(admin.id, req.session.adminAuthenticatedAt)) return next();
      log.info({ userId: admin.id }, 'staff session ended: account changed');
      await destroySession(req);
      next();
    }),
  );

  // ------------------------------------------------------------ login

  const loginPage = (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) =>
    render(res, status, 'login', { title: 'Staff login', csrf: csrfToken(req), next: safeNext(req.body?.next ?? req.query.next), ...extra });

  router.get('/login', (req, res) => {
    if (req.session.adminUser) return res.redirect(302, safeNext(req.query.next));
    const flash = req.session.flash;
    delete req.session.flash;
    loginPage(req, res, 200, { flash });
  });

  router.post(
    '/login',
    form,
    wrap(async (req, res) => {
      if (!csrfValid(req)) {
        return loginPage(req, res, 403, { error: 'This form has expired. Please enter your details again.', email: field(req.body, 'email') });
      }
      const email = field(req.body, 'email').trim();
      const password = field(req.body, 'password');
      if (!email || !password || email.length > 255 || password.length > 1024) {
        return loginPage(req, res, 400, { error: 'Enter your email address and password.', email: email.slice(0, 255) });
      }
      const ctx = ctxOf(req);
      const result = await auth.authenticate(email, password, ctx.ip, ctx.userAgent ?? null);
      const next = safeNext(req.body?.next);
      switch (result.code) {
        case 'ok':
          await signIn(req, result.user!);
          return res.redirect(302, next);
        case 'needs_second_factor':
          await regenerate(req);
          req.session.pendingSecondFactor = { userId: result.user!.id, next, expiresAt: now().getTime() + PENDING_SECOND_FACTOR_MS };
          await saveSession(req);
          return res.redirect(302, `${ROOT}/login/2fa`);
        case 'locked':
          res.set('Retry-After', String(result.retryAfterSeconds ?? 900));
          return loginPage(req, res, 423, { error: `Too many failed attempts: this account is locked. Try again in ${minutes(result.retryAfterSeconds)}.`, email });
        case 'throttled':
          res.set('Retry-After', String(result.retryAfterSeconds ?? 900));
          return loginPage(req, res, 429, { error: `Too many failed logins from your network. Try again in ${minutes(result.retryAfterSeconds)}.`, email });
        case 'inactive':
          return loginPage(req, res, 403, { error: 'This account is disabled. Please contact an administrator.', email });
        default:
          return loginPage(req, res, 401, { error: 'The email address or password is incorrect.', email });
      }
    }),
  );

  const pendingOf = (req: Request) => {
    const p = req.session?.pendingSecondFactor;
    if (!p) return null;
    if (p.expiresAt <= now().getTime()) {
      delete req.session.pendingSecondFactor;
      return null;
    }
    return p;
  };

  const secondFactorPage = (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) =>
    render(res, status, 'login-2fa', { title: 'Two-factor authentication', csrf: csrfToken(req), ...extra });

  router.get('/login/2fa', (req, res) => {
    if (!pendingOf(req)) return res.redirect(302, `${ROOT}/login`);
    secondFactorPage(req, res, 200);
  });

  router.post(
    '/login/2fa',
    form,
    wrap(async (req, res) => {
      const pending = pendingOf(req);
      if (!pending) {
        req.session.flash = { type: 'error', message: 'Your login timed out. Please log in again.' };
        return res.redirect(302, `${ROOT}/login`);
      }
      if (!csrfValid(req)) return secondFactorPage(req, res, 403, { error: 'This form has expired. Please enter the code again.' });
      const code = field(req.body, 'code').trim();
      if (!code || code.length > 64) return secondFactorPage(req, res, 400, { error: 'Enter the 6-digit code from your app, or a recovery code.' });
      const result = await auth.verifySecondFactor(pending.userId, code, ctxOf(req));
      switch (result.code) {
        case 'ok':
          await signIn(req, result.user!);
          if (result.method === 'recovery_code') {
            req.session.flash = {
              type: 'error',
              message: `You logged in with a recovery code; ${result.recoveryCodesLeft} left. If your authenticator is lost, generate new recovery codes or set it up again.`,
            };
            await saveSession(req);
            return res.redirect(302, `${ROOT}/account`);
          }
          return res.redirect(302, pending.next);
        case 'locked':
          res.set('Retry-After', String(result.retryAfterSeconds ?? 900));
          return secondFactorPage(req, res, 423, { error: `Too many failed attempts: this account is locked. Try again in ${minutes(result.retryAfterSeconds)}.` });
        case 'throttled':
          res.set('Retry-After', String(result.retryAfterSeconds ?? 900));
          return secondFactorPage(req, res, 429, { error: `Too many failed attempts from your network. Try again in ${minutes(result.retryAfterSeconds)}.` });
        case 'inactive':
          delete req.session.pendingSecondFactor;
          req.session.flash = { type: 'error', message: 'Please log in again.' };
          return res.redirect(302, `${ROOT}/login`);
        default:
          return secondFactorPage(req, res, 401, { error: 'That code is not correct, or it has already been used.' });
      }
    }),
  );

  // ------------------------------------------------------------ logout

  const logout = async (req: Request, res: Response) => {
    const admin = req.session?.adminUser;
    if (admin) await auth.logout(admin, ctxOf(req));
    await destroySession(req);
    res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: deps.config.APP_URL.startsWith('https://') });
    res.redirect(302, `${ROOT}/login`);
  };

  // AdminJS's own logout button is a plain link, hence GET; the account page posts with its token.
  router.get('/logout', wrap(logout));
  router.post(
    '/logout',
    form,
    wrap(async (req, res) => {
      if (!csrfValid(req)) return render(res, 403, 'message', { title: 'Form expired', message: 'This form has expired. Go back, reload the page and try again.' });
      await logout(req, res);
    }),
  );

  // ------------------------------------------------------------ account security page

  const requireStaff: RequestHandler = (req, res, next) => {
    if (!req.session?.adminUser) return res.redirect(302, `${ROOT}/login?next=${encodeURIComponent(`${ROOT}/account`)}`);
    next();
  };

  const requireCsrf: RequestHandler = (req, res, next) => {
    if (csrfValid(req)) return next();
    render(res, 403, 'message', { title: 'Form expired', message: 'This form has expired. Go back, reload the page and try again.', back: `${ROOT}/account` });
  };

  const accountPage = async (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) => {
    const admin = req.session.adminUser!;
    const security = await auth.accountSecurity(admin.id);
    if (!security) {
      await destroySession(req);
      return res.redirect(302, `${ROOT}/login`);
    }
    const flash = req.session.flash;
    delete req.session.flash;
    const activity = (await auth.recentActivity(admin.id, 10)).map((a) => ({
      when: formatTime(a.createdAt),
      event: EVENT_LABELS[a.event] ?? a.event,
      ip: a.ipAddress ?? '',
      description: a.description ?? '',
    }));
    const enrolment = extra.enrolment ?? (security.twoFactorEnabled || extra.recoveryCodes ? null : await auth.pendingEnrolment(admin.id));
    render(res, status, 'account', {
      title: 'Account security',
      wide: true,
      csrf: csrfToken(req),
      flash,
      ...extra,
      enrolment,
      security: {
        ...security,
        passwordChangedAt: formatTime(security.passwordChangedAt),
        lastLoginAt: formatTime(security.lastLoginAt),
      },
      activity,
      minPasswordLength: auth.options.minPasswordLength,
    });
  };

  router.get('/account', requireStaff, wrap((req, res) => accountPage(req, res, 200)));

  router.post(
    '/account/password',
    requireStaff,
    form,
    requireCsrf,
    wrap(async (req, res) => {
      const current = field(req.body, 'current_password');
      const next = field(req.body, 'new_password');
      const confirmation = field(req.body, 'new_password_confirmation');
      if (!current || !next) return accountPage(req, res, 400, { passwordError: 'Enter your current password and the new one.' });
      if (next !== confirmation) return accountPage(req, res, 400, { passwordError: 'The new password and its confirmation do not match.' });
      const admin = req.session.adminUser!;
      const result = await auth.changePassword(admin.id, current, next, { ...ctxOf(req), keepSessionId: req.sessionID });
      if (!result.ok) {
        if (result.retryAfterSeconds) res.set('Retry-After', String(result.retryAfterSeconds));
        return accountPage(req, res, result.error === 'throttled' ? 429 : 400, { passwordError: result.message });
      }
      // The other sessions are gone; this one gets a new id too.
      await signIn(req, { id: admin.id, email: admin.email, displayName: admin.title, twoFactorEnabled: false });
      req.session.flash = { type: 'success', message: 'Your password has been changed. Your other sessions have been logged out.' };
      await saveSession(req);
      res.redirect(302, `${ROOT}/account`);
    }),
  );

  router.post(
    '/account/2fa/start',
    requireStaff,
    form,
    requireCsrf,
    wrap(async (req, res) => {
      const result = await auth.startTwoFactorEnrolment(req.session.adminUser!.id);
      if (!result.ok) return accountPage(req, res, 400, { twoFactorError: result.message });
      return accountPage(req, res, 200, { enrolment: result.enrolment });
    }),
  );

  router.post(
    '/account/2fa/confirm',
    requireStaff,
    form,
    requireCsrf,
    wrap(async (req, res) => {
      const code = field(req.body, 'code').trim();
      if (!code) return accountPage(req, res, 400, { twoFactorError: 'Enter the 6-digit code shown by your app.' });
      const result = await auth.confirmTwoFactorEnrolment(req.session.adminUser!.id, code, ctxOf(req));
      if (!result.ok) return accountPage(req, res, 400, { twoFactorError: result.message });
      return accountPage(req, res, 200, {
        recoveryCodes: result.recoveryCodes,
        flash: { type: 'success', message: 'Two-factor authentication is now on.' },
      });
    }),
  );

  router.post(
    '/account/2fa/disable',
    requireStaff,
    form,
    requireCsrf,
    wrap(async (req, res) => {
      const password = field(req.body, 'password');
      const code = field(req.body, 'code').trim();
      if (!password && !code) return accountPage(req, res, 400, { twoFactorError: 'Enter your current password or a current code from your app.' });
      const result = await auth.disableTwoFactor(req.session.adminUser!.id, { password: password || undefined, code: code || undefined }, ctxOf(req));
      if (!result.ok) {
        if (result.retryAfterSeconds) res.set('Retry-After', String(result.retryAfterSeconds));
        return accountPage(req, res, result.error === 'throttled' ? 429 : 400, { twoFactorError: result.message });
      }
      req.session.flash = { type: 'success', message: 'Two-factor authentication is now off.' };
      res.redirect(302, `${ROOT}/account`);
    }),
  );

  router.post(
    '/account/2fa/recovery-codes',
    requireStaff,
    form,
    requireCsrf,
    wrap(async (req, res) => {
      const password = field(req.body, 'password');
      if (!password) return accountPage(req, res, 400, { twoFactorError: 'Enter your current password to generate new recovery codes.' });
      const result = await auth.regenerateRecoveryCodes(req.session.adminUser!.id, password, ctxOf(req));
      if (!result.ok) {
        if (result.retryAfterSeconds) res.set('Retry-After', String(result.retryAfterSeconds));
        return accountPage(req, res, result.error === 'throttled' ? 429 : 400, { twoFactorError: result.message });
      }
      return accountPage(req, res, 200, { recoveryCodes: result.recoveryCodes, flash: { type: 'success', message: 'New recovery codes generated; the old ones no longer work.' } });
    }),
  );

  return router;
}
