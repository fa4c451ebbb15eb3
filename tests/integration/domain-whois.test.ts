import { openTestDb, testEngine, type TestDb } from '../helpers/db.js';
import { startFakeWhois, type FakeWhois } from '../fakes/whois-server.js';
import { parseDomainName, tldOf } from '../../src/domain/domains/names.js';
import { WhoisService } from '../../src/domain/domains/whois.js';
import { whoisQuery } from '../../src/integrations/domains/whois-client.js';

type Row = Record<string, any>;

/**
 * Domain names as people type them, and availability over the real WHOIS protocol against a fake registry on
 * loopback: free and taken names, IDNs, unsupported endings, a registry that hangs, the five-minute cache and the log.
 */
describe(`domain names and WHOIS on ${testEngine()}`, () => {
  let db: TestDb;
  let whois: FakeWhois;
  let clock = 1_000_000;
  let service: WhoisService;

  beforeAll(async () => {
    db = await openTestDb();
    whois = await startFakeWhois();
    for (const tld of ['com', 'co.uk', 'uk', 'de']) await db.ds.getRepository('DomainProduct').save(db.ds.getRepository('DomainProduct').create({ tld, minYears: 1, maxYears: 10 }));
    await db.ds.getRepository('DomainProduct').save(db.ds.getRepository('DomainProduct').create({ tld: 'secret', minYears: 1, maxYears: 10, hidden: true }));
    const fake = { host: whois.host, port: whois.port };
    service = new WhoisService({
      ds: db.ds, query: whoisQuery, now: () => clock, timeoutMs: 300,
      servers: { com: { ...fake, available: /^No match for "/im }, 'co.uk': { ...fake, available: /No match for "/im }, de: { ...fake, available: /^Status:\s*free/im } },
    });
  });
  afterAll(async () => {
    await whois.close();
    await db.close();
  });

  it('reads names as people type them and refuses what is not a name, with reasons', () => {
    const ok = (s: string) => {
      const r = parseDomainName(s);
      return r.ok ? [r.ascii, r.unicode] : r.message;
    };
    expect(ok('  Example.COM. ')).toEqual(['example.com', 'example.com']);
    expect(ok('https://www.shop.example.com/path?x=1')).toEqual(['shop.example.com', 'shop.example.com']);
    expect(ok('bücher.de')).toEqual(['xn--bcher-kva.de', 'bücher.de']);
    expect(ok('shop')).toContain('Add the ending');
    expect(ok('exa mple.com')).toContain('is not a domain name');
    expect(ok('-shop.com')).toContain('cannot start or end with a hyphen');
    expect(ok(`${'a'.repeat(64)}.com`)).toContain('at most 63');
    expect(ok('')).toContain('Enter a domain name');
    // A numeric ending reads as an IP address, not a name.
    expect(ok('example.123')).toContain('is not a domain name');
    expect(tldOf('shop.co.uk', ['uk', 'co.uk', 'com'])).toEqual({ sld: 'shop', tld: 'co.uk' });
    expect(tldOf('a.b.com', ['com'])).toBeNull();
  });

  it('says free or taken from the registry, caches it five minutes, and logs every lookup', async () => {
    whois.registered.add('taken.com');
    const free = await service.lookup('Free-Name.com', { clientId: null, ip: '198.51.100.7' });
    const taken = await service.lookup('taken.com');
    expect(free.ok && [free.domain, free.status, free.cached]).toEqual(['free-name.com', 'available', false]);
    expect(taken.ok && [taken.status, taken.raw.includes('Registrar: Example Registrar')]).toEqual(['registered', true]);
    expect(whois.queries).toEqual(['free-name.com', 'taken.com']);

    const again = await service.lookup('free-name.com');
    expect(again.ok && again.cached).toBe(true);
    expect(whois.queries).toHaveLength(2);
    clock += 5 * 60_000 + 1;
    await service.lookup('free-name.com');
    expect(whois.queries).toHaveLength(3);

    const logs = (await db.ds.getRepository('WhoisLog').find({ order: { id: 'ASC' } })) as Row[];
    // The log holds the questions put to registries: an answer from the cache asked nobody.
    expect(logs.map((l) => [l.domain, l.result])).toEqual([['free-name.com', 'available'], ['taken.com', 'registered'], ['free-name.com', 'available']]);
    expect(logs[0].ipAddress).toBe('198.51.100.7');
  });

  it('refuses endings not sold and says when the registry does not answer', async () => {
    const unsupported = await service.lookup('example.xyz');
    expect(unsupported.ok ? 'ok' : [unsupported.error, unsupported.message]).toEqual(['unsupported_tld', expect.stringContaining('.xyz')]);
    expect((await service.lookup('hidden.secret')).ok).toBe(false);
    const noServer = await service.lookup('example.uk');
    expect(noServer.ok ? 'ok' : noServer.error).toBe('no_whois_server');
    whois.hangNext(1);
    const hung = await service.lookup('slow-registry.com');
    expect(hung.ok ? 'ok' : [hung.error, hung.message]).toEqual(['whois_unavailable', expect.stringContaining('try again')]);
    const logs = (await db.ds.getRepository('WhoisLog').find({ where: { domain: 'slow-registry.com' } })) as Row[];
    // The first line says which protocol was asked.
    expect(logs.map((l) => [l.result, l.rawResponse])).toEqual([['error', `WHOIS ${whois.host}:${whois.port}\ntimeout`]]);
    const idn = await service.lookup('bücher.de');
    expect(idn.ok && [idn.domain, idn.unicode, idn.status]).toEqual(['xn--bcher-kva.de', 'bücher.de', 'registered']);
  });
});
