import type { Browser, Page } from 'puppeteer-core';
import { mainText, openBrowser, overflowWidth, screenshots, submitForm } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import { cpanelPlanOnFakeWhm } from '../helpers/hosting.js';
import * as fx from '../helpers/billing-fixtures.js';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server.js';
import { startFakeWhm, type FakeWhm } from '../fakes/whm-server.js';

type Row = Record<string, any>;

/**
 * A customer's first day, in a real headless Chromium (the system one) against the real app on loopback: register,
 * verify the email from the message that reached the SMTP server, order a cPanel plan, receive its invoice, pay it
 * with account credit, and find the service active once the provisioning queue has created the account on the fake
 * WHM. No JavaScript is needed by the pages; the browser only clicks and types. Screenshots of each step land in
 * test-artifacts/client-browser/ (CI keeps them when a step fails).
 */
describe(`client area in a browser on ${testEngine()}`, () => {
  let t: TestApp;
  let smtp: FakeSmtp;
  let whm: FakeWhm;
  let browser: Browser;
  let page: Page;
  const ids: Record<string, number> = {};

  const save = async (entity: string, data: Row) => (await t.ds.getRepository(entity).save(t.ds.getRepository(entity).create(data))) as Row;
  const snap = screenshots(() => page, 'client-browser');
  const text = () => mainText(page);
  const submit = (selector: string) => submitForm(page, selector);

  beforeAll(async () => {
    [smtp, whm] = await Promise.all([startFakeSmtp(), startFakeWhm()]);
    t = await startTestApp({ SMTP_URL: smtp.url, APP_URL: 'http://client.test' });
    await save('Setting', { key: 'company.name', value: 'Harbour Hosting', type: 'string' });
    ids.usd = await fx.currency(t.ds);
    ids.product = (await cpanelPlanOnFakeWhm(t, whm, {
      currencyId: ids.usd,
      category: { name: 'Web Hosting', sortOrder: 1 },
      server: { nameserver1: 'ns1.harbour.example', nameserver2: 'ns2.harbour.example' },
      product: { name: 'Starter Hosting', features: ['10 GB SSD', 'Free SSL'] },
    })).productId;
    ({ browser, page } = await openBrowser());
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await Promise.all([smtp?.close(), whm?.close()]);
  });

  it('registers, verifies the email, orders, pays with credit and sees the service active', async () => {
    // Register.
    await page.goto(`${t.baseUrl}/register`);
    expect(await page.title()).toContain('Harbour Hosting');
    await page.type('#firstName', 'Robin');
    await page.type('#lastName', 'Fairweather');
    await page.type('#email', 'robin@fairweather.example');
    await page.select('#country', 'GB');
    await page.type('#password', 'a long enough password 1');
    await page.type('#passwordConfirm', 'a long enough password 1');
    await snap('register-form');
    await submit('form[action="/register"] button[type=submit]');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await text()).toContain('We sent a link to robin@fairweather.example');
    await snap('registered');

    // Verify from the email that reached the SMTP server.
    const [mail] = await smtp.waitFor(1);
    expect(mail.envelope.to).toEqual(['robin@fairweather.example']);
    const link = /http:\/\/client\.test(\/verify-email\/[\w-]+)/.exec(mail.text ?? '')![1];
    await page.goto(`${t.baseUrl}${link}`);
    expect(await text()).toContain('your email address is verified');

    // Log in.
    await page.type('#email', 'robin@fairweather.example');
    await page.type('#password', 'a long enough password 1');
    await submit('form[action^="/login"] button[type=submit]');
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await text()).toContain('Hello, Robin');
    expect(await text()).not.toContain('Please verify your email address');
    await snap('dashboard');

    // Staff add account credit (as they would for a prepayment by bank transfer).
    const client = (await t.ds.getRepository('Client').findOneByOrFail({ email: 'robin@fairweather.example' })) as Row;
    const credited = await t.built.payments.addCredit({ clientId: client.id, amount: 5000, description: 'Prepayment by bank transfer' });
    expect(credited.ok).toBe(true);

    // Order: store → product → cart → checkout.
    await page.goto(`${t.baseUrl}/store`);
    expect(await text()).toContain('Starter Hosting');
    await submit(`a[href="/store/product/${ids.product}"]`);
    await page.type('#domain', 'fairweather.example');
    await snap('configure');
    await submit('button[name=intent][value=add]');
    expect(new URL(page.url()).pathname).toBe('/cart');
    expect(await text()).toContain('fairweather.example');
    expect(await text()).toContain('$15.00');
    await snap('cart');
    await page.goto(`${t.baseUrl}/checkout`);
    await page.click('input[name=acceptTerms]');
    await submit('form[action="/checkout"] button[type=submit]');
    const invoicePath = new URL(page.url()).pathname;
    expect(invoicePath).toMatch(/^\/invoices\/\d+$/);
    expect(await text()).toContain('$15.00');
    await snap('invoice');

    // Pay with account credit.
    await submit(`form[action="${invoicePath}/pay"] button[type=submit]`);
    expect(await text()).toContain('The invoice is paid');
    await snap('invoice-paid');
    const invoice = (await t.ds.getRepository('Invoice').findOneByOrFail({ id: Number(invoicePath.split('/').pop()) })) as Row;
    expect([invoice.status, invoice.clientId, Number(invoice.credit)]).toEqual(['paid', client.id, 1500]);
    expect(Number(((await t.ds.getRepository('Client').findOneByOrFail({ id: client.id })) as Row).creditBalance)).toBe(3500);

    // The paid order queued the account; the scheduler's minute job runs the queue.
    const ran = await t.built.provisioning.worker.runDue();
    expect(ran.map((r) => r.status)).toEqual(['succeeded']);
    const service = (await t.ds.getRepository('Service').findOneByOrFail({ clientId: client.id })) as Row;
    expect(whm.accounts.get(service.username)).toMatchObject({ domain: 'fairweather.example', plan: 'starter' });

    await page.goto(`${t.baseUrl}/services`);
    expect(await text()).toMatch(/Starter Hosting[\s\S]*fairweather\.example[\s\S]*Active/);
    await snap('services');
    await page.goto(`${t.baseUrl}/services/${service.id}`);
    expect(await text()).toContain('Active');
    expect(await page.$(`form[action="/services/${service.id}/login"] button`)).not.toBeNull();
    await snap('service');

    // The same dashboard on a phone.
    await page.setViewport({ width: 390, height: 844, isMobile: true });
    await page.goto(`${t.baseUrl}/`);
    expect(await text()).toContain('Hello, Robin');
    expect(await overflowWidth(page)).toBeLessThanOrEqual(0);
    await snap('dashboard-phone');
  });
});
