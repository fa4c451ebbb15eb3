import {
  CYCLE_MONTHS,
  addDays,
  addMonthsAnchored,
  daysBetween,
  daysInMonth,
  invoiceDateFor,
  isRecurring,
  nextDueDate,
  parseDate,
  periodFor,
  prorata,
  prorataSchedule,
  prorateAmount,
  type RecurringCycle,
} from '../../src/domain/billing/periods.js';

/**
 * Billing periods: month-end anchoring, contiguous periods, pro-rata first invoices, renewal invoice dates.
 * Expected values are written out by hand or computed from an independent month-length table — never by calling the
 * code under test to predict itself.
 */

// Independent month lengths, 2026–2032 (2028 and 2032 are leap years).
const LEAP = new Set([2028, 2032]);
const LENGTHS = (y: number) => [31, LEAP.has(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const ymd = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
/** The expected due date in month index i (0 = Jan 2026) for an anchor. */
function expectedDue(i: number, anchor: number): string {
  const y = 2026 + Math.floor(i / 12);
  const m = (i % 12) + 1;
  return ymd(y, m, Math.min(anchor, LENGTHS(y)[m - 1]));
}

const RECURRING: RecurringCycle[] = ['monthly', 'quarterly', 'semiannually', 'annually', 'biennially', 'triennially'];

describe('cycles', () => {
  it('has the months of every cycle, and free/onetime never renew', () => {
    expect(CYCLE_MONTHS).toEqual({ free: 0, onetime: 0, monthly: 1, quarterly: 3, semiannually: 6, annually: 12, biennially: 24, triennially: 36 });
    expect(isRecurring('free')).toBe(false);
    expect(isRecurring('onetime')).toBe(false);
    for (const c of RECURRING) expect(isRecurring(c)).toBe(true);
  });

  it('knows month lengths and leap years', () => {
    expect(daysInMonth(2028, 2)).toBe(29);
    expect(daysInMonth(2027, 2)).toBe(28);
    expect(daysInMonth(2100, 2)).toBe(28); // divisible by 100, not by 400
    expect(daysInMonth(2000, 2)).toBe(29); // divisible by 400
    for (let y = 2026; y <= 2032; y++) for (let m = 1; m <= 12; m++) expect(daysInMonth(y, m)).toBe(LENGTHS(y)[m - 1]);
  });

  it('refuses malformed and impossible dates', () => {
    for (const bad of ['2027-02-29', '2027-13-01', '2027-00-10', '2027-04-31', '2027-2-1', '27-02-01', '', '2027-02-01T00:00:00Z']) {
      expect(() => parseDate(bad)).toThrow(RangeError);
    }
    expect(parseDate('2028-02-29')).toEqual({ y: 2028, m: 2, d: 29 });
    expect(() => nextDueDate(32, '2027-01-01', 'monthly')).toThrow(RangeError);
    expect(() => nextDueDate(0, '2027-01-01', 'monthly')).toThrow(RangeError);
    expect(() => nextDueDate(1.5, '2027-01-01', 'monthly')).toThrow(RangeError);
  });
});

describe('nextDueDate — month-end anchoring', () => {
  it('walks anchor 31 through 2027–2028 exactly as written down', () => {
    const seen: string[] = [];
    let due = '2027-01-31';
    for (let i = 0; i < 24; i++) {
      due = nextDueDate(31, due, 'monthly');
      seen.push(due);
    }
    expect(seen).toEqual([
      '2027-02-28', '2027-03-31', '2027-04-30', '2027-05-31', '2027-06-30', '2027-07-31', '2027-08-31', '2027-09-30',
      '2027-10-31', '2027-11-30', '2027-12-31', '2028-01-31', '2028-02-29', '2028-03-31', '2028-04-30', '2028-05-31',
      '2028-06-30', '2028-07-31', '2028-08-31', '2028-09-30', '2028-10-31', '2028-11-30', '2028-12-31', '2029-01-31',
    ]);
  });

  it('gives anchor 30 Feb 28/29 then back to the 30th', () => {
    expect(nextDueDate(30, '2027-01-30', 'monthly')).toBe('2027-02-28');
    expect(nextDueDate(30, '2027-02-28', 'monthly')).toBe('2027-03-30');
    expect(nextDueDate(30, '2028-01-30', 'monthly')).toBe('2028-02-29');
    expect(nextDueDate(30, '2028-02-29', 'monthly')).toBe('2028-03-30');
  });

  it('gives anchor 29 Feb 28 in common years and Feb 29 in 2028', () => {
    expect(nextDueDate(29, '2027-01-29', 'monthly')).toBe('2027-02-28');
    expect(nextDueDate(29, '2027-02-28', 'monthly')).toBe('2027-03-29');
    expect(nextDueDate(29, '2028-01-29', 'monthly')).toBe('2028-02-29');
    expect(nextDueDate(29, '2028-02-29', 'monthly')).toBe('2028-03-29');
  });

  it('never clamps anchor 28 or below', () => {
    expect(nextDueDate(28, '2027-01-28', 'monthly')).toBe('2027-02-28');
    expect(nextDueDate(28, '2028-01-28', 'monthly')).toBe('2028-02-28');
    expect(nextDueDate(28, '2028-02-28', 'monthly')).toBe('2028-03-28');
    expect(nextDueDate(1, '2027-12-01', 'monthly')).toBe('2028-01-01');
  });

  for (const anchor of [28, 29, 30, 31]) {
    it(`follows anchor ${anchor} month by month over 2026–2031 without drifting`, () => {
      let due = expectedDue(0, anchor);
      for (let i = 1; i < 72; i++) {
        due = nextDueDate(anchor, due, 'monthly');
        expect(due).toBe(expectedDue(i, anchor));
      }
    });

    for (const cycle of RECURRING) {
      it(`follows anchor ${anchor} on the ${cycle} cycle from every start month of 2026–2028`, () => {
        const step = CYCLE_MONTHS[cycle];
        for (let start = 0; start < 36; start++) {
          let due = expectedDue(start, anchor);
          for (let k = 1; k * step + start < 84; k++) {
            due = nextDueDate(anchor, due, cycle);
            expect(due).toBe(expectedDue(start + k * step, anchor));
          }
        }
      });
    }
  }

  it('follows every anchor 1–31 from every day of the 3 years 2026–2028 (monthly)', () => {
    let checked = 0;
    for (let i = 0; i < 36; i++) {
      for (let anchor = 1; anchor <= 31; anchor++) {
        const from = expectedDue(i, anchor);
        expect(nextDueDate(anchor, from, 'monthly')).toBe(expectedDue(i + 1, anchor));
        checked++;
      }
    }
    expect(checked).toBe(36 * 31);
  });

  it('renews annual leap-day services on Feb 28 and back on Feb 29 in 2032', () => {
    const seen: string[] = [];
    let due = '2028-02-29';
    for (let i = 0; i < 4; i++) seen.push((due = nextDueDate(29, due, 'annually')));
    expect(seen).toEqual(['2029-02-28', '2030-02-28', '2031-02-28', '2032-02-29']);
    expect(nextDueDate(29, '2026-02-28', 'biennially')).toBe('2028-02-29');
    expect(nextDueDate(29, '2028-02-29', 'triennially')).toBe('2031-02-28');
  });

  it('takes quarterly, semi-annual, biennial and triennial steps from month ends', () => {
    expect(nextDueDate(30, '2027-11-30', 'quarterly')).toBe('2028-02-29');
    expect(nextDueDate(30, '2028-02-29', 'quarterly')).toBe('2028-05-30');
    expect(nextDueDate(31, '2027-08-31', 'semiannually')).toBe('2028-02-29');
    expect(nextDueDate(31, '2028-02-29', 'semiannually')).toBe('2028-08-31');
    expect(nextDueDate(31, '2026-12-31', 'biennially')).toBe('2028-12-31');
    expect(nextDueDate(31, '2025-05-31', 'triennially')).toBe('2028-05-31');
    expect(nextDueDate(15, '2027-10-15', 'quarterly')).toBe('2028-01-15');
  });

  it('uses only the year and month of the current due date: the anchor decides the day', () => {
    // Staff moved the due date by hand without changing the anchor: the next one is back on the anchor.
    expect(nextDueDate(31, '2027-03-15', 'monthly')).toBe('2027-04-30');
    expect(addMonthsAnchored('2027-03-31', -1, 31)).toBe('2027-02-28');
    expect(addMonthsAnchored('2027-01-31', -13, 31)).toBe('2025-12-31');
  });

  it('has no next due date for free and one-time', () => {
    expect(nextDueDate(31, '2027-01-31', 'onetime')).toBeNull();
    expect(nextDueDate(31, '2027-01-31', 'free')).toBeNull();
  });
});

describe('periodFor', () => {
  it('ends the day before the next due date', () => {
    expect(periodFor('2027-01-31', 'monthly', 31)).toEqual({ start: '2027-01-31', end: '2027-02-27' });
    expect(periodFor('2028-01-31', 'monthly', 31)).toEqual({ start: '2028-01-31', end: '2028-02-28' });
    expect(periodFor('2027-02-28', 'monthly', 31)).toEqual({ start: '2027-02-28', end: '2027-03-30' });
    expect(periodFor('2028-02-29', 'monthly', 30)).toEqual({ start: '2028-02-29', end: '2028-03-29' });
    expect(periodFor('2027-12-01', 'monthly', 1)).toEqual({ start: '2027-12-01', end: '2027-12-31' });
    expect(periodFor('2027-03-01', 'annually', 1)).toEqual({ start: '2027-03-01', end: '2028-02-29' });
    expect(periodFor('2028-02-29', 'annually', 29)).toEqual({ start: '2028-02-29', end: '2029-02-27' });
    expect(periodFor('2027-01-15', 'quarterly', 15)).toEqual({ start: '2027-01-15', end: '2027-04-14' });
    expect(periodFor('2027-01-15', 'onetime', 15)).toEqual({ start: '2027-01-15', end: null });
    expect(periodFor('2027-01-15', 'free', 15)).toEqual({ start: '2027-01-15', end: null });
  });

  it('tiles the calendar with no gap and no overlap for every cycle and anchor 28–31', () => {
    for (const cycle of RECURRING) {
      for (const anchor of [28, 29, 30, 31]) {
        let start = expectedDue(0, anchor);
        let days = 0;
        const months = CYCLE_MONTHS[cycle];
        const n = Math.ceil(72 / months);
        for (let i = 0; i < n; i++) {
          const p = periodFor(start, cycle, anchor);
          expect(p.end >= p.start).toBe(true);
          days += daysBetween(p.start, p.end) + 1;
          start = addDays(p.end, 1);
          expect(start).toBe(expectedDue((i + 1) * months, anchor));
        }
        // Every day from the first start to the last end is covered exactly once.
        expect(days).toBe(daysBetween(expectedDue(0, anchor), start));
      }
    }
  });
});

describe('invoiceDateFor', () => {
  it('counts back N days across months, years and leap days', () => {
    expect(invoiceDateFor('2027-03-10', 14)).toBe('2027-02-24');
    expect(invoiceDateFor('2028-03-10', 14)).toBe('2028-02-25');
    expect(invoiceDateFor('2028-01-05', 7)).toBe('2027-12-29');
    expect(invoiceDateFor('2028-03-01', 1)).toBe('2028-02-29');
    expect(invoiceDateFor('2027-03-01', 1)).toBe('2027-02-28');
    expect(invoiceDateFor('2027-06-30', 0)).toBe('2027-06-30');
    expect(() => invoiceDateFor('2027-06-30', -1)).toThrow(RangeError);
    expect(() => invoiceDateFor('2027-06-30', 1.5)).toThrow(RangeError);
  });
});

describe('pro-rata first invoices', () => {
  it('rounds price × days / period days once, half-up', () => {
    expect(prorateAmount(1000, 17, 31)).toBe(548); // 548.387…
    expect(prorateAmount(1000, 1, 8)).toBe(125);
    expect(prorateAmount(1, 1, 2)).toBe(1); // 0.5 → 1
    expect(prorateAmount(999, 14, 28)).toBe(500); // 499.5 → 500
    expect(prorateAmount(1000, 0, 31)).toBe(0);
    expect(prorateAmount(1000, 31, 31)).toBe(1000);
    expect(() => prorateAmount(1000, 32, 31)).toThrow(RangeError);
    expect(() => prorateAmount(10.5, 1, 31)).toThrow();
  });

  it('charges the rest of the month before the cut-off (monthly, day 1, cut-off 20)', () => {
    const r = prorata({ orderDate: '2027-03-15', cycle: 'monthly', prorataDay: 1, cutoffDay: 20, price: 1000 });
    expect(r).toEqual({
      partialPeriod: { start: '2027-03-15', end: '2027-03-31' },
      partialDays: 17,
      fullPeriodDays: 31,
      addedPeriod: null,
      firstPeriod: { start: '2027-03-15', end: '2027-03-31' },
      nextDueDate: '2027-04-01',
      partialAmount: 548, // 1000 × 17/31 = 548.39
      fullAmount: 0,
      firstAmount: 548,
    });
  });

  it('adds the next full month after the cut-off', () => {
    const r = prorata({ orderDate: '2027-03-25', cycle: 'monthly', prorataDay: 1, cutoffDay: 20, price: 1000 });
    expect(r.partialPeriod).toEqual({ start: '2027-03-25', end: '2027-03-31' });
    expect(r.partialDays).toBe(7);
    expect(r.fullPeriodDays).toBe(31);
    expect(r.partialAmount).toBe(226); // 225.81
    expect(r.addedPeriod).toEqual({ start: '2027-04-01', end: '2027-04-30' });
    expect(r.fullAmount).toBe(1000);
    expect(r.firstAmount).toBe(1226);
    expect(r.firstPeriod).toEqual({ start: '2027-03-25', end: '2027-04-30' });
    expect(r.nextDueDate).toBe('2027-05-01');
  });

  it('treats the cut-off day itself as before the cut-off', () => {
    const on = prorata({ orderDate: '2027-03-20', cycle: 'monthly', prorataDay: 1, cutoffDay: 20, price: 3100 });
    expect(on.addedPeriod).toBeNull();
    expect(on.partialDays).toBe(12);
    expect(on.partialAmount).toBe(1200);
    expect(on.nextDueDate).toBe('2027-04-01');
    const after = prorata({ orderDate: '2027-03-21', cycle: 'monthly', prorataDay: 1, cutoffDay: 20, price: 3100 });
    expect(after.partialAmount).toBe(1100);
    expect(after.fullAmount).toBe(3100);
    expect(after.nextDueDate).toBe('2027-05-01');
  });

  it('measures February partials against February, 29 days in 2028', () => {
    const r27 = prorata({ orderDate: '2027-02-15', cycle: 'monthly', prorataDay: 1, cutoffDay: 25, price: 2800 });
    expect([r27.partialDays, r27.fullPeriodDays, r27.partialAmount, r27.nextDueDate]).toEqual([14, 28, 1400, '2027-03-01']);
    const r28 = prorata({ orderDate: '2028-02-15', cycle: 'monthly', prorataDay: 1, cutoffDay: 25, price: 2900 });
    expect([r28.partialDays, r28.fullPeriodDays, r28.partialAmount, r28.nextDueDate]).toEqual([15, 29, 1500, '2028-03-01']);
    const leapDay = prorata({ orderDate: '2028-02-29', cycle: 'monthly', prorataDay: 1, cutoffDay: 20, price: 2900 });
    expect([leapDay.partialDays, leapDay.partialAmount, leapDay.fullAmount, leapDay.firstAmount, leapDay.nextDueDate]).toEqual([1, 100, 2900, 3000, '2028-04-01']);
  });

  it('uses this month’s pro-rata day when it is still ahead', () => {
    const r = prorata({ orderDate: '2027-06-03', cycle: 'monthly', prorataDay: 15, cutoffDay: 10, price: 3000 });
    // Jun 3 → Jun 15: 12 days of the May 15 – Jun 14 period (31 days).
    expect(r.partialPeriod).toEqual({ start: '2027-06-03', end: '2027-06-14' });
    expect([r.partialDays, r.fullPeriodDays, r.partialAmount]).toEqual([12, 31, 1161]); // 1161.29
    expect(r.nextDueDate).toBe('2027-06-15');
    // After the cut-off (the 12th > 10th) the month from Jun 15 is added.
    const late = prorata({ orderDate: '2027-06-12', cycle: 'monthly', prorataDay: 15, cutoffDay: 10, price: 3000 });
    expect([late.partialDays, late.partialAmount, late.fullAmount]).toEqual([3, 290, 3000]); // 290.32
    expect(late.addedPeriod).toEqual({ start: '2027-06-15', end: '2027-07-14' });
    expect(late.nextDueDate).toBe('2027-07-15');
  });

  it('charges one ordinary full period when ordered on the pro-rata day', () => {
    const r = prorata({ orderDate: '2027-04-01', cycle: 'monthly', prorataDay: 1, cutoffDay: 20, price: 1000 });
    expect(r.partialPeriod).toBeNull();
    expect(r.partialAmount).toBe(0);
    expect(r.fullAmount).toBe(1000);
    expect(r.firstPeriod).toEqual({ start: '2027-04-01', end: '2027-04-30' });
    expect(r.nextDueDate).toBe('2027-05-01');
  });

  it('never adds a period when there is no cut-off', () => {
    const r = prorata({ orderDate: '2027-03-30', cycle: 'monthly', prorataDay: 1, cutoffDay: null, price: 3100 });
    expect([r.partialDays, r.partialAmount, r.fullAmount, r.nextDueDate]).toEqual([2, 200, 0, '2027-04-01']);
  });

  it('pro-rates longer cycles against the whole cycle that ends on the pro-rata date', () => {
    // Annual, day 1: Mar 15 2027 → Apr 1 2027 is 17 days of Apr 1 2026 – Mar 31 2027 (365 days).
    const a = prorata({ orderDate: '2027-03-15', cycle: 'annually', prorataDay: 1, cutoffDay: 20, price: 12000 });
    expect([a.partialDays, a.fullPeriodDays, a.partialAmount, a.fullAmount, a.nextDueDate]).toEqual([17, 365, 559, 0, '2027-04-01']); // 558.90
    // Same in 2028: the year ending Mar 31 2028 holds Feb 29 (366 days).
    const b = prorata({ orderDate: '2028-03-15', cycle: 'annually', prorataDay: 1, cutoffDay: 20, price: 12000 });
    expect([b.partialDays, b.fullPeriodDays, b.partialAmount]).toEqual([17, 366, 557]); // 557.38
    // After the cut-off a whole year is added: first invoice Mar 25 2027 – Mar 31 2028.
    const c = prorata({ orderDate: '2027-03-25', cycle: 'annually', prorataDay: 1, cutoffDay: 20, price: 12000 });
    expect([c.partialDays, c.partialAmount, c.fullAmount, c.firstAmount]).toEqual([7, 230, 12000, 12230]); // 230.14
    expect(c.firstPeriod).toEqual({ start: '2027-03-25', end: '2028-03-31' });
    expect(c.nextDueDate).toBe('2028-04-01');
  });

  it('pro-rates every cycle against its own full period', () => {
    // Order Jan 10 2027, day 1, no cut-off: 22 days to Feb 1; the full period ends Jan 31 and starts one cycle earlier.
    const expected: Record<RecurringCycle, [number, number]> = {
      monthly: [31, 710], // Jan 1 – Jan 31; 1000 × 22/31 = 709.68
      quarterly: [92, 239], // Nov 1 2026 – Jan 31: 30+31+31; 239.13
      semiannually: [184, 120], // Aug 1 2026 – Jan 31: 31+30+31+30+31+31; 119.57
      annually: [365, 60], // Feb 1 2026 – Jan 31 2027; 60.27
      biennially: [730, 30], // 30.14
      triennially: [1096, 20], // Feb 1 2024 – Jan 31 2027 holds Feb 29 2024; 20.07
    };
    for (const cycle of RECURRING) {
      const r = prorata({ orderDate: '2027-01-10', cycle, prorataDay: 1, cutoffDay: null, price: 1000 });
      expect([r.fullPeriodDays, r.partialAmount]).toEqual(expected[cycle]);
      expect(r.partialDays).toBe(22);
      expect(r.nextDueDate).toBe('2027-02-01');
    }
  });

  it('adds the following full period of the cycle after the cut-off, for every cycle', () => {
    const next: Record<RecurringCycle, string> = {
      monthly: '2027-03-01',
      quarterly: '2027-05-01',
      semiannually: '2027-08-01',
      annually: '2028-02-01',
      biennially: '2029-02-01',
      triennially: '2030-02-01',
    };
    for (const cycle of RECURRING) {
      const r = prorata({ orderDate: '2027-01-25', cycle, prorataDay: 1, cutoffDay: 20, price: 5000 });
      expect(r.addedPeriod).toEqual({ start: '2027-02-01', end: addDays(next[cycle], -1) });
      expect(r.fullAmount).toBe(5000);
      expect(r.nextDueDate).toBe(next[cycle]);
    }
  });

  it('keeps partial + following periods contiguous for every order day of 2027–2028', () => {
    for (let d = '2027-01-01'; d <= '2028-12-31'; d = addDays(d, 1)) {
      const s = prorataSchedule({ orderDate: d, cycle: 'monthly', prorataDay: 5, cutoffDay: 20 });
      expect(s.firstPeriod.start).toBe(d);
      expect(addDays(s.firstPeriod.end, 1)).toBe(s.nextDueDate);
      expect(parseDate(s.nextDueDate).d).toBe(5);
      const day = parseDate(d).d;
      if (s.partialPeriod) {
        expect(s.partialDays).toBe(daysBetween(d, addDays(s.partialPeriod.end, 1)));
        expect(s.partialDays).toBeGreaterThan(0);
        expect(s.partialDays).toBeLessThan(s.fullPeriodDays);
      }
      expect(s.addedPeriod !== null).toBe(day > 20 || day === 5);
    }
  });

  it('refuses cycles that do not renew and bad days', () => {
    expect(() => prorataSchedule({ orderDate: '2027-01-10', cycle: 'onetime' as RecurringCycle, prorataDay: 1, cutoffDay: null })).toThrow(RangeError);
    expect(() => prorataSchedule({ orderDate: '2027-01-10', cycle: 'monthly', prorataDay: 0, cutoffDay: null })).toThrow(RangeError);
    expect(() => prorataSchedule({ orderDate: '2027-01-10', cycle: 'monthly', prorataDay: 1, cutoffDay: 40 })).toThrow(RangeError);
  });
});
