import type { Browser, Page } from 'puppeteer-core';
import { mainText, openBrowser, overflowWidth, screenshots, submitForm } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import { createClientUser } from '../helpers/client.js';
import { runDueJobs, sellTld, useFakeRegistrar } from '../helpers/domains.js';
import * as fx from '../helpers/billing-fixtures.js';
import { startFakeLogicBoxes, type FakeLogicBoxes } from '../fakes/logicboxes-server.js';
import { startFakeWhois, type FakeWhois } from '../fakes/whois-server.js';

type Row = Record<string, any>;

/**
 * A customer buys and manages a domain in a real headless Chromium with JavaScript off, against the real app, the
 * fake WHOIS server and the fake LogicBoxes API on loopback: search, add it for two years, check out, pay with credit,
 * find it registered at the registrar, change its nameservers — and the search and domain pages fit a phone.
 * Screenshots land in test-artifacts/client-domains-browser/.
 */
describe(`domains in a browser on ${testEngine()}`, () => {
  let t: TestApp;
  let lb: FakeLogicBoxes;
  let whois: FakeWhois;
  let browser: Browser;
  let page: Page;

  const snap = screenshots(() => page, 'client-domains-browser');
  const text = () => mainText(page);
  const submit = (selector: string) => submitForm(page, selector);

  beforeAll(async () => {
    [lb, whois] = await Promise.all([startFakeLogicBoxes(), startFakeWhois()]);
    const registry = { host: whois.host, port: whois.port, available: /^No match for "/im };
    t = await startTestApp({}, { domains: { apiBases: { logicboxes: lb.url }, timeoutMs: 3000, whois: { servers: { com: registry, net: registry }, rdapServers: {}, timeoutMs: 3000 } } });
    await useFakeRegistrar(t, lb);
    const usd = await fx.currency(t.ds);
    await sellTld(t, '.com', { currencyId: usd, sortOrder: 1, register: 1200, renew: 1400, transfer: 1000 });
    await sellTld(t, '.net', { currencyId: usd, sortOrder: 2, register: 1500, renew: 1600, transfer: 1100 });
    ({ browser, page } = await openBrowser());
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await Promise.all([lb?.close(), whois?.close()]);
  });

  it('finds, buys, and manages a domain', async () => {
    const user = await createClientUser(t.ds, { firstName: 'Mira', over: { phone: '+1 415 555 0100', address1: '1 Market St', city: 'San Francisco', state: 'CA', postcode: '94105' } });
    await t.built.payments.addCredit({ clientId: user.clientId, amount: 10_000, description: 'Prepayment' });
    await page.goto(`${t.baseUrl}/login`);
    await page.type('#email', user.email);
    await page.type('#password', user.password);
    await submit('form[action^="/login"] button[type=submit]');

    // Search, and add the name for two years.
    await page.goto(`${t.baseUrl}/domains/search`);
    await page.type('#q', 'mira-studio.com');
    await submit('form[action="/domains/search"] button[type=submit]');
    expect(await text()).toMatch(/mira-studio\.com[\s\S]*Available/);
    expect(await text()).toContain('mira-studio.net');
    await snap('search');
    await page.select('select[id="years-mira-studio.com"]', '2');
    await submit('form[action="/cart/domain"]:has(input[name=domain][value="mira-studio.com"]) button[type=submit]');
    expect(new URL(page.url()).pathname).toBe('/cart');
    expect(await text()).toContain('$24.00');
    await snap('cart');

    // Check out and pay with the account credit.
    await page.goto(`${t.baseUrl}/checkout`);
    await page.click('input[name=acceptTerms]');
    await submit('form[action="/checkout"] button[type=submit]');
    const invoicePath = new URL(page.url()).pathname;
    expect(invoicePath).toMatch(/^\/invoices\/\d+$/);
    await submit(`form[action="${invoicePath}/pay"] button[type=submit]`);
    expect(await text()).toContain('The invoice is paid');

    // The paid order queued the registration; the scheduler's minute job runs the queue.
    expect((await runDueJobs(t)).map((r) => [r.action, r.status])).toEqual([['domain_register', 'succeeded']]);
    expect(lb.state.orders.get('mira-studio.com')).toMatchObject({ years: 2 });
    const domain = (await t.ds.getRepository('Domain').findOneByOrFail({ domainName: 'mira-studio.com' })) as Row;

    // Manage it: the list, its page, new nameservers.
    await page.goto(`${t.baseUrl}/domains`);
    expect(await text()).toMatch(/mira-studio\.com[\s\S]*Active/);
    await submit(`a[href="/domains/${domain.id}"]`);
    expect(await text()).toContain(domain.expiryDate);
    await page.$eval('#nameservers', (el) => ((el as unknown as { value: string }).value = ''));
    await page.type('#nameservers', 'ns1.mira-dns.example\nns2.mira-dns.example');
    await submit(`form[action="/domains/${domain.id}/nameservers"] button[type=submit]`);
    expect(await text()).toContain('ns1.mira-dns.example');
    expect(lb.state.orders.get('mira-studio.com')!.ns).toEqual(['ns1.mira-dns.example', 'ns2.mira-dns.example']);
    await snap('domain');

    // On a phone.
    await page.setViewport({ width: 390, height: 844, isMobile: true });
    await page.goto(`${t.baseUrl}/domains/${domain.id}`);
    expect(await overflowWidth(page)).toBeLessThanOrEqual(0);
    await snap('domain-phone');
    await page.goto(`${t.baseUrl}/domains/search?q=another-name.com`);
    expect(await text()).toContain('another-name.com');
    expect(await overflowWidth(page)).toBeLessThanOrEqual(0);
    await snap('search-phone');
  });
});
