/**
 * Checkout: signed in (the cart waits in the session meanwhile), allowed to order, terms accepted; then the order
 * service places the order — prices again from the catalogue, inside its own transaction — and the customer goes to
 * the invoice to pay it, or straight to their services when there is nothing to pay.
 */
import { CustomFields, type FieldDef } from '../../../domain/clients/custom-fields.js';
import express, { type Request, type Response } from 'express';
import { clientOf, field, flash, render, requirePermission, requestContext, wrap, type ClientAreaDeps } from '../../kit.js';
import { readSettings } from '../../../domain/settings.js';
import { cartSize, emptyCart } from '../../../domain/cart/cart.js';
import { domainOrderItems } from './domain-cart.js';
import { buyerOf, cartOf, saveCart } from './buyer.js';
import { pricedCartView } from './cart.js';

interface CheckoutProblems {
  errors?: Record<string, string>;
  /** Refusals of single lines, by their index in the cart (from the order service's `items.N.*` fields). */
  lineErrors?: Map<number, string>;
  accepted?: boolean;
}

async function renderCheckout(deps: ClientAreaDeps, req: Request, res: Response, p: CheckoutProblems = {}, status = 200) {
  const b = await buyerOf(deps, req);
  const view = await pricedCartView(deps, cartOf(req), b);
  view.lines.forEach((l, i) => (l.problem = p.lineErrors?.get(i) ?? l.problem));
  // Domain lines follow the products in the order's items (see placeOrder below).
  view.domains.forEach((d, i) => (d.problem = p.lineErrors?.get(view.lines.length + i) ?? d.problem));
  const terms = (await readSettings(deps.ds, 'ordering.')).get('ordering.termsUrl') ?? '';
  const termsUrl = /^https?:\/\//.test(terms) ? terms : null;
  render(deps, req, res, 'store/checkout', { title: 'Checkout', cart: view, currency: b.currency.code, errors: p.errors ?? {}, accepted: p.accepted ?? false, termsUrl }, status);
}

export function checkoutRoutes(deps: ClientAreaDeps): express.Router {
  const router = express.Router();
  const mayOrder = requirePermission('orders');

  router.get('/checkout', mayOrder, wrap(async (req, res) => {
    if (!cartSize(cartOf(req))) {
      flash(req, 'info', 'Your cart is empty: choose a product first.');
      return res.redirect(303, '/store');
    }
    await renderCheckout(deps, req, res);
  }));

  router.post('/checkout', mayOrder, wrap(async (req, res) => {
    const cart = cartOf(req);
    const accepted = field(req.body, 'acceptTerms') !== '';
    if (!cartSize(cart)) return renderCheckout(deps, req, res, { errors: { _form: 'Your cart is empty: there is nothing to order.' } }, 422);
    if (!accepted) return renderCheckout(deps, req, res, { errors: { acceptTerms: 'Please read and accept the terms of service to place the order.' } }, 422);

    // Order-form fields are checked again: staff may have changed them since the line went into the cart.
    const customFields = new CustomFields(deps.ds);
    const lineFields: Array<{ defs: FieldDef[]; values: Record<string, string> }> = [];
    const stale = new Map<number, string>();
    for (const [i, l] of cart.lines.entries()) {
      const defs = await customFields.forOrder(l.productId);
      const values = l.fields ?? {};
      if (Object.keys(customFields.check(defs, values).errors).length) stale.set(i, 'Some details this product needs are missing or no longer valid: edit it in your cart and fill them in.');
      lineFields.push({ defs, values });
    }
    if (stale.size) return renderCheckout(deps, req, res, { accepted, lineErrors: stale }, 422);

    const placed = await deps.services.orders.placeOrder({
      clientId: clientOf(req).clientId,
      items: [...cart.lines.map((l) => ({ productId: l.productId, cycle: l.cycle, configOptions: l.configOptions, addonIds: l.addonIds, domain: l.domain })), ...domainOrderItems(cart)],
      promoCode: cart.promoCode,
      ipAddress: requestContext(req).ip,
    });
    if (!placed.ok) {
      const line = /^items\.(\d+)/.exec(placed.field ?? '');
      const p: CheckoutProblems = { accepted };
      if (line) p.lineErrors = new Map([[Number(line[1]), placed.message]]);
      else p.errors = placed.field === 'promoCode' ? { promoCode: placed.message } : { _form: placed.message };
      return renderCheckout(deps, req, res, p, 422);
    }
    for (const [i, serviceId] of placed.serviceIds.entries()) {
      const f = lineFields[i];
      if (!f?.defs.length) continue;
      const saved = await customFields.save({ kind: 'service', serviceId, clientId: clientOf(req).clientId }, f.defs, f.values);
      if (!saved.ok) deps.logger.warn({ orderId: placed.orderId, serviceId }, `order-form fields not saved: ${saved.message}`);
    }
    saveCart(req, { ...emptyCart(), currencyId: cart.currencyId });
    deps.logger.info({ orderId: placed.orderId, clientId: clientOf(req).clientId }, 'client placed an order');
    if (placed.total === 0) {
      flash(req, 'success', `Order ${placed.orderNumber} placed. There is nothing to pay: your services are being set up.`);
      return res.redirect(303, '/services');
    }
    flash(req, 'success', `Order ${placed.orderNumber} placed. Pay invoice ${placed.invoiceNumber ?? placed.invoiceId} to start your services.`);
    res.redirect(303, `/invoices/${placed.invoiceId}`);
  }));

  return router;
}
