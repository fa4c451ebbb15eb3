import express, { type Request } from 'express';
import { moneyFormatter } from '../../../domain/client-views/money.js';
import { QuoteDesk } from '../../../domain/backoffice/quotes.js';
import { renderQuotePdf } from '../../../domain/backoffice/quote-document.js';
import { billingSettings } from '../../../domain/settings.js';
import { clientOf, flash, notFound, render, requirePermission, wrap, type ClientAreaDeps } from '../../kit.js';
import { idParam, todayOf } from './shared.js';

/** Stages a client sees: a draft is still being written by staff. */
const VISIBLE = ['delivered', 'on_hold', 'accepted', 'lost', 'dead'];
const ACCEPTABLE = ['delivered', 'on_hold'];

type QuoteRecord = { id: number; quoteNumber: string; subject: string; stage: string; validUntil: string | null; currencyId: number; subtotal: number; tax: number; total: number; invoiceId: number | null; proposal: string | null; notes: string | null; createdAt: Date };

/** Quotes sent to the signed-in client: list, view, PDF, accept (which raises the invoice). Another client's quote is a 404. */
export function quoteRoutes(deps: ClientAreaDeps): express.Router {
  const router = express.Router();
  router.use('/quotes', requirePermission('billing'));
  const desk = new QuoteDesk({ ds: deps.ds, clock: deps.clock, timeZone: deps.config.APP_TIMEZONE });

  const own = async (req: Request): Promise<QuoteRecord> => {
    const q = (await deps.ds.getRepository('Quote').findOneBy({ id: idParam(req), clientId: clientOf(req).clientId })) as QuoteRecord | null;
    if (!q || !VISIBLE.includes(q.stage)) throw notFound();
    return q;
  };

  router.get(
    '/quotes',
    wrap(async (req, res) => {
      const rows = (await deps.ds.getRepository('Quote').createQueryBuilder('q')
        .where('q.client_id = :c AND q.stage IN (:...st)', { c: clientOf(req).clientId, st: VISIBLE })
        .orderBy('q.id', 'DESC').limit(200).getMany()) as QuoteRecord[];
      const money = await moneyFormatter(deps.ds);
      const today = todayOf(deps);
      render(deps, req, res, 'quotes/index', {
        title: 'Quotes',
        quotes: rows.map((q) => ({ id: q.id, number: q.quoteNumber, subject: q.subject, stage: q.stage, validUntil: q.validUntil, total: money(q.total, q.currencyId), expired: Boolean(q.validUntil && q.validUntil < today && !q.invoiceId) })),
      });
    }),
  );

  router.get(
    '/quotes/:id',
    wrap(async (req, res) => {
      const q = await own(req);
      const money = await moneyFormatter(deps.ds);
      const today = todayOf(deps);
      const items = await desk.items(deps.ds, q.id);
      const expired = Boolean(q.validUntil && q.validUntil < today);
      render(deps, req, res, 'quotes/show', {
        title: `Quote ${q.quoteNumber}`,
        quote: { id: q.id, number: q.quoteNumber, subject: q.subject, stage: q.stage, validUntil: q.validUntil, proposal: q.proposal, notes: q.notes, invoiceId: q.invoiceId, subtotal: money(q.subtotal, q.currencyId), tax: q.tax ? money(q.tax, q.currencyId) : null, total: money(q.total, q.currencyId) },
        lines: items.map((i) => ({ description: i.description, quantity: i.quantity, unitPrice: money(i.unitPrice, q.currencyId), discount: Number(i.discountPercent) ? `${Number(i.discountPercent)}%` : '', amount: money(i.amount, q.currencyId) })),
        expired: expired && !q.invoiceId,
        canAccept: ACCEPTABLE.includes(q.stage) && !q.invoiceId && !expired,
      });
    }),
  );

  router.get(
    '/quotes/:id/pdf',
    wrap(async (req, res, next) => {
      const q = await own(req);
      const { taxInclusive } = await billingSettings(deps.ds);
      const out = await renderQuotePdf({ ds: deps.ds, renderer: deps.services.pdf, clock: deps.clock, timeZone: deps.config.APP_TIMEZONE, taxInclusive }, q.id);
      if (!out.ok) {
        deps.logger.error({ error: out.error, quoteId: q.id }, out.message);
        return next(Object.assign(new Error('The PDF could not be made just now. Please try again in a few minutes.'), { statusCode: out.error === 'pdf_renderer_unavailable' ? 503 : 500 }));
      }
      res.status(200);
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `attachment; filename="${out.filename}"`);
      res.setHeader('Cache-Control', 'private, no-store');
      res.end(out.pdf);
    }),
  );

  router.post(
    '/quotes/:id/accept',
    wrap(async (req, res) => {
      const q = await own(req);
      const out = await desk.accept({ quoteId: q.id, clientId: clientOf(req).clientId, byClient: true });
      if (!out.ok) {
        if (out.error === 'quote_not_found') throw notFound();
        flash(req, 'error', out.message);
        return res.redirect(303, `/quotes/${q.id}`);
      }
      flash(req, 'success', out.already ? 'You have already accepted this quote; here is its invoice.' : `Thank you — quote ${q.quoteNumber} is accepted. Invoice ${out.invoiceNumber ?? ''} has been created.`);
      res.redirect(303, `/invoices/${out.invoiceId}`);
    }),
  );
  return router;
}
