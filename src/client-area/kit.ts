import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../domain/shared/clock.js';
import type { ClientViews } from './views.js';
import type { ClientAreaServices } from './services.js';

/** The signed-in customer: the client account, and the contact (sub-user) acting for it, if it is not the owner. */
export interface ClientSession {
  userId: number;
  clientId: number;
  /** null: the account owner, who may do everything. */
  contactId: number | null;
  /** What a contact may do: 'billing', 'services', 'support', 'orders', 'profile'. The owner has all. */
  permissions: ClientPermission[];
  email: string;
  name: string;
  authenticatedAt: number;
}

export const CLIENT_PERMISSIONS = ['billing', 'services', 'support', 'orders', 'profile', 'domains'] as const;
export type ClientPermission = (typeof CLIENT_PERMISSIONS)[number];

export interface Flash {
  type: 'success' | 'error' | 'info';
  message: string;
}

declare module 'express-session' {
  interface SessionData {
    client?: ClientSession;
    /** A login waiting for its TOTP code. */
    clientPending2fa?: { userId: number; at: number; next?: string };
    clientCsrf?: string;
    clientFlash?: Flash[];
  }
}

export interface ClientAreaDeps {
  ds: DataSource;
  config: AppConfig;
  logger: Logger;
  clock: Clock;
  views: ClientViews;
  services: ClientAreaServices;
}

/** Async route handlers whose errors reach Express's error handler. */
export const wrap =
  (fn: (req: Request, res: Response, next: NextFunction) => Promise<unknown>): RequestHandler =>
  (req, res, next) => {
    fn(req, res, next).catch(next);
  };

/** A form field as a trimmed string ('' when absent or not a string). */
export function field(body: unknown, name: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.trim() : '';
}

export function csrfToken(req: Request): string {
  req.session.clientCsrf ??= randomBytes(32).toString('base64url');
  return req.session.clientCsrf;
}

/**
 * Every state-changing request of the client area carries the session's token: a form field `_csrf`, or for
 * multipart uploads (parsed later, by their route) `?_csrf=` in the form's action URL, or an X-CSRF-Token header.
 */
export const verifyCsrf: RequestHandler = (req, res, next) => {
  if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return next();
  const sent = field(req.body, '_csrf') || (typeof req.query._csrf === 'string' ? req.query._csrf : '') || req.get('x-csrf-token') || '';
  const expected = req.session?.clientCsrf;
  const ok = Boolean(sent && expected) && Buffer.from(sent).length === Buffer.from(expected!).length && timingSafeEqual(Buffer.from(sent), Buffer.from(expected!));
  if (ok) return next();
  res.status(403);
  res.locals.csrfRefused = true;
  next(Object.assign(new Error('This form has expired. Go back, reload the page and try again.'), { statusCode: 403 }));
};

export function flash(req: Request, type: Flash['type'], message: string): void {
  (req.session.clientFlash ??= []).push({ type, message });
}

/** The signed-in customer, or a redirect to the login page (which comes back here afterwards). */
export const requireClient: RequestHandler = (req, res, next) => {
  if (req.session?.client) return next();
  const back = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
  res.redirect(303, `/login${back}`);
};

/** The owner, or a contact allowed this part of the account; anyone else is told so (403), nothing is shown. */
export const requirePermission =
  (permission: ClientPermission): RequestHandler =>
  (req, res, next) => {
    const c = req.session?.client;
    if (!c) return requireClient(req, res, next);
    if (c.contactId === null || c.permissions.includes(permission)) return next();
    next(Object.assign(new Error('Your login does not have access to this part of the account. Ask the account owner.'), { statusCode: 403 }));
  };

export const clientOf = (req: Request): ClientSession => {
  if (!req.session.client) throw Object.assign(new Error('Not signed in'), { statusCode: 401 });
  return req.session.client;
};

/** 404 for anything that is not the signed-in client's: another client's record looks exactly like a missing one. */
export const notFound = (): Error => Object.assign(new Error('Not found'), { statusCode: 404 });

/** Request details for the audit and login throttles. */
export const requestContext = (req: Request) => ({
  ip: req.ip ?? req.socket.remoteAddress ?? null,
  userAgent: req.get('user-agent')?.slice(0, 500) ?? null,
  url: req.originalUrl.slice(0, 2000),
});

/** A page: the layout with the company, the customer, the flash messages and the CSRF token filled in. */
export function render(deps: ClientAreaDeps, req: Request, res: Response, view: string, data: Record<string, unknown> = {}, status = 200): void {
  const messages = req.session?.clientFlash ?? [];
  // Only touched when there was something to show: an untouched session is not written back.
  if (req.session?.clientFlash?.length) req.session.clientFlash = [];
  const html = deps.views.render(view, {
    ...res.locals.page,
    ...data,
    client: req.session?.client ?? null,
    csrf: req.session ? csrfToken(req) : '',
    flash: messages,
    path: req.path,
  });
  // Written directly rather than with res.send: a page that must not be cached gains nothing from an ETag, and
  // hashing every page for one is a measurable part of a request.
  res.status(status);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(html));
  res.end(html);
}

/** `?page=` as a page number and the LIMIT/OFFSET for it, plus the links under a list. */
export function pagination(req: Request, total: number, perPage = 20) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  const raw = Number(typeof req.query.page === 'string' ? req.query.page : 1);
  const page = Number.isInteger(raw) && raw >= 1 ? Math.min(raw, pages) : 1;
  const link = (p: number) => {
    const q = new URLSearchParams(req.query as Record<string, string>);
    q.set('page', String(p));
    return `${req.path}?${q.toString()}`;
  };
  return {
    limit: perPage,
    offset: (page - 1) * perPage,
    view: { page, pages, total, prev: page > 1 ? link(page - 1) : null, next: page < pages ? link(page + 1) : null },
  };
}
