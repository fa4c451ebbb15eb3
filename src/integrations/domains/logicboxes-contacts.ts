import { randomBytes } from 'node:crypto';
import type { RegistrarContact } from '../../domain/domains/registrar.js';
import type { LogicBoxesFailure, LogicBoxesHttp } from './logicboxes-http.js';
import { isKnownCountry, splitPhone, type SplitPhone } from './logicboxes-phone.js';

/**
 * Customers and contacts at LogicBoxes. Every domain belongs to a LogicBoxes customer (we keep one per client, found
 * by the client's e-mail, which LogicBoxes uses as the customer's username) and points at contacts owned by that
 * customer. A contact with exactly the same details is reused, so a client with fifty domains has one contact, not
 * fifty, and a retried registration does not leave stray contacts behind.
 */
type Fail = LogicBoxesFailure;

/** Fields LogicBoxes requires of a contact, checked before anything is sent. */
export function checkContact(c: RegistrarContact): { ok: true; phone: SplitPhone } | Fail {
  const country = (c.country ?? '').trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country) || !isKnownCountry(country)) {
    return refuse(`The contact has no usable country${c.country ? ` ('${c.country}')` : ''}: LogicBoxes needs a two-letter country code such as GB or US. Complete the client's address first.`);
  }
  const phone = splitPhone(c.phone ?? '', country);
  if (!phone) {
    return refuse(`The contact's phone number${c.phone ? ` '${c.phone}'` : ''} cannot be used: LogicBoxes needs a full number with its country code, e.g. +44 20 7123 4567. Correct the client's phone number first.`);
  }
  const missing = ([['first name', c.firstName], ['last name', c.lastName], ['e-mail address', c.email], ['address', c.address1], ['city', c.city]] as const)
    .filter(([, v]) => !v || !String(v).trim()).map(([k]) => k);
  if (missing.length) return refuse(`The contact is missing its ${missing.join(', ')}; LogicBoxes requires ${missing.length > 1 ? 'them' : 'it'}.`);
  return { ok: true, phone };
}

/** contacts/add and contacts/modify take the same fields. */
export function contactParams(c: RegistrarContact, phone: SplitPhone): Record<string, string> {
  return {
    name: `${c.firstName.trim()} ${c.lastName.trim()}`.trim(),
    // LogicBoxes insists on a company; "N/A" is its own convention for a private person.
    company: c.companyName?.trim() || 'N/A',
    email: c.email.trim(),
    'address-line-1': c.address1.trim().slice(0, 64),
    'address-line-2': (c.address2 ?? '').trim().slice(0, 64),
    city: c.city.trim(),
    state: c.state?.trim() || 'Not Applicable',
    country: c.country.trim().toUpperCase(),
    zipcode: (c.postcode ?? '').trim(),
    'phone-cc': phone.cc,
    phone: phone.number,
  };
}

/** A contacts/details answer in Meridian's terms. */
export function contactFromDetails(d: Record<string, unknown>): RegistrarContact {
  const s = (k: string) => (d[k] === undefined || d[k] === null ? '' : String(d[k]).trim());
  const [firstName, ...rest] = s('name').split(/\s+/);
  const company = s('company');
  return {
    firstName: firstName ?? '',
    lastName: rest.join(' '),
    companyName: company && !/^(n\/a|not applicable)$/i.test(company) ? company : null,
    email: s('emailaddr'),
    phone: s('telnocc') ? `+${s('telnocc')}.${s('telno')}` : s('telno'),
    address1: s('address1'),
    address2: s('address2') || null,
    city: s('city'),
    state: /^not applicable$/i.test(s('state')) ? '' : s('state'),
    postcode: s('zip'),
    country: s('country').toUpperCase(),
  };
}

/** The LogicBoxes customer for this client (by e-mail), created on first use. */
export async function customerFor(api: LogicBoxesHttp, c: RegistrarContact, phone: SplitPhone): Promise<{ ok: true; customerId: string } | Fail> {
  const username = c.email.trim().toLowerCase();
  const found = await api.get('customers/details', { username });
  if (found.ok) return customerIdOf(found.data);
  // Only a definite "no such customer" may lead to a signup; anything else is reported as it is.
  if (found.failure === 'auth' || found.failure === 'unreachable' || found.transient) return found;
  const p = contactParams(c, phone);
  const created = await api.post('customers/signup', {
    username, passwd: customerPassword(), name: p.name, company: p.company, 'address-line-1': p['address-line-1'],
    'address-line-2': p['address-line-2'], city: p.city, state: p.state, country: p.country, zipcode: p.zipcode,
    'phone-cc': p['phone-cc'], phone: p.phone, 'lang-pref': 'en',
  });
  if (created.ok) return { ok: true, customerId: String(created.data) };
  // Two jobs for the same client may race to sign it up; the loser finds the winner's customer.
  const again = await api.get('customers/details', { username });
  return again.ok ? customerIdOf(again.data) : created;
}

/** A contact of this customer with exactly these details: an existing one, or a new one. */
export async function contactFor(api: LogicBoxesHttp, customerId: string, c: RegistrarContact, phone: SplitPhone): Promise<{ ok: true; contactId: string } | Fail> {
  const wanted = contactParams(c, phone);
  const search = await api.get('contacts/search', {
    'customer-id': customerId, 'no-of-records': 10, 'page-no': 1, email: wanted.email, name: wanted.name, status: 'Active', type: 'Contact',
  });
  if (!search.ok && (search.failure === 'auth' || search.transient)) return search;
  const candidates = search.ok ? searchIds(search.data) : [];
  for (const id of candidates.slice(0, 5)) {
    const details = await api.get('contacts/details', { 'contact-id': id });
    if (!details.ok) {
      if (details.failure === 'auth' || details.transient) return details;
      continue;
    }
    if (sameContact(wanted, details.data as Record<string, unknown>)) return { ok: true, contactId: id };
  }
  const added = await api.post('contacts/add', { ...wanted, 'customer-id': customerId, type: 'Contact' });
  return added.ok ? { ok: true, contactId: String(added.data) } : added;
}

function sameContact(wanted: Record<string, string>, d: Record<string, unknown>): boolean {
  const s = (k: string) => String(d[k] ?? '').trim().toLowerCase();
  const pairs: Array<[string, string]> = [
    ['name', 'name'], ['company', 'company'], ['email', 'emailaddr'], ['address-line-1', 'address1'], ['address-line-2', 'address2'],
    ['city', 'city'], ['state', 'state'], ['country', 'country'], ['zipcode', 'zip'], ['phone-cc', 'telnocc'], ['phone', 'telno'],
  ];
  return pairs.every(([ours, theirs]) => wanted[ours].trim().toLowerCase() === s(theirs));
}

function searchIds(data: unknown): string[] {
  const result = (data as { result?: unknown })?.result;
  const rows = Array.isArray(result) ? result : [];
  return rows.map((r) => String((r as Record<string, unknown>)['entity.entityid'] ?? '')).filter(Boolean);
}

function customerIdOf(data: unknown): { ok: true; customerId: string } | Fail {
  const id = (data as { customerid?: unknown })?.customerid;
  return id ? { ok: true, customerId: String(id) } : refuse('LogicBoxes answered the customer lookup without a customer id.', true);
}

/** LogicBoxes requires a login password for every customer; nobody uses it, so it is random and never stored. */
function customerPassword(): string {
  const alnum = randomBytes(9).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 8).padEnd(8, 'x');
  return `Mx${alnum}7#`;
}

function refuse(message: string, transient = false): Fail {
  return { ok: false, failure: 'rejected', message, transient };
}
