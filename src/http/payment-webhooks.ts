import express, { type Request } from 'express';
import type { Logger } from '../logger.js';
import type { GatewayNotifications } from '../domain/payments/notifications.js';

/**
 * POST /payments/webhook/:gateway — where Stripe, PayPal and SSLCommerz send their notifications. Mounted before any
 * body parser: signatures are over the exact bytes received, so the body is read raw and handed on untouched
 * (forms are also parsed, for providers that post them). The answer only tells the provider whether to retry.
 */
export function paymentWebhookRoutes(deps: { notifications: GatewayNotifications; logger: Logger; now?: () => Date }): express.Router {
  const router = express.Router();
  router.post(
    '/payments/webhook/:gateway',
    express.raw({ type: () => true, limit: '512kb' }),
    async (req: Request, res) => {
      const code = String(req.params.gateway ?? '').slice(0, 32);
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const form = (req.get('content-type') ?? '').startsWith('application/x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(rawBody.toString('utf8'))) : {};
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
      try {
        const answer = await deps.notifications.receive(code, { rawBody, headers, form, query: stringQuery(req.query), ip: req.ip ?? null, receivedAt: deps.now?.() ?? new Date() });
        if (answer.status >= 400) deps.logger.warn({ gateway: code, status: answer.status, reason: answer.body }, 'payment notification refused');
        res.status(answer.status).type('text/plain').send(answer.body);
      } catch (err) {
        // Nothing was applied (the handling transaction rolled back): a 500 makes the provider deliver it again.
        deps.logger.error({ err, gateway: code }, 'payment notification failed');
        res.status(500).type('text/plain').send('error');
      }
    },
  );
  return router;
}

export function stringQuery(q: Request['query']): Record<string, string> {
  return Object.fromEntries(Object.entries(q).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}
