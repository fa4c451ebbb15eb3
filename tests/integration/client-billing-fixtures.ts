import type { DataSource } from 'typeorm';
import type { Response } from 'supertest';
import { createClientUser, loginClient } from '../helpers/client.js';
import { csrfFrom, type Agent } from '../helpers/auth.js';
import type { TestApp } from '../helpers/app.js';
import { currency } from '../helpers/billing-fixtures.js';
import { businessDate } from '../../src/domain/shared/clock.js';

/** Shared set-up of the client-billing tests: catalogue rows, services, invoices, and signed-in customers. */

type Row = Record<string, any>;
let seq = 0;

export const save = async (ds: DataSource, entity: string, data: Row): Promise<Row> => (await ds.getRepository(entity).save(ds.getRepository(entity).create(data))) as Row;

/** The app's business date (APP_TIMEZONE defaults to UTC in tests). */
export const today = () => businessDate(new Date(), 'UTC');

export interface Customer {
  clientId: number;
  email: string;
  agent: Agent;
}

/** A client with a login, signed in on its own agent (its own cookie jar). */
export async function signedInCustomer(t: TestApp, over: Record<string, unknown> = {}): Promise<Customer> {
  const c = await createClientUser(t.ds, { over });
  const agent = t.agent();
  await loginClient(agent, c.email, c.password);
  return { clientId: c.clientId, email: c.email, agent };
}

/** A product with a monthly price in USD. */
export async function product(ds: DataSource, opts: { name: string; price: number; module?: string; over?: Row }): Promise<number> {
  seq++;
  const categoryId = (await save(ds, 'ProductCategory', { name: `Cat ${seq}`, slug: `cat-${seq}-${Date.now()}` })).id;
  const p = await save(ds, 'Product', {
    categoryId, name: opts.name, slug: `p-${seq}-${Date.now()}`, type: 'shared', module: opts.module ?? 'none', autoSetup: 'payment', taxable: false, paymentType: 'recurring', ...opts.over,
  });
  await save(ds, 'ProductPrice', { productId: p.id, addonId: null, configOptionChoiceId: null, currencyId: await currency(ds), cycle: 'monthly', price: opts.price, setupFee: 0, enabled: true });
  return p.id as number;
}

export async function service(ds: DataSource, clientId: number, productId: number, over: Row = {}): Promise<number> {
  return (await save(ds, 'Service', {
    clientId, productId, currencyId: await currency(ds), billingCycle: 'monthly', status: 'active', recurringAmount: 1000, firstPaymentAmount: 1000, registrationDate: '2026-01-05', nextDueDate: '2026-12-05', ...over,
  })).id as number;
}

export async function invoice(ds: DataSource, clientId: number, total: number, over: Row = {}): Promise<number> {
  seq++;
  const res = await ds.getRepository('Invoice').insert({
    invoiceNumber: `CB-${seq}-${Math.random().toString(36).slice(2, 8)}`, clientId, currencyId: await currency(ds), status: 'unpaid', issueDate: today(), dueDate: today(), subtotal: total, total, ...over,
  });
  const id = res.identifiers[0].id as number;
  await ds.getRepository('InvoiceItem').insert({ invoiceId: id, itemType: 'other', description: `Line of invoice ${id}`, quantity: 1, unitPrice: total, amount: total });
  return id;
}

/** A form post with the page's CSRF token (read from `page`, default the same URL). */
export async function postForm(agent: Agent, url: string, fields: Record<string, string>, page = url.replace(/\/(cancel|login|pay)$/, '')): Promise<Response> {
  const csrf = csrfFrom((await agent.get(page)).text);
  return agent.post(url).type('form').send({ ...fields, _csrf: csrf });
}

/** Binary bodies (PDF) as a Buffer. */
export function binary(res: NodeJS.ReadableStream & { setEncoding(e: string): void }, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}
