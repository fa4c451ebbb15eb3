import bcrypt from 'bcryptjs';
import type { DataSource } from 'typeorm';
import { currency } from './billing-fixtures.js';
import { csrfOf, type Agent } from './auth.js';

let seq = 0;

/** A client account with a verified login (users row of type client, linked from clients.user_id). */
export async function createClientUser(
  ds: DataSource,
  opts: { email?: string; password?: string; firstName?: string; lastName?: string; over?: Record<string, unknown> } = {},
): Promise<{ clientId: number; userId: number; email: string; password: string }> {
  seq++;
  const email = opts.email ?? `customer${seq}-${Date.now()}@client.example`;
  const password = opts.password ?? 'correct horse battery 1';
  const firstName = opts.firstName ?? 'Casey';
  const lastName = opts.lastName ?? `Customer ${seq}`;
  const user = await ds.getRepository('User').insert({
    userType: 'client', email, firstName, lastName, displayName: `${firstName} ${lastName}`, passwordHash: await bcrypt.hash(password, 4), status: 'active', emailVerifiedAt: new Date(),
  });
  const userId = user.identifiers[0].id as number;
  const client = await ds.getRepository('Client').save(
    ds.getRepository('Client').create({ userId, firstName, lastName, email, country: 'US', currencyId: await currency(ds), ...opts.over }),
  );
  return { clientId: (client as { id: number }).id, userId, email, password };
}

/**
 * Signs a customer in through the real client-area form: GET /login, read `_csrf`, POST email + password,
 * expect a 303 redirect. Returns the redirect location.
 */
export async function loginClient(agent: Agent, email: string, password: string): Promise<string> {
  const csrf = await csrfOf(agent, '/login');
  const res = await agent.post('/login').type('form').send({ email, password, _csrf: csrf });
  if (res.status !== 303) throw new Error(`client login of ${email} answered ${res.status}, expected 303: ${res.text.slice(0, 300)}`);
  return res.headers.location as string;
}
