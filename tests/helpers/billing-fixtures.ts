import type { DataSource } from 'typeorm';

let seq = 0;

/** A currency, created once per database. */
export async function currency(ds: DataSource, code = 'USD'): Promise<number> {
  const repo = ds.getRepository('Currency');
  const found = (await repo.findOneBy({ code })) as { id: number } | null;
  if (found) return found.id;
  const res = await repo.insert({ code, prefix: code === 'USD' ? '$' : '', suffix: code === 'USD' ? '' : ` ${code}`, isDefault: code === 'USD', exchangeRate: '1' });
  return res.identifiers[0].id as number;
}

export async function client(ds: DataSource, over: Record<string, unknown> = {}): Promise<number> {
  seq++;
  const res = await ds.getRepository('Client').insert({
    firstName: 'Test',
    lastName: `Client ${seq}`,
    displayName: `Test Client ${seq}`,
    email: `client${seq}-${Date.now()}@example.org`,
    country: 'US',
    currencyId: await currency(ds),
    ...over,
  });
  return res.identifiers[0].id as number;
}

/** An unpaid invoice of `total` cents with one line, numbered. */
export async function invoice(ds: DataSource, clientId: number, total: number, over: Record<string, unknown> = {}): Promise<number> {
  seq++;
  const res = await ds.getRepository('Invoice').insert({
    invoiceNumber: `TEST-${seq}-${Math.random().toString(36).slice(2, 8)}`,
    clientId,
    currencyId: await currency(ds),
    status: 'unpaid',
    issueDate: '2026-11-01',
    dueDate: '2026-11-15',
    subtotal: total,
    total,
    ...over,
  });
  const id = res.identifiers[0].id as number;
  await ds.getRepository('InvoiceItem').insert({ invoiceId: id, itemType: 'other', description: 'Test line', quantity: 1, unitPrice: total, amount: total });
  return id;
}
