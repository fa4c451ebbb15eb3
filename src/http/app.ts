import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import formidable from 'express-formidable';
import { buildRouter } from '@adminjs/express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type AdminJS from 'adminjs';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { DatabaseSessionStore } from '../db/session-store.js';
import { adminGuard } from '../admin/guard.js';
import { paymentWebhookRoutes } from './payment-webhooks.js';
import { ADMIN_ROOT } from '../admin/admin.js';
import { RbacService } from '../domain/access/rbac-service.js';
import { buildStaffAuthRouter } from '../admin/auth-routes.js';
import type { AuthService } from '../domain/access/auth-service.js';
import type { PdfRenderer } from '../integrations/pdf/index.js';
import { buildInvoicePdfRouter } from '../admin/invoice-pdf-route.js';
import { buildReportsRouter } from '../admin/reports-route.js';
import { buildClientArea } from '../client-area/index.js';
import type { ClientAreaServices } from '../client-area/services.js';
import type { Clock } from '../domain/shared/clock.js';

export const adminAssetsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../admin-assets');

export interface AppParts {
  config: AppConfig;
  ds: DataSource;
  logger: Logger;
  admin: AdminJS;
  sessionStore: DatabaseSessionStore;
  auth: AuthService;
  now: () => Date;
  pdf: PdfRenderer;
  clock: Clock;
  clientArea: ClientAreaServices;
}

export interface BuiltApp {
  app: express.Express;
  sessionStore: DatabaseSessionStore;
}

/** The HTTP application: health check, staff login, the AdminJS back office (guarded), and error handling. */
export function buildApp({ config, ds, logger, admin, sessionStore, auth, now, pdf, clock, clientArea }: AppParts): BuiltApp {
  const app = express();
  app.disable('x-powered-by');
  if (process.env.TRUST_PROXY) app.set('trust proxy', process.env.TRUST_PROXY);

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || (req.url ?? '').startsWith(`${ADMIN_ROOT}/frontend/assets`) },
      // What a request line needs, read straight off the request: the default serializer copies every header
      // (cookies and tokens included, then redacted) for each request, even when the line is never written.
      wrapSerializers: false,
      serializers: {
        req: (req: IncomingMessage & { id?: unknown }) => ({ id: req.id, method: req.method, url: req.url, remoteAddress: req.socket?.remoteAddress, userAgent: req.headers['user-agent'] }),
        res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      },
    }),
  );

  // Baseline hardening for every page; AdminJS needs inline scripts, so its CSP is left to the browser default.
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'SAMEORIGIN');
    res.setHeader('Referrer-Policy', 'same-origin');
    next();
  });
  app.get('/favicon.ico', (_req, res) => res.status(204).end());

  app.get('/healthz', async (_req, res) => {
    try {
      await ds.query('SELECT 1');
      res.json({ status: 'ok', database: 'ok' });
    } catch (e) {
      res.status(503).json({ status: 'unavailable', database: (e as Error).message });
    }
  });

  // The admin's browser bundles are built ahead by `npm run build`; serving them here means no bundling at start.
  if (existsSync(adminAssetsDir)) {
    app.use(`${ADMIN_ROOT}/frontend/assets`, express.static(adminAssetsDir, { maxAge: '1h', fallthrough: true }));
  }

  const secure = config.APP_URL.startsWith('https://');
  // The staff session lives under the admin only; the client area has its own (another cookie), so a customer's and
  // a staff member's login never share one.
  app.use(
    ADMIN_ROOT,
    session({
      name: 'meridian.sid',
      secret: config.SESSION_SECRET,
      store: sessionStore,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'lax', secure, maxAge: 12 * 3600_000 },
    }),
  );

  const rbac = new RbacService(ds);
  app.use(ADMIN_ROOT, buildStaffAuthRouter({ ds, config, logger, sessionStore, auth, now }));

  const adminRouter = express.Router();
  // Parse form bodies before the guard so that it sees what an action is asked to do; AdminJS skips re-parsing.
  adminRouter.use(formidable());
  adminRouter.use(adminGuard(ds, rbac));
  adminRouter.use(buildInvoicePdfRouter({ ds, renderer: pdf, timeZone: config.APP_TIMEZONE }));
  adminRouter.use(buildReportsRouter({ ds, timeZone: config.APP_TIMEZONE }));
  app.use(ADMIN_ROOT, buildRouter(admin, adminRouter));

  app.use(paymentWebhookRoutes({ notifications: clientArea.notifications, logger }));
  app.use(buildClientArea({ ds, config, logger, clock, sessionStore, services: clientArea }));

  app.use((err: Error & { statusCode?: number }, req: Request, res: Response, _next: NextFunction) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    req.log?.error({ err }, 'request failed');
    if (res.headersSent) return;
    const message = status === 500 ? 'Something went wrong. The error has been logged.' : err.message;
    if (req.path.includes('/api/') || req.accepts(['html', 'json']) === 'json') res.status(status).json({ error: status === 500 ? 'internal_error' : 'error', message });
    else res.status(status).type('text/plain').send(message);
  });

  return { app, sessionStore };
}
