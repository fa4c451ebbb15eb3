import { allocate, divideRounded, formatDecimal, formatMoney, multiply, parseMoney, percentOf, sum } from '../../src/domain/shared/money.js';

describe('money', () => {
  it('parses decimal strings to cents without floating point', () => {
    expect(parseMoney('19.99')).toBe(1999);
    expect(parseMoney('0.1')).toBe(10);
    expect(parseMoney('-5')).toBe(-500);
    expect(parseMoney('1,234.50')).toBe(123450);
    expect(parseMoney('90071992547409.91')).toBe(9007199254740991);
    expect(() => parseMoney('1.005')).toThrow(/decimal places/);
    expect(() => parseMoney('abc')).toThrow(/not an amount/);
    expect(() => parseMoney('1e5')).toThrow();
    expect(() => parseMoney('90071992547409.92')).toThrow(/too large/);
  });

  it('formats cents', () => {
    expect(formatDecimal(5)).toBe('0.05');
    expect(formatDecimal(-123456)).toBe('-1234.56');
    expect(formatMoney(123456789, { prefix: '$' })).toBe('$1,234,567.89');
    expect(formatMoney(-50, { prefix: '£' })).toBe('-£0.50');
    expect(formatDecimal(1500, 0)).toBe('1500');
  });

  it('rounds percentages once, half-up, away from zero', () => {
    expect(percentOf(1999, '7.25')).toBe(145); // 144.9275
    expect(percentOf(1000, '19.6')).toBe(196);
    expect(percentOf(250, '10')).toBe(25);
    expect(percentOf(5, '10')).toBe(1); // 0.5 → 1
    expect(percentOf(-5, '10')).toBe(-1);
    expect(percentOf(5, '10', 'half-even')).toBe(0);
    expect(multiply(1000, '0.85310000')).toBe(853);
  });

  it('divides with an explicit rule', () => {
    expect(divideRounded(7n, 2n, 'half-up')).toBe(4n);
    expect(divideRounded(7n, 2n, 'half-even')).toBe(4n);
    expect(divideRounded(5n, 2n, 'half-even')).toBe(2n);
    expect(divideRounded(7n, 2n, 'down')).toBe(3n);
    expect(divideRounded(7n, 3n, 'up')).toBe(3n);
  });

  it('allocates without losing or creating a cent', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(sum(allocate(1001, [3, 7]))).toBe(1001);
    expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(() => allocate(100, [])).toThrow();
  });
});
