/**
 * Domain lines of the cart: a name to register or transfer for some years. The form is read into a line and checked
 * the way checkout will check it (names.ts, the TLD price list, the EPP code and nameserver rules of the order
 * service), and every time the cart is shown each line is priced again from the TLD list — never from the session.
 */
import type { Db } from '../catalog/pricing.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import type { Cents } from '../shared/money.js';
import { parseDomainName } from '../domains/names.js';
import { parseNameservers } from '../domains/registration-data.js';
import { domainPrice, type DomainPriceQuote } from '../domains/pricing.js';
import type { CartDomain } from './cart.js';

export interface DomainRequest {
  domain: string;
  action: string;
  years: string;
  eppCode: string;
  nameservers: string;
  /** The cart line being changed, if any. */
  lineId: string;
}

const text = (v: unknown, max: number): string => (typeof v === 'string' ? v.trim().slice(0, max) : '');

/** Reads the add-domain form; a posted price or amount is never read. */
export function readDomainRequest(body: unknown): DomainRequest {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return {
    domain: text(b.domain, 300),
    action: text(b.action, 20) || 'register',
    years: text(b.years, 3) || '1',
    // The code is the registrar's secret as issued: only the ends are trimmed.
    eppCode: typeof b.eppCode === 'string' ? b.eppCode.trim().slice(0, 300) : '',
    nameservers: text(b.nameservers, 2000),
    lineId: text(b.line, 40),
  };
}

/** Where a name stands at its registry; 'unknown' when the registry could not be asked. */
export type AvailabilityCheck = (ascii: string) => Promise<'available' | 'registered' | 'unknown'>;

/** The TLD the order service prices a name under: everything after the first label. */
export const endingOf = (ascii: string): string => ascii.slice(ascii.indexOf('.'));

export type DomainLineCheck =
  | { ok: true; line: CartDomain; price: DomainPriceQuote; unicode: string }
  | { ok: false; errors: Record<string, string> };

/**
 * Checks a domain for the cart: a valid name under a TLD on sale, a term offered in the buyer's currency, the EPP
 * code a transfer needs, 2–5 nameservers when given, and — where the registry answers — a register only of a free
 * name and a transfer only of a registered one. Nothing is written.
 */
export async function checkDomainLine(db: Db, req: DomainRequest, ctx: { currencyId: number; availability?: AvailabilityCheck }, lineId: string): Promise<DomainLineCheck> {
  const refuse = (field: string, message: string): DomainLineCheck => ({ ok: false, errors: { [field]: message } });
  const name = parseDomainName(req.domain);
  if (!name.ok) return refuse('domain', name.message);
  if (req.action !== 'register' && req.action !== 'transfer') return refuse('action', 'Choose to register the domain or to transfer it to us.');
  const action = req.action;
  const years = /^\d{1,2}$/.test(req.years) ? Number(req.years) : NaN;
  if (!Number.isInteger(years) || years < 1 || years > 10) return refuse('years', 'Choose a term of 1 to 10 years.');
  const price = await domainPrice(db, { tld: endingOf(name.ascii), currencyId: ctx.currencyId, years, operation: action });
  if (!price.ok) return refuse(price.field === 'years' ? 'years' : 'domain', price.message);
  const epp = action === 'transfer' ? req.eppCode : '';
  if (epp.length > 255 || /[\r\n]/.test(epp)) return refuse('eppCode', 'That EPP code is not valid: copy it exactly as your current registrar gave it.');
  if (action === 'transfer' && price.eppRequired && !epp) return refuse('eppCode', `A transfer of ${name.unicode} needs the EPP (auth) code from its current registrar.`);
  let nameservers: string[] | null = null;
  if (req.nameservers) {
    const ns = parseNameservers(req.nameservers);
    if (!ns.ok) return refuse('nameservers', ns.message);
    nameservers = ns.nameservers;
  }
  const status = ctx.availability ? await ctx.availability(name.ascii) : 'unknown';
  if (action === 'register' && status === 'registered') return refuse('domain', `${name.unicode} is already registered. If it is yours, transfer it to us instead.`);
  if (action === 'transfer' && status === 'available') return refuse('domain', `${name.unicode} is not registered yet, so there is nothing to transfer: register it instead.`);
  return { ok: true, unicode: name.unicode, price, line: { id: lineId, domain: name.ascii, action, years, eppCode: epp || null, nameservers } };
}

export interface PricedDomain {
  line: CartDomain;
  /** null when the line can no longer be ordered as it is (see problem). */
  price: DomainPriceQuote | null;
  problem: string | null;
}

/** Each domain line priced from the TLD list in the buyer's currency, as the order service will price it. */
export async function priceCartDomains(db: Db, domains: CartDomain[], currencyId: number): Promise<PricedDomain[]> {
  const out: PricedDomain[] = [];
  for (const line of domains) {
    const price = await domainPrice(db, { tld: endingOf(line.domain), currencyId, years: line.years, operation: line.action });
    if (!price.ok) out.push({ line, price: null, problem: price.message });
    else if (line.action === 'transfer' && price.eppRequired && !line.eppCode) out.push({ line, price, problem: 'This transfer needs the EPP (auth) code from the current registrar: remove it and add it again with the code.' });
    else out.push({ line, price, problem: null });
  }
  return out;
}

export const domainsTotal = (priced: PricedDomain[]): Cents => priced.reduce((t, d) => t + (d.price?.amount ?? 0), 0);
