import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { loadConfig } from '../../src/config/config.js';
import { createStaff, startTestApp, type TestApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import { createClientUser } from '../helpers/client.js';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server.js';

type Row = Record<string, any>;

/**
 * The admin's ticket thread page in a real headless Chromium: messages oldest first, the internal note marked, a
 * customer's markup shown as text, and the reply box posting a reply and a note that appear without a reload.
 * Screenshots land in test-artifacts/support-desk-thread/.
 */
describe(`admin ticket thread in a browser on ${testEngine()}`, () => {
  let t: TestApp;
  let smtp: FakeSmtp;
  let browser: Browser;
  let page: Page;
  let ticketId: number;
  const shots = join(process.cwd(), 'test-artifacts', 'support-desk-thread', testEngine());

  const bodyText = () => page.$eval('body', (b) => (b as unknown as { innerText: string }).innerText);
  const clickButton = async (label: string) => {
    for (const b of await page.$$('button')) if ((await b.evaluate((n) => n.textContent)) === label) return b.click();
    throw new Error(`no button "${label}"`);
  };
  const waitForText = (text: string) => page.waitForFunction(`document.body.innerText.includes(${JSON.stringify(text)})`, { timeout: 10_000 });

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    smtp = await startFakeSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url, APP_URL: 'http://desk.test' });
    await createStaff(t.ds, { email: 'sam@desk.test', password: 'sam password 1234', role: 'Support', firstName: 'Sam' });
    const dept = (await t.ds.getRepository('TicketDepartment').insert({ name: 'Tech', hidden: false })).identifiers[0].id;
    const alice = await createClientUser(t.ds, { firstName: 'Alice' });
    ticketId = (await t.ds.getRepository('SupportTicket').insert({ ticketNumber: 'TKT-100001', clientId: alice.clientId, departmentId: dept, subject: 'Site down', status: 'open', priority: 'medium', source: 'web' })).identifiers[0].id;
    const reply = (message: string, minute: number, over: Row = {}) =>
      t.ds.getRepository('TicketReply').insert({ ticketId, authorType: 'client', authorName: 'Alice Customer', message, isInternalNote: false, createdAt: new Date(`2026-03-01T10:0${minute}:00Z`), ...over });
    // Written newest first, so the page's order comes from the times and not from the ids.
    await reply('Third: still down', 3);
    await reply('Second: looking at the logs', 2, { authorType: 'staff', authorName: 'Sam Tester', isInternalNote: true });
    await reply('First: <script>alert(1)</script> everything is down', 1);
    browser = await puppeteer.launch({ executablePath: loadConfig({ NODE_ENV: 'test' }).CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    page = await browser.newPage();
    await page.goto(`${t.baseUrl}/admin/login`);
    await page.type('input[name=email]', 'sam@desk.test');
    await page.type('input[name=password]', 'sam password 1234');
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.close();
  });

  test('shows the thread in order with the note marked, and replies from the page', async () => {
    await page.goto(`${t.baseUrl}/admin/resources/SupportTicket/records/${ticketId}/thread`, { waitUntil: 'networkidle0' });
    await waitForText('TKT-100001');
    await page.screenshot({ path: join(shots, '1-thread.png'), fullPage: true });
    const text = await bodyText();
    const order = ['First: <script>alert(1)</script> everything is down', 'Second: looking at the logs', 'Third: still down'].map((m) => text.indexOf(m));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain('Internal note — staff only');
    expect(text.indexOf('Internal note — staff only')).toBeGreaterThan(order[0]);
    expect(text.indexOf('Internal note — staff only')).toBeLessThan(order[2]);

    await page.type('textarea', 'We restarted the web server.');
    await clickButton('Send reply');
    await waitForText('Reply added');
    await waitForText('We restarted the web server.');
    await page.type('textarea', 'Customer called too.');
    await clickButton('Add internal note');
    await waitForText('Customer called too.');
    await page.screenshot({ path: join(shots, '2-replied.png'), fullPage: true });

    const rows = (await t.ds.getRepository('TicketReply').find({ where: { ticketId, authorType: 'staff' }, order: { id: 'ASC' } })) as Row[];
    expect(rows.map((r) => [r.message, r.isInternalNote])).toEqual([
      ['Second: looking at the logs', true],
      ['We restarted the web server.', false],
      ['Customer called too.', true],
    ]);
    expect(((await t.ds.getRepository('SupportTicket').findOneByOrFail({ id: ticketId })) as Row).status).toBe('answered');
  });
});
