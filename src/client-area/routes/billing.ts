import express from 'express';
import type { ClientAreaDeps } from '../kit.js';
import { homeRoutes } from './billing/home.js';
import { serviceRoutes } from './billing/services.js';
import { invoiceRoutes } from './billing/invoices.js';
import { domainRoutes } from './billing/domains.js';
import { paymentMethodRoutes } from './billing/payment-methods.js';
import { quoteRoutes } from './billing/quotes.js';

/** The signed-in client's own records: dashboard (and the public front page), services, invoices, domains. */
export function billingRoutes(deps: ClientAreaDeps): express.Router {
  const router = express.Router();
  router.use(homeRoutes(deps));
  router.use(serviceRoutes(deps));
  router.use(invoiceRoutes(deps));
  router.use(domainRoutes(deps));
  router.use(paymentMethodRoutes(deps));
  router.use(quoteRoutes(deps));
  return router;
}
