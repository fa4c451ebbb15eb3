import express from 'express';
import { listDomains } from '../../../domain/client-views/domains.js';
import { clientOf, pagination, render, requirePermission, wrap, type ClientAreaDeps } from '../../kit.js';

/** The client's domains. Renewal and management arrive with the domains work; this is the list. */
export function domainRoutes(deps: ClientAreaDeps): express.Router {
  const router = express.Router();
  router.get(
    '/domains',
    requirePermission('domains'),
    wrap(async (req, res) => {
      let pages: ReturnType<typeof pagination> | undefined;
      const list = await listDomains(deps.ds, clientOf(req).clientId, (total) => (pages = pagination(req, total, 25)));
      render(deps, req, res, 'domains/index', { title: 'Domains', domains: list.rows, pages: pages!.view });
    }),
  );
  return router;
}
