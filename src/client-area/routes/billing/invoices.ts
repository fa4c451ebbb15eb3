import express, { type Request, type Response } from 'express';
import { INVOICE_FILTERS, invoiceOfClient, isInvoiceFilter, listInvoices, ownInvoice } from '../../../domain/client-views/invoices.js';
import { moneyFormatter } from '../../../domain/client-views/money.js';
import { renderInvoicePdf } from '../../../integrations/pdf/invoice-pdf.js';
import { clientOf, field, flash, notFound, pagination, render, requirePermission, wrap, type ClientAreaDeps } from '../../kit.js';
import { idParam, todayOf } from './shared.js';

const FILTER_LABELS: Record<keyof typeof INVOICE_FILTERS, string> = { all: 'All', unpaid: 'Unpaid', paid: 'Paid', cancelled: 'Cancelled' };

/** PaymentService speaks to staff ("the client"); the client reads these instead. */
const CREDIT_REFUSALS: Record<string, string> = {
  nothing_to_apply: 'There is no account credit to apply, or nothing is due on this invoice.',
  invoice_not_payable: 'This invoice no longer takes payments.',
  currency_mismatch: 'Your account credit is in another currency than this invoice, so it cannot pay it.',
};

/** Invoices: list with a status filter, detail with the pay section, PDF download, paying from account credit. */
export function invoiceRoutes(deps: ClientAreaDeps): express.Router {
  const router = express.Router();
  router.use('/invoices', requirePermission('billing'));

  router.get(
    '/invoices',
    wrap(async (req, res) => {
      // An unknown filter in a hand-edited URL shows everything rather than an error page.
      const filter = isInvoiceFilter(req.query.status) ? req.query.status : 'all';
      let pages: ReturnType<typeof pagination> | undefined;
      const list = await listInvoices(deps.ds, clientOf(req).clientId, filter, todayOf(deps), (total) => (pages = pagination(req, total, 20)));
      const filters = Object.entries(FILTER_LABELS).map(([value, label]) => ({ value, label, current: value === filter }));
      render(deps, req, res, 'invoices/index', { title: 'Invoices', invoices: list.rows, filter, filters, pages: pages!.view });
    }),
  );

  const showInvoice = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const invoice = await invoiceOfClient(deps.ds, clientOf(req).clientId, idParam(req), { clock: deps.clock, timeZone: deps.config.APP_TIMEZONE });
    if (!invoice) throw notFound();
    const { document } = invoice;
    render(deps, req, res, 'invoices/show', {
      title: `Invoice ${document.number}`,
      invoice: document,
      status: invoice.status,
      stampLabel: document.stamp.label.charAt(0) + document.stamp.label.slice(1).toLowerCase(),
      payable: invoice.payable,
      usableCredit: invoice.usableCredit,
      bankTransfer: invoice.bankTransfer,
      gateways: invoice.payable ? await onlineGateways(invoice.currencyId) : [],
      cancelled: req.query.payment === 'cancelled',
      errors: {},
      ...extra,
    }, status);
  };

  /** The provider gateways a client can pay this invoice with (enabled, configured, taking its currency). */
  const onlineGateways = async (currencyId: number) => {
    const currency = (await deps.ds.getRepository('Currency').findOne({ where: { id: currencyId }, select: { id: true, code: true } })) as { code: string } | null;
    if (!currency) return [];
    const list = await deps.services.gateways.forCurrency(currency.code);
    return list.map((g) => ({ code: g.settings.code, name: g.settings.displayName, canSave: g.module.supports.savedMethods }));
  };

  router.get('/invoices/:id', wrap(async (req, res) => showInvoice(req, res)));
  // Where checkout and reminder emails send the client: the same page, which holds the ways to pay.
  router.get('/invoices/:id/pay', wrap(async (req, res) => showInvoice(req, res)));

  router.get(
    '/invoices/:id/pdf',
    wrap(async (req, res, next) => {
      const id = idParam(req);
      if (!(await ownInvoice(deps.ds, clientOf(req).clientId, id))) throw notFound();
      const out = await renderInvoicePdf({ ds: deps.ds, renderer: deps.services.pdf, clock: deps.clock, timeZone: deps.config.APP_TIMEZONE }, id);
      if (!out.ok) {
        if (out.error === 'invoice_not_found') throw notFound();
        deps.logger.error({ error: out.error, invoiceId: id }, out.message);
        return next(Object.assign(new Error('The PDF could not be made just now. Please try again in a few minutes.'), { statusCode: out.error === 'pdf_renderer_unavailable' ? 503 : 500 }));
      }
      res.status(200);
      res.setHeader('Content-Type', 'application/pdf');
      res.setHeader('Content-Disposition', `attachment; filename="${out.filename}"`);
      res.setHeader('Content-Length', String(out.pdf.length));
      res.setHeader('Cache-Control', 'private, no-store');
      res.end(out.pdf);
    }),
  );

  router.post(
    '/invoices/:id/pay',
    wrap(async (req, res) => {
      const id = idParam(req);
      const own = await ownInvoice(deps.ds, clientOf(req).clientId, id);
      if (!own) throw notFound();
      const method = field(req.body, 'method');
      if (method && method !== 'credit' && deps.services.gateways.moduleOf(method)) {
        const started = await deps.services.checkout.start({ clientId: clientOf(req).clientId, invoiceId: id, gateway: method, saveMethod: field(req.body, 'saveMethod') === '1', ip: req.ip ?? null });
        if (!started.ok) {
          if (started.error === 'invoice_not_found') throw notFound();
          return showInvoice(req, res, { errors: { method: started.message } }, 422);
        }
        // A page that sends the browser on, rather than a redirect: the CSP's form-action 'self' would stop a form
        // post from being redirected to the provider's origin, and this works without JavaScript.
        return render(deps, req, res, 'payments/redirect', { title: 'Continue to payment', redirectTo: started.redirectUrl, gateway: method });
      }
      if (method !== 'credit') return showInvoice(req, res, { errors: { method: 'Choose how to pay.' } }, 422);
      const out = await deps.services.payments.applyCredit({ invoiceId: id });
      if (!out.ok) {
        flash(req, 'error', CREDIT_REFUSALS[out.error] ?? out.message);
        return res.redirect(303, `/invoices/${id}`);
      }
      const money = await moneyFormatter(deps.ds);
      const applied = money(out.applied, own.currencyId);
      flash(req, 'success', out.invoiceStatus === 'paid' ? `${applied} of account credit applied. The invoice is paid — thank you.` : `${applied} of account credit applied. The rest is still due.`);
      res.redirect(303, `/invoices/${id}`);
    }),
  );
  return router;
}
