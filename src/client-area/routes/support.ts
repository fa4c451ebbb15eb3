import express from 'express';
import type { ClientAreaDeps } from '../kit.js';
import { ticketRoutes } from './support/tickets.js';
import { contentRoutes } from './support/content.js';

/** Support: the customer's tickets, and the public announcements, knowledge base and network status. */
export function supportRoutes(deps: ClientAreaDeps): express.Router {
  const router = express.Router();
  router.use(ticketRoutes(deps));
  router.use(contentRoutes(deps));
  return router;
}
