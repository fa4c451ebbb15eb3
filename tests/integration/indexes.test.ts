import { openTestDb, testEngine, type TestDb } from '../helpers/db.js';

/** Seed 000's indexing strategy, table by table (columns are snake_case; order_date is created_at here). */
const STRATEGY: Record<string, string[]> = {
  users: ['email', 'status'],
  clients: ['company_name', 'status', 'group_id'],
  orders: ['order_number', 'client_id', 'status', 'created_at'],
  invoices: ['invoice_number', 'client_id', 'status', 'due_date'],
  services: ['domain', 'client_id', 'status', 'next_due_date'],
  domains: ['domain_name', 'expiry_date', 'status'],
  support_tickets: ['ticket_number', 'client_id', 'status', 'priority'],
};

describe(`seed 000 indexing strategy on ${testEngine()}`, () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => db.close());

  it.each(Object.entries(STRATEGY))('%s has an index led by each of its search columns', async (table, columns) => {
    const runner = db.ds.createQueryRunner();
    try {
      const t = (await runner.getTable(table))!;
      const leading = new Set([
        ...t.indices.map((i) => i.columnNames[0]),
        ...t.uniques.map((u) => u.columnNames[0]),
        ...t.columns.filter((c) => c.isUnique).map((c) => c.name),
      ]);
      expect(columns.filter((c) => !leading.has(c))).toEqual([]);
    } finally {
      await runner.release();
    }
  });
});
