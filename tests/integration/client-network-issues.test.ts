import { startTestApp, type TestApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import { records } from '../helpers/records.js';
import { createClientUser, loginClient } from '../helpers/client.js';
import type { Agent } from '../helpers/auth.js';

/**
 * Network issues reach the clients they touch: a client sees, on their dashboard, an unresolved issue on a server
 * that hosts one of their services, one naming one of their services, or one on shared systems — and not an issue on
 * someone else's server, nor a resolved one.
 */
describe(`network issues on the client dashboard on ${testEngine()}`, () => {
  let t: TestApp;
  let agent: Agent;
  const ids: Record<string, number> = {};
  const { save } = records(() => t.ds);
  const dashboard = async () => (await agent.get('/')).text;
  const issue = async (data: Record<string, unknown>) => (await save('NetworkIssue', { description: null, priority: 'high', startAt: new Date(), ...data })).id as number;

  beforeAll(async () => {
    t = await startTestApp();
    agent = t.agent();
    const user = await createClientUser(t.ds);
    await loginClient(agent, user.email, user.password);
    const group = (await save('ServerGroup', { name: 'Shared', fillMethod: 'least_used' })).id;
    ids.mine = (await save('Server', { name: 'web-mine', hostname: 'mine.example', ipAddress: '192.0.2.1', type: 'cpanel', serverGroupId: group, maxAccounts: 10 })).id;
    ids.other = (await save('Server', { name: 'web-other', hostname: 'other.example', ipAddress: '192.0.2.2', type: 'cpanel', serverGroupId: group, maxAccounts: 10 })).id;
    const currencyId = (await t.ds.getRepository('Client').findOneByOrFail({ id: user.clientId }) as { currencyId: number }).currencyId;
    const category = (await save('ProductCategory', { name: 'Hosting', slug: 'hosting' })).id;
    const product = (await save('Product', { categoryId: category, name: 'Plan', slug: 'plan', module: 'none', autoSetup: 'never', paymentType: 'recurring', requireDomain: false, taxable: false })).id;
    ids.service = (await t.ds.getRepository('Service').insert({ clientId: user.clientId, productId: product, currencyId, status: 'active', serverId: ids.mine, domain: 'mine.example.test' })).identifiers[0].id as number;
  });
  afterAll(async () => t?.close());

  it('shows the issues that concern the client and hides the rest', async () => {
    expect(await dashboard()).not.toContain('Service notice');
    await issue({ title: 'Disk failure on web-other', type: 'server', serverId: ids.other, status: 'outage' });
    await issue({ title: 'Old incident', type: 'server', serverId: ids.mine, status: 'resolved' });
    await issue({ title: 'Another customer only', type: 'other', affectedServiceIds: [ids.service + 1000], status: 'investigating' });
    expect(await dashboard()).not.toContain('Service notice');

    await issue({ title: 'Network maintenance on web-mine', type: 'server', serverId: ids.mine, status: 'in_progress' });
    await issue({ title: 'Outbound email delayed', type: 'system', affectedSystem: 'Outbound email', status: 'investigating' });
    await issue({ title: 'Your site is being migrated', type: 'other', affectedServiceIds: [ids.service], status: 'reported' });
    const page = await dashboard();
    expect(page).toContain('Network maintenance on web-mine');
    expect(page).toContain('Outbound email delayed');
    expect(page).toContain('Your site is being migrated');
    for (const hidden of ['Disk failure on web-other', 'Old incident', 'Another customer only']) expect(page).not.toContain(hidden);
  });
});
