import { openTestDb, testEngine, type TestDb } from '../helpers/db.js';
import { Scheduler } from '../../src/jobs/scheduler.js';
import { BillingRunService } from '../../src/domain/billing/run/billing-run.js';
import { FixedClock } from '../../src/domain/shared/clock.js';
import { ensureSequences } from '../../src/domain/billing/numbering.js';
import { createLogger } from '../../src/logger.js';

/** The scheduler decides only when: the daily run once a day, at or after the configured hour, catching up. */
describe(`the scheduler on ${testEngine()}`, () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb();
    await ensureSequences(db.ds.manager);
    await db.ds.getRepository('Setting').insert({ key: 'billing.dailyRunHour', value: '9', type: 'int' });
  });
  afterAll(async () => db.close());

  it('runs the daily billing once a day from the configured hour (business timezone), and catches up after downtime', async () => {
    const clock = new FixedClock(new Date('2026-06-01T07:30:00Z')); // 08:30 in Europe/London (BST)
    const billing = new BillingRunService(db.ds, clock, 'Europe/London');
    const scheduler = new Scheduler({ ds: db.ds, clock, timezone: 'Europe/London', logger: createLogger('silent'), billing });
    const runs = () => db.ds.getRepository('TaskRun').count({ where: { task: 'billing.daily', dryRun: false } });
    await scheduler.tick();
    expect(await runs()).toBe(0);
    clock.set('2026-06-01T08:00:00Z'); // 09:00 London
    await scheduler.tick();
    expect(await runs()).toBe(1);
    clock.set('2026-06-01T21:45:00Z');
    await scheduler.tick();
    expect(await runs()).toBe(1);
    // The server was down all of 2 June; on 3 June at 23:00 it catches up once.
    clock.set('2026-06-03T22:00:00Z');
    await scheduler.tick();
    await scheduler.tick();
    expect(await runs()).toBe(2);
    await scheduler.stop();
  });
});
