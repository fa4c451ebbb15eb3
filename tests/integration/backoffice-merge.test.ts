import { createStaff, startTestApp, type TestApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import { loginAs, type Agent } from '../helpers/auth.js';
import { createClientUser } from '../helpers/client.js';
import * as fx from '../helpers/billing-fixtures.js';
import { seedDemoData } from '../../src/demo/seed.js';
import { mergeClients } from '../../src/domain/backoffice/client-merge.js';
import { systemClock } from '../../src/domain/shared/clock.js';

type Row = Record<string, any>;

/**
 * Client merge on the demo data (clients with services, domains, invoices, payments, credit, orders and tickets),
 * through the admin action: every row that points at the merged client points at the kept one afterwards, row counts
 * and money sums add up exactly, the merged client is closed, and the audit log says who did it. Refusals change
 * nothing.
 */
describe(`client merge on ${testEngine()}`, () => {
  let t: TestApp;
  let owner: Agent;
  let readOnly: Agent;
  let ownerId: number;
  /** Every column that refers to a client, read from the schema here (not from the code under test). */
  let refs: Array<{ table: string; column: string }>;

  const q = async (sql: string, params: unknown[] = []) => (await t.ds.query(sql, params)) as Row[];
  const counts = async (clientId: number) => {
    const out: Record<string, number> = {};
    for (const r of refs) out[`${r.table}.${r.column}`] = Number((await q(`SELECT COUNT(*) AS n FROM ${r.table} WHERE ${r.column} = ?`, [clientId]))[0].n);
    return out;
  };
  const money = async (clientId: number) => ({
    invoiced: Number((await q('SELECT COALESCE(SUM(total), 0) AS s FROM invoices WHERE client_id = ?', [clientId]))[0].s),
    paid: Number((await q('SELECT COALESCE(SUM(amount_in) - SUM(amount_out), 0) AS s FROM transactions WHERE client_id = ?', [clientId]))[0].s),
    ordered: Number((await q('SELECT COALESCE(SUM(total), 0) AS s FROM orders WHERE client_id = ?', [clientId]))[0].s),
    ledger: Number((await q('SELECT COALESCE(SUM(amount), 0) AS s FROM client_credits WHERE client_id = ?', [clientId]))[0].s),
    credit: Number((await q('SELECT credit_balance AS c FROM clients WHERE id = ?', [clientId]))[0].c),
  });
  const url = (id: number) => `/admin/api/resources/Client/records/${id}/mergeIntoAnotherClient`;

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemoData(t.ds, { timezone: 'UTC', today: '2026-11-22' });
    ownerId = await createStaff(t.ds, { email: 'owner@merge.test', password: 'owner password 123', role: 'Full Administrator' });
    await createStaff(t.ds, { email: 'viewer@merge.test', password: 'viewer password 123', role: 'Read-only' });
    owner = t.agent();
    readOnly = t.agent();
    await loginAs(owner, 'owner@merge.test', 'owner password 123');
    await loginAs(readOnly, 'viewer@merge.test', 'viewer password 123');
    refs = [];
    for (const meta of t.ds.entityMetadatas) {
      for (const rel of [...meta.manyToOneRelations, ...meta.oneToOneRelations]) {
        if (rel.inverseEntityMetadata.name === 'Client' && meta.name !== 'AuditLog') refs.push({ table: meta.tableName, column: rel.joinColumns[0].databaseName });
      }
    }
  });
  afterAll(async () => t?.close());

  it('moves every record and the credit of one client into another, losing nothing, and closes it', async () => {
    // The two demo clients of one currency with the most records between them.
    const clients = await q('SELECT id, currency_id, user_id FROM clients WHERE deleted_at IS NULL ORDER BY id');
    const sizes = new Map<number, number>();
    for (const c of clients) sizes.set(Number(c.id), Object.values(await counts(Number(c.id))).reduce((a, b) => a + b, 0));
    const byCurrency = clients.filter((c) => Number(c.currency_id) === Number(clients[0].currency_id)).sort((a, b) => sizes.get(Number(b.id))! - sizes.get(Number(a.id))!);
    const keep = Number(byCurrency[0].id);
    const merged = Number(byCurrency[1].id);

    // What the demo may not give the merged client: a contact, a saved card, a custom field, a quote, a cancellation request, credit.
    const field = (await t.ds.getRepository('CustomField').insert({ name: 'VAT number', appliesTo: 'client', fieldType: 'text' })).identifiers[0].id;
    await t.ds.getRepository('CustomFieldValue').save(t.ds.getRepository('CustomFieldValue').create({ fieldId: field, clientId: merged, value: 'GB123' }));
    await t.ds.getRepository('ClientContact').insert({ clientId: merged, firstName: 'Pat', lastName: 'Books', email: 'pat@books.example' });
    await t.ds.getRepository('PaymentMethod').save(t.ds.getRepository('PaymentMethod').create({ clientId: merged, gateway: 'stripe', type: 'card', gatewayToken: 'pm_test', lastFour: '4242', brand: 'Visa', isDefault: true }));
    await t.ds.getRepository('Quote').insert({ quoteNumber: `QM-${merged}`, subject: 'Old quote', clientId: merged, currencyId: Number(byCurrency[1].currency_id), subtotal: 1000, tax: 0, total: 1000 });
    const svc = (await q('SELECT id FROM services WHERE client_id = ? ORDER BY id LIMIT 1', [merged]))[0];
    await t.ds.getRepository('CancellationRequest').insert({ serviceId: Number(svc.id), clientId: merged, type: 'end_of_period', reason: 'Too slow', status: 'rejected' });
    const credit = Number((await q('SELECT credit_balance AS c FROM clients WHERE id = ?', [merged]))[0].c);
    await t.ds.getRepository('CreditEntry').insert({ clientId: merged, source: 'manual', amount: 2500, balanceAfter: credit + 2500, description: 'Goodwill' });
    await t.ds.getRepository('Client').update({ id: merged }, { creditBalance: credit + 2500 });

    const beforeKeep = await counts(keep);
    const beforeMerged = await counts(merged);
    const moneyKeep = await money(keep);
    const moneyMerged = await money(merged);
    expect(moneyMerged.credit).toBeGreaterThan(0);
    expect(Object.values(beforeMerged).filter((n) => n > 0).length).toBeGreaterThanOrEqual(8);

    // An account has one owner login: with both logged in, staff must remove one first.
    const keepUser = byCurrency[0].user_id;
    const mergedUser = byCurrency[1].user_id;
    if (keepUser && mergedUser) {
      const refused = await mergeClients(t.ds, systemClock, { fromClientId: merged, intoClientId: keep, adminId: ownerId });
      expect(refused.ok ? 'ok' : refused.error).toBe('two_logins');
      await t.ds.getRepository('Client').update({ id: merged }, { userId: null });
    }
    expect(await counts(merged)).toEqual(beforeMerged);

    expect((await readOnly.post(url(merged)).type('form').send({ into: String(keep) })).status).toBe(403);
    const res = await owner.post(url(merged)).type('form').send({ into: String(keep) });
    expect(res.body.notice).toMatchObject({ type: 'success' });

    const afterKeep = await counts(keep);
    const afterMerged = await counts(merged);
    for (const key of Object.keys(beforeKeep)) {
      if (key.startsWith('client_credits.')) continue;
      expect([key, afterKeep[key]]).toEqual([key, beforeKeep[key] + beforeMerged[key]]);
      expect([key, afterMerged[key]]).toEqual([key, 0]);
    }
    // The ledger moves the balance with a closing and an opening entry; each ledger still adds up to its balance change.
    expect(afterKeep['client_credits.client_id']).toBe(beforeKeep['client_credits.client_id'] + 1);
    expect(afterMerged['client_credits.client_id']).toBe(beforeMerged['client_credits.client_id'] + 1);
    const after = await money(keep);
    expect(after.invoiced).toBe(moneyKeep.invoiced + moneyMerged.invoiced);
    expect(after.paid).toBe(moneyKeep.paid + moneyMerged.paid);
    expect(after.ordered).toBe(moneyKeep.ordered + moneyMerged.ordered);
    expect(after.credit).toBe(moneyKeep.credit + moneyMerged.credit);
    expect(after.ledger - moneyKeep.ledger).toBe(moneyMerged.credit);
    const gone = await money(merged);
    expect(gone.credit).toBe(0);
    expect(gone.ledger - moneyMerged.ledger).toBe(-moneyMerged.credit);

    const closed = (await t.ds.getRepository('Client').findOneOrFail({ where: { id: merged }, withDeleted: true })) as Row;
    expect(closed.deletedAt).not.toBeNull();
    expect(closed.notes).toContain(`(#${keep})`);
    const audit = (await t.ds.getRepository('AuditLog').find({ where: { event: 'client_merge', auditableId: String(keep) } })) as Row[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ userId: ownerId, clientId: keep });
    expect(audit[0].newValues.moved.invoices).toBe(beforeMerged['invoices.client_id']);
  });

  it('refuses a merge into itself, across currencies or of a closed client, changing nothing; a lone login moves', async () => {
    const a = await createClientUser(t.ds, { firstName: 'Lone' });
    const b = await fx.client(t.ds);
    const self = await owner.post(url(b)).type('form').send({ into: String(b) });
    expect(self.body.notice).toMatchObject({ type: 'error', message: expect.stringContaining('itself') });
    const eur = await fx.client(t.ds, { currencyId: await fx.currency(t.ds, 'EUR') });
    const cross = await owner.post(url(eur)).type('form').send({ into: String(b) });
    expect(cross.body.notice).toMatchObject({ type: 'error', message: expect.stringContaining('currency') });
    expect((await t.ds.getRepository('Client').findOneByOrFail({ id: eur })) as Row).toMatchObject({ deletedAt: null });

    const byEmail = await owner.post(url(a.clientId)).type('form').send({ into: ((await t.ds.getRepository('Client').findOneByOrFail({ id: b })) as Row).email });
    expect(byEmail.body.notice).toMatchObject({ type: 'success' });
    expect(((await t.ds.getRepository('Client').findOneByOrFail({ id: b })) as Row).userId).toBe(a.userId);
    const again = await mergeClients(t.ds, systemClock, { fromClientId: a.clientId, intoClientId: b, adminId: ownerId });
    expect(again.ok ? 'ok' : again.error).toBe('client_closed');
  });
});
