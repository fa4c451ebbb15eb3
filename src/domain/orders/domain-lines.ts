/**
 * Domain lines of an order: register or transfer a name for some years, alone or with hosting. Checked before pricing
 * (name, term, EPP code, nameservers), priced from the TLD price list only (domainPrice — never from the caller), and
 * written as a pending Domain, its order item and its invoice line. The invoice line bills the registration period
 * with the billing key the renewal run uses, so that period is never billed twice.
 */
import type { EntityManager } from 'typeorm';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import { parseDomainName } from '../domains/names.js';
import { parseNameservers } from '../domains/registration-data.js';
import { domainPrice, type DomainPriceQuote } from '../domains/pricing.js';
import { addYears } from '../domains/manual-registrar.js';
import { addDays } from '../billing/periods.js';
import type { InvoiceLine } from '../billing/issue-invoice.js';

export interface DomainItemRequest {
  type: 'domain';
  domain: string;
  action: 'register' | 'transfer';
  years: number | string;
  eppCode?: string | null;
  /** 2–5 host names (array or one per line); none = the hosting server's or the company's defaults. */
  nameservers?: string[] | string | null;
  idProtection?: boolean | null;
}

export interface CleanDomainItem {
  /** Position in the request, for field names in refusals (items.<index>.domain). */
  index: number;
  domain: string;
  action: 'register' | 'transfer';
  years: number;
  eppCode: string | null;
  nameservers: string[] | null;
  idProtection: boolean;
}

/** Statuses in which a name is still ours to manage: ordering it again would register or transfer it twice. */
export const LIVE_DOMAIN_STATUSES = ['pending', 'pending_transfer', 'active', 'grace', 'redemption', 'expired'];

export function cleanDomainItem(raw: DomainItemRequest, i: number): Outcome<{ item: CleanDomainItem }> {
  const field = (f: string) => `items.${i}.${f}`;
  const name = parseDomainName(typeof raw.domain === 'string' ? raw.domain : '');
  if (!name.ok) return fail(name.error, `Line ${i + 1}: ${name.message}`, field('domain'));
  if (raw.action !== 'register' && raw.action !== 'transfer') return fail('invalid_domain_action', `Line ${i + 1}: choose register or transfer.`, field('action'));
  const years = Number(raw.years);
  if (!Number.isInteger(years) || years < 1 || years > 10) return fail('years_out_of_range', `Line ${i + 1}: a domain is registered for 1 to 10 years.`, field('years'));
  const epp = typeof raw.eppCode === 'string' ? raw.eppCode.trim() : '';
  if (epp.length > 255 || /[\r\n]/.test(epp)) return fail('invalid_epp_code', `Line ${i + 1}: that EPP code is not valid.`, field('eppCode'));
  let nameservers: string[] | null = null;
  const nsGiven = Array.isArray(raw.nameservers) ? raw.nameservers.length > 0 : Boolean(raw.nameservers && String(raw.nameservers).trim());
  if (nsGiven) {
    const ns = parseNameservers(raw.nameservers);
    if (!ns.ok) return fail(ns.error, `Line ${i + 1}: ${ns.message}`, field('nameservers'));
    nameservers = ns.nameservers;
  }
  return succeed({ item: { index: i, domain: name.ascii, action: raw.action, years, eppCode: raw.action === 'transfer' ? epp || null : null, nameservers, idProtection: raw.idProtection === true } });
}

export interface PricedDomainLine {
  item: CleanDomainItem;
  price: DomainPriceQuote;
  /**
   * What renewing it later costs per registration period: the renew price for the same term, else the 1-year renew
   * price times the years; null when the TLD offers no renewal at all (then auto-renew starts off, never at 0).
   */
  renewal: number | null;
}

/** Prices each domain line and refuses names already held here or repeated in the order. */
export async function priceDomainLines(m: EntityManager, items: CleanDomainItem[], currencyId: number): Promise<Outcome<{ lines: PricedDomainLine[] }>> {
  const lines: PricedDomainLine[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const at = (f: string) => `items.${item.index}.${f}`;
    if (seen.has(item.domain)) return fail('duplicate_domain', `Line ${item.index + 1}: ${item.domain} is already in this order.`, at('domain'));
    seen.add(item.domain);
    const held = await m.getRepository('Domain').createQueryBuilder('d').where('d.domain_name = :n AND d.status IN (:...live)', { n: item.domain, live: LIVE_DOMAIN_STATUSES }).getCount();
    if (held) return fail('domain_exists', `Line ${item.index + 1}: ${item.domain} is already registered with us.`, at('domain'));
    // A registrable name is one label plus the ending sold ('shop.co.uk' is shop + .co.uk); deeper names are hosts.
    const price = await domainPrice(m, { tld: item.domain.slice(item.domain.indexOf('.')), currencyId, years: item.years, operation: item.action });
    if (!price.ok) return fail(price.error, `Line ${item.index + 1}: ${price.message}`, at(price.field === 'years' ? 'years' : 'domain'));
    const chosen = price;
    if (item.action === 'transfer' && chosen.eppRequired && !item.eppCode) {
      return fail('epp_code_required', `Line ${item.index + 1}: a transfer of ${item.domain} needs the EPP (auth) code from its current registrar.`, at('eppCode'));
    }
    const renew = await domainPrice(m, { tld: chosen.tld, currencyId, years: item.years, operation: 'renew', includeHidden: true });
    const yearly = renew.ok ? null : await domainPrice(m, { tld: chosen.tld, currencyId, years: 1, operation: 'renew', includeHidden: true });
    lines.push({ item, price: chosen, renewal: renew.ok ? renew.amount : yearly?.ok ? yearly.amount * item.years : null });
  }
  return succeed({ lines });
}

/** Writes the pending domain and its order item; answers the domain id and its invoice line. */
export async function writeDomainLine(
  m: EntityManager,
  d: { orderId: number; clientId: number; currencyId: number; line: PricedDomainLine; serviceId: number | null; today: string },
): Promise<{ domainId: number; invoiceLine: InvoiceLine }> {
  const { item, price } = d.line;
  const paidTo = addYears(d.today, item.years);
  const res = await m.getRepository('Domain').insert({
    clientId: d.clientId, orderId: d.orderId, serviceId: d.serviceId, domainName: item.domain, tld: price.tld, registrar: price.registrar,
    registrationType: item.action, registrationPeriod: item.years, firstPaymentAmount: price.amount, recurringAmount: d.line.renewal ?? 0,
    currencyId: d.currencyId, status: 'pending', nameservers: item.nameservers, autoRenew: d.line.renewal !== null, idProtection: item.idProtection,
    eppCode: item.eppCode, nextDueDate: paidTo, nextInvoiceDate: paidTo,
  });
  const domainId = res.identifiers[0].id as number;
  const what = `Domain ${item.action === 'transfer' ? 'transfer' : 'registration'} - ${item.domain} (${item.years} year${item.years === 1 ? '' : 's'})`;
  await m.getRepository('OrderItem').insert({
    orderId: d.orderId, itemType: item.action === 'transfer' ? 'domain_transfer' : 'domain_register', domainProductId: price.domainProductId, domainId,
    description: what.slice(0, 255), domainName: item.domain, years: item.years, quantity: 1, unitPrice: price.amount, setupFee: 0, discount: 0, total: price.amount, taxable: true,
  });
  const periodEnd = addDays(paidTo, -1);
  return {
    domainId,
    invoiceLine: { itemType: 'domain', description: `${what} (${d.today} - ${periodEnd})`, unitPrice: price.amount, taxable: true, domainId, periodStart: d.today, periodEnd, billingKey: `domain:${domainId}:${d.today}` },
  };
}
