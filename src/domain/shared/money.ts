/**
 * Money is an integer count of minor units (cents for USD/EUR/GBP) plus a currency code. It never passes through a
 * floating-point number: parsing and formatting are done on strings, arithmetic on integers, and every division
 * states its rounding. Amounts are plain `number`s restricted to safe integers (±9e15 minor units is ample).
 */
export type Cents = number;

export class MoneyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoneyError';
  }
}

export function assertCents(value: number, what = 'amount'): Cents {
  if (!Number.isSafeInteger(value)) throw new MoneyError(`${what} must be a whole number of minor units`);
  return value;
}

/** Parses "12.34", "-0.5", "1,234.50" (thousands commas allowed) into minor units; rejects more decimals than `exponent`. */
export function parseMoney(input: string | number, exponent = 2): Cents {
  if (typeof input === 'number') {
    if (Number.isInteger(input)) return assertCents(input * 10 ** exponent);
    input = String(input);
  }
  const s = input.trim().replace(/,/g, '');
  const m = /^([+-])?(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) throw new MoneyError(`"${input}" is not an amount`);
  const [, sign, whole, frac = ''] = m;
  if (frac.length > exponent) throw new MoneyError(`"${input}" has more than ${exponent} decimal places`);
  const minor = BigInt(whole) * 10n ** BigInt(exponent) + BigInt(frac.padEnd(exponent, '0') || '0');
  const signed = sign === '-' ? -minor : minor;
  if (signed > BigInt(Number.MAX_SAFE_INTEGER) || signed < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new MoneyError(`"${input}" is too large`);
  }
  return Number(signed);
}

/** "1234.50" for 123450 — a plain decimal string, no currency symbol. */
export function formatDecimal(cents: Cents, exponent = 2): string {
  assertCents(cents);
  const neg = cents < 0;
  const digits = String(Math.abs(cents)).padStart(exponent + 1, '0');
  const whole = exponent ? digits.slice(0, -exponent) : digits;
  const frac = exponent ? `.${digits.slice(-exponent)}` : '';
  return `${neg ? '-' : ''}${whole}${frac}`;
}

/** "$1,234.50" given prefix "$"; suffix for codes such as " USD". */
export function formatMoney(cents: Cents, opts: { prefix?: string; suffix?: string; exponent?: number } = {}): string {
  const plain = formatDecimal(Math.abs(cents), opts.exponent ?? 2);
  const [w, f] = plain.split('.');
  const grouped = w.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${cents < 0 ? '-' : ''}${opts.prefix ?? ''}${grouped}${f !== undefined ? `.${f}` : ''}${opts.suffix ?? ''}`;
}

export function sum(values: Iterable<Cents>): Cents {
  let total = 0;
  for (const v of values) total = assertCents(total + v, 'sum');
  return total;
}

export type Rounding = 'half-up' | 'half-even' | 'down' | 'up';

/** Integer division of a bigint numerator by a positive bigint denominator with an explicit rounding rule. */
export function divideRounded(numerator: bigint, denominator: bigint, rounding: Rounding = 'half-up'): bigint {
  if (denominator <= 0n) throw new MoneyError('denominator must be positive');
  const neg = numerator < 0n;
  const n = neg ? -numerator : numerator;
  let q = n / denominator;
  const r = n % denominator;
  if (r !== 0n) {
    const twice = r * 2n;
    if (rounding === 'up') q += 1n;
    else if (rounding === 'half-up' && twice >= denominator) q += 1n;
    else if (rounding === 'half-even' && (twice > denominator || (twice === denominator && q % 2n === 1n))) q += 1n;
  }
  return neg ? -q : q;
}

/**
 * A decimal rate such as a tax percentage ("7.25") or exchange rate ("0.85310000"), held as a scaled integer so that
 * multiplying money by it is exact until the single, stated rounding at the end.
 */
export interface Decimal {
  units: bigint;
  scale: number;
}

export function parseDecimal(input: string | number): Decimal {
  const s = typeof input === 'number' ? input.toString() : input.trim();
  const m = /^([+-])?(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) throw new MoneyError(`"${input}" is not a decimal number`);
  const [, sign, whole, frac = ''] = m;
  const units = BigInt(whole + frac) * (sign === '-' ? -1n : 1n);
  return { units, scale: frac.length };
}

/** cents × rate, rounded once. */
export function multiply(cents: Cents, rate: Decimal | string, rounding: Rounding = 'half-up'): Cents {
  const d = typeof rate === 'string' ? parseDecimal(rate) : rate;
  return Number(divideRounded(BigInt(assertCents(cents)) * d.units, 10n ** BigInt(d.scale), rounding));
}

/** cents × percent / 100, rounded once: percentOf(1999, "7.25") → 145 (144.9275 rounded half-up). */
export function percentOf(cents: Cents, percent: Decimal | string, rounding: Rounding = 'half-up'): Cents {
  const d = typeof percent === 'string' ? parseDecimal(percent) : percent;
  return Number(divideRounded(BigInt(assertCents(cents)) * d.units, 100n * 10n ** BigInt(d.scale), rounding));
}

/**
 * Splits an amount into parts proportional to the weights, largest-remainder method, so the parts always add up
 * to the whole (no cent is created or lost).
 */
export function allocate(cents: Cents, weights: number[]): Cents[] {
  if (!weights.length) throw new MoneyError('allocate needs at least one weight');
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0) throw new MoneyError('weights must add up to more than zero');
  const raw = weights.map((w) => (BigInt(cents) * BigInt(w)) / BigInt(total));
  let remainder = BigInt(cents) - raw.reduce((a, b) => a + b, 0n);
  const step = remainder < 0n ? -1n : 1n;
  const out = raw.map(Number);
  for (let i = 0; remainder !== 0n; i = (i + 1) % out.length) {
    if (weights[i] === 0) continue;
    out[i] += Number(step);
    remainder -= step;
  }
  return out;
}
