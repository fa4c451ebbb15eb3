import { createStaff, startTestApp, type TestApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import { records } from '../helpers/records.js';
import { loginAs, type Agent } from '../helpers/auth.js';
import { createClientUser } from '../helpers/client.js';

type Row = Record<string, any>;

/**
 * The admin calendar page: a month of the staff member's own and shared events, open to-dos by due date and domain
 * expiries, on the business days they fall on; other staff members' private events and finished to-dos stay out.
 */
describe(`admin calendar on ${testEngine()}`, () => {
  let t: TestApp;
  let staff: Agent;
  let me: number;
  let other: number;
  const { save } = records(() => t.ds);
  const page = async (month?: string) => {
    const res = await staff.get(`/admin/api/pages/Calendar${month ? `?month=${month}` : ''}`).set({ 'Sec-Fetch-Site': 'same-origin', 'Sec-Fetch-Mode': 'cors' });
    expect([res.status, res.text.slice(0, 200)]).toEqual([200, expect.stringContaining('month')]);
    return res.body as Row;
  };

  beforeAll(async () => {
    t = await startTestApp({ APP_TIMEZONE: 'America/New_York' });
    me = await createStaff(t.ds, { email: 'me@shop.test', password: 'my password 12345', role: 'Support' });
    other = await createStaff(t.ds, { email: 'other@shop.test', password: 'other password 123', role: 'Support' });
    staff = t.agent();
    await loginAs(staff, 'me@shop.test', 'my password 12345');
    const client = await createClientUser(t.ds);
    await save('CalendarEvent', { title: 'Data-centre visit', startAt: new Date('2026-03-10T14:30:00Z'), endAt: null, allDay: false, userId: me });
    await save('CalendarEvent', { title: 'Team offsite', startAt: new Date('2026-03-30T05:00:00Z'), endAt: new Date('2026-04-01T20:00:00Z'), allDay: true, userId: null });
    // 02:00 UTC on 1 April is still 31 March in New York.
    await save('CalendarEvent', { title: 'Late call', startAt: new Date('2026-04-01T02:00:00Z'), endAt: null, allDay: false, userId: me });
    await save('CalendarEvent', { title: 'Someone else’s dentist', startAt: new Date('2026-03-12T15:00:00Z'), endAt: null, allDay: false, userId: other });
    await save('TodoItem', { title: 'Renew SSL certificate', dueDate: '2026-03-15', priority: 'high', status: 'pending' });
    await save('TodoItem', { title: 'Already done', dueDate: '2026-03-16', priority: 'low', status: 'completed' });
    const currencyId = ((await t.ds.getRepository('Client').findOneByOrFail({ id: client.clientId })) as Row).currencyId;
    await t.ds.getRepository('Domain').insert({ clientId: client.clientId, currencyId, domainName: 'expiring.example', tld: 'example', expiryDate: '2026-03-20', status: 'active' } as Row);
  });
  afterAll(async () => t?.close());

  it('shows the month’s events, to-dos and domain expiries on their business days', async () => {
    const march = await page('2026-03');
    expect([march.month, march.previous, march.next]).toEqual(['2026-03', '2026-02', '2026-04']);
    expect(march.weeks[0][0]).toBe('2026-02-23');
    expect(march.weeks.every((w: string[]) => w.length === 7)).toBe(true);
    const byTitle = Object.fromEntries((march.entries as Row[]).map((e) => [e.title, [e.kind, e.from, e.to, e.time]]));
    expect(byTitle).toEqual({
      'Data-centre visit': ['event', '2026-03-10', '2026-03-10', '10:30'],
      'Team offsite': ['event', '2026-03-30', '2026-04-01', null],
      'Late call': ['event', '2026-03-31', '2026-03-31', '22:00'],
      'Renew SSL certificate': ['todo', '2026-03-15', '2026-03-15', null],
      'expiring.example expires': ['domain', '2026-03-20', '2026-03-20', null],
    });
    const april = await page('2026-04');
    expect((april.entries as Row[]).map((e) => e.title)).toEqual(['Team offsite']);
    expect((await page('not-a-month')).month).toMatch(/^\d{4}-\d{2}$/);
  });
});
