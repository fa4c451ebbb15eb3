import net, { type AddressInfo } from 'node:net';
import { openTestDb, testEngine, type TestDb } from '../helpers/db.js';
import { currency } from '../helpers/billing-fixtures.js';
import { startFakeWhois, type FakeWhois } from '../fakes/whois-server.js';
import { startFakeRdap, type FakeRdap } from '../fakes/rdap-server.js';
import { WhoisService } from '../../src/domain/domains/whois.js';
import { DomainSearch, DOMAIN_SEARCH_LIMIT } from '../../src/domain/domains/search.js';
import { rdapBaseFor, RDAP_SERVERS } from '../../src/domain/domains/rdap-servers.js';
import { whoisQuery } from '../../src/integrations/domains/whois-client.js';
import { rdapQuery } from '../../src/integrations/domains/rdap-client.js';

type Row = Record<string, any>;

/**
 * Availability over RDAP (HTTP, RFC 7480–7484) against a fake registry on loopback, falling back to WHOIS when RDAP
 * fails or the TLD has none; and the storefront's domain search built on it: the name asked for, other endings and
 * variants, with prices, 'unknown' rows for registries that do not answer, and a cap on questions per search.
 */
describe(`RDAP and domain search on ${testEngine()}`, () => {
  let db: TestDb;
  let whois: FakeWhois;
  let rdap: FakeRdap;
  let service: WhoisService;
  let search: DomainSearch;
  let usd: number;
  let eur: number;
  const questions = () => rdap.queries.length + whois.queries.length;
  const logOf = async (domain: string) => ((await db.ds.getRepository('WhoisLog').find({ where: { domain }, order: { id: 'ASC' } })) as Row[]).map((l) => [l.result, l.rawResponse]);

  beforeAll(async () => {
    db = await openTestDb();
    whois = await startFakeWhois();
    rdap = await startFakeRdap();
    usd = await currency(db.ds, 'USD');
    eur = await currency(db.ds, 'EUR');
    const products = db.ds.getRepository('DomainProduct');
    const prices = db.ds.getRepository('DomainPrice');
    const tlds: Array<[string, number, Array<[number, number | null, number | null, number | null]>]> = [
      ['.com', 1, [[1, 1099, 1299, 999]]],
      ['.net', 2, [[1, 1299, 1399, null]]],
      ['.org', 3, [[1, 1199, 1199, 1199]]],
      ['.de', 4, [[1, 799, 799, 0]]],
      // Sold for two years at the least: the search shows that term.
      ['.io', 5, [[1, null, null, null], [2, 9000, 9000, 4500]]],
      ['.app', 6, [[1, 1500, 1500, 1500]]],
    ];
    for (const [tld, sortOrder, terms] of tlds) {
      const p = (await products.save(products.create({ tld, sortOrder, minYears: 1, maxYears: 10 }))) as Row;
      for (const [years, register, renew, transfer] of terms) await prices.save(prices.create({ domainProductId: p.id, currencyId: usd, years, register, renew, transfer }));
    }
    const com = (await products.findOneByOrFail({ tld: '.com' })) as Row;
    await prices.save(prices.create({ domainProductId: com.id, currencyId: eur, years: 1, register: 999, renew: 1199, transfer: 899 }));
    await products.save(products.create({ tld: '.secret', hidden: true }));

    const fake = { host: whois.host, port: whois.port };
    service = new WhoisService({
      ds: db.ds, query: whoisQuery, rdap: rdapQuery, timeoutMs: 300,
      // .de has no RDAP service (WHOIS only); .io has neither here; .app has RDAP only.
      rdapServers: { com: rdap.baseUrl, net: rdap.baseUrl, org: rdap.baseUrl, app: rdap.baseUrl },
      servers: { com: { ...fake, available: /^No match for "/im }, net: { ...fake, available: /^No match for "/im }, org: { ...fake, available: /^No match for "/im }, de: { ...fake, available: /^No match for "/im } },
    });
    search = new DomainSearch({ ds: db.ds, whois: service });
  });
  afterAll(async () => {
    await rdap.close();
    await whois.close();
    await db.close();
  });

  it('reads RDAP answers: a domain object is taken, 404 is free, errors and silence are errors', async () => {
    rdap.registered.add('taken-rdap.com');
    const taken = await rdapQuery(rdap.baseUrl, 'taken-rdap.com', 500);
    expect(taken).toEqual({
      ok: true, url: `${rdap.baseUrl}domain/taken-rdap.com`, status: 'registered',
      summary: 'Domain: TAKEN-RDAP.COM\nStatus: client transfer prohibited\nRegistered: 2019-04-01T00:00:00Z\nExpires: 2027-04-01T00:00:00Z\nRegistrar: Example Registrar, Inc.',
    });
    expect(rdap.accepts[0]).toContain('application/rdap+json');
    expect(await rdapQuery(rdap.baseUrl, 'free-rdap.com', 500)).toMatchObject({ ok: true, status: 'available' });
    rdap.failNext(1, 503);
    expect(await rdapQuery(rdap.baseUrl, 'x.com', 500)).toMatchObject({ ok: false, error: 'http_503' });
    rdap.failNext(1, 429);
    expect(await rdapQuery(rdap.baseUrl, 'x.com', 500)).toMatchObject({ ok: false, error: 'rate_limited' });
    rdap.hangNext(1);
    const started = Date.now();
    expect(await rdapQuery(rdap.baseUrl, 'x.com', 200)).toMatchObject({ ok: false, error: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2000);
    // Not an RDAP server at that address.
    expect(await rdapQuery(rdap.baseUrl.replace('/rdap/', '/nothing/'), 'x.com', 500)).toMatchObject({ ok: false, error: 'http_400' });
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect(await rdapQuery(`http://127.0.0.1:${port}/rdap/`, 'x.com', 500)).toMatchObject({ ok: false, error: 'refused' });
  });

  it('knows the RDAP servers of common TLDs, and none for TLDs that only have WHOIS', () => {
    expect(rdapBaseFor('.com')).toBe('https://rdap.verisign.com/com/v1/');
    expect(rdapBaseFor('org')).toBe('https://rdap.publicinterestregistry.org/rdap/');
    expect(rdapBaseFor('co.uk')).toBe(RDAP_SERVERS.uk);
    expect(rdapBaseFor('de')).toBeNull();
  });

  it('asks RDAP first, logging which protocol answered', async () => {
    rdap.registered.add('rdap-taken.com');
    const before = whois.queries.length;
    const taken = await service.lookup('rdap-taken.com', { ip: '198.51.100.9' });
    const free = await service.lookup('rdap-free.net');
    expect(taken.ok && [taken.status, taken.raw.split('\n')[0], taken.raw.includes('Registrar: Example Registrar, Inc.')]).toEqual(['registered', `RDAP ${rdap.baseUrl}domain/rdap-taken.com`, true]);
    expect(free.ok && free.status).toBe('available');
    expect(whois.queries.length).toBe(before);
    expect(await logOf('rdap-taken.com')).toEqual([['registered', expect.stringMatching(/^RDAP http:\/\/127\.0\.0\.1:\d+\/rdap\/domain\/rdap-taken\.com\n/)]]);
    // Cached like WHOIS answers.
    const again = await service.lookup('rdap-taken.com');
    expect(again.ok && again.cached).toBe(true);
  });

  it('falls back to WHOIS when RDAP fails or the TLD has no RDAP service', async () => {
    whois.registered.add('fallback.com');
    rdap.failNext(1, 500);
    const fell = await service.lookup('fallback.com');
    expect(fell.ok && [fell.status, fell.raw.split('\n')[0]]).toEqual(['registered', `WHOIS ${whois.host}:${whois.port} (after RDAP ${rdap.baseUrl}domain/fallback.com failed: http_500)`]);
    expect(whois.queries.at(-1)).toBe('fallback.com');

    rdap.hangNext(1);
    const slow = await service.lookup('slow-rdap.org');
    expect(slow.ok && [slow.status, slow.raw.split('\n')[0]]).toEqual(['available', expect.stringContaining('failed: timeout')]);

    const rdapAsked = rdap.queries.length;
    const de = await service.lookup('whois-only.de');
    expect(de.ok && [de.status, de.raw.split('\n')[0]]).toEqual(['available', `WHOIS ${whois.host}:${whois.port}`]);
    expect(rdap.queries.length).toBe(rdapAsked);

    // RDAP only, and it fails: the customer is told to try again; staff see why in the log.
    rdap.failNext(1, 503);
    const none = await service.lookup('rdap-only.app');
    expect(none.ok ? 'ok' : [none.error, none.message]).toEqual(['whois_unavailable', expect.stringContaining('try again')]);
    expect(await logOf('rdap-only.app')).toEqual([['error', `RDAP ${rdap.baseUrl}domain/rdap-only.app failed: http_503`]]);
  });

  it('checks a word under the TLDs on sale, with the prices of each in the client’s currency', async () => {
    rdap.registered.add('sunrise.net');
    const out = await search.search('Sunrise', usd, { ip: '203.0.113.5' });
    expect(out.ok && [out.query, out.exact]).toEqual([null, null]);
    if (!out.ok) throw new Error(out.message);
    expect(out.suggestions.map((r) => [r.domain, r.tld, r.status])).toEqual([
      ['sunrise.com', '.com', 'available'],
      ['sunrise.net', '.net', 'registered'],
      ['sunrise.org', '.org', 'available'],
      ['sunrise.de', '.de', 'available'],
      // No registry server known for .io: the row says unknown; the search still answers.
      ['sunrise.io', '.io', 'unknown'],
      ['sunrise.app', '.app', 'available'],
    ]);
    expect(out.suggestions[0]).toMatchObject({ register: { years: 1, amount: 1099 }, renew: { years: 1, amount: 1299 }, transfer: { years: 1, amount: 999 } });
    expect(out.suggestions[1]).toMatchObject({ register: { years: 1, amount: 1299 }, transfer: null });
    expect(out.suggestions[4]).toMatchObject({ register: { years: 2, amount: 9000 }, transfer: { years: 2, amount: 4500 } });
    const inEuro = await search.search('sunrise', eur);
    expect(inEuro.ok && inEuro.suggestions[0].register).toEqual({ years: 1, amount: 999 });
    expect(inEuro.ok && inEuro.suggestions[1].register).toBeNull();
    // Lookups are logged with who asked.
    expect(((await db.ds.getRepository('WhoisLog').findOneByOrFail({ domain: 'sunrise.com' })) as Row).ipAddress).toBe('203.0.113.5');
  });

  it('answers a full name with the exact result, other endings and variants, at most eight questions', async () => {
    rdap.registered.add('harbour.com');
    rdap.registered.add('myharbour.com');
    const asked = questions();
    const out = await search.search('https://www.Harbour.com/', usd);
    if (!out.ok) throw new Error(out.message);
    expect(out.query).toEqual({ ascii: 'harbour.com', unicode: 'harbour.com' });
    expect(out.exact).toMatchObject({ domain: 'harbour.com', status: 'registered', transfer: { years: 1, amount: 999 } });
    expect(out.suggestions.map((r) => [r.domain, r.status])).toEqual([
      ['harbour.net', 'available'],
      ['harbour.org', 'available'],
      ['harbour.de', 'available'],
      ['harbour.io', 'unknown'],
      ['getharbour.com', 'available'],
      ['harbouronline.com', 'available'],
      ['myharbour.com', 'registered'],
    ]);
    // .io asks nobody (no server), so seven questions for eight names.
    expect(questions() - asked).toBe(7);
  });

  it('makes a row unknown when its registry does not answer, and keeps to the cap', async () => {
    whois.hangNext(1);
    const out = await search.search('quietday', usd);
    expect(out.ok && out.suggestions.find((r) => r.tld === '.de')?.status).toBe('unknown');
    expect(out.ok && out.suggestions.filter((r) => r.status === 'available')).toHaveLength(4);

    const small = new DomainSearch({ ds: db.ds, whois: service, limits: { namesPerSearch: 3 } });
    const asked = questions();
    const capped = await small.search('capped.com', usd);
    expect(capped.ok && [capped.exact?.domain, ...capped.suggestions.map((r) => r.domain)]).toEqual(['capped.com', 'capped.net', 'capped.org']);
    expect(questions() - asked).toBe(3);
    expect(DOMAIN_SEARCH_LIMIT).toEqual({ max: 20, windowMs: 600_000 });
  });

  it('refuses what is not a name or not sold, and handles internationalised names', async () => {
    const refusal = async (input: string) => {
      const r = await search.search(input, usd);
      return r.ok ? 'ok' : [r.error, r.message];
    };
    const asked = questions();
    expect(await refusal('exa mple.com')).toEqual(['invalid_domain', expect.stringContaining('is not a domain name')]);
    expect(await refusal('-shop')).toEqual(['invalid_domain', expect.stringContaining('cannot start or end with a hyphen')]);
    expect(await refusal('')).toEqual(['invalid_domain', expect.stringContaining('Enter a domain name')]);
    expect(await refusal('example.xyz')).toEqual(['unsupported_tld', 'We do not sell domains ending in .xyz. Choose another ending.']);
    expect(await refusal('hidden.secret')).toEqual(['unsupported_tld', expect.stringContaining('.secret')]);
    expect(await refusal('shop.example.com')).toEqual(['invalid_domain', 'shop.example.com is a subdomain; search for the domain itself, example.com.']);
    expect(questions()).toBe(asked);

    whois.registered.add('xn--bcher-kva.de');
    const idn = await search.search('Bücher.de', usd);
    if (!idn.ok) throw new Error(idn.message);
    expect(idn.query).toEqual({ ascii: 'xn--bcher-kva.de', unicode: 'bücher.de' });
    expect(idn.exact).toMatchObject({ domain: 'xn--bcher-kva.de', unicode: 'bücher.de', status: 'registered' });
    expect(idn.suggestions.map((r) => r.unicode)).toEqual(['bücher.com', 'bücher.net', 'bücher.org', 'bücher.io', 'getbücher.de', 'bücheronline.de', 'mybücher.de']);
    expect(idn.suggestions[4].domain).toMatch(/^xn--getbcher-/);
  });
});
