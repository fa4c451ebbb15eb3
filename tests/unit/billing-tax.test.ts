import { computeTax, selectTaxRates, type TaxRateRow, type TaxRates } from '../../src/domain/billing/tax.js';

/**
 * Invoice tax: on the invoice's taxable total, each level rounded half-up once, compound level 2, inclusive prices
 * extracted so net + taxes = gross exactly, exempt clients. Every expected figure is worked out in the comment beside
 * it (checked with decimal arithmetic, not with the code under test).
 */

const VAT20: TaxRates = { level1: { name: 'VAT', rate: '20.0000' } };
const CA: TaxRates = { level1: { name: 'Sales tax', rate: '7.2500' } };
const GST_QST = (compound: boolean): TaxRates => ({ level1: { name: 'GST', rate: '5.0000' }, level2: { name: 'QST', rate: '9.9750', compound } });
const t = (amount: number, taxable = true) => ({ amount, taxable });

describe('exclusive tax', () => {
  it('adds level 1 on the taxable total, rounded half-up', () => {
    // 1999 × 7.25 % = 144.9275 → 145; the 500 non-taxable line carries none.
    expect(computeTax({ lines: [t(1999), t(500, false)], rates: CA, inclusive: false, exempt: false })).toEqual({
      linesTotal: 2499,
      subtotal: 2499,
      taxableBase: 1999,
      tax1: 145,
      tax2: 0,
      total: 2644,
    });
    // Exactly half a cent rounds up: 10 × 5 % = 0.5 → 1; 30 × 7.25 % = 2.175 → 2.
    expect(computeTax({ lines: [t(10)], rates: { level1: { name: 'T', rate: '5' } }, inclusive: false, exempt: false }).tax1).toBe(1);
    expect(computeTax({ lines: [t(30)], rates: CA, inclusive: false, exempt: false }).tax1).toBe(2);
  });

  it('taxes the invoice total, not each line', () => {
    // Per line: 105 × 10 % = 10.5 → 11, three times = 33. On the total: 315 × 10 % = 31.5 → 32.
    const r = computeTax({ lines: [t(105), t(105), t(105)], rates: { level1: { name: 'T', rate: '10.0000' } }, inclusive: false, exempt: false });
    expect([r.taxableBase, r.tax1, r.total]).toEqual([315, 32, 347]);
  });

  it('compounds level 2 on base + level 1', () => {
    // 10000 × 5 % = 500; (10000 + 500) × 9.975 % = 1047.375 → 1047.
    expect(computeTax({ lines: [t(10000)], rates: GST_QST(true), inclusive: false, exempt: false })).toEqual({
      linesTotal: 10000,
      subtotal: 10000,
      taxableBase: 10000,
      tax1: 500,
      tax2: 1047,
      total: 11547,
    });
  });

  it('charges a non-compound level 2 on the base alone', () => {
    // 10000 × 9.975 % = 997.5 → 998.
    expect(computeTax({ lines: [t(10000)], rates: GST_QST(false), inclusive: false, exempt: false })).toEqual({
      linesTotal: 10000,
      subtotal: 10000,
      taxableBase: 10000,
      tax1: 500,
      tax2: 998,
      total: 11498,
    });
  });

  it('treats level 2 as compound when the flag is left out (TaxRate level 2 is compound)', () => {
    const r = computeTax({ lines: [t(10000)], rates: { level1: { name: 'GST', rate: '5' }, level2: { name: 'QST', rate: '9.975' } }, inclusive: false, exempt: false });
    expect(r.tax2).toBe(1047);
  });

  it('charges a level 2 on its own when there is no level 1', () => {
    const r = computeTax({ lines: [t(2000)], rates: { level2: { name: 'Local', rate: '2.5000', compound: true } }, inclusive: false, exempt: false });
    expect([r.tax1, r.tax2, r.total]).toEqual([0, 50, 2050]);
  });

  it('lets negative promotion lines reduce the base, and non-taxable credit lines only the total', () => {
    // Base 10000 − 2000 = 8000 → 1600 VAT; the −500 credit is not taxable.
    expect(computeTax({ lines: [t(10000), t(-2000), t(-500, false)], rates: VAT20, inclusive: false, exempt: false })).toEqual({
      linesTotal: 7500,
      subtotal: 7500,
      taxableBase: 8000,
      tax1: 1600,
      tax2: 0,
      total: 9100,
    });
  });

  it('never charges negative tax when credits outweigh the taxable lines', () => {
    expect(computeTax({ lines: [t(1000), t(-1500)], rates: VAT20, inclusive: false, exempt: false })).toEqual({
      linesTotal: -500,
      subtotal: -500,
      taxableBase: 0,
      tax1: 0,
      tax2: 0,
      total: -500,
    });
    expect(computeTax({ lines: [t(1000, false)], rates: VAT20, inclusive: false, exempt: false })).toMatchObject({ taxableBase: 0, tax1: 0, total: 1000 });
  });

  it('charges nothing on an empty invoice or with no rates', () => {
    expect(computeTax({ lines: [], rates: VAT20, inclusive: false, exempt: false })).toEqual({ linesTotal: 0, subtotal: 0, taxableBase: 0, tax1: 0, tax2: 0, total: 0 });
    expect(computeTax({ lines: [t(1234)], rates: {}, inclusive: false, exempt: false })).toEqual({ linesTotal: 1234, subtotal: 1234, taxableBase: 1234, tax1: 0, tax2: 0, total: 1234 });
  });

  it('charges an exempt client no tax', () => {
    expect(computeTax({ lines: [t(10000), t(300, false)], rates: GST_QST(true), inclusive: false, exempt: true })).toEqual({
      linesTotal: 10300,
      subtotal: 10300,
      taxableBase: 0,
      tax1: 0,
      tax2: 0,
      total: 10300,
    });
  });

  it('refuses bad amounts and rates', () => {
    expect(() => computeTax({ lines: [t(10.5)], rates: VAT20, inclusive: false, exempt: false })).toThrow();
    expect(() => computeTax({ lines: [t(100)], rates: { level1: { name: 'X', rate: '-5' } }, inclusive: false, exempt: false })).toThrow(/negative/);
    expect(() => computeTax({ lines: [t(100)], rates: { level1: { name: 'X', rate: '5.12345' } }, inclusive: false, exempt: false })).toThrow(/4 decimal/);
    expect(() => computeTax({ lines: [t(100)], rates: { level1: { name: 'X', rate: 'abc' } }, inclusive: false, exempt: false })).toThrow();
    // Trailing zeros beyond 4 places are harmless.
    expect(computeTax({ lines: [t(1000)], rates: { level1: { name: 'X', rate: '5.000000' } }, inclusive: false, exempt: false }).tax1).toBe(50);
  });
});

describe('inclusive tax', () => {
  it('extracts the tax so net + tax = gross', () => {
    // 12000 / 1.2 = 10000 net, 2000 VAT.
    expect(computeTax({ lines: [t(12000)], rates: VAT20, inclusive: true, exempt: false })).toEqual({
      linesTotal: 12000,
      subtotal: 10000,
      taxableBase: 10000,
      tax1: 2000,
      tax2: 0,
      total: 12000,
    });
    // 1999 / 1.0725 = 1863.87 → 1864; 1864 × 7.25 % = 135.14 → 135; 1864 + 135 = 1999.
    expect(computeTax({ lines: [t(1999)], rates: CA, inclusive: true, exempt: false })).toMatchObject({ subtotal: 1864, tax1: 135, total: 1999 });
    // 100 / 1.19 = 84.03 → 84; 84 × 19 % = 15.96 → 16.
    expect(computeTax({ lines: [t(100)], rates: { level1: { name: 'MwSt', rate: '19' } }, inclusive: true, exempt: false })).toMatchObject({ subtotal: 84, tax1: 16, total: 100 });
    // One cent at 20 %: 1 / 1.2 = 0.83 → 1 net, 0.2 → 0 tax.
    expect(computeTax({ lines: [t(1)], rates: VAT20, inclusive: true, exempt: false })).toMatchObject({ subtotal: 1, tax1: 0, total: 1 });
  });

  it('gives the rounding remainder to the net so the identity holds', () => {
    // 10000 / 1.21 = 8264.46 → 8264; 8264 × 21 % = 1735.44 → 1735; 8264 + 1735 = 9999, so the net becomes 8265.
    expect(computeTax({ lines: [t(10000)], rates: { level1: { name: 'IVA', rate: '21.0000' } }, inclusive: true, exempt: false })).toEqual({
      linesTotal: 10000,
      subtotal: 8265,
      taxableBase: 8265,
      tax1: 1735,
      tax2: 0,
      total: 10000,
    });
  });

  it('extracts compound level 2 by dividing by (1 + r1)(1 + r2)', () => {
    // 11547 / (1.05 × 1.09975) = 10000.0 → 10000; GST 500; QST 10500 × 9.975 % = 1047.375 → 1047.
    expect(computeTax({ lines: [t(11547)], rates: GST_QST(true), inclusive: true, exempt: false })).toMatchObject({ subtotal: 10000, tax1: 500, tax2: 1047, total: 11547 });
    // 5000 / 1.15473… = 4329.99 → 4330; GST 216.5 → 217; QST (4330 + 217) × 9.975 % = 453.56 → 454; 4330 + 217 + 454 = 5001,
    // so the net gives back a cent: 4329.
    expect(computeTax({ lines: [t(5000)], rates: GST_QST(true), inclusive: true, exempt: false })).toEqual({
      linesTotal: 5000,
      subtotal: 4329,
      taxableBase: 4329,
      tax1: 217,
      tax2: 454,
      total: 5000,
    });
  });

  it('extracts non-compound level 2 by dividing by (1 + r1 + r2)', () => {
    // 11498 / 1.14975 = 10000.43 → 10000; 500 + 997.5 → 998; sum 11498.
    expect(computeTax({ lines: [t(11498)], rates: GST_QST(false), inclusive: true, exempt: false })).toMatchObject({ subtotal: 10000, tax1: 500, tax2: 998, total: 11498 });
    // 5000 / 1.14975 = 4348.77 → 4349; 217.45 → 217; 433.81 → 434; 4349 + 217 + 434 = 5000.
    expect(computeTax({ lines: [t(5000)], rates: GST_QST(false), inclusive: true, exempt: false })).toMatchObject({ subtotal: 4349, tax1: 217, tax2: 434, total: 5000 });
  });

  it('extracts only from taxable lines; non-taxable lines stay as they are', () => {
    // Taxable gross 12000 − 2400 promo = 9600 → 8000 net + 1600 VAT; plus 700 non-taxable.
    expect(computeTax({ lines: [t(12000), t(-2400), t(700, false)], rates: VAT20, inclusive: true, exempt: false })).toEqual({
      linesTotal: 10300,
      subtotal: 8700,
      taxableBase: 8000,
      tax1: 1600,
      tax2: 0,
      total: 10300,
    });
  });

  it('charges an exempt client the net price (the tax is taken out, not charged)', () => {
    expect(computeTax({ lines: [t(12000), t(500, false)], rates: VAT20, inclusive: true, exempt: true })).toEqual({
      linesTotal: 12500,
      subtotal: 10500,
      taxableBase: 0,
      tax1: 0,
      tax2: 0,
      total: 10500,
    });
    // Same net as a taxed client gets: 10000 at 21 % → 8265.
    expect(computeTax({ lines: [t(10000)], rates: { level1: { name: 'IVA', rate: '21' } }, inclusive: true, exempt: true }).total).toBe(8265);
  });

  it('holds net + tax1 + tax2 = gross to the cent for every amount, rate and mode (property loop)', () => {
    const rateSets: TaxRates[] = [
      VAT20,
      CA,
      { level1: { name: 'IVA', rate: '21' } },
      { level1: { name: 'GST', rate: '8.8750' } },
      { level1: { name: 'Odd', rate: '0.0001' } },
      { level1: { name: 'Big', rate: '99.9999' } },
      GST_QST(true),
      GST_QST(false),
      { level1: { name: 'A', rate: '7.2500' }, level2: { name: 'B', rate: '3.3333', compound: true } },
      { level1: { name: 'A', rate: '7.2500' }, level2: { name: 'B', rate: '3.3333', compound: false } },
    ];
    let checked = 0;
    const amounts: number[] = [];
    for (let a = 1; a <= 3000; a++) amounts.push(a);
    for (let a = 3001; a < 10_000_000; a = Math.floor(a * 1.013) + 7) amounts.push(a);
    amounts.push(9_007_199_254); // about 90 million dollars, in cents
    const failures: string[] = [];
    for (const rates of rateSets) {
      const r1 = Number(rates.level1?.rate ?? 0) / 100;
      const r2 = Number(rates.level2?.rate ?? 0) / 100;
      const compound = rates.level2?.compound ?? true;
      const factor = compound ? (1 + r1) * (1 + r2) : 1 + r1 + r2;
      for (const gross of amounts) {
        const r = computeTax({ lines: [t(gross)], rates, inclusive: true, exempt: false });
        const why = [
          // The identity, to the cent.
          r.subtotal + r.tax1 + r.tax2 !== gross && 'net + taxes ≠ gross',
          r.total !== gross && 'total ≠ gross',
          // The net is the exact quotient to within a cent or two (rounding plus the remainder it absorbed).
          Math.abs(r.subtotal - gross / factor) > 2 && 'net far from gross / factor',
          // Each tax is its rate on the rounded quotient: within a cent or so of rate × net.
          Math.abs(r.tax1 - r.subtotal * r1) > 0.5 + 2 * r1 && 'tax1 far from r1 × net',
          (r.tax1 < 0 || r.tax2 < 0) && 'negative tax',
        ].filter(Boolean);
        // Splitting the same gross over several lines changes nothing: tax is on the total.
        if (gross % 7 === 0) {
          const split = computeTax({ lines: [t(gross / 7), t((gross / 7) * 2), t((gross / 7) * 4)], rates, inclusive: true, exempt: false });
          if (JSON.stringify(split) !== JSON.stringify(r)) why.push('split lines differ');
        }
        if (why.length) failures.push(`${gross} @ ${JSON.stringify(rates)}: ${why.join(', ')} ${JSON.stringify(r)}`);
        checked++;
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(checked).toBeGreaterThan(10 * 3000);
  });

  it('matches exclusive tax when the gross came from an exclusive price', () => {
    // For every net price, gross = net + taxes (exclusive) extracts back to the same net and taxes.
    const failures: string[] = [];
    for (const rates of [VAT20, CA, GST_QST(true), GST_QST(false)]) {
      for (let net = 1; net <= 5000; net++) {
        const ex = computeTax({ lines: [t(net)], rates, inclusive: false, exempt: false });
        const inc = computeTax({ lines: [t(ex.total)], rates, inclusive: true, exempt: false });
        if (inc.subtotal + inc.tax1 + inc.tax2 !== ex.total || Math.abs(inc.subtotal - net) > 1) failures.push(`${net}: ${JSON.stringify(ex)} → ${JSON.stringify(inc)}`);
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });
});

describe('selectTaxRates', () => {
  const rows: TaxRateRow[] = [
    { id: 1, name: 'Everywhere', country: null, state: null, rate: '1.0000', level: 1, priority: 0 },
    { id: 2, name: 'US', country: 'US', state: null, rate: '2.0000', level: 1, priority: 0 },
    { id: 3, name: 'California', country: 'US', state: 'CA', rate: '7.2500', level: 1, priority: 0 },
    { id: 4, name: 'LA County', country: 'US', state: 'CA', rate: '2.2500', level: 2, priority: 0 },
    { id: 5, name: 'GST', country: 'CA', state: null, rate: '5.0000', level: 1, priority: 0 },
    { id: 6, name: 'QST', country: 'CA', state: 'QC', rate: '9.9750', level: 2, priority: 0 },
    { id: 7, name: 'VAT low', country: 'GB', state: null, rate: '5.0000', level: 1, priority: 1 },
    { id: 8, name: 'VAT', country: 'GB', state: null, rate: '20.0000', level: 1, priority: 5 },
    { id: 9, name: 'Tie A', country: 'DE', state: null, rate: '19.0000', level: 1, priority: 3 },
    { id: 10, name: 'Tie B', country: 'DE', state: null, rate: '7.0000', level: 1, priority: 3 },
    { id: 11, name: 'State without country', country: null, state: 'QC', rate: '50.0000', level: 1, priority: 99 },
  ];

  it('prefers country + state, then country, then all countries', () => {
    expect(selectTaxRates(rows, 'US', 'CA')).toEqual({
      level1: { id: 3, name: 'California', rate: '7.2500' },
      level2: { id: 4, name: 'LA County', rate: '2.2500', compound: true },
    });
    expect(selectTaxRates(rows, 'US', 'NY')).toEqual({ level1: { id: 2, name: 'US', rate: '2.0000' }, level2: null });
    expect(selectTaxRates(rows, 'US', null)).toEqual({ level1: { id: 2, name: 'US', rate: '2.0000' }, level2: null });
    expect(selectTaxRates(rows, 'FR', 'IDF')).toEqual({ level1: { id: 1, name: 'Everywhere', rate: '1.0000' }, level2: null });
  });

  it('picks each level on its own', () => {
    expect(selectTaxRates(rows, 'CA', 'QC')).toEqual({ level1: { id: 5, name: 'GST', rate: '5.0000' }, level2: { id: 6, name: 'QST', rate: '9.9750', compound: true } });
    expect(selectTaxRates(rows, 'CA', 'ON')).toEqual({ level1: { id: 5, name: 'GST', rate: '5.0000' }, level2: null });
  });

  it('breaks ties by higher priority, then lower id, whatever the row order', () => {
    expect(selectTaxRates(rows, 'GB', null).level1?.name).toBe('VAT');
    expect(selectTaxRates([...rows].reverse(), 'GB', null).level1?.name).toBe('VAT');
    expect(selectTaxRates(rows, 'DE', null).level1?.name).toBe('Tie A');
    expect(selectTaxRates([...rows].reverse(), 'DE', null).level1?.name).toBe('Tie A');
  });

  it('never lets priority beat specificity', () => {
    const r = selectTaxRates([...rows, { id: 12, name: 'Loud global', country: null, state: null, rate: '3.0000', level: 1, priority: 100 }], 'US', 'CA');
    expect(r.level1?.name).toBe('California');
  });

  it('compares country and state trimmed and case-insensitively, and ignores a state with no country', () => {
    expect(selectTaxRates(rows, 'us', ' ca ').level1?.name).toBe('California');
    expect(selectTaxRates(rows, 'XX', 'QC').level1?.name).toBe('Everywhere');
  });

  it('returns nothing when no rule matches, and can make level 2 non-compound', () => {
    expect(selectTaxRates(rows.filter((r) => r.country !== null), 'FR', null)).toEqual({ level1: null, level2: null });
    expect(selectTaxRates(rows, 'CA', 'QC', { compoundLevel2: false }).level2?.compound).toBe(false);
  });

  it('feeds computeTax directly', () => {
    const rates = selectTaxRates(rows, 'CA', 'QC');
    expect(computeTax({ lines: [t(10000)], rates, inclusive: false, exempt: false })).toMatchObject({ tax1: 500, tax2: 1047, total: 11547 });
  });
});
