import express from 'express';
import { notFound, pagination, render, wrap, type ClientAreaDeps } from '../../kit.js';
import { PublicContent } from '../../../domain/support/content.js';

const SEARCH_MAX = 100;

/** The public pages: announcements, the knowledge base with its search, and the network status. */
export function contentRoutes(deps: ClientAreaDeps): express.Router {
  const router = express.Router();
  const content = new PublicContent({ ds: deps.ds, clock: deps.clock });

  router.get(
    '/announcements',
    wrap(async (req, res) => {
      let pages = pagination(req, 0, 10).view;
      const rows = await content.announcements((total) => {
        const p = pagination(req, total, 10);
        pages = p.view;
        return p;
      });
      render(deps, req, res, 'announcements/index', { title: 'Announcements', rows, pages });
    }),
  );

  router.get(
    '/announcements/:id',
    wrap(async (req, res) => {
      const id = /^[1-9]\d{0,9}$/.test(req.params.id) ? Number(req.params.id) : null;
      const announcement = id ? await content.announcement(id) : null;
      if (!announcement) throw notFound();
      render(deps, req, res, 'announcements/show', { title: announcement.title, announcement });
    }),
  );

  router.get(
    '/knowledgebase',
    wrap(async (req, res) => {
      const q = (typeof req.query.q === 'string' ? req.query.q : '').trim().slice(0, SEARCH_MAX);
      if (!q) return render(deps, req, res, 'knowledgebase/index', { title: 'Knowledge base', categories: await content.knowledgeBase(), q });
      let pages = pagination(req, 0, 20).view;
      const found = await content.searchArticles(q, (total) => {
        const p = pagination(req, total, 20);
        pages = p.view;
        return p;
      });
      render(deps, req, res, 'knowledgebase/index', { title: `Search: ${q}`, q, searched: true, results: found.rows, total: found.total, pages });
    }),
  );

  router.get(
    '/knowledgebase/:slug',
    wrap(async (req, res) => {
      const article = await content.article(req.params.slug);
      if (!article) throw notFound();
      render(deps, req, res, 'knowledgebase/show', { title: article.title, article });
    }),
  );

  router.get(
    '/network-status',
    wrap(async (req, res) => {
      const issues = await content.networkIssues();
      const quiet = !issues.current.length && !issues.scheduled.length;
      render(deps, req, res, 'network-status', { title: 'Network status', issues, quiet });
    }),
  );

  return router;
}
