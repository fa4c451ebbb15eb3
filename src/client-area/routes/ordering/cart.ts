/** The cart page: its lines priced by the server, removing a line, applying and removing a promotion code. */
import express, { type Request, type Response } from 'express';
import { In } from 'typeorm';
import { field, flash, render, wrap, type ClientAreaDeps } from '../../kit.js';
import { normaliseCode } from '../../../domain/catalog/promotions.js';
import { priceCart, type PricedCart } from '../../../domain/cart/cart-pricing.js';
import { findLine, removeLine, type Cart } from '../../../domain/cart/cart.js';
import { Product } from '../../../entities/catalog/product.entity.js';
import { buyerOf, cartOf, saveCart, type Buyer } from './buyer.js';
import { cartView } from './present.js';
import { domainLinesView } from './domain-cart.js';

/** Names of the cart's products, for lines that can no longer be priced (the quote has the name otherwise). */
export async function productNames(deps: ClientAreaDeps, cart: Cart): Promise<Map<number, string>> {
  const ids = [...new Set(cart.lines.map((l) => l.productId))];
  const rows = ids.length ? await deps.ds.getRepository(Product).find({ where: { id: In(ids) }, select: ['id', 'name'] }) : [];
  return new Map(rows.map((p) => [p.id, p.name]));
}

export async function pricedCartView(deps: ClientAreaDeps, cart: Cart, b: Buyer, priced?: PricedCart) {
  const p = priced ?? (await priceCart(deps.ds, cart, b));
  const view = cartView(p, b, await productNames(deps, cart));
  return { ...view, domains: await domainLinesView(deps, p.domains, b), empty: view.empty && p.domains.length === 0 };
}

async function renderCart(deps: ClientAreaDeps, req: Request, res: Response, extra: { errors?: Record<string, string>; promoCode?: string } = {}, status = 200) {
  const b = await buyerOf(deps, req);
  const cart = cartOf(req);
  render(deps, req, res, 'store/cart', {
    title: 'Your cart',
    cart: await pricedCartView(deps, cart, b),
    currency: b.currency.code,
    switchable: b.switchable,
    basePath: '/cart',
    promoCode: extra.promoCode ?? cart.promoCode ?? '',
    errors: extra.errors ?? {},
  }, status);
}

export function cartRoutes(deps: ClientAreaDeps): express.Router {
  const router = express.Router();

  router.get('/cart', wrap(async (req, res) => renderCart(deps, req, res)));

  router.post('/cart/remove', wrap(async (req, res) => {
    const cart = cartOf(req);
    const line = findLine(cart, field(req.body, 'line'));
    if (line) {
      saveCart(req, removeLine(cart, line.id));
      flash(req, 'success', 'Removed from your cart.');
    }
    res.redirect(303, '/cart');
  }));

  /** action=remove drops the code; otherwise the code is tried on the cart and kept only when it counts. */
  router.post('/cart/promo', wrap(async (req, res) => {
    const cart = cartOf(req);
    if (field(req.body, 'action') === 'remove') {
      saveCart(req, { ...cart, promoCode: null });
      flash(req, 'info', 'Promotion code removed.');
      return res.redirect(303, '/cart');
    }
    const typed = field(req.body, 'promoCode').slice(0, 64);
    if (!typed) return renderCart(deps, req, res, { errors: { promoCode: 'Enter a promotion code.' }, promoCode: '' }, 422);
    const code = normaliseCode(typed);
    const priced = await priceCart(deps.ds, { ...cart, promoCode: code }, await buyerOf(deps, req));
    if (priced.promoProblem) return renderCart(deps, req, res, { errors: { promoCode: priced.promoProblem.message }, promoCode: typed }, 422);
    saveCart(req, { ...cart, promoCode: code });
    flash(req, 'success', `Promotion code ${code} applied.`);
    res.redirect(303, '/cart');
  }));

  return router;
}
