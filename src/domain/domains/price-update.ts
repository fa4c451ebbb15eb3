import { In, type DataSource, type EntityManager } from 'typeorm';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import { divideRounded, formatDecimal, MoneyError, parseDecimal, parseMoney, type Decimal } from '../shared/money.js';
import { forUpdate } from '../../db/locking.js';
import { dottedTld, MAX_TERM_YEARS, type DomainPriceRow, type DomainProductRow } from './pricing.js';

export const PRICE_FIELDS = ['register', 'renew', 'transfer', 'graceFee', 'redemptionFee'] as const;
export type PriceField = (typeof PRICE_FIELDS)[number];

export type PriceChange = { kind: 'set'; amount: string } | { kind: 'percent'; percent: string } | { kind: 'add'; amount: string };

export interface PriceUpdateRequest {
  domainProductIds: number[];
  currencyId: number;
  operations: PriceField[];
  /** Terms to change; by default every term that has a price row. */
  years?: number[];
  change: PriceChange;
  /** 'to_99': each new price becomes the nearest one ending in .99 (ties go up); free (0) stays free. */
  rounding?: 'cent' | 'to_99';
  /** Work out the changes and return them without saving anything. */
  dryRun?: boolean;
}

export interface PriceChangeLine {
  tld: string;
  years: number;
  operation: PriceField;
  before: number | null;
  after: number | null;
}

export interface PriceUpdateResult {
  /** Terms (price rows) changed or created — on a dry run, those that would be. */
  rowsChanged: number;
  /** Every price that changes, before and after (null = not offered). */
  preview: PriceChangeLine[];
}

const FIELD_WORDS: Record<PriceField, string> = { register: 'registration', renew: 'renewal', transfer: 'transfer', graceFee: 'grace fee', redemptionFee: 'redemption fee' };

type Apply = (before: number | null) => number | null;

/** The change as a function on one price, or why the input is not a change. Amounts are in the currency's minor units. */
function changeFunction(change: PriceChange, exponent: number): Outcome<{ apply: Apply }> {
  try {
    if (change.kind === 'set') {
      const amount = parseMoney(String(change.amount ?? ''), exponent);
      if (amount < 0) return fail('invalid_amount', 'A price cannot be below zero.', 'amount');
      return succeed({ apply: () => amount });
    }
    if (change.kind === 'add') {
      const amount = parseMoney(String(change.amount ?? ''), exponent);
      return succeed<{ apply: Apply }>({ apply: (before) => (before === null ? null : before + amount) });
    }
    if (change.kind === 'percent') {
      const pct: Decimal = parseDecimal(String(change.percent ?? '').trim());
      if (pct.scale > 6) return fail('invalid_percent', 'Give the percentage with at most six decimals.', 'percent');
      // before × (100 + p) / 100, exact in integers and rounded half-up once.
      const factor = 100n * 10n ** BigInt(pct.scale) + pct.units;
      const denominator = 100n * 10n ** BigInt(pct.scale);
      return succeed<{ apply: Apply }>({ apply: (before) => (before === null ? null : Number(divideRounded(BigInt(before) * factor, denominator, 'half-up'))) });
    }
  } catch (e) {
    if (e instanceof MoneyError) {
      return change.kind === 'percent'
        ? fail('invalid_percent', `"${String(change.percent).slice(0, 20)}" is not a percentage; write it as 10, -10 or 7.5.`, 'percent')
        : fail('invalid_amount', `${e.message}.`, 'amount');
    }
    throw e;
  }
  return fail('invalid_change', 'Choose how to change the prices: set, percent or add.', 'change');
}

/** The nearest price ending in .99 of the currency's unit (ties up), never below .99; zero means free and stays so. */
function toNinetyNine(amount: number, exponent: number): number {
  const unit = 10 ** exponent;
  if (amount === 0 || unit === 1) return amount;
  const below = Math.floor(amount / unit) * unit - 1;
  const above = below + unit;
  if (below < unit - 1) return above;
  return amount - below < above - amount ? below : above;
}

/**
 * Changes many TLD prices at once (a registry raising its wholesale price, a sale): the same change to the chosen
 * operations and terms of the chosen TLDs in one currency, in one transaction. A change that would make any price
 * negative is refused as a whole, naming the TLD and term; nothing is saved then. A price that is not offered (null)
 * stays not offered under a percentage or an addition; 'set' offers it, creating the term's row when missing.
 */
export async function updateTldPrices(ds: DataSource, req: PriceUpdateRequest): Promise<Outcome<PriceUpdateResult>> {
  const ids = [...new Set((req.domainProductIds ?? []).map(Number))].filter((n) => Number.isInteger(n) && n > 0);
  if (!ids.length) return fail('no_tlds', 'Choose at least one TLD.', 'domainProductIds');
  const operations = [...new Set(req.operations ?? [])];
  if (!operations.length) return fail('no_operations', 'Choose which prices to change: registration, renewal, transfer or the fees.', 'operations');
  const unknownOp = operations.find((o) => !(PRICE_FIELDS as readonly string[]).includes(o));
  if (unknownOp) return fail('invalid_operation', `"${String(unknownOp).slice(0, 30)}" is not a price that can be changed.`, 'operations');
  const years = req.years ? [...new Set(req.years)].sort((a, b) => a - b) : null;
  if (years && (!years.length || years.some((y) => !Number.isInteger(y) || y < 1 || y > MAX_TERM_YEARS))) {
    return fail('invalid_years', `Terms are whole years from 1 to ${MAX_TERM_YEARS}.`, 'years');
  }

  return ds.transaction(async (m: EntityManager) => {
    const currency = (await m.getRepository('Currency').findOneBy({ id: req.currencyId })) as { code: string; exponent: number } | null;
    if (!currency) return fail('unknown_currency', 'That currency is not in use here.', 'currencyId');
    const change = changeFunction(req.change ?? ({} as PriceChange), currency.exponent ?? 2);
    if (!change.ok) return change;
    const products = (await m.getRepository('DomainProduct').findBy({ id: In(ids) })) as DomainProductRow[];
    if (products.length !== ids.length) return fail('unknown_tld', 'One of the chosen TLDs no longer exists.', 'domainProductIds');
    products.sort((a, b) => a.tld.localeCompare(b.tld));

    const qb = m.getRepository('DomainPrice').createQueryBuilder('p').where('p.domainProductId IN (:...ids) AND p.currencyId = :currency', { ids, currency: req.currencyId });
    if (years) qb.andWhere('p.years IN (:...years)', { years });
    const rows = (await forUpdate(qb).getMany()) as DomainPriceRow[];
    const byKey = new Map(rows.map((r) => [`${r.domainProductId}:${r.years}`, r]));

    const preview: PriceChangeLine[] = [];
    const changed: Array<{ row: DomainPriceRow | null; productId: number; years: number; values: Partial<Record<PriceField, number | null>> }> = [];
    for (const p of products) {
      const terms = years ?? rows.filter((r) => r.domainProductId === p.id).map((r) => r.years).sort((a, b) => a - b);
      for (const y of terms) {
        const row = byKey.get(`${p.id}:${y}`) ?? null;
        // Only 'set' brings a term into being; a percentage of a price that does not exist is nothing.
        if (!row && req.change.kind !== 'set') continue;
        const values: Partial<Record<PriceField, number | null>> = {};
        for (const op of operations) {
          const before = row ? row[op] : null;
          let after = change.apply(before);
          if (after !== null && after < 0) {
            return fail('negative_price', `That would make the ${FIELD_WORDS[op]} price of ${dottedTld(p.tld)} for ${y} year${y === 1 ? '' : 's'} negative (${formatDecimal(after, currency.exponent ?? 2)} ${currency.code}); nothing was changed.`, 'change');
          }
          if (after !== null && req.rounding === 'to_99') after = toNinetyNine(after, currency.exponent ?? 2);
          if (after !== before) {
            values[op] = after;
            preview.push({ tld: dottedTld(p.tld), years: y, operation: op, before, after });
          }
        }
        if (Object.keys(values).length) changed.push({ row, productId: p.id, years: y, values });
      }
    }

    if (!req.dryRun) {
      const repo = m.getRepository('DomainPrice');
      for (const c of changed) {
        if (c.row) await repo.update({ id: c.row.id }, c.values);
        else await repo.save(repo.create({ domainProductId: c.productId, currencyId: req.currencyId, years: c.years, register: null, renew: null, transfer: null, graceFee: null, redemptionFee: null, ...c.values }));
      }
    }
    return succeed({ rowsChanged: changed.length, preview });
  });
}
