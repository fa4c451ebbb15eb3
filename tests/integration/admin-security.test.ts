import bcrypt from 'bcryptjs';
import { startTestApp, createStaff, type TestApp } from '../helpers/app.js';
import { loginAs } from '../helpers/auth.js';
import { testEngine } from '../helpers/db.js';
import { seedDemoData } from '../../src/demo/seed.js';
import { allResources } from '../../resources/index.js';
import { runAs } from '../../src/audit/context.js';

const KNOWN_SECRET = 'Known-Secret-7f3a9c1e-Do-Not-Leak';

/** RBAC on the server, the audit trail, and secrets that never leave: the Foundation's security promises. */
describe(`admin security on ${testEngine()}`, () => {
  let t: TestApp;
  let admin: ReturnType<TestApp['agent']>;
  let support: ReturnType<TestApp['agent']>;
  let knownHash: string;
  let supportId: number;

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemoData(t.ds, { timezone: 'UTC', today: '2026-11-22' });
    await createStaff(t.ds, { email: 'root@test.local', password: 'correct horse battery', role: 'Full Administrator' });
    supportId = await createStaff(t.ds, { email: 'help@test.local', password: 'support staple 42', role: 'Support' });
    admin = t.agent();
    await loginAs(admin, 'root@test.local', 'correct horse battery');
    support = t.agent();
    await loginAs(support, 'help@test.local', 'support staple 42');

    // Plant one known secret in every kind of secret column, and a known password hash.
    knownHash = await bcrypt.hash(KNOWN_SECRET, 4);
    const m = t.ds.manager;
    await m.update('User', { email: 'root@test.local' }, { passwordHash: knownHash, twoFactorSecret: KNOWN_SECRET });
    for (const [entity, props] of [
      ['Server', ['password', 'apiToken', 'apiKey', 'apiPass']],
      ['PaymentGateway', ['credentials']],
      ['Service', ['password']],
      ['Domain', ['eppCode']],
      ['PaymentMethod', ['gatewayToken']],
    ] as const) {
      const rows = (await m.getRepository(entity).find({ take: 3 })) as Array<Record<string, unknown>>;
      for (const row of rows) {
        for (const p of props) row[p] = KNOWN_SECRET;
        await m.getRepository(entity).save(row);
      }
    }
  });
  afterAll(async () => t.close());

  it('never sends a secret or password hash in any list, show or search answer', async () => {
    const leaks: string[] = [];
    const check = (where: string, text: string) => {
      if (text.includes(KNOWN_SECRET)) leaks.push(`${where}: plaintext secret`);
      if (text.includes(knownHash)) leaks.push(`${where}: password hash`);
      if (/enc:v1:/.test(text)) leaks.push(`${where}: ciphertext`);
      if (/\$2[aby]\$\d\d\$/.test(text)) leaks.push(`${where}: a bcrypt hash`);
    };
    for (const spec of allResources) {
      const id = spec.resource.name;
      const list = await admin.get(`/admin/api/resources/${id}/actions/list?perPage=50`);
      check(`${id} list`, list.text);
      for (const r of (list.body.records ?? []).slice(0, 5)) {
        for (const action of ['show', 'edit']) {
          const res = await admin.get(`/admin/api/resources/${id}/records/${r.id}/${action}`);
          check(`${id} ${action}`, res.text);
        }
      }
      check(`${id} search`, (await admin.get(`/admin/api/resources/${id}/actions/search/a`)).text);
    }
    check('dashboard page', (await admin.get('/admin')).text);
    expect(leaks).toEqual([]);
  });

  it('refuses a Support user a Billing change with 403, changes nothing, and audits the refusal', async () => {
    const invoice = (await t.ds.getRepository('Invoice').findOne({ where: {}, order: { id: 'ASC' } })) as { id: number; notes: string | null; total: number };
    const res = await support.post(`/admin/api/resources/Invoice/records/${invoice.id}/edit`).type('form').send({ notes: 'changed by support', total: '0.01' });
    expect(res.status).toBe(403);
    const after = (await t.ds.getRepository('Invoice').findOneByOrFail({ id: invoice.id })) as { notes: string | null; total: number };
    expect(after).toMatchObject({ notes: invoice.notes, total: invoice.total });
    const refusal = await t.ds.getRepository('AuditLog').findOne({ where: { event: 'forbidden', userId: supportId, auditableType: 'Invoice' } });
    expect(refusal).toMatchObject({ auditableId: String(invoice.id) });
  });

  it.each([
    ['create an invoice', 'post', '/admin/api/resources/Invoice/actions/new'],
    ['delete transactions in bulk', 'post', '/admin/api/resources/Transaction/bulk/bulkDelete?recordIds=1,2'],
    ['list roles', 'get', '/admin/api/resources/Role/actions/list'],
    ['edit a permission grant', 'post', '/admin/api/resources/PermissionRole/records/1/edit'],
    ['read a staff user', 'get', '/admin/api/resources/User/records/1/show'],
  ] as const)('refuses a Support user to %s with 403', async (_l, method, url) => {
    const counts = await Promise.all(['Invoice', 'Transaction', 'PermissionRole'].map((e) => t.ds.getRepository(e).count()));
    const res = await support[method](url).type('form').send({});
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('forbidden');
    expect(await Promise.all(['Invoice', 'Transaction', 'PermissionRole'].map((e) => t.ds.getRepository(e).count()))).toEqual(counts);
  });

  it('lets a Support user work in Support and read clients', async () => {
    expect((await support.get('/admin/api/resources/SupportTicket/actions/list')).status).toBe(200);
    expect((await support.get('/admin/api/resources/Client/actions/list')).status).toBe(200);
    const ticket = (await t.ds.getRepository('SupportTicket').findOne({ where: {}, order: { id: 'ASC' } })) as { id: number };
    const res = await support.post(`/admin/api/resources/SupportTicket/records/${ticket.id}/edit`).type('form').send({ priority: 'urgent' });
    expect(res.status).toBe(200);
    expect(((await t.ds.getRepository('SupportTicket').findOneByOrFail({ id: ticket.id })) as { priority: string }).priority).toBe('urgent');
  });

  it('refuses a workflow action the role lacks with 403 and audits it', async () => {
    const rootId = ((await t.ds.getRepository('User').findOneByOrFail({ email: 'root@test.local' })) as { id: number }).id;
    const before = ((await t.ds.getRepository('User').findOneByOrFail({ id: rootId })) as { passwordChangedAt: Date | null }).passwordChangedAt;
    const res = await support.post(`/admin/api/resources/User/records/${rootId}/setPassword`).type('form').send({ password: 'taken-over-by-support' });
    expect(res.status).toBe(403);
    expect(((await t.ds.getRepository('User').findOneByOrFail({ id: rootId })) as { passwordChangedAt: Date | null }).passwordChangedAt).toEqual(before);
    expect(await t.ds.getRepository('AuditLog').count({ where: { event: 'forbidden', userId: supportId, auditableType: 'User', auditableId: String(rootId) } })).toBe(1);
  });

  it('runs a workflow action for an administrator, audits it, and the service takes effect', async () => {
    const other = await createStaff(t.ds, { email: 'temp@test.local', password: 'temporary staple 9', role: 'Read-only' });
    const victim = t.agent();
    await loginAs(victim, 'temp@test.local', 'temporary staple 9');
    const tooShort = await admin.post(`/admin/api/resources/User/records/${other}/setPassword`).type('form').send({ password: 'short' });
    expect(tooShort.body.notice).toMatchObject({ type: 'error' });
    const res = await admin.post(`/admin/api/resources/User/records/${other}/setPassword`).type('form').send({ password: 'a brand new passphrase' });
    expect(res.status).toBe(200);
    expect(res.body.notice).toMatchObject({ type: 'success' });
    // The member's old session is over; the new password works.
    expect((await victim.get('/admin/api/resources/Client/actions/list')).status).toBe(401);
    await loginAs(t.agent(), 'temp@test.local', 'a brand new passphrase');
    const waitFor = async (fn: () => Promise<number>) => {
      for (let i = 0; i < 50 && (await fn()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
      return fn();
    };
    expect(await waitFor(() => t.ds.getRepository('AuditLog').count({ where: { event: 'action', auditableType: 'User', auditableId: String(other) } }))).toBe(2);
    expect(await t.ds.getRepository('AuditLog').count({ where: { event: 'password_changed', userId: (await t.ds.getRepository('User').findOneByOrFail({ email: 'root@test.local' }) as { id: number }).id } })).toBe(1);
  });

  it('answers 401 to the API and redirects pages when nobody is logged in', async () => {
    const anon = t.agent();
    expect((await anon.get('/admin/api/resources/Client/actions/list')).status).toBe(401);
    const page = await anon.get('/admin/resources/Client');
    expect(page.status).toBe(302);
    expect(page.headers.location).toMatch(/\/admin\/login/);
  });

  it('audits create, update and delete with who, where and old/new values', async () => {
    const currency = (await t.ds.getRepository('Currency').findOneByOrFail({ code: 'USD' })) as { id: number };
    const created = await admin
      .post('/admin/api/resources/Client/actions/new')
      .set('User-Agent', 'audit-test-agent')
      .type('form')
      .send({ firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.org', country: 'US', currencyId: String(currency.id) });
    const id = String(created.body.record.id);
    await admin.post(`/admin/api/resources/Client/records/${id}/edit`).set('User-Agent', 'audit-test-agent').type('form').send({ city: 'Arlington' });
    await admin.post(`/admin/api/resources/Client/records/${id}/delete`).set('User-Agent', 'audit-test-agent');
    const rows = (await t.ds.getRepository('AuditLog').find({ where: { auditableType: 'Client', auditableId: id }, order: { id: 'ASC' } })) as Array<Record<string, unknown>>;
    expect(rows.map((r) => r.event)).toEqual(['create', 'update', 'soft_delete']);
    const rootId = ((await t.ds.getRepository('User').findOneByOrFail({ email: 'root@test.local' })) as { id: number }).id;
    for (const r of rows) expect(r).toMatchObject({ userId: rootId, actorType: 'staff', userAgent: 'audit-test-agent' });
    expect(rows[0].ipAddress).toMatch(/127\.0\.0\.1/);
    expect(rows[0].newValues).toMatchObject({ firstName: 'Grace', email: 'grace@example.org' });
    expect(rows[1].oldValues).toEqual({ city: null });
    expect(rows[1].newValues).toEqual({ city: 'Arlington' });
  });

  it('redacts secrets in audit records', async () => {
    const server = (await t.ds.getRepository('Server').findOne({ where: {}, order: { id: 'ASC' } })) as Record<string, unknown>;
    const actor = { userId: 1, actorType: 'staff' as const, actorName: 'root@test.local', ipAddress: '127.0.0.1', userAgent: 'jest', url: '/test' };
    await runAs(actor, async () => {
      server.password = 'Another-Known-Secret-123';
      server.notes = 'rotated';
      await t.ds.getRepository('Server').save(server);
    });
    const row = (await t.ds.getRepository('AuditLog').findOne({ where: { auditableType: 'Server', auditableId: String(server.id), event: 'update' }, order: { id: 'DESC' } })) as Record<string, unknown>;
    const text = JSON.stringify(row);
    expect(text).not.toContain('Another-Known-Secret-123');
    expect(text).not.toContain(KNOWN_SECRET);
    expect(text).not.toContain('enc:v1:');
    expect(row.newValues).toMatchObject({ password: '[redacted]', notes: 'rotated' });
  });

  it('lets staff replace a server credential without ever reading it back', async () => {
    const server = (await t.ds.getRepository('Server').findOne({ where: {}, order: { id: 'ASC' } })) as { id: number; apiToken: string; name: string };
    const set = await admin.post(`/admin/api/resources/Server/records/${server.id}/edit`).type('form').send({ apiToken: 'Fresh-WHM-Token-42', name: server.name });
    expect(set.body.notice?.type).toBe('success');
    expect(set.text).not.toContain('Fresh-WHM-Token-42');
    expect(((await t.ds.getRepository('Server').findOneByOrFail({ id: server.id })) as { apiToken: string }).apiToken).toBe('Fresh-WHM-Token-42');
    // An empty field keeps the stored value; a password hash is never writable through the admin.
    await admin.post(`/admin/api/resources/Server/records/${server.id}/edit`).type('form').send({ apiToken: '', notes: 'kept' });
    expect(((await t.ds.getRepository('Server').findOneByOrFail({ id: server.id })) as { apiToken: string }).apiToken).toBe('Fresh-WHM-Token-42');
    const root = (await t.ds.getRepository('User').findOneByOrFail({ email: 'root@test.local' })) as { id: number; passwordHash: string };
    await admin.post(`/admin/api/resources/User/records/${root.id}/edit`).type('form').send({ passwordHash: 'x', twoFactorSecret: 'y' });
    const after = (await t.ds.getRepository('User').findOneByOrFail({ id: root.id })) as { passwordHash: string; twoFactorSecret: string };
    expect(after.passwordHash).toBe(root.passwordHash);
    expect(after.twoFactorSecret).toBe(KNOWN_SECRET);
  });

  it('stores secrets as ciphertext at rest', async () => {
    const raw = await t.ds.query('SELECT password, api_token FROM servers ORDER BY id LIMIT 1');
    expect(String(raw[0].password)).toMatch(/^enc:v1:/);
    expect(String(raw[0].api_token)).not.toContain(KNOWN_SECRET);
  });
});
