import express from 'express';
import type { ClientAreaDeps } from '../kit.js';
import { storeRoutes } from './ordering/store.js';
import { cartRoutes } from './ordering/cart.js';
import { checkoutRoutes } from './ordering/checkout.js';
import { domainSearchRoutes } from './ordering/domain-search.js';
import { domainCartRoutes } from './ordering/domain-cart.js';

/** Ordering (issue 5, section 5): the store, the cart and checkout. Prices come only from the catalogue. */
export function orderingRoutes(deps: ClientAreaDeps): express.Router {
  const router = express.Router();
  router.use(storeRoutes(deps));
  router.use(cartRoutes(deps));
  router.use(checkoutRoutes(deps));
  router.use(domainSearchRoutes(deps));
  router.use(domainCartRoutes(deps));
  return router;
}
