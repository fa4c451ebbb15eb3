import { startTestApp, createStaff, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/auth.js';
import { testEngine } from '../helpers/db.js';
import { forUpdate } from '../../src/db/locking.js';

/** Many requests and transactions at once must neither fail nor lose updates, on either engine. */
describe(`concurrent work on ${testEngine()}`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('runs 40 read-modify-write transactions at once without losing one', async () => {
    await t.ds.getRepository('NumberSequence').insert({ name: 'concurrency', format: '{N}', nextValue: 1 });
    await Promise.all(
      Array.from({ length: 40 }, () =>
        t.ds.transaction(async (m) => {
          const row = (await forUpdate(m.getRepository('NumberSequence').createQueryBuilder('s').where('s.name = :n', { n: 'concurrency' })).getOneOrFail()) as { id: number; nextValue: number };
          await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 3)));
          await m.getRepository('NumberSequence').update({ id: row.id }, { nextValue: row.nextValue + 1 });
        }),
      ),
    );
    const row = (await t.ds.getRepository('NumberSequence').findOneByOrFail({ name: 'concurrency' })) as { nextValue: number };
    expect(row.nextValue).toBe(41);
  });

  it('rolls back only the failing transaction, never a neighbour', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        t.ds.transaction(async (m) => {
          await m.getRepository('ClientGroup').insert({ name: `Group ${i}` });
          await new Promise((r) => setTimeout(r, 2));
          if (i % 2) throw new Error('changed my mind');
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const names = ((await t.ds.getRepository('ClientGroup').find()) as Array<{ name: string }>).map((g) => g.name).sort();
    expect(names).toEqual(['Group 0', 'Group 2', 'Group 4', 'Group 6', 'Group 8']);
  });

  it('takes 20 simultaneous admin saves', async () => {
    await createStaff(t.ds, { email: 'busy@test.local', password: 'many hands make', role: 'Full Administrator' });
    const agent = t.agent();
    await loginAs(agent, 'busy@test.local', 'many hands make');
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => agent.post('/admin/api/resources/ClientGroup/actions/new').type('form').send({ name: `Parallel ${i}`, discountPercent: '5' })),
    );
    expect(responses.map((r) => r.body.notice?.type)).toEqual(Array(20).fill('success'));
    expect(await t.ds.getRepository('ClientGroup').count({ where: {} })).toBeGreaterThanOrEqual(20);
  });
});
