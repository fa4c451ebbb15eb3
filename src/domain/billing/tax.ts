/**
 * Invoice tax: which rules apply to a client (selectTaxRates) and how much they charge (computeTax).
 *
 * Rules (docs/billing-rules.md, proved by tests/unit/billing-tax.test.ts):
 * - Tax is computed once on the invoice's taxable total — the sum of its taxable lines, negative promotion or credit
 *   lines included — never line by line, so a 10-line invoice cannot collect 10 rounding cents.
 * - Each level is rounded once, half-up, to the cent. Level 2 is compound (WHMCS "compound tax": charged on the
 *   base plus level-1 tax) unless the caller says otherwise.
 * - A taxable total at or below zero carries no tax (tax is never negative on an invoice; refunds are credit notes).
 * - Exclusive prices: total = subtotal + tax1 + tax2.
 * - Inclusive prices: the taxable lines already hold the tax. The net is the gross divided by (1+r1)(1+r2) when
 *   compound or (1+r1+r2) when not, rounded half-up; each tax is then computed on that net as in the exclusive case,
 *   and any rounding remainder (at most a cent or two) is given to the net so that net + tax1 + tax2 = gross exactly.
 * - Tax-exempt clients pay no tax. With inclusive prices they pay the net price (the tax is taken out and not
 *   charged), as WHMCS does; the caller must therefore still pass the rates that would apply to them.
 * Amounts are integer cents; rates are decimal percentage strings ('7.2500') held as scaled bigints — no floats.
 */
import { assertCents, divideRounded, parseDecimal, percentOf, MoneyError, type Cents } from '../shared/money.js';

export interface TaxLine {
  /** Signed cents: promotions, credits and adjustments are negative. */
  amount: Cents;
  taxable: boolean;
}

export interface TaxLevel {
  name: string;
  /** Percentage as a decimal string, e.g. '7.2500'. */
  rate: string;
}

export interface TaxRates {
  level1?: TaxLevel | null;
  /** compound defaults to true (the TaxRate entity: level 2 is charged on amount + level-1 tax). */
  level2?: (TaxLevel & { compound?: boolean }) | null;
}

export interface TaxInput {
  lines: TaxLine[];
  rates: TaxRates;
  /** Prices include tax (the tax is extracted) rather than tax being added on top. */
  inclusive: boolean;
  /** Tax-exempt client. */
  exempt: boolean;
}

export interface TaxResult {
  /** Sum of the lines as given (gross when inclusive). */
  linesTotal: Cents;
  /** Net amount before tax: the lines with the tax taken out of the taxable ones when inclusive. */
  subtotal: Cents;
  /** The amount level 1 was computed on (net taxable total, ≥ 0); 0 when exempt or nothing is taxable. */
  taxableBase: Cents;
  tax1: Cents;
  tax2: Cents;
  /** What the client owes: subtotal + tax1 + tax2, always. */
  total: Cents;
}

/** A rate as parts per million of one (7.25 % → 72_500n), so products of two rates stay exact on bigint. */
function ppm(rate: string | undefined | null): bigint {
  if (rate === undefined || rate === null || rate === '') return 0n;
  const d = parseDecimal(rate);
  if (d.units < 0n) throw new MoneyError(`tax rate cannot be negative: ${rate}`);
  // percent × 10^4 = parts per million; rates with more than 4 decimals are refused rather than silently cut.
  if (d.scale > 4) {
    const factor = 10n ** BigInt(d.scale - 4);
    if (d.units % factor !== 0n) throw new MoneyError(`tax rate has more than 4 decimal places: ${rate}`);
    return d.units / factor;
  }
  return d.units * 10n ** BigInt(4 - d.scale);
}

const MILLION = 1_000_000n;

/** tax on a base at a rate given in parts per million, rounded half-up once. */
function taxOn(base: bigint, ratePpm: bigint): bigint {
  return divideRounded(base * ratePpm, MILLION, 'half-up');
}

export function computeTax(input: TaxInput): TaxResult {
  const { lines, rates, inclusive, exempt } = input;
  let linesTotal = 0n;
  let taxableTotal = 0n;
  for (const line of lines) {
    const amount = BigInt(assertCents(line.amount, 'line amount'));
    linesTotal += amount;
    if (line.taxable) taxableTotal += amount;
  }
  const r1 = ppm(rates.level1?.rate);
  const r2 = ppm(rates.level2?.rate);
  const compound = rates.level2?.compound ?? true;
  const nonTaxable = linesTotal - taxableTotal;

  // Nothing taxable (or credits outweigh the taxable lines): no tax, and nothing to extract.
  if (taxableTotal <= 0n || (r1 === 0n && r2 === 0n)) {
    const total = Number(linesTotal);
    return { linesTotal: total, subtotal: total, taxableBase: exempt || taxableTotal <= 0n ? 0 : Number(taxableTotal), tax1: 0, tax2: 0, total };
  }

  let net: bigint;
  let tax1: bigint;
  let tax2: bigint;
  if (!inclusive) {
    net = taxableTotal;
    tax1 = taxOn(net, r1);
    tax2 = taxOn(compound ? net + tax1 : net, r2);
  } else {
    // gross = net × (1+r1)(1+r2) compound, or net × (1+r1+r2): divide, round half-up once.
    const [num, den] = compound ? [MILLION * MILLION, (MILLION + r1) * (MILLION + r2)] : [MILLION, MILLION + r1 + r2];
    net = divideRounded(taxableTotal * num, den, 'half-up');
    tax1 = taxOn(net, r1);
    tax2 = taxOn(compound ? net + tax1 : net, r2);
    // The rounding remainder goes to the net so that net + tax1 + tax2 is exactly the gross the client was quoted.
    net = taxableTotal - tax1 - tax2;
  }

  if (exempt) {
    // Exclusive: the net is the price. Inclusive: the tax is taken out and not charged (WHMCS behaviour).
    const subtotal = Number(net + nonTaxable);
    return { linesTotal: Number(linesTotal), subtotal, taxableBase: 0, tax1: 0, tax2: 0, total: subtotal };
  }
  const subtotal = net + nonTaxable;
  return {
    linesTotal: Number(linesTotal),
    subtotal: Number(subtotal),
    taxableBase: Number(net),
    tax1: Number(tax1),
    tax2: Number(tax2),
    total: Number(subtotal + tax1 + tax2),
  };
}

// ------------------------------------------------------------------------------------------------ rule selection

/** The columns of a TaxRate row that selection reads (src/entities/system/tax-rate.entity.ts). */
export interface TaxRateRow {
  id?: number;
  name: string;
  country: string | null;
  state: string | null;
  rate: string;
  level: number;
  priority: number;
}

export interface SelectedRates {
  level1: (TaxLevel & { id?: number }) | null;
  level2: (TaxLevel & { id?: number; compound: boolean }) | null;
}

const norm = (s: string | null | undefined) => (s ?? '').trim().toUpperCase();

/**
 * The rules that apply to a client in `country` / `state`, one per level: the most specific match wins
 * (country + state, then country, then the all-countries rule with country null); among equally specific rules the
 * higher priority wins, then the lower id (so the choice never depends on row order). Country and state compare
 * trimmed and case-insensitively; states must match as entered (no 'CA' ↔ 'California' mapping). A rule with a state
 * but no country is ambiguous and never matches.
 */
export function selectTaxRates(rows: readonly TaxRateRow[], country: string | null, state: string | null, opts: { compoundLevel2?: boolean } = {}): SelectedRates {
  const c = norm(country);
  const s = norm(state);
  const best = new Map<number, { row: TaxRateRow; specificity: number }>();
  for (const row of rows) {
    const rc = norm(row.country);
    const rs = norm(row.state);
    let specificity: number;
    if (!rc) {
      if (rs) continue;
      specificity = 0;
    } else if (rc !== c) continue;
    else if (!rs) specificity = 1;
    else if (rs === s && s !== '') specificity = 2;
    else continue;
    const level = Number(row.level);
    const current = best.get(level);
    const better =
      !current ||
      specificity > current.specificity ||
      (specificity === current.specificity &&
        (row.priority > current.row.priority || (row.priority === current.row.priority && (row.id ?? Infinity) < (current.row.id ?? Infinity))));
    if (better) best.set(level, { row, specificity });
  }
  const pick = (level: number) => {
    const b = best.get(level);
    return b ? { name: b.row.name, rate: b.row.rate, ...(b.row.id !== undefined ? { id: b.row.id } : {}) } : null;
  };
  const l2 = pick(2);
  return { level1: pick(1), level2: l2 ? { ...l2, compound: opts.compoundLevel2 ?? true } : null };
}
