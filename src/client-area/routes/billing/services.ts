import express, { type Request, type Response } from 'express';
import { listServices, serviceOfClient, type ServiceDetail } from '../../../domain/client-views/services.js';
import { REASON_MAX, requestCancellation } from '../../../domain/client-views/cancellation.js';
import { moneyFormatter } from '../../../domain/client-views/money.js';
import { requestUpgrade, upgradeChoices } from '../../../domain/orders/upgrades.js';
import { clientOf, field, flash, notFound, pagination, render, requirePermission, wrap, type ClientAreaDeps } from '../../kit.js';
import { idParam, todayOf } from './shared.js';

/** Services: list, detail, control-panel login, cancellation request, upgrade/downgrade. */
export function serviceRoutes(deps: ClientAreaDeps): express.Router {
  const router = express.Router();
  // Prefix match: the list and everything under /services/.
  router.use('/services', requirePermission('services'));

  router.get(
    '/services',
    wrap(async (req, res) => {
      let pages: ReturnType<typeof pagination> | undefined;
      const list = await listServices(deps.ds, clientOf(req).clientId, (total) => (pages = pagination(req, total, 20)));
      render(deps, req, res, 'services/index', { title: 'Services', services: list.rows, pages: pages!.view });
    }),
  );

  const serviceOr404 = async (req: Request): Promise<ServiceDetail> => {
    const service = await serviceOfClient(deps.ds, clientOf(req).clientId, idParam(req));
    if (!service) throw notFound();
    return service;
  };

  const showService = (req: Request, res: Response, service: ServiceDetail, extra: Record<string, unknown> = {}, status = 200) =>
    render(deps, req, res, 'services/show', {
      title: service.product,
      service,
      canLogin: service.status === 'active' && service.hasAccount,
      canCancel: ['pending', 'active', 'suspended'].includes(service.status) && !(service.cancellation && ['pending', 'approved'].includes(service.cancellation.status)),
      canUpgrade: service.status === 'active',
      reasonMax: REASON_MAX,
      values: { type: 'end_of_period', reason: '' },
      errors: {},
      ...extra,
    }, status);

  router.get('/services/:id', wrap(async (req, res) => showService(req, res, await serviceOr404(req))));

  router.post(
    '/services/:id/login',
    wrap(async (req, res) => {
      const service = await serviceOr404(req);
      const back = `/services/${service.id}`;
      if (service.status !== 'active') {
        flash(req, 'error', `This service is ${service.status}; you can log in to its control panel only while it is active.`);
        return res.redirect(303, back);
      }
      const out = await deps.services.provisioning.loginUrl(service.id);
      if (!out.ok || !/^https?:\/\//i.test(out.url)) {
        if (!out.ok && out.error !== 'no_account') deps.logger.warn({ serviceId: service.id, error: out.error, message: out.message }, 'control panel login failed');
        flash(req, 'error', !out.ok && out.error === 'no_account' ? 'This service has no control panel account yet.' : 'The control panel could not be reached for a login just now. Please try again in a few minutes.');
        return res.redirect(303, back);
      }
      res.set('Cache-Control', 'no-store');
      res.redirect(303, out.url);
    }),
  );

  router.post(
    '/services/:id/cancel',
    wrap(async (req, res) => {
      const service = await serviceOr404(req);
      const values = { type: field(req.body, 'type'), reason: field(req.body, 'reason') };
      const out = await requestCancellation(deps.ds, { clientId: clientOf(req).clientId, serviceId: service.id, ...values });
      if (out.ok) {
        flash(req, 'success', values.type === 'immediate' ? 'Your cancellation request has been received; our team will cancel the service shortly.' : 'Your cancellation request has been received; the service will end at the end of the period you have paid for.');
        return res.redirect(303, `/services/${service.id}`);
      }
      if (out.error === 'service_not_found') throw notFound();
      if (out.field) return showService(req, res, service, { values, errors: { [out.field]: out.message } }, 422);
      flash(req, 'error', out.message);
      res.redirect(303, `/services/${service.id}`);
    }),
  );

  const showUpgrade = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const choices = await upgradeChoices(deps.ds, { clientId: clientOf(req).clientId, serviceId: idParam(req), today: todayOf(deps) });
    if (!choices.ok) throw notFound();
    const money = await moneyFormatter(deps.ds);
    const { service, blocked, options } = choices;
    render(deps, req, res, 'services/upgrade', {
      title: `Change ${service.productName}`,
      service: { ...service, price: money(service.price, service.currencyId) },
      blocked,
      options: options.map((o) => ({ ...o, price: money(o.price, service.currencyId), dueNow: money(o.dueNow, service.currencyId), isUpgrade: o.direction === 'upgrade' })),
      errors: {},
      values: {},
      ...extra,
    }, status);
  };

  router.get('/services/:id/upgrade', wrap(async (req, res) => showUpgrade(req, res)));

  router.post(
    '/services/:id/upgrade',
    wrap(async (req, res) => {
      const serviceId = idParam(req);
      const raw = field(req.body, 'productId');
      const productId = /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : 0;
      const out = await requestUpgrade(deps.ds, deps.services.provisioning, { clientId: clientOf(req).clientId, serviceId, productId, today: todayOf(deps) });
      if (out.ok && out.kind === 'invoice') {
        flash(req, 'success', `Invoice ${out.invoiceNumber ?? ''} has been created for the move to ${out.productName}. Your service changes as soon as it is paid.`);
        return res.redirect(303, `/invoices/${out.invoiceId}`);
      }
      if (out.ok) {
        flash(req, 'success', `Your service is now on ${out.productName}. The new price applies from your next renewal.`);
        return res.redirect(303, `/services/${serviceId}`);
      }
      if (out.error === 'service_not_found') throw notFound();
      if (out.field) return showUpgrade(req, res, { errors: { [out.field]: out.message }, values: { productId: raw } }, 422);
      flash(req, 'error', out.message);
      res.redirect(303, `/services/${serviceId}/upgrade`);
    }),
  );
  return router;
}
