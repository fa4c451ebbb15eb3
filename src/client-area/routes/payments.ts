import express, { type Request, type Response } from 'express';
import { findAttempt } from '../../domain/payments/attempts.js';
import { stringQuery } from '../../http/payment-webhooks.js';
import { notFound, render, wrap, type ClientAreaDeps } from '../kit.js';

/**
 * Where a provider sends the customer back: /payments/return/:gateway?attempt=… (GET, or a form POST from
 * SSLCommerz). The provider is asked what happened (PayPal captures here; SSLCommerz validates); the answer goes
 * through the same exactly-once handling as a webhook. This route is mounted before the CSRF check on purpose: the
 * POST comes from the provider's page, and nothing in it is trusted until the provider confirms it. It needs no
 * login (a cross-site POST carries no SameSite=Lax cookie); the unguessable attempt id is what it answers to, and
 * it shows only the invoice number and whether it is paid.
 */
const FAILURES = {
  declined: 'The payment was declined. No money was taken.',
  not_completed: 'The payment was not completed.',
  review: 'We received your payment but could not match it to the invoice automatically. Our staff will look at it shortly; you do not need to pay again.',
};

export function paymentReturnRoutes(deps: ClientAreaDeps): express.Router {
  const router = express.Router();
  const handle = wrap(async (req: Request, res: Response) => {
    const code = String(req.params.gateway ?? '');
    const query = stringQuery(req.query);
    const attempt = query.attempt && /^[\w-]{10,64}$/.test(query.attempt) ? await findAttempt(deps.ds.manager, code, { attemptId: query.attempt, checkoutReference: null }) : null;
    // Only a checkout's random id opens this page; saved-card charge ids are predictable and never sent to a browser.
    if (!attempt || attempt.request.kind !== 'checkout') throw notFound();
    const gw = await deps.services.gateways.get(code);
    if (!gw) throw notFound();
    let failure: keyof typeof FAILURES | null = null;
    if (!query.done) {
      const body = req.method === 'POST' && req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
      const fields = { ...query, ...Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) } as Record<string, string>;
      const back = await gw.module.completeReturn(gw.settings, fields, attempt.checkoutReference ?? '');
      if (back.ok && back.event) {
        const handled = await deps.services.notifications.handle(gw, back.event, req.ip ?? null);
        if (back.event.outcome === 'failed') failure = 'declined';
        else if (handled.result === 'flagged') failure = 'review';
      } else if (!back.ok) {
        deps.logger.warn({ gateway: code, error: back.error, message: back.message }, 'payment return not confirmed');
        failure = back.error === 'not_approved' ? 'not_completed' : null;
      }
      // Post/Redirect/Get: reloading the outcome page must not post the provider's form again.
      // The reason is not put in the URL (someone could send a link with words of their choosing): only a code.
      const target = `/payments/return/${encodeURIComponent(code)}?attempt=${encodeURIComponent(attempt.attemptId)}&done=1${failure ? `&failed=${failure}` : ''}`;
      return res.redirect(303, target);
    }
    const invoice = (await deps.ds.getRepository('Invoice').findOne({ where: { id: attempt.request.invoiceId }, select: { id: true, invoiceNumber: true, status: true } })) as { id: number; invoiceNumber: string | null; status: string } | null;
    if (!invoice) throw notFound();
    const reason = FAILURES[query.failed as keyof typeof FAILURES] ?? null;
    const state = invoice.status === 'paid' ? 'paid' : query.failed === 'review' ? 'review' : reason ? 'failed' : 'waiting';
    render(deps, req, res, 'payments/return', {
      title: { paid: 'Payment received', review: 'Payment received', failed: 'Payment not completed', waiting: 'Waiting for confirmation' }[state],
      state, invoice: { id: invoice.id, number: invoice.invoiceNumber ?? `#${invoice.id}` }, gateway: gw.settings.displayName, reason,
      again: `/payments/return/${encodeURIComponent(code)}?attempt=${encodeURIComponent(attempt.attemptId)}&done=1`,
    });
  });
  router.get('/payments/return/:gateway', handle);
  router.post('/payments/return/:gateway', handle);
  return router;
}
