import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../domain/shared/clock.js';
import { DatabaseSessionStore } from '../db/session-store.js';
import { readSettings } from '../domain/settings.js';
import { referenceCache } from '../db/reference-cache.js';
import { render, verifyCsrf, type ClientAreaDeps } from './kit.js';
import type { ClientAreaServices } from './services.js';
import { ClientViews, clientTemplatesDir } from './views.js';
import { accountRoutes } from './routes/account.js';
import { billingRoutes } from './routes/billing.js';
import { orderingRoutes } from './routes/ordering.js';
import { supportRoutes } from './routes/support.js';
import { paymentReturnRoutes } from './routes/payments.js';

const CLIENT_IDLE_MS = 8 * 3600_000;

export interface ClientAreaParts {
  ds: DataSource;
  config: AppConfig;
  logger: Logger;
  clock: Clock;
  sessionStore: DatabaseSessionStore;
  services: ClientAreaServices;
  views?: ClientViews;
}

/**
 * The customer's side at `/`: server-rendered pages, a session of its own (a separate cookie from the staff one,
 * so a customer and a staff login never share a session), CSRF tokens on every form, strict security headers.
 */
export function buildClientArea(parts: ClientAreaParts): express.Router {
  const views = parts.views ?? new ClientViews();
  const deps: ClientAreaDeps = { ds: parts.ds, config: parts.config, logger: parts.logger.child({ component: 'client-area' }), clock: parts.clock, views, services: parts.services };
  const router = express.Router();
  const secure = parts.config.APP_URL.startsWith('https://');

  router.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'https:'],
          styleSrc: ["'self'"],
          scriptSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
        },
      },
      crossOriginEmbedderPolicy: false,
      strictTransportSecurity: secure ? { maxAge: 31536000 } : false,
    }),
  );
  router.use('/assets', express.static(join(clientTemplatesDir(), 'assets'), { maxAge: '1h', index: false }));
  router.use(
    session({
      name: 'meridian.client',
      secret: parts.config.SESSION_SECRET,
      // A browser-session cookie (gone when the browser closes: customers use shared computers) that is set only
      // when the session changes; the server ends a session idle for 8 hours (the store moves the expiry on use).
      store: new DatabaseSessionStore(parts.ds, CLIENT_IDLE_MS, 0),
      resave: false,
      saveUninitialized: false,
      rolling: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure },
    }),
  );
  // express-session sends a response's headers before its session is saved (it only holds back the last byte), so a
  // browser can follow a 303 and ask for the next page before the cart or flash message it depends on is stored —
  // seen on MariaDB. A redirect therefore waits for the session to be saved.
  router.use((req: Request, res: Response, next: NextFunction) => {
    const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
    res.redirect = ((...args: unknown[]) => {
      // An untouched visitor session is never stored (saveUninitialized: false), so there is nothing to wait for.
      if (!req.session || !Object.keys(req.session).some((k) => k !== 'cookie')) return redirect(...args);
      req.session.save((err) => (err ? next(err) : redirect(...args)));
    }) as typeof res.redirect;
    next();
  });
  router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 }));

  // What every page's layout shows: the company's name and logo from the settings (cached a few seconds; an edit in
  // the admin empties the cache).
  router.use(async (_req: Request, res: Response, next: NextFunction) => {
    try {
      const s = await referenceCache(parts.ds).get('Setting', 'company.', () => readSettings(parts.ds, 'company.'));
      res.locals.page = { company: { name: s.get('company.name') || 'Meridian Hosting', logoUrl: s.get('company.logoUrl') || null, url: s.get('company.url') || null } };
      next();
    } catch (e) {
      next(e);
    }
  });

  // Before the CSRF check: a provider's page posts the customer back here (see the route for why that is safe).
  router.use(paymentReturnRoutes(deps));
  router.use(verifyCsrf);

  router.use(accountRoutes(deps));
  router.use(billingRoutes(deps));
  router.use(orderingRoutes(deps));
  router.use(supportRoutes(deps));

  router.use((req: Request, res: Response) => render(deps, req, res, 'not-found', { title: 'Page not found' }, 404));
  router.use((err: Error & { statusCode?: number }, req: Request, res: Response, _next: NextFunction) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) deps.logger.error({ err, url: req.originalUrl }, 'client area request failed');
    if (res.headersSent) return;
    if (status === 404) return render(deps, req, res, 'not-found', { title: 'Page not found' }, 404);
    const message = status === 500 ? 'Something went wrong on our side. It has been logged; please try again.' : err.message;
    render(deps, req, res, 'error', { title: status === 403 ? 'Not allowed' : 'Error', message }, status);
  });
  return router;
}
