import express, { type Request, type Response } from 'express';
import { domainToUnicode } from 'node:url';
import { listDomains } from '../../../domain/client-views/domains.js';
import { moneyFormatter } from '../../../domain/client-views/money.js';
import { tldPriceTable } from '../../../domain/domains/pricing.js';
import type { DomainRow } from '../../../domain/domains/registration-data.js';
import { clientOf, field, flash, notFound, pagination, render, requirePermission, wrap, type ClientAreaDeps } from '../../kit.js';
import { idParam } from './shared.js';

/** Statuses in which the registrar holds the domain for the client: it can be managed and renewed. */
const MANAGED = ['active', 'grace', 'redemption'];

/**
 * The client's domains: the list, and each domain's page with its management forms. Every change goes through
 * DomainService with the signed-in client as requester (it refuses another client's domain); this file only maps
 * forms to calls and answers to pages.
 */
export function domainRoutes(deps: ClientAreaDeps): express.Router {
  const router = express.Router();
  const mayManage = requirePermission('domains');

  router.get(
    '/domains',
    mayManage,
    wrap(async (req, res) => {
      let pages: ReturnType<typeof pagination> | undefined;
      const list = await listDomains(deps.ds, clientOf(req).clientId, (total) => (pages = pagination(req, total, 25)));
      const domains = list.rows.map((d) => ({ ...d, name: domainToUnicode(d.name) || d.name, renewable: MANAGED.includes(d.status) }));
      render(deps, req, res, 'domains/index', { title: 'Domains', domains, pages: pages!.view });
    }),
  );

  /** The signed-in client's domain, or 404: another client's looks exactly like a missing one. */
  const domainOr404 = async (req: Request): Promise<DomainRow> => {
    const d = (await deps.ds.getRepository('Domain').findOneBy({ id: idParam(req), clientId: clientOf(req).clientId })) as DomainRow | null;
    if (!d) throw notFound();
    return d;
  };

  const showDomain = async (req: Request, res: Response, d: DomainRow, extra: Record<string, unknown> = {}, status = 200) => {
    const money = await moneyFormatter(deps.ds);
    const [prices] = await tldPriceTable(deps.ds, d.currencyId, { includeHidden: true, tlds: [d.tld] });
    const managed = MANAGED.includes(d.status);
    const renewTerms = (prices?.terms ?? []).filter((t) => t.renew !== null).map((t) => ({ years: t.years, label: `${t.years} year${t.years === 1 ? '' : 's'}: ${money(t.renew!, d.currencyId)}` }));
    const service = d.serviceId ? ((await deps.ds.getRepository('Service').findOneBy({ id: d.serviceId, clientId: d.clientId })) as { id: number } | null) : null;
    render(deps, req, res, 'domains/show', {
      title: domainToUnicode(d.domainName) || d.domainName,
      domain: {
        id: d.id,
        name: domainToUnicode(d.domainName) || d.domainName,
        ascii: d.domainName,
        idn: (domainToUnicode(d.domainName) || d.domainName) !== d.domainName,
        status: d.status,
        registrationType: d.registrationType,
        registrationDate: d.registrationDate,
        expiryDate: d.expiryDate,
        nextDueDate: d.nextDueDate,
        autoRenew: Boolean(d.autoRenew),
        locked: Boolean(d.registrarLock),
        idProtection: Boolean(d.idProtection),
        nameservers: d.nameservers ?? [],
        serviceId: service?.id ?? null,
      },
      managed,
      renewable: managed && renewTerms.length > 0,
      renewTerms,
      grace: d.status === 'grace',
      redemption: d.status === 'redemption',
      nameserverText: (d.nameservers ?? []).join('\n'),
      errors: {},
      eppCode: null,
      ...extra,
    }, status);
  };

  router.get('/domains/:id(\\d+)', mayManage, wrap(async (req, res) => showDomain(req, res, await domainOr404(req))));

  /** The answer of a DomainService call: its message as a flash, back to the domain's page (404 for a stranger's). */
  const answer = (req: Request, res: Response, d: DomainRow, out: { ok: true; message: string } | { ok: false; error: string; message: string }) => {
    if (!out.ok && out.error === 'domain_not_found') throw notFound();
    flash(req, out.ok ? 'success' : 'error', out.message);
    res.redirect(303, `/domains/${d.id}`);
  };
  const onOff = (req: Request, name: string) => field(req.body, name) === 'on';
  const who = (req: Request) => ({ clientId: clientOf(req).clientId });

  router.post('/domains/:id(\\d+)/nameservers', mayManage, wrap(async (req, res) => {
    const d = await domainOr404(req);
    const typed = field(req.body, 'nameservers').slice(0, 2000);
    const out = await deps.services.domains.setNameservers(d.id, typed, who(req));
    if (!out.ok && out.field === 'nameservers') return showDomain(req, res, d, { nameserverText: typed, errors: { nameservers: out.message } }, 422);
    answer(req, res, d, out);
  }));

  router.post('/domains/:id(\\d+)/lock', mayManage, wrap(async (req, res) => {
    const d = await domainOr404(req);
    answer(req, res, d, await deps.services.domains.setLock(d.id, onOff(req, 'locked'), who(req)));
  }));

  router.post('/domains/:id(\\d+)/id-protection', mayManage, wrap(async (req, res) => {
    const d = await domainOr404(req);
    answer(req, res, d, await deps.services.domains.setIdProtection(d.id, onOff(req, 'enabled'), who(req)));
  }));

  router.post('/domains/:id(\\d+)/auto-renew', mayManage, wrap(async (req, res) => {
    const d = await domainOr404(req);
    answer(req, res, d, await deps.services.domains.setAutoRenew(d.id, onOff(req, 'autoRenew'), who(req)));
  }));

  router.post('/domains/:id(\\d+)/contact', mayManage, wrap(async (req, res) => {
    const d = await domainOr404(req);
    answer(req, res, d, await deps.services.domains.updateContact(d.id, who(req)));
  }));

  /** The code is shown on this one response only: never put in a URL, a flash or the session. */
  router.post('/domains/:id(\\d+)/epp', mayManage, wrap(async (req, res) => {
    const d = await domainOr404(req);
    const out = await deps.services.domains.getEppCode(d.id, who(req));
    if (!out.ok) return answer(req, res, d, out);
    res.set('Cache-Control', 'no-store');
    await showDomain(req, res, d, { eppCode: out.eppCode });
  }));

  router.post('/domains/:id(\\d+)/renew', mayManage, wrap(async (req, res) => {
    const d = await domainOr404(req);
    const raw = field(req.body, 'years');
    const years = /^\d{1,2}$/.test(raw) ? Number(raw) : 0;
    const out = await deps.services.domains.renewalInvoice(d.id, years, who(req));
    if (!out.ok) return answer(req, res, d, out);
    flash(req, 'success', out.existing
      ? `The renewal of ${domainToUnicode(d.domainName) || d.domainName} is already on invoice ${out.invoiceNumber ?? out.invoiceId}: pay it to renew.`
      : `Invoice ${out.invoiceNumber ?? out.invoiceId} has been created for the renewal. The domain is renewed as soon as it is paid.`);
    res.redirect(303, `/invoices/${out.invoiceId}`);
  }));

  return router;
}
