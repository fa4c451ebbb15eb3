import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake ResellerClub / LogicBoxes HTTP API (https://httpapi.com/api/<category>/<command>.json) on 127.0.0.1, with an
 * in-memory reseller account: customers, contacts and domain orders, plus names "held elsewhere" (registered at other
 * registrars, each with an auth code). Behaviour follows the public API docs and the answers real modules (WHMCS,
 * Blesta, WWW::LogicBoxes, hiapi-directi) were written against:
 *
 * - auth-userid + api-key on every call, in the query string (GET) or the form body (POST); wrong ones answer
 *   {"status":"ERROR","message":"Invalid credentials, or your User account maybe Inactive or Suspended"}.
 * - Reads are GET, writes are POST; the other verb is refused (HTTP 405).
 * - Errors are {"status":"ERROR","message":"…"} with HTTP `errorStatus` (500 by default, as the live API tends to).
 * - Creating calls (customers/signup, contacts/add) answer a bare id; domains/orderid answers a bare id.
 * - Order answers carry entityid, actiontype, actionstatus, actionstatusdesc like the real ones.
 * - domains/renew requires exp-date = the order's current expiry (compared on the UTC day: UNCONFIRMED whether the
 *   live API compares to the second) and refuses otherwise, so a replayed renewal cannot extend twice.
 * - domains/transfer refuses a wrong auth code with "Invalid Auth Code" (the live API's wording for this case is
 *   UNCONFIRMED; some registries only refuse later, which failTransfer() models).
 * Wordings marked UNCONFIRMED here are plausible, not verified against the live API.
 *
 * Usage: const lb = await startFakeLogicBoxes(); logicBoxesRegistrar({ resellerId: lb.resellerId, apiKey: lb.apiKey,
 * testMode: true, apiBase: lb.url }); … lb.calls, lb.state, lb.failNext(…), await lb.close().
 */
export interface FakeLbCustomer {
  id: string; username: string; passwd: string; name: string; company: string; address1: string; city: string;
  state: string; country: string; zipcode: string; phoneCc: string; phone: string;
}

export interface FakeLbContact {
  id: string; customerId: string; type: string; name: string; company: string; email: string; address1: string;
  address2: string; city: string; state: string; country: string; zipcode: string; phoneCc: string; phone: string;
}

export interface FakeLbOrder {
  orderId: string; domain: string; customerId: string;
  /** Years of the registration order (or of the last renewal). */
  years: number;
  ns: string[];
  /** Epoch seconds. */
  creation: number;
  /** Epoch seconds at the registry; null while a transfer in is pending. */
  expiry: number | null;
  locked: boolean;
  privacy: boolean;
  privacyPurchased: boolean;
  authCode: string;
  contacts: { reg: string; admin: string; tech: string; billing: string };
  currentStatus: 'Active' | 'InActive' | 'Suspended' | 'Pending Delete Restorable' | 'Deleted' | 'Archived';
  /** Set for a transfer in until it completes. */
  transfer: null | { status: 'pending' | 'failed'; message: string };
}

export interface FakeLbElsewhere { authCode: string; expiry: number; creation: number }

export interface FakeLbCall {
  path: string; method: string;
  /** Query string and form body merged, as the API reads them. */
  params: Record<string, string | string[]>;
  /** Names of the parameters that came in the URL (a client should keep the API key out of URLs where it can). */
  queryKeys: string[];
}

export interface FakeLbOptions {
  resellerId?: string;
  apiKey?: string;
  /** HTTP status of {"status":"ERROR"} answers (default 500). */
  errorStatus?: number;
  /** Endings the account does not sell: domains/available says "unknown" for them. */
  unsupportedTlds?: string[];
  /** Endings without privacy protection (their orders say privacyprotectedallowed=false). */
  noPrivacyTlds?: string[];
  /** The clock, in ms (default Date.now). */
  now?: () => number;
  /** Port on 127.0.0.1 (default: any free one). */
  port?: number;
}

export interface FakeLogicBoxes {
  /** The apiBase for the module, e.g. http://127.0.0.1:PORT/api */
  url: string;
  resellerId: string;
  apiKey: string;
  state: {
    customers: Map<string, FakeLbCustomer>;
    contacts: Map<string, FakeLbContact>;
    /** Orders of this reseller account by domain name. */
    orders: Map<string, FakeLbOrder>;
    /** Names registered elsewhere (not in this account). */
    elsewhere: Map<string, FakeLbElsewhere>;
    /** Names the registry prices as premium. */
    premium: Set<string>;
  };
  calls: FakeLbCall[];
  callsTo(path: string): FakeLbCall[];
  /**
   * The next request to `path` (e.g. 'domains/register') answers this, doing nothing: {"status":"ERROR","message"}
   * with the given HTTP status; with `as: 'failed-action'` the order-action form {"status":"Failed","actionstatus":
   * "Failed","actionstatusdesc":message} (how LogicBoxes reports e.g. a registry or funds refusal); without a message
   * an HTML error page, as a proxy in front of the API sends.
   */
  failNext(path: string, answer: { status: number; message?: string; as?: 'error' | 'failed-action' }): void;
  /** The next request to `path` is carried out at once but answered only after `ms`. */
  delayNext(path: string, ms: number): void;
  /** A name registered by someone else, at another registrar; returns its auth code. */
  registered(domain: string, opts?: { authCode?: string; expiry?: string }): string;
  /** A domain already in this account (expiry 'YYYY-MM-DD'), under `customerEmail`'s customer. */
  own(domain: string, opts: { expiry: string; customerEmail?: string; ns?: string[]; locked?: boolean; privacy?: boolean; authCode?: string; registered?: string; status?: FakeLbOrder['currentStatus'] }): FakeLbOrder;
  completeTransfer(domain: string): void;
  failTransfer(domain: string, message: string): void;
  /** The domain moved to another registrar: its order is closed, the name is held elsewhere. */
  transferAway(domain: string): void;
  /** Change the expiry at the registry, e.g. renewed elsewhere or by staff in the LogicBoxes panel. */
  setExpiry(domain: string, date: string): void;
  close(): Promise<void>;
}

const AUTH_ERROR = 'Invalid credentials, or your User account maybe Inactive or Suspended';
const GETS = new Set(['domains/available', 'domains/details', 'domains/details-by-name', 'domains/orderid', 'customers/details', 'customers/details-by-id', 'customers/search', 'contacts/details', 'contacts/search']);

class ApiError extends Error {}

export async function startFakeLogicBoxes(opts: FakeLbOptions = {}): Promise<FakeLogicBoxes> {
  const resellerId = opts.resellerId ?? '753669';
  const apiKey = opts.apiKey ?? `key-${randomBytes(12).toString('hex')}`;
  const now = opts.now ?? Date.now;
  const errorStatus = opts.errorStatus ?? 500;
  const unsupported = new Set((opts.unsupportedTlds ?? []).map((t) => t.replace(/^\./, '')));
  const noPrivacy = new Set((opts.noPrivacyTlds ?? ['uk', 'co.uk', 'us', 'eu', 'de', 'ca', 'in']).map((t) => t.replace(/^\./, '')));
  const state: FakeLogicBoxes['state'] = { customers: new Map(), contacts: new Map(), orders: new Map(), elsewhere: new Map(), premium: new Set() };
  const calls: FakeLbCall[] = [];
  const failures = new Map<string, Array<{ status: number; message?: string; as?: 'error' | 'failed-action' }>>();
  const delays = new Map<string, number[]>();
  const timers = new Set<NodeJS.Timeout>();
  let nextId = 84311819;
  const id = () => String(nextId++);
  const nowS = () => Math.floor(now() / 1000);
  const key = (p: string) => p.replace(/^\/?(api\/)?/, '').replace(/\.json$/, '');

  const handlers: Record<string, (p: Params) => unknown> = {
    'domains/available': (p) => {
      const out: Record<string, unknown> = {};
      for (const sld of p.all('domain-name')) {
        for (const tld of p.all('tlds')) {
          const name = `${sld}.${tld}`.toLowerCase();
          const ours = state.orders.get(name);
          const status = unsupported.has(tld) ? 'unknown'
            : ours && !gone(ours) ? 'regthroughus' : state.elsewhere.has(name) ? 'regthroughothers' : 'available';
          out[name] = { classkey: 'domcno', status, ...(state.premium.has(name) && status === 'available' ? { costHash: { create: '2500.00', renew: '2500.00', transfer: '2500.00', sellingCurrencySymbol: 'USD' } } : {}) };
        }
      }
      return out;
    },
    'domains/details-by-name': (p) => details(byName(p.req('domain-name')), p.all('options')),
    'domains/details': (p) => details(byId(p.req('order-id')), p.all('options')),
    'domains/orderid': (p) => byName(p.req('domain-name')).orderId,
    'domains/register': (p) => {
      const domain = p.req('domain-name').toLowerCase();
      const years = yearsOf(p.req('years'));
      const { customerId, contacts } = orderParties(p);
      p.req('invoice-option');
      const existing = state.orders.get(domain);
      if ((existing && !gone(existing)) || state.elsewhere.has(domain)) throw new ApiError(`Domain ${domain} already registered`);
      const ns = nameservers(p.all('ns'));
      const created = nowS();
      const privacy = truthy(p.opt('purchase-privacy')) || truthy(p.opt('protect-privacy'));
      const order: FakeLbOrder = {
        orderId: id(), domain, customerId, years, ns, creation: created, expiry: addYears(created, years), locked: true,
        privacy: privacy && privacyAllowed(domain), privacyPurchased: privacy && privacyAllowed(domain), authCode: authCode(), contacts, currentStatus: 'Active', transfer: null,
      };
      state.orders.set(domain, order);
      return action(order, 'AddNewDomain', `Registration of ${domain} for ${years} year${years > 1 ? 's' : ''}`, 'Domain registration completed Successfully');
    },
    'domains/transfer': (p) => {
      const domain = p.req('domain-name').toLowerCase();
      const { customerId, contacts } = orderParties(p);
      p.req('invoice-option');
      const existing = state.orders.get(domain);
      if (existing?.transfer?.status === 'pending') throw new ApiError(`A Transfer request for ${domain} is already pending`);
      if (existing && !gone(existing) && !existing.transfer) throw new ApiError(`Domain ${domain} already exists in your account`);
      const held = state.elsewhere.get(domain);
      if (!held) throw new ApiError(`Domain ${domain} is currently available for Registration`);
      if ((p.opt('auth-code') ?? '') !== held.authCode) throw new ApiError('Invalid Auth Code');
      const privacy = truthy(p.opt('purchase-privacy')) || truthy(p.opt('protect-privacy'));
      const order: FakeLbOrder = {
        orderId: id(), domain, customerId, years: 1, ns: nameservers(p.all('ns')), creation: nowS(), expiry: null, locked: false,
        privacy: privacy && privacyAllowed(domain), privacyPurchased: privacy && privacyAllowed(domain), authCode: held.authCode, contacts,
        currentStatus: 'InActive', transfer: { status: 'pending', message: 'Transfer waiting for Losing Registrar Approval' },
      };
      state.orders.set(domain, order);
      return { ...action(order, 'AddTransferDomain', `Transfer of ${domain} from old Registrar alongwith 1 year Renewal`, order.transfer!.message), actionstatus: 'PendingExecution' };
    },
    'domains/renew': (p) => {
      const order = byId(p.req('order-id'));
      const years = yearsOf(p.req('years'));
      const expDate = Number(p.req('exp-date'));
      p.req('invoice-option');
      if (gone(order) || order.expiry === null) throw new ApiError(`Renewal is not allowed for the current status of ${order.domain}`);
      if (!Number.isFinite(expDate) || day(expDate) !== day(order.expiry)) {
        // UNCONFIRMED wording.
        throw new ApiError(`Invalid exp-date. The expiry date passed (${expDate}) does not match the current expiry date of ${order.domain}.`);
      }
      const renewed = addYears(order.expiry, years);
      if (renewed > addYears(nowS(), 10)) throw new ApiError('Unable to renew, would violate max registration length');
      order.expiry = renewed;
      order.years = years;
      if (order.currentStatus === 'Pending Delete Restorable') order.currentStatus = 'Active';
      return action(order, 'RenewDomain', `Renewal of ${order.domain} for ${years} year${years > 1 ? 's' : ''}`, 'Domain renewed successfully');
    },
    'domains/modify-ns': (p) => {
      const order = liveOrder(p.req('order-id'));
      const ns = nameservers(p.all('ns'));
      if (!ns.length) throw new ApiError('Required parameter missing: ns');
      if (ns.join() === order.ns.join()) throw new ApiError('Same value for new and old NameServers.');
      order.ns = ns;
      return action(order, 'ModNS', `Modification of Nameservers of ${order.domain} to ${ns.join(', ')}`, 'Nameservers modified successfully');
    },
    'domains/enable-theft-protection': (p) => {
      const order = liveOrder(p.req('order-id'));
      order.locked = true;
      return action(order, 'AddTheftProtectionLock', `Enable Theft Protection for ${order.domain}`, 'Theft Protection enabled');
    },
    'domains/disable-theft-protection': (p) => {
      const order = liveOrder(p.req('order-id'));
      order.locked = false;
      return action(order, 'DelTheftProtectionLock', `Disable Theft Protection for ${order.domain}`, 'Theft Protection disabled');
    },
    'domains/purchase-privacy': (p) => {
      const order = liveOrder(p.req('order-id'));
      p.req('invoice-option');
      if (!privacyAllowed(order.domain)) throw new ApiError('Privacy Protection Service not available.');
      order.privacyPurchased = true;
      order.privacy = true;
      return action(order, 'PurchasePrivacyProtection', `Purchase of Privacy Protection for ${order.domain}`, 'Privacy Protection purchased');
    },
    'domains/modify-privacy-protection': (p) => {
      const order = liveOrder(p.req('order-id'));
      const enable = p.req('protect-privacy');
      p.req('reason');
      if (!privacyAllowed(order.domain)) throw new ApiError('Privacy Protection Service not available.');
      if (!order.privacyPurchased) throw new ApiError('Privacy Protection not Purchased');
      order.privacy = truthy(enable);
      return action(order, 'ModPrivacyProtection', `Modification of Privacy Protection of ${order.domain}`, 'Privacy Protection modified');
    },
    'domains/modify-contact': (p) => {
      const order = liveOrder(p.req('order-id'));
      const next = { reg: p.req('reg-contact-id'), admin: p.req('admin-contact-id'), tech: p.req('tech-contact-id'), billing: p.req('billing-contact-id') };
      for (const [role, cid] of Object.entries(next)) if (cid !== '-1') ownContact(cid, order.customerId, role === 'reg' ? 'registrantcontactid' : `${role}contactid`);
      if (JSON.stringify(next) === JSON.stringify(order.contacts)) throw new ApiError('The Contacts selected are the same as the existing contacts');
      order.contacts = next;
      return action(order, 'ModContact', `Modification of Contact Details of ${order.domain}`, 'Contact details modified');
    },
    'customers/details': (p) => {
      const username = p.req('username').toLowerCase();
      const c = [...state.customers.values()].find((x) => x.username === username);
      if (!c) throw new ApiError(`Customer ${username} not found`); // UNCONFIRMED wording
      return customerOut(c);
    },
    'customers/details-by-id': (p) => {
      const c = state.customers.get(p.req('customer-id'));
      if (!c) throw new ApiError(`Customer ${p.req('customer-id')} not found`);
      return customerOut(c);
    },
    'customers/signup': (p) => {
      const username = p.req('username').toLowerCase();
      const passwd = p.req('passwd');
      if (passwd.length < 8) throw new ApiError('{passwd=Password should be between 8 and 15 characters}');
      if ([...state.customers.values()].some((x) => x.username === username)) throw new ApiError(`Email Address ${username} already exists`);
      const c: FakeLbCustomer = {
        id: id(), username, passwd, name: p.req('name'), company: p.req('company'), address1: p.req('address-line-1'), city: p.req('city'),
        state: p.req('state'), country: country(p.req('country')), zipcode: p.req('zipcode'), phoneCc: phonePart(p.req('phone-cc'), 1, 3, 'phone-cc'),
        phone: phonePart(p.req('phone'), 4, 12, 'phone'),
      };
      p.req('lang-pref');
      state.customers.set(c.id, c);
      return c.id;
    },
    'customers/search': (p) => {
      const size = Number(p.req('no-of-records'));
      const page = Number(p.req('page-no'));
      const all = [...state.customers.values()];
      const out: Record<string, unknown> = { recsindb: String(all.length), recsonpage: String(Math.min(size, Math.max(0, all.length - (page - 1) * size))) };
      all.slice((page - 1) * size, page * size).forEach((c, i) => {
        out[String(i + 1)] = { 'customer.customerid': c.id, 'customer.username': c.username, 'customer.name': c.name, 'customer.customerstatus': 'Active' };
      });
      return out;
    },
    'contacts/add': (p) => {
      const customerId = p.req('customer-id');
      if (!state.customers.has(customerId)) throw new ApiError(`Customer ${customerId} not found`);
      const c: FakeLbContact = { id: id(), customerId, type: p.req('type'), ...contactFields(p) };
      state.contacts.set(c.id, c);
      return c.id;
    },
    'contacts/details': (p) => {
      const c = state.contacts.get(p.req('contact-id'));
      if (!c) throw new ApiError(`Invalid contact-id: ${p.req('contact-id')}`);
      return contactOut(c);
    },
    'contacts/modify': (p) => {
      const c = state.contacts.get(p.req('contact-id'));
      if (!c) throw new ApiError(`Invalid contact-id: ${p.req('contact-id')}`);
      Object.assign(c, contactFields(p));
      return { entityid: c.id, actiontype: 'ModContactDetails', actiontypedesc: `Modification of Contact Details of ${c.name}`, actionstatus: 'Success', status: 'Success', actionstatusdesc: 'Contact details modified' };
    },
    'contacts/search': (p) => {
      const customerId = p.req('customer-id');
      const size = Number(p.req('no-of-records'));
      p.req('page-no');
      const f = (k: string) => p.opt(k)?.toLowerCase();
      const rows = [...state.contacts.values()].filter((c) => c.customerId === customerId
        && (!f('email') || c.email.toLowerCase() === f('email')) && (!f('name') || c.name.toLowerCase() === f('name'))
        && (!f('type') || c.type.toLowerCase() === f('type')));
      return {
        recsindb: String(rows.length), recsonpage: String(Math.min(rows.length, size)),
        result: rows.slice(0, size).map((c) => ({ 'entity.entityid': c.id, 'contact.name': c.name, 'contact.company': c.company, 'contact.emailaddr': c.email, 'contact.type': c.type, 'entity.currentstatus': 'Active', 'entity.customerid': c.customerId })),
      };
    },
  };

  function byName(domain: string): FakeLbOrder {
    const o = state.orders.get(domain.toLowerCase());
    if (!o) throw new ApiError(`Website doesn't exist for ${domain.toLowerCase()}`);
    return o;
  }
  function byId(orderId: string): FakeLbOrder {
    const o = [...state.orders.values()].find((x) => x.orderId === orderId);
    if (!o) throw new ApiError(`No Entity found for Entityid: ${orderId}`);
    return o;
  }
  function liveOrder(orderId: string): FakeLbOrder {
    const o = byId(orderId);
    if (gone(o) || o.transfer) throw new ApiError(`Invalid action status/action type for this operation on ${o.domain}`);
    return o;
  }
  function gone(o: FakeLbOrder): boolean {
    return o.currentStatus === 'Deleted' || o.currentStatus === 'Archived';
  }
  function privacyAllowed(domain: string): boolean {
    return !noPrivacy.has(domain.slice(domain.indexOf('.') + 1));
  }
  function orderParties(p: Params): { customerId: string; contacts: FakeLbOrder['contacts'] } {
    const customerId = p.req('customer-id');
    if (!state.customers.has(customerId)) throw new ApiError(`{customerid=Invalid customer-id ${customerId}}`);
    const contacts = { reg: p.req('reg-contact-id'), admin: p.req('admin-contact-id'), tech: p.req('tech-contact-id'), billing: p.req('billing-contact-id') };
    ownContact(contacts.reg, customerId, 'registrantcontactid');
    for (const role of ['admin', 'tech', 'billing'] as const) if (contacts[role] !== '-1') ownContact(contacts[role], customerId, `${role}contactid`);
    return { customerId, contacts };
  }
  function ownContact(contactId: string, customerId: string, field: string): void {
    if (state.contacts.get(contactId)?.customerId !== customerId) throw new ApiError(`{${field}=${field} is invalid}`);
  }
  function contactFields(p: Params) {
    const email = p.req('email');
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new ApiError('{email=email is invalid}');
    return {
      name: p.req('name'), company: p.req('company'), email, address1: p.req('address-line-1'), address2: p.opt('address-line-2') ?? '',
      city: p.req('city'), state: p.opt('state') ?? '', country: country(p.req('country')), zipcode: p.req('zipcode'),
      phoneCc: phonePart(p.req('phone-cc'), 1, 3, 'phone-cc'), phone: phonePart(p.req('phone'), 4, 12, 'phone'),
    };
  }
  function details(o: FakeLbOrder, options: string[]): Record<string, unknown> {
    if (!options.length) throw new ApiError('Required parameter missing: options');
    const has = (k: string) => options.includes('All') || options.includes(k);
    const out: Record<string, unknown> = {
      orderid: o.orderId, entityid: o.orderId, description: o.domain, domainname: o.domain, currentstatus: o.currentStatus,
      customerid: o.customerId, classkey: 'domcno', productkey: 'domcno', productcategory: 'domorder', isImmediateReseller: 'true',
      classname: 'com.logicboxes.foundation.sfnb.order.domorder.DomCno',
    };
    if (o.transfer) {
      Object.assign(out, { actiontype: 'AddTransferDomain', actiontypedesc: `Transfer of ${o.domain} from old Registrar alongwith 1 year Renewal`, actionstatus: o.transfer.status === 'failed' ? 'Failed' : 'PendingExecution', actionstatusdesc: o.transfer.message, eaqid: '514034683' });
    }
    if (has('OrderDetails')) {
      Object.assign(out, {
        creationtime: String(o.creation), ...(o.expiry !== null ? { endtime: String(o.expiry) } : {}), domsecret: o.authCode,
        isprivacyprotected: String(o.privacy), privacyprotectedallowed: String(privacyAllowed(o.domain)),
        ...(o.privacyPurchased && o.expiry ? { privacyprotectendtime: String(o.expiry) } : {}), raaVerificationStatus: 'Verified', recurring: 'false',
      });
    }
    if (has('OrderDetails') || has('DomainStatus')) Object.assign(out, { orderstatus: o.locked ? ['transferlock'] : [], domainstatus: [] });
    if (has('NsDetails')) {
      out.noOfNameServers = String(o.ns.length);
      o.ns.forEach((n, i) => { out[`ns${i + 1}`] = n; });
      out.cns = {};
    }
    if (has('ContactIds')) Object.assign(out, { registrantcontactid: o.contacts.reg, admincontactid: o.contacts.admin, techcontactid: o.contacts.tech, billingcontactid: o.contacts.billing });
    const roles: Array<[string, string]> = [['RegistrantContactDetails', 'reg'], ['AdminContactDetails', 'admin'], ['TechContactDetails', 'tech'], ['BillingContactDetails', 'billing']];
    for (const [opt, role] of roles) {
      const c = state.contacts.get(o.contacts[role as keyof FakeLbOrder['contacts']]);
      if (has(opt) && c) out[`${role === 'reg' ? 'registrant' : role}contact`] = contactOut(c);
    }
    return out;
  }
  function action(o: FakeLbOrder, type: string, desc: string, statusDesc: string) {
    return {
      actiontypedesc: desc, unutilisedsellingamount: '-14.990', sellingamount: '-14.990', entityid: o.orderId, actionstatus: 'Success',
      status: 'Success', eaqid: String(514000000 + nextId), customerid: o.customerId, description: o.domain, actiontype: type,
      invoiceid: String(86600000 + nextId), sellingcurrencysymbol: 'USD', actionstatusdesc: statusDesc,
    };
  }
  function customerOut(c: FakeLbCustomer) {
    return {
      customerid: c.id, username: c.username, resellerid: resellerId, name: c.name, company: c.company, address1: c.address1, city: c.city,
      state: c.state, country: c.country, zip: c.zipcode, telnocc: c.phoneCc, telno: c.phone, langpref: 'en', customerstatus: 'Active',
    };
  }
  function contactOut(c: FakeLbContact) {
    return {
      contactid: c.id, entityid: c.id, customerid: c.customerId, type: c.type, contacttype: [], contactstatus: 'Active', name: c.name,
      company: c.company, emailaddr: c.email, address1: c.address1, ...(c.address2 ? { address2: c.address2 } : {}), city: c.city,
      ...(c.state ? { state: c.state } : {}), country: c.country, zip: c.zipcode, telnocc: c.phoneCc, telno: c.phone,
    };
  }

  /** The customer with this username and a contact of theirs, both created when missing. */
  function customerWithContact(email: string): { customer: FakeLbCustomer; contact: FakeLbContact } {
    let c = [...state.customers.values()].find((x) => x.username === email);
    if (!c) {
      c = { id: id(), username: email, passwd: 'Secret-123', name: 'Existing Customer', company: 'N/A', address1: '1 High Street', city: 'London', state: 'Not Applicable', country: 'GB', zipcode: 'N1 1AA', phoneCc: '44', phone: '2071234567' };
      state.customers.set(c.id, c);
    }
    const customerId = c.id;
    let contact = [...state.contacts.values()].find((x) => x.customerId === customerId);
    if (!contact) {
      contact = { id: id(), customerId, type: 'Contact', name: c.name, company: c.company, email, address1: c.address1, address2: '', city: c.city, state: c.state, country: c.country, zipcode: c.zipcode, phoneCc: c.phoneCc, phone: c.phone };
      state.contacts.set(contact.id, contact);
    }
    return { customer: c, contact };
  }

  const server = http.createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = req.method === 'POST' ? await readBody(req) : '';
    const q = new URLSearchParams(url.search);
    for (const [k, v] of new URLSearchParams(body)) q.append(k, v);
    const path = key(url.pathname);
    calls.push({ path, method: req.method ?? 'GET', params: flatten(q), queryKeys: [...new Set(url.searchParams.keys())] });
    const send = (status: number, payload: string, type = 'application/json;charset=UTF-8') => {
      const delay = delays.get(path)?.shift();
      const write = () => { if (!res.destroyed) { res.writeHead(status, { 'content-type': type }); res.end(payload); } };
      if (!delay) return write();
      const t = setTimeout(() => { timers.delete(t); write(); }, delay);
      timers.add(t);
    };
    if (!url.pathname.startsWith('/api/') || !url.pathname.endsWith('.json')) return send(404, '<html><body><h1>404 Not Found</h1></body></html>', 'text/html');
    const failure = failures.get(path)?.shift();
    if (failure) {
      return failure.message === undefined
        ? send(failure.status, `<html><head><title>${failure.status}</title></head><body><h1>${failure.status} Service Unavailable</h1></body></html>`, 'text/html')
        : failure.as === 'failed-action'
          ? send(failure.status, JSON.stringify({ actiontypedesc: path, actionstatus: 'Failed', status: 'Failed', actionstatusdesc: failure.message }))
          : send(failure.status, JSON.stringify({ status: 'ERROR', message: failure.message }));
    }
    if (q.get('auth-userid') !== resellerId || q.get('api-key') !== apiKey) return send(errorStatus, JSON.stringify({ status: 'ERROR', message: AUTH_ERROR }));
    const handler = handlers[path];
    if (!handler) return send(404, '<html><body><h1>404 Not Found</h1></body></html>', 'text/html');
    const wanted = GETS.has(path) ? 'GET' : 'POST';
    if (req.method !== wanted) return send(405, JSON.stringify({ status: 'ERROR', message: `HTTP method ${req.method} is not supported by ${path}; use ${wanted}` }));
    try {
      const out = handler(params(q));
      send(200, typeof out === 'string' ? out : JSON.stringify(out));
    } catch (e) {
      if (!(e instanceof ApiError)) return send(500, `<html><body><h1>500 Internal Server Error</h1><pre>${String(e)}</pre></body></html>`, 'text/html');
      send(errorStatus, JSON.stringify({ status: 'ERROR', message: e.message }));
    }
  }

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/api`,
    resellerId,
    apiKey,
    state,
    calls,
    callsTo: (path) => calls.filter((c) => c.path === key(path)),
    failNext: (path, answer) => failures.set(key(path), [...(failures.get(key(path)) ?? []), answer]),
    delayNext: (path, ms) => delays.set(key(path), [...(delays.get(key(path)) ?? []), ms]),
    registered(domain, o = {}) {
      const code = o.authCode ?? authCode();
      const created = nowS() - 400 * 86400;
      state.elsewhere.set(domain.toLowerCase(), { authCode: code, creation: created, expiry: o.expiry ? dateEpoch(o.expiry) : addYears(created, 2) });
      return code;
    },
    own(domain, o) {
      const { customer, contact } = customerWithContact((o.customerEmail ?? 'existing@example.net').toLowerCase());
      const order: FakeLbOrder = {
        orderId: id(), domain: domain.toLowerCase(), customerId: customer.id, years: 1, ns: o.ns ?? ['ns1.example.net', 'ns2.example.net'],
        creation: o.registered ? dateEpoch(o.registered) : nowS() - 200 * 86400, expiry: dateEpoch(o.expiry), locked: o.locked ?? true,
        privacy: o.privacy ?? false, privacyPurchased: o.privacy ?? false, authCode: o.authCode ?? authCode(),
        contacts: { reg: contact.id, admin: contact.id, tech: contact.id, billing: contact.id }, currentStatus: o.status ?? 'Active', transfer: null,
      };
      state.orders.set(order.domain, order);
      return order;
    },
    completeTransfer(domain) {
      const o = byName(domain);
      const held = state.elsewhere.get(o.domain);
      o.transfer = null;
      o.currentStatus = 'Active';
      o.locked = true;
      o.creation = held?.creation ?? o.creation;
      o.expiry = addYears(held?.expiry ?? nowS(), 1);
      state.elsewhere.delete(o.domain);
    },
    failTransfer(domain, message) {
      const o = byName(domain);
      o.transfer = { status: 'failed', message };
    },
    transferAway(domain) {
      const o = byName(domain);
      o.currentStatus = 'Deleted';
      state.elsewhere.set(o.domain, { authCode: authCode(), creation: o.creation, expiry: o.expiry ?? addYears(nowS(), 1) });
    },
    setExpiry(domain, date) {
      byName(domain).expiry = dateEpoch(date);
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Params { req(k: string): string; opt(k: string): string | undefined; all(k: string): string[] }

function params(q: URLSearchParams): Params {
  return {
    req(k) {
      const v = q.get(k);
      if (v === null || v.trim() === '') throw new ApiError(`Required parameter missing: ${k}`); // UNCONFIRMED wording
      return v.trim();
    },
    opt: (k) => q.get(k)?.trim() || undefined,
    all: (k) => q.getAll(k).map((v) => v.trim()).filter(Boolean),
  };
}

function flatten(q: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const k of new Set(q.keys())) {
    const all = q.getAll(k);
    out[k] = all.length > 1 ? all : all[0];
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function yearsOf(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 10) throw new ApiError(`Invalid number of years: ${v}`);
  return n;
}

function nameservers(ns: string[]): string[] {
  if (ns.length > 13) throw new ApiError('Maximum 13 NameServers allowed');
  for (const n of ns) if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i.test(n)) throw new ApiError(`Invalid NameServer: ${n}`);
  return ns.map((n) => n.toLowerCase());
}

function country(v: string): string {
  if (!/^[A-Z]{2}$/.test(v)) throw new ApiError('{country=country is invalid}');
  return v;
}

function phonePart(v: string, min: number, max: number, field: string): string {
  if (!new RegExp(`^\\d{${min},${max}}$`).test(v)) throw new ApiError(`{${field}=${field} is invalid}`);
  return v;
}

const truthy = (v: string | undefined) => v === 'true' || v === '1';
const authCode = () => randomBytes(8).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 5) + '-' + randomBytes(8).toString('hex').slice(0, 5);
const day = (epoch: number) => new Date(epoch * 1000).toISOString().slice(0, 10);
/** A registry expiry keeps the time of day of the registration; 10:30:00 UTC for the ones the tests set by date. */
const dateEpoch = (date: string) => Math.floor(Date.parse(`${date}T10:30:00Z`) / 1000);

function addYears(epoch: number, years: number): number {
  const d = new Date(epoch * 1000);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return Math.floor(d.getTime() / 1000);
}
