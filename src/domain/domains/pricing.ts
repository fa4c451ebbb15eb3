import { In, type DataSource, type EntityManager } from 'typeorm';
import { fail, succeed, type Outcome } from '../shared/outcome.js';

export type DomainOperation = 'register' | 'transfer' | 'renew';
/** Where a domain stands when it is renewed: a late renewal costs the grace fee, a restore from redemption the restore fee. */
export type RenewalPhase = 'active' | 'grace' | 'redemption';

export interface DomainPriceQuote {
  /** What the client pays, in minor units: the base price plus any late fee. */
  amount: number;
  base: number;
  fee: number;
  years: number;
  /** With the leading dot: '.com'. */
  tld: string;
  domainProductId: number;
  registrar: string | null;
  eppRequired: boolean;
}

export interface DomainProductRow {
  id: number;
  tld: string;
  registrar: string | null;
  eppRequired: boolean;
  minYears: number;
  maxYears: number;
  graceDays: number;
  redemptionDays: number;
  hidden: boolean;
  sortOrder: number;
}

export interface DomainPriceRow {
  id: number;
  domainProductId: number;
  currencyId: number;
  years: number;
  register: number | null;
  renew: number | null;
  transfer: number | null;
  graceFee: number | null;
  redemptionFee: number | null;
}

type Db = DataSource | EntityManager;

/** Terms registries accept at all (RFC 5731 periods are 1–10 years). */
export const MAX_TERM_YEARS = 10;

/** '.com', 'COM' and 'com' are the same ending; products are stored with the dot (some older rows without). */
export const bareTld = (tld: string) => String(tld ?? '').trim().toLowerCase().replace(/^\./, '');
export const dottedTld = (tld: string) => `.${bareTld(tld)}`;

/** The allowed terms of a product, within what registries accept. */
export function termRange(p: Pick<DomainProductRow, 'minYears' | 'maxYears'>): { min: number; max: number } {
  return { min: Math.max(1, p.minYears ?? 1), max: Math.min(MAX_TERM_YEARS, p.maxYears ?? MAX_TERM_YEARS) };
}

const OPERATION_WORDS: Record<DomainOperation, string> = { register: 'Registration', transfer: 'Transfer', renew: 'Renewal' };

export async function findDomainProduct(db: Db, tld: string): Promise<DomainProductRow | null> {
  const bare = bareTld(tld);
  if (!bare) return null;
  return (await db.getRepository('DomainProduct').findOne({ where: { tld: In([`.${bare}`, bare]) } })) as DomainProductRow | null;
}

/**
 * The price of one domain operation for a term, in the client's currency. A renewal late in its life adds the
 * grace fee (none when unset) or, in redemption, the registry's restore fee (refused when the TLD has none: such a
 * domain cannot be restored). Hidden TLDs are not sold, but existing domains under them still renew: pass
 * includeHidden for those.
 */
export async function domainPrice(
  db: Db,
  q: { tld: string; currencyId: number; years: number; operation: DomainOperation; phase?: RenewalPhase; includeHidden?: boolean },
): Promise<Outcome<DomainPriceQuote>> {
  const product = await findDomainProduct(db, q.tld);
  const tld = dottedTld(q.tld);
  if (!product || (product.hidden && !q.includeHidden)) return fail('unsupported_tld', `We do not sell domains ending in ${tld}.`, 'domain');
  const phase = q.phase ?? 'active';
  if (phase !== 'active' && q.operation !== 'renew') return fail('invalid_phase', 'Grace and redemption fees apply to renewals only.', 'operation');
  const { min, max } = termRange(product);
  if (!Number.isInteger(q.years) || q.years < min || q.years > max) {
    const range = min === max ? `${min} year${min === 1 ? '' : 's'} only` : `${min} to ${max} years`;
    return fail('years_out_of_range', `A ${tld} domain can be taken for ${range}.`, 'years');
  }
  const currency = (await db.getRepository('Currency').findOneBy({ id: q.currencyId })) as { code: string } | null;
  if (!currency) return fail('unknown_currency', 'That currency is not in use here.', 'currency');
  const row = (await db.getRepository('DomainPrice').findOneBy({ domainProductId: product.id, currencyId: q.currencyId, years: q.years })) as DomainPriceRow | null;
  const base = row?.[q.operation] ?? null;
  if (base === null) {
    return fail('not_offered', `${OPERATION_WORDS[q.operation]} of ${tld} is not offered for ${q.years} year${q.years === 1 ? '' : 's'} in ${currency.code}.`, 'years');
  }
  let fee = 0;
  if (phase === 'grace') fee = row!.graceFee ?? 0;
  if (phase === 'redemption') {
    if (row!.redemptionFee === null) return fail('redemption_not_offered', `A ${tld} domain in redemption cannot be restored through us; it will be released by the registry.`, 'domain');
    fee = row!.redemptionFee;
  }
  return succeed({ amount: base + fee, base, fee, years: q.years, tld: dottedTld(product.tld), domainProductId: product.id, registrar: product.registrar ?? null, eppRequired: Boolean(product.eppRequired) });
}

export interface TermPrices {
  years: number;
  register: number | null;
  renew: number | null;
  transfer: number | null;
}

export interface TldPrices {
  tld: string;
  domainProductId: number;
  registrar: string | null;
  eppRequired: boolean;
  minYears: number;
  maxYears: number;
  /** Years 1–10 in order; all null outside the product's terms or where no price is set. */
  terms: TermPrices[];
}

/**
 * Every TLD on sale with its prices per term in one currency, for the price list and search results: sorted as
 * staff ordered them (sortOrder), then by name. `tlds` narrows it to some endings.
 */
export async function tldPriceTable(db: Db, currencyId: number, opts: { includeHidden?: boolean; tlds?: string[] } = {}): Promise<TldPrices[]> {
  let products = (await db.getRepository('DomainProduct').find(opts.includeHidden ? {} : { where: { hidden: false } })) as DomainProductRow[];
  if (opts.tlds) {
    const wanted = new Set(opts.tlds.map(bareTld));
    products = products.filter((p) => wanted.has(bareTld(p.tld)));
  }
  products.sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0) || bareTld(a.tld).localeCompare(bareTld(b.tld)));
  if (!products.length) return [];
  const rows = (await db.getRepository('DomainPrice').find({ where: { currencyId, domainProductId: In(products.map((p) => p.id)) } })) as DomainPriceRow[];
  const byKey = new Map(rows.map((r) => [`${r.domainProductId}:${r.years}`, r]));
  return products.map((p) => {
    const { min, max } = termRange(p);
    const terms: TermPrices[] = [];
    for (let years = 1; years <= MAX_TERM_YEARS; years++) {
      const r = years >= min && years <= max ? byKey.get(`${p.id}:${years}`) : undefined;
      terms.push({ years, register: r?.register ?? null, renew: r?.renew ?? null, transfer: r?.transfer ?? null });
    }
    return { tld: dottedTld(p.tld), domainProductId: p.id, registrar: p.registrar ?? null, eppRequired: Boolean(p.eppRequired), minYears: min, maxYears: max, terms };
  });
}

/** The shortest term an operation is offered for (one year when it is): what a price list or search result shows. */
export function shortestTerm(prices: TldPrices, operation: DomainOperation): { years: number; amount: number } | null {
  const t = prices.terms.find((term) => term[operation] !== null);
  return t ? { years: t.years, amount: t[operation]! } : null;
}
