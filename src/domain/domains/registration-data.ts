import type { DataSource, EntityManager } from 'typeorm';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import type { RegistrarContact } from './registrar.js';

export interface DomainRow {
  id: number;
  clientId: number;
  orderId: number | null;
  serviceId: number | null;
  domainName: string;
  tld: string;
  registrar: string | null;
  registrationType: 'register' | 'transfer';
  registrationDate: string | null;
  expiryDate: string | null;
  nextDueDate: string | null;
  nextInvoiceDate: string | null;
  registrationPeriod: number;
  recurringAmount: number;
  currencyId: number;
  status: string;
  nameservers: string[] | null;
  autoRenew: boolean;
  idProtection: boolean;
  registrarLock: boolean;
  eppCode: string | null;
  registrarRef: string | null;
  notes: string | null;
}

export const loadDomain = (db: DataSource | EntityManager, id: number) => db.getRepository('Domain').findOneBy({ id }) as Promise<DomainRow | null>;

/**
 * The registrant contact from the client's profile. Registries need a full postal address, an email and a phone
 * number; a profile missing one is refused here, naming what to fill in, before anything is sent.
 */
export async function contactOf(db: DataSource | EntityManager, clientId: number): Promise<Outcome<{ contact: RegistrarContact; email: string; firstName: string; language: string }>> {
  const c = (await db.getRepository('Client').findOneBy({ id: clientId })) as Record<string, any> | null;
  if (!c) return fail('client_not_found', `Client #${clientId} does not exist.`);
  const missing = (['phone', 'address1', 'city', 'postcode', 'country'] as const).filter((k) => !String(c[k] ?? '').trim());
  if (missing.length) {
    const names: Record<string, string> = { phone: 'phone number', address1: 'street address', city: 'city', postcode: 'postcode', country: 'country' };
    return fail('contact_incomplete', `The registrar needs the client's ${missing.map((k) => names[k]).join(', ')}; complete the profile of client #${clientId} and try again.`);
  }
  return succeed({
    contact: {
      firstName: c.firstName, lastName: c.lastName, companyName: c.companyName ?? null, email: c.email, phone: c.phone,
      address1: c.address1, address2: c.address2 ?? null, city: c.city, state: c.state ?? '', postcode: c.postcode, country: String(c.country).toUpperCase(),
    },
    email: c.email, firstName: c.firstName, language: c.language ?? 'en',
  });
}

/**
 * The nameservers a new registration gets: the ones ordered with it; else those of the server hosting the service it
 * was ordered with; else the company default (setting domains.defaultNameservers); else none, and the registrar's
 * own defaults apply.
 */
export async function nameserversFor(db: DataSource | EntityManager, d: Pick<DomainRow, 'nameservers' | 'serviceId'>): Promise<string[]> {
  if (d.nameservers?.length) return d.nameservers;
  if (d.serviceId) {
    const rows = (await db.query(
      'SELECT s.nameserver1 AS n1, s.nameserver2 AS n2, s.nameserver3 AS n3, s.nameserver4 AS n4 FROM services sv JOIN servers s ON s.id = sv.server_id WHERE sv.id = ?',
      [d.serviceId],
    )) as Array<Record<string, string | null>>;
    const ns = rows.length ? [rows[0].n1, rows[0].n2, rows[0].n3, rows[0].n4].filter((x): x is string => Boolean(x?.trim())).map((x) => x.trim().toLowerCase()) : [];
    if (ns.length >= 2) return ns;
  }
  const row = (await db.getRepository('Setting').findOneBy({ key: 'domains.defaultNameservers' })) as { value: string | null } | null;
  // Stored as a JSON list (the settings screen's json type) or typed as a plain list.
  const defaults = (row?.value ?? '').replace(/[[\]"]/g, ' ').split(/[\s,]+/).map((x) => x.trim().toLowerCase()).filter(Boolean);
  return defaults.length >= 2 ? defaults : [];
}

const HOST = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** Nameservers as typed (one per line or comma-separated): 2 to 5 distinct host names, lower case. */
export function parseNameservers(input: string | string[] | null | undefined): Outcome<{ nameservers: string[] }> {
  const list = (Array.isArray(input) ? input : String(input ?? '').split(/[\s,]+/)).map((x) => String(x).trim().toLowerCase().replace(/\.$/, '')).filter(Boolean);
  const unique = [...new Set(list)];
  if (unique.length < 2) return fail('nameservers_invalid', 'Give at least two nameservers, such as ns1.example.net and ns2.example.net.', 'nameservers');
  if (unique.length > 5) return fail('nameservers_invalid', 'Give at most five nameservers.', 'nameservers');
  const bad = unique.find((n) => !HOST.test(n));
  if (bad) return fail('nameservers_invalid', `“${bad.slice(0, 80)}” is not a host name (e.g. ns1.example.net).`, 'nameservers');
  return succeed({ nameservers: unique });
}
