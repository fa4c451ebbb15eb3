import express from 'express';
import { clientDashboard, latestAnnouncements } from '../../../domain/client-views/dashboard.js';
import { clientOf, render, wrap, type ClientAreaDeps } from '../../kit.js';
import { abilities, todayOf } from './shared.js';

/** `/`: the signed-in client's dashboard, or the public front page for a visitor. */
export function homeRoutes(deps: ClientAreaDeps): express.Router {
  const router = express.Router();
  router.get(
    '/',
    wrap(async (req, res) => {
      const now = deps.clock.now();
      if (!req.session.client) {
        const announcements = await latestAnnouncements(deps.ds, now, 3);
        return render(deps, req, res, 'home', { title: 'Welcome', announcements });
      }
      const dashboard = await clientDashboard(deps.ds, clientOf(req).clientId, todayOf(deps), now);
      render(deps, req, res, 'dashboard', { title: 'Dashboard', dashboard, can: abilities(req) });
    }),
  );
  return router;
}
