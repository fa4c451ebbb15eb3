import { startTestApp, createStaff, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/auth.js';
import { testEngine } from '../helpers/db.js';
import { currency } from '../helpers/billing-fixtures.js';
import { domainPrice, tldPriceTable } from '../../src/domain/domains/pricing.js';
import { updateTldPrices } from '../../src/domain/domains/price-update.js';

type Row = Record<string, any>;
type Prices = { register?: number | null; renew?: number | null; transfer?: number | null; graceFee?: number | null; redemptionFee?: number | null };

/**
 * TLD prices: what a registration, transfer or (late) renewal costs for a term in a currency, the refusals a client
 * or staff member sees, the price list, and staff changing many prices at once — in the service and from the admin.
 */
describe(`domain prices on ${testEngine()}`, () => {
  let t: TestApp;
  let usd: number;
  let eur: number;
  const products: Record<string, number> = {};

  const tld = async (name: string, over: Row = {}) => {
    const repo = t.ds.getRepository('DomainProduct');
    const saved = (await repo.save(repo.create({ tld: name, minYears: 1, maxYears: 10, registrar: 'logicboxes', ...over }))) as Row;
    products[name.replace(/^\./, '')] = saved.id;
    return saved.id as number;
  };
  const price = async (productId: number, years: number, p: Prices, currencyId = usd) => {
    const repo = t.ds.getRepository('DomainPrice');
    await repo.save(repo.create({ domainProductId: productId, currencyId, years, register: null, renew: null, transfer: null, graceFee: null, redemptionFee: null, ...p }));
  };
  const stored = async (productId: number, currencyId = usd) =>
    ((await t.ds.getRepository('DomainPrice').find({ where: { domainProductId: productId, currencyId }, order: { years: 'ASC' } })) as Row[]).map((r) => [r.years, r.register, r.renew, r.transfer, r.graceFee, r.redemptionFee]);
  const refusal = (o: { ok: boolean; error?: string; message?: string }) => (o.ok ? 'ok' : [o.error, o.message]);

  beforeAll(async () => {
    t = await startTestApp();
    usd = await currency(t.ds, 'USD');
    eur = await currency(t.ds, 'EUR');
    const com = await tld('.com', { sortOrder: 1, eppRequired: true });
    await price(com, 1, { register: 1099, renew: 1299, transfer: 999, graceFee: 500, redemptionFee: 8000 });
    await price(com, 2, { register: 2198, renew: 2598, transfer: null });
    // Stored without the dot, as older rows are; and no registrar (registered by hand).
    const net = await tld('net', { sortOrder: 2, registrar: null, eppRequired: false });
    await price(net, 1, { register: 1005, renew: 1005, transfer: 1005 });
    const couk = await tld('.co.uk', { sortOrder: 2, maxYears: 2 });
    await price(couk, 1, { register: 699, renew: 699, transfer: 0 });
    await price(couk, 3, { register: 1800 });
    const io = await tld('.io', { sortOrder: 3, minYears: 2 });
    await price(io, 2, { register: 9000, renew: 9000, transfer: 4500 });
    const old = await tld('.old', { sortOrder: 0, hidden: true });
    await price(old, 1, { register: 100, renew: 200, transfer: 300 });
  });
  afterAll(async () => t.close());

  it('prices a registration, transfer and renewal for a term in the client’s currency', async () => {
    const reg = await domainPrice(t.ds, { tld: 'COM', currencyId: usd, years: 1, operation: 'register' });
    expect(reg).toEqual({ ok: true, amount: 1099, base: 1099, fee: 0, years: 1, tld: '.com', domainProductId: products.com, registrar: 'logicboxes', eppRequired: true });
    expect(await domainPrice(t.ds.manager, { tld: '.com', currencyId: usd, years: 2, operation: 'renew' })).toMatchObject({ ok: true, amount: 2598 });
    expect(await domainPrice(t.ds, { tld: '.net', currencyId: usd, years: 1, operation: 'transfer' })).toMatchObject({ ok: true, amount: 1005, tld: '.net', registrar: null, eppRequired: false });
    // Free is a price, not a refusal.
    expect(await domainPrice(t.ds, { tld: 'co.uk', currencyId: usd, years: 1, operation: 'transfer' })).toMatchObject({ ok: true, amount: 0 });
  });

  it('refuses endings not sold, terms outside the allowed range and prices not offered, saying why', async () => {
    expect(refusal(await domainPrice(t.ds, { tld: 'xyz', currencyId: usd, years: 1, operation: 'register' }))).toEqual(['unsupported_tld', 'We do not sell domains ending in .xyz.']);
    // A hidden TLD is not sold any more, but its existing domains still renew.
    expect(refusal(await domainPrice(t.ds, { tld: '.old', currencyId: usd, years: 1, operation: 'register' }))).toEqual(['unsupported_tld', expect.stringContaining('.old')]);
    expect(await domainPrice(t.ds, { tld: '.old', currencyId: usd, years: 1, operation: 'renew', includeHidden: true })).toMatchObject({ ok: true, amount: 200 });

    expect(refusal(await domainPrice(t.ds, { tld: 'com', currencyId: usd, years: 11, operation: 'register' }))).toEqual(['years_out_of_range', 'A .com domain can be taken for 1 to 10 years.']);
    expect(refusal(await domainPrice(t.ds, { tld: 'com', currencyId: usd, years: 0, operation: 'register' }))).toEqual(['years_out_of_range', expect.any(String)]);
    // The product's own limit wins over a price row for a longer term.
    expect(refusal(await domainPrice(t.ds, { tld: 'co.uk', currencyId: usd, years: 3, operation: 'register' }))).toEqual(['years_out_of_range', 'A .co.uk domain can be taken for 1 to 2 years.']);
    expect(refusal(await domainPrice(t.ds, { tld: 'io', currencyId: usd, years: 1, operation: 'register' }))).toEqual(['years_out_of_range', 'A .io domain can be taken for 2 to 10 years.']);

    expect(refusal(await domainPrice(t.ds, { tld: 'com', currencyId: usd, years: 3, operation: 'register' }))).toEqual(['not_offered', 'Registration of .com is not offered for 3 years in USD.']);
    expect(refusal(await domainPrice(t.ds, { tld: 'com', currencyId: usd, years: 2, operation: 'transfer' }))).toEqual(['not_offered', 'Transfer of .com is not offered for 2 years in USD.']);
    expect(refusal(await domainPrice(t.ds, { tld: 'com', currencyId: eur, years: 1, operation: 'register' }))).toEqual(['not_offered', 'Registration of .com is not offered for 1 year in EUR.']);
  });

  it('adds the grace fee to a late renewal and the restore fee in redemption', async () => {
    expect(await domainPrice(t.ds, { tld: 'com', currencyId: usd, years: 1, operation: 'renew', phase: 'grace' })).toMatchObject({ ok: true, amount: 1799, base: 1299, fee: 500 });
    expect(await domainPrice(t.ds, { tld: 'com', currencyId: usd, years: 1, operation: 'renew', phase: 'redemption' })).toMatchObject({ ok: true, amount: 9299, base: 1299, fee: 8000 });
    // No grace fee set: a late renewal costs the normal price.
    expect(await domainPrice(t.ds, { tld: 'net', currencyId: usd, years: 1, operation: 'renew', phase: 'grace' })).toMatchObject({ ok: true, amount: 1005, fee: 0 });
    expect(refusal(await domainPrice(t.ds, { tld: 'net', currencyId: usd, years: 1, operation: 'renew', phase: 'redemption' }))).toEqual(['redemption_not_offered', expect.stringContaining('cannot be restored')]);
    expect(refusal(await domainPrice(t.ds, { tld: 'com', currencyId: usd, years: 1, operation: 'register', phase: 'grace' }))).toEqual(['invalid_phase', expect.any(String)]);
  });

  it('lists the TLDs on sale with their prices per term, in the staff’s order', async () => {
    const table = await tldPriceTable(t.ds, usd);
    expect(table.map((r) => r.tld)).toEqual(['.com', '.co.uk', '.net', '.io']);
    const com = table[0];
    expect(com.terms).toHaveLength(10);
    expect(com.terms.slice(0, 3)).toEqual([
      { years: 1, register: 1099, renew: 1299, transfer: 999 },
      { years: 2, register: 2198, renew: 2598, transfer: null },
      { years: 3, register: null, renew: null, transfer: null },
    ]);
    // A price row beyond the product's terms is not on sale.
    expect(table[1].terms[2]).toEqual({ years: 3, register: null, renew: null, transfer: null });
    expect((await tldPriceTable(t.ds, usd, { includeHidden: true }))[0].tld).toBe('.old');
    expect((await tldPriceTable(t.ds, eur)).every((r) => r.terms.every((x) => x.register === null))).toBe(true);
  });

  describe('bulk price changes', () => {
    let a: number;
    let b: number;
    beforeAll(async () => {
      a = await tld('.bulka');
      b = await tld('.bulkb');
    });
    beforeEach(async () => {
      await t.ds.getRepository('DomainPrice').delete({ domainProductId: a });
      await t.ds.getRepository('DomainPrice').delete({ domainProductId: b });
      await price(a, 1, { register: 1099, renew: 1005, transfer: null, graceFee: 300 });
      await price(a, 2, { register: 2000, renew: 2000, transfer: 150 });
      await price(b, 1, { register: 50, renew: 1234, transfer: 999 });
    });

    it('raises by a percentage exactly, rounding half-up once, and leaves prices not offered alone', async () => {
      const out = await updateTldPrices(t.ds, { domainProductIds: [a, b], currencyId: usd, operations: ['register', 'renew', 'transfer'], change: { kind: 'percent', percent: '10' } });
      expect(out.ok && out.rowsChanged).toBe(3);
      // 1099 × 1.1 = 1208.9 → 1209; 1005 × 1.1 = 1105.5 → 1106; 1234 × 1.1 = 1357.4 → 1357.
      expect(await stored(a)).toEqual([[1, 1209, 1106, null, 300, null], [2, 2200, 2200, 165, null, null]]);
      expect(await stored(b)).toEqual([[1, 55, 1357, 1099, null, null]]);
      const down = await updateTldPrices(t.ds, { domainProductIds: [b], currencyId: usd, operations: ['renew'], change: { kind: 'percent', percent: '-7.5' } });
      // 1357 × 0.925 = 1255.225 → 1255
      expect(down.ok && down.preview).toEqual([{ tld: '.bulkb', years: 1, operation: 'renew', before: 1357, after: 1255 }]);
    });

    it('previews without saving anything on a dry run', async () => {
      const before = [await stored(a), await stored(b)];
      const out = await updateTldPrices(t.ds, { domainProductIds: [a, b], currencyId: usd, operations: ['register'], years: [1, 5], change: { kind: 'set', amount: '12.00' }, dryRun: true });
      expect(out.ok && out.rowsChanged).toBe(4);
      expect(out.ok && out.preview).toEqual([
        { tld: '.bulka', years: 1, operation: 'register', before: 1099, after: 1200 },
        { tld: '.bulka', years: 5, operation: 'register', before: null, after: 1200 },
        { tld: '.bulkb', years: 1, operation: 'register', before: 50, after: 1200 },
        { tld: '.bulkb', years: 5, operation: 'register', before: null, after: 1200 },
      ]);
      expect([await stored(a), await stored(b)]).toEqual(before);
    });

    it('sets prices, creating the listed terms where missing, and rounds to .99 when asked', async () => {
      const out = await updateTldPrices(t.ds, { domainProductIds: [a], currencyId: usd, operations: ['transfer', 'redemptionFee'], years: [1, 3], change: { kind: 'set', amount: '9.99' } });
      expect(out.ok && out.rowsChanged).toBe(2);
      expect(await stored(a)).toEqual([[1, 1099, 1005, 999, 300, 999], [2, 2000, 2000, 150, null, null], [3, null, null, 999, null, 999]]);
      // 1099 × 1.075 = 1181.425 → 1181 → the nearest .99 is 11.99; 2000 × 1.075 = 2150 → 21.99 (49 cents away; 20.99 is 51).
      const r = await updateTldPrices(t.ds, { domainProductIds: [a], currencyId: usd, operations: ['register'], years: [1, 2], change: { kind: 'percent', percent: '7.5' }, rounding: 'to_99' });
      expect(r.ok && r.preview.map((l) => l.after)).toEqual([1199, 2199]);
      // Free stays free.
      const zero = await updateTldPrices(t.ds, { domainProductIds: [b], currencyId: usd, operations: ['register'], change: { kind: 'set', amount: '0' }, rounding: 'to_99' });
      expect(zero.ok && zero.preview[0].after).toBe(0);
    });

    it('adds or takes off an amount, and refuses a change that makes any price negative, changing nothing', async () => {
      const cut = await updateTldPrices(t.ds, { domainProductIds: [a, b], currencyId: usd, operations: ['register'], change: { kind: 'add', amount: '-1.00' }, years: [2] });
      expect(cut.ok && cut.preview).toEqual([{ tld: '.bulka', years: 2, operation: 'register', before: 2000, after: 1900 }]);
      const before = [await stored(a), await stored(b)];
      const tooMuch = await updateTldPrices(t.ds, { domainProductIds: [a, b], currencyId: usd, operations: ['register', 'renew'], change: { kind: 'add', amount: '-0.51' } });
      expect(refusal(tooMuch)).toEqual(['negative_price', 'That would make the registration price of .bulkb for 1 year negative (-0.01 USD); nothing was changed.']);
      expect(refusal(await updateTldPrices(t.ds, { domainProductIds: [b], currencyId: usd, operations: ['renew'], change: { kind: 'percent', percent: '-150' } }))).toEqual(['negative_price', expect.stringContaining('renewal price of .bulkb')]);
      expect([await stored(a), await stored(b)]).toEqual(before);
    });

    it('refuses input that is not a change, with the field at fault', async () => {
      const base = { domainProductIds: [a], currencyId: usd, operations: ['register' as const] };
      expect(refusal(await updateTldPrices(t.ds, { ...base, change: { kind: 'add', amount: '1.999' } }))).toEqual(['invalid_amount', expect.stringContaining('decimal places')]);
      expect(refusal(await updateTldPrices(t.ds, { ...base, change: { kind: 'set', amount: '-5' } }))).toEqual(['invalid_amount', 'A price cannot be below zero.']);
      expect(refusal(await updateTldPrices(t.ds, { ...base, change: { kind: 'percent', percent: 'ten' } }))).toEqual(['invalid_percent', expect.stringContaining('not a percentage')]);
      expect(refusal(await updateTldPrices(t.ds, { ...base, years: [0, 11], change: { kind: 'add', amount: '1' } }))).toEqual(['invalid_years', expect.any(String)]);
      expect(refusal(await updateTldPrices(t.ds, { ...base, operations: [], change: { kind: 'add', amount: '1' } }))).toEqual(['no_operations', expect.any(String)]);
      expect(refusal(await updateTldPrices(t.ds, { ...base, domainProductIds: [a, 999_999], change: { kind: 'add', amount: '1' } }))).toEqual(['unknown_tld', expect.any(String)]);
      expect(refusal(await updateTldPrices(t.ds, { ...base, currencyId: 999_999, change: { kind: 'add', amount: '1' } }))).toEqual(['unknown_currency', expect.any(String)]);
    });

    it('lets an administrator preview and then apply a change to the selected TLDs from the admin', async () => {
      await createStaff(t.ds, { email: 'owner@prices.test', password: 'owner password 123', role: 'Full Administrator' });
      await createStaff(t.ds, { email: 'bill@prices.test', password: 'billing person 1', role: 'Billing' });
      const owner = t.agent();
      await loginAs(owner, 'owner@prices.test', 'owner password 123');
      const billing = t.agent();
      await loginAs(billing, 'bill@prices.test', 'billing person 1');
      const url = `/admin/api/resources/DomainProduct/bulk/bulkUpdatePrices?recordIds=${a},${b}`;
      expect((await owner.get(url)).status).toBe(200);

      const form = { currency: 'usd', op_register: 'true', op_renew: 'false', kind: 'add', value: '1.00', years: '1' };
      const preview = await owner.post(url).type('form').send(form);
      expect(preview.body.notice).toEqual({ type: 'info', message: 'Preview, nothing saved — 2 USD prices would change: .bulka 1y registration 10.99 → 11.99; .bulkb 1y registration 0.50 → 1.50. Tick “Apply” to save.' });
      expect(await stored(a)).toEqual([[1, 1099, 1005, null, 300, null], [2, 2000, 2000, 150, null, null]]);

      const applied = await owner.post(url).type('form').send({ ...form, apply: 'true' });
      expect(applied.body.notice).toMatchObject({ type: 'success', message: expect.stringMatching(/^2 USD prices changed in 2 terms: /) });
      expect((await stored(a))[0]).toEqual([1, 1199, 1005, null, 300, null]);
      expect((await stored(b))[0]).toEqual([1, 150, 1234, 999, null, null]);

      const bad = await owner.post(url).type('form').send({ ...form, years: '1, two', apply: 'true' });
      expect(bad.body.notice).toMatchObject({ type: 'error', message: expect.stringContaining('whole years') });
      const negative = await owner.post(url).type('form').send({ ...form, value: '-100', apply: 'true' });
      expect(negative.body.notice).toMatchObject({ type: 'error', message: expect.stringContaining('negative') });
      const noCurrency = await owner.post(url).type('form').send({ ...form, currency: 'XXX' });
      expect(noCurrency.body.notice).toMatchObject({ type: 'error', message: expect.stringContaining('XXX') });
      expect((await stored(a))[0]).toEqual([1, 1199, 1005, null, 300, null]);

      // The catalogue is read-only for Billing.
      expect((await billing.post(url).type('form').send({ ...form, apply: 'true' })).status).toBe(403);
      expect((await stored(a))[0]).toEqual([1, 1199, 1005, null, 300, null]);
      for (let n = 0; n < 50 && !(await t.ds.getRepository('AuditLog').count({ where: { event: 'action', auditableType: 'DomainProduct' } })); n++) await new Promise((r) => setTimeout(r, 20));
      expect(await t.ds.getRepository('AuditLog').count({ where: { event: 'action', auditableType: 'DomainProduct' } })).toBeGreaterThan(0);
    });
  });
});
