/**
 * Who is buying and in which currency, and the cart in their session. A signed-in client is always priced in their
 * own currency (quoteOrderLine refuses any other); a visitor sees the default currency, or the one they switched
 * to with ?currency=EUR when the shop has more than one.
 */
import type { Request } from 'express';
import { businessDate } from '../../../domain/shared/clock.js';
import { formatMoney, type Cents } from '../../../domain/shared/money.js';
import { readCart, type Cart } from '../../../domain/cart/cart.js';
import type { PricingContext } from '../../../domain/cart/cart-line.js';
import { storeCurrencies } from '../../../domain/cart/storefront.js';
import { Client } from '../../../entities/clients/client.entity.js';
import type { Currency } from '../../../entities/system/currency.entity.js';
import type { ClientAreaDeps } from '../../kit.js';

declare module 'express-session' {
  interface SessionData {
    /** The shopping cart: choices only, never prices (see domain/cart/cart.ts). Must survive login. */
    cart?: Cart;
  }
}

export interface Buyer extends PricingContext {
  currency: Currency;
  /** The currencies a visitor may switch between (empty for a signed-in client, or a one-currency shop). */
  switchable: Array<{ code: string; current: boolean }>;
  money: (cents: Cents) => string;
}

export const cartOf = (req: Request): Cart => readCart(req.session.cart);

export function saveCart(req: Request, cart: Cart): void {
  req.session.cart = cart.lines.length || cart.domains.length || cart.promoCode || cart.currencyId ? cart : undefined;
}

const unavailable = () => Object.assign(new Error('The shop is not open yet: no currency has been set up.'), { statusCode: 503 });

export async function buyerOf(deps: ClientAreaDeps, req: Request): Promise<Buyer> {
  const currencies = await storeCurrencies(deps.ds);
  if (!currencies.length) throw unavailable();
  const today = businessDate(deps.clock.now(), deps.config.APP_TIMEZONE);
  const signedIn = req.session.client;
  let currency: Currency;
  let clientId: number | null = null;
  if (signedIn) {
    const client = await deps.ds.getRepository(Client).findOneBy({ id: signedIn.clientId });
    if (!client) throw Object.assign(new Error('Your account could not be found.'), { statusCode: 403 });
    clientId = client.id;
    currency = currencies.find((c) => c.id === client.currencyId) ?? currencies[0];
  } else {
    const cart = cartOf(req);
    const asked = typeof req.query.currency === 'string' ? currencies.find((c) => c.code === req.query.currency!.toString().toUpperCase()) : undefined;
    if (asked && asked.id !== cart.currencyId) saveCart(req, { ...cart, currencyId: asked.id });
    currency = asked ?? currencies.find((c) => c.id === cart.currencyId) ?? currencies[0];
  }
  const c = currency;
  return {
    clientId,
    currencyId: c.id,
    today,
    currency: c,
    switchable: signedIn || currencies.length < 2 ? [] : currencies.map((x) => ({ code: x.code, current: x.id === c.id })),
    money: (cents: Cents) => formatMoney(cents, { prefix: c.prefix, suffix: c.suffix, exponent: c.exponent }),
  };
}
