import express from 'express';
import { listSavedMethods, removeMethod, setDefaultMethod } from '../../../domain/payments/saved-methods.js';
import { clientOf, flash, notFound, render, requirePermission, wrap, type ClientAreaDeps } from '../../kit.js';
import { idParam } from './shared.js';

/** /payment-methods: the cards saved with a payment, which one renewals are charged to, and removing one. */
export function paymentMethodRoutes(deps: ClientAreaDeps): express.Router {
  const router = express.Router();
  router.use('/payment-methods', requirePermission('billing'));
  router.get(
    '/payment-methods',
    wrap(async (req, res) => {
      const methods = await listSavedMethods(deps.ds, clientOf(req).clientId);
      render(deps, req, res, 'payment-methods', { title: 'Payment methods', methods });
    }),
  );
  router.post(
    '/payment-methods/:id/default',
    wrap(async (req, res) => {
      if (!(await setDefaultMethod(deps.ds, clientOf(req).clientId, idParam(req)))) throw notFound();
      flash(req, 'success', 'Renewals will be charged to this card from now on.');
      res.redirect(303, '/payment-methods');
    }),
  );
  router.post(
    '/payment-methods/:id/remove',
    wrap(async (req, res) => {
      if (!(await removeMethod(deps.ds, clientOf(req).clientId, idParam(req)))) throw notFound();
      flash(req, 'success', 'The card was removed from your account.');
      res.redirect(303, '/payment-methods');
    }),
  );
  return router;
}
