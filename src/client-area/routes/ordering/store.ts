/** The storefront: catalogue, categories, the configure page of a product, and adding it to the cart. */
import express, { type Request, type Response } from 'express';
import { field, flash, notFound, render, wrap, type ClientAreaDeps } from '../../kit.js';
import { quoteOrderLine } from '../../../domain/catalog/pricing.js';
import { productOffer, storeCatalog, storeCategory, type ProductOffer } from '../../../domain/cart/storefront.js';
import { checkLine, readLineRequest, type LineRequest } from '../../../domain/cart/cart-line.js';
import { findLine, MAX_CART_LINES, newLineId, putDomain, putLine } from '../../../domain/cart/cart.js';
import { hostingDomainLine } from './domain-cart.js';
import { buyerOf, cartOf, saveCart, type Buyer } from './buyer.js';
import { CustomFields, formFields, inputName, postedFields } from '../../../domain/clients/custom-fields.js';
import { catalogView, defaultSelection, productView, quoteView, type Selection } from './present.js';

const idParam = (v: string): number => (/^\d{1,15}$/.test(v) ? Number(v) : 0);

/** The price of the selection as it stands, for the summary beside the form (no summary when it cannot be priced). */
async function summary(deps: ClientAreaDeps, offer: ProductOffer, sel: Selection, b: Buyer) {
  if (!offer.cycles.length) return null;
  const q = await quoteOrderLine(deps.ds, { clientId: b.clientId, productId: offer.product.id, cycle: sel.cycle as never, currencyId: b.currencyId, configOptions: sel.configOptions, addonIds: sel.addonIds, today: b.today });
  return q.ok ? quoteView(q, b) : null;
}

/** Errors about fields the form does not show (an option of another product…) are shown above the form. */
function placeErrors(offer: ProductOffer, errors: Record<string, string>): Record<string, string> {
  const shown = new Set(['_form', 'cycle', 'domain', 'addons', ...offer.options.map((o) => `option_${o.id}`)]);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(errors)) {
    const key = shown.has(k) ? k : '_form';
    out[key] = out[key] ? `${out[key]} ${v}` : v;
  }
  return out;
}

async function renderProduct(deps: ClientAreaDeps, req: Request, res: Response, offer: ProductOffer, sel: Selection, b: Buyer, rawErrors: Record<string, string> = {}, status = 200, fieldValues: Record<string, string> = {}) {
  const defs = await new CustomFields(deps.ds).forOrder(offer.product.id);
  const fieldErrors = Object.fromEntries(Object.entries(rawErrors).filter(([k]) => k.startsWith('cf_')));
  const errors = placeErrors(offer, Object.fromEntries(Object.entries(rawErrors).filter(([k]) => !k.startsWith('cf_'))));
  const editing = sel.lineId && findLine(cartOf(req), sel.lineId) ? sel.lineId : '';
  render(deps, req, res, 'store/product', {
    title: offer.product.name,
    product: productView(offer, { ...sel, lineId: editing }, b),
    summary: await summary(deps, offer, sel, b),
    currency: b.currency.code,
    switchable: b.switchable,
    editing: Boolean(editing),
    errors,
    hasErrors: Object.keys(errors).length + Object.keys(fieldErrors).length > 0,
    orderFields: formFields(defs, fieldValues, fieldErrors),
  }, status);
}

const selectionOf = (r: LineRequest): Selection => ({ cycle: r.cycle, configOptions: r.configOptions, addonIds: r.addonIds, domain: r.domain, lineId: r.lineId });

export function storeRoutes(deps: ClientAreaDeps): express.Router {
  const router = express.Router();

  router.get('/store', wrap(async (req, res) => {
    const b = await buyerOf(deps, req);
    const categories = catalogView(await storeCatalog(deps.ds, b.currencyId), b);
    render(deps, req, res, 'store/index', { title: 'Order', categories, currency: b.currency.code, switchable: b.switchable, basePath: '/store' });
  }));

  // Before /store/:categorySlug, so that a category cannot shadow the product pages.
  router.get('/store/product/:id', wrap(async (req, res) => {
    const b = await buyerOf(deps, req);
    const offer = await productOffer(deps.ds, idParam(req.params.id), b.currencyId);
    if (!offer) throw notFound();
    const line = typeof req.query.line === 'string' ? findLine(cartOf(req), req.query.line) : undefined;
    const sel: Selection =
      line && line.productId === offer.product.id
        ? { cycle: line.cycle, configOptions: line.configOptions, addonIds: line.addonIds.map(String), domain: line.domain ?? '', lineId: line.id }
        : defaultSelection(offer);
    await renderProduct(deps, req, res, offer, sel, b, {}, 200, line?.fields ?? {});
  }));

  router.get('/store/:categorySlug', wrap(async (req, res) => {
    const b = await buyerOf(deps, req);
    const category = await storeCategory(deps.ds, req.params.categorySlug, b.currencyId);
    if (!category) throw notFound();
    const [view] = catalogView([category], b);
    render(deps, req, res, 'store/index', { title: category.name, category: view, categories: view.products.length ? [view] : [], currency: b.currency.code, switchable: b.switchable, basePath: `/store/${category.slug}` });
  }));

  /**
   * The configure form's two buttons: "Update price" (intent=quote) shows the server's price of the selection;
   * "Add to cart" checks the line as checkout will and puts it in the cart (or replaces the line being edited).
   */
  router.post('/cart/add', wrap(async (req, res) => {
    const b = await buyerOf(deps, req);
    const request = readLineRequest(req.body);
    const offer = await productOffer(deps.ds, idParam(request.productId), b.currencyId);
    if (!offer) {
      return render(deps, req, res, 'store/unavailable', { title: 'Not for sale', errors: { productId: 'That product is not for sale. Choose another from the store.' } }, 422);
    }
    const sel = selectionOf(request);
    const cart = cartOf(req);
    const editing = request.lineId && findLine(cart, request.lineId) ? request.lineId : null;
    if (!editing && cart.lines.length >= MAX_CART_LINES) {
      return renderProduct(deps, req, res, offer, sel, b, { _form: `Your cart already holds ${MAX_CART_LINES} products, as many as one order can. Check out first.` }, 422);
    }
    const posted = postedFields(req.body);
    const checked = await checkLine(deps.ds, request, b, editing ?? newLineId());
    if (!checked.ok) return renderProduct(deps, req, res, offer, sel, b, checked.errors, 422, posted);
    if (field(req.body, 'intent') === 'quote') return renderProduct(deps, req, res, offer, sel, b, {}, 200, posted);
    // The product's order-form fields are checked here and again at checkout.
    const defs = await new CustomFields(deps.ds).forOrder(offer.product.id);
    const fields = new CustomFields(deps.ds).check(defs, posted);
    if (Object.keys(fields.errors).length) return renderProduct(deps, req, res, offer, sel, b, fields.errors, 422, posted);
    const values = Object.fromEntries(defs.map((d) => [inputName(d), fields.values.get(d.id) ?? '']));
    // "Register this domain too": a domain line for the same name, which the order links to this service.
    if (field(req.body, 'domainOption') === 'register' && checked.line.domain) {
      res.locals.page = { ...res.locals.page, registerDomain: true };
      const withDomain = await hostingDomainLine(deps, req, b, checked.line.domain, cart);
      if (!withDomain.ok) return renderProduct(deps, req, res, offer, sel, b, { domain: Object.values(withDomain.errors).join(' ') }, 422, posted);
      saveCart(req, putDomain(putLine(cart, { ...checked.line, fields: values }), withDomain.line));
      flash(req, 'success', `${checked.product.name} and the registration of ${withDomain.unicode} added to your cart.`);
      return res.redirect(303, '/cart');
    }
    saveCart(req, putLine(cart, { ...checked.line, fields: values }));
    flash(req, 'success', editing ? `${checked.product.name} updated in your cart.` : `${checked.product.name} added to your cart.`);
    res.redirect(303, '/cart');
  }));

  return router;
}
