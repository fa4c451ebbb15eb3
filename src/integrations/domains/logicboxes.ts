import {
  registrarFailure, type Registrar, type RegistrarContact, type RegistrarResult, type RegisterRequest, type TransferRequest,
} from '../../domain/domains/registrar.js';
import { checkContact, contactFor, contactFromDetails, customerFor } from './logicboxes-contacts.js';
import { LogicBoxesHttp, type LogicBoxesFailure } from './logicboxes-http.js';
import { authCodeOf, dateToEpoch, epochToDate, infoFrom, orderIdOf, type Details } from './logicboxes-info.js';

/**
 * ResellerClub / LogicBoxes (also sold as many white-label resellers) over its HTTP API. One LogicBoxes customer per
 * client e-mail; the client's profile becomes one contact used for all four roles; orders are created with
 * invoice-option=NoInvoice because Meridian bills the client itself and the reseller account pays LogicBoxes.
 */
export interface LogicBoxesConfig {
  resellerId: string;
  apiKey: string;
  testMode: boolean;
  /** Overrides the API root (tests point it at the fake); availability checks then go there too. */
  apiBase?: string;
  timeoutMs?: number;
}

const LIVE = 'https://httpapi.com/api';
const TEST = 'https://test.httpapi.com/api';
const LIVE_CHECK = 'https://domaincheck.httpapi.com/api';
const LABEL = 'ResellerClub / LogicBoxes';

type Fail = LogicBoxesFailure;
type Ok<T> = { ok: true } & T;

export function logicBoxesRegistrar(config: LogicBoxesConfig): Registrar {
  const apiBase = (config.apiBase ?? (config.testMode ? TEST : LIVE)).replace(/\/+$/, '');
  const api = new LogicBoxesHttp({
    apiBase,
    availabilityBase: config.apiBase ? apiBase : config.testMode ? TEST : LIVE_CHECK,
    resellerId: config.resellerId,
    apiKey: config.apiKey,
    timeoutMs: config.timeoutMs ?? 30_000,
  });

  /** The order's details, by order id when Meridian knows it, else by name. */
  async function details(domain: string, ref: string | null, options: string[]): Promise<Ok<{ d: Details }> | Fail> {
    const r = ref
      ? await api.get('domains/details', { 'order-id': ref, options })
      : await api.get('domains/details-by-name', { 'domain-name': domain, options });
    if (!r.ok) return r.failure === 'not_found' ? notInAccount(domain, r.message) : r;
    return { ok: true, d: (r.data ?? {}) as Details };
  }

  async function orderId(domain: string, ref: string | null): Promise<Ok<{ id: string }> | Fail> {
    if (ref) return { ok: true, id: ref };
    const r = await api.get('domains/orderid', { 'domain-name': domain });
    if (!r.ok) return r.failure === 'not_found' ? notInAccount(domain, r.message) : r;
    return /^\d+$/.test(String(r.data)) ? { ok: true, id: String(r.data) } : notInAccount(domain, String(r.data));
  }

  /** Customer and contact for a new order (register or transfer). */
  async function parties(contact: RegistrarContact): Promise<Ok<{ customerId: string; contactId: string }> | Fail> {
    const checked = checkContact(contact);
    if (!checked.ok) return checked;
    const customer = await customerFor(api, contact, checked.phone);
    if (!customer.ok) return customer;
    const c = await contactFor(api, customer.customerId, contact, checked.phone);
    return c.ok ? { ok: true, customerId: customer.customerId, contactId: c.contactId } : c;
  }

  /**
   * After a refusal that may mean "you already did this" (our earlier request went through but its answer was lost),
   * the order in our account for the same customer is the answer to give.
   */
  async function earlierOrder(domain: string, customerId: string, transfer: boolean): Promise<Details | null> {
    const r = await api.get('domains/details-by-name', { 'domain-name': domain, options: ['OrderDetails'] });
    if (!r.ok) return null;
    const d = r.data as Details;
    if (String(d.customerid ?? '') !== customerId) return null;
    const isTransfer = String(d.actiontype ?? '') === 'AddTransferDomain';
    if (transfer ? !isTransfer || /fail|cancel/i.test(String(d.actionstatus ?? '')) : String(d.currentstatus) !== 'Active') return null;
    return d;
  }

  function newOrderParams(r: RegisterRequest, customerId: string, contactId: string) {
    return {
      'domain-name': r.domain,
      ns: r.nameservers.map((n) => n.toLowerCase()),
      'customer-id': customerId,
      'reg-contact-id': contactId,
      'admin-contact-id': contactId,
      'tech-contact-id': contactId,
      'billing-contact-id': contactId,
      'invoice-option': 'NoInvoice',
      // Older API versions read protect-privacy, newer ones purchase-privacy; both are accepted.
      'protect-privacy': r.idProtection,
      'purchase-privacy': r.idProtection,
    };
  }

  const registrar: Registrar = {
    code: 'logicboxes',
    label: LABEL,
    manual: false,

    async testConnection() {
      const r = await api.get('customers/search', { 'no-of-records': 10, 'page-no': 1 });
      if (!r.ok) return r;
      const total = Number((r.data as Details)?.recsindb ?? 0);
      const env = config.apiBase ? apiBase : config.testMode ? 'the test environment' : 'the live environment';
      return { ok: true, message: `Connected to ${LABEL} (${env}) as reseller ${config.resellerId}; ${total} customer${total === 1 ? '' : 's'} in the account.` };
    },

    async checkAvailability(domains) {
      const byTld = new Map<string, string[]>();
      for (const name of domains) {
        const dot = name.indexOf('.');
        if (dot < 1) return registrarFailure('rejected', `'${name}' is not a full domain name.`);
        const tld = name.slice(dot + 1);
        byTld.set(tld, [...(byTld.get(tld) ?? []), name.slice(0, dot)]);
      }
      const answers: Details = {};
      for (const [tld, slds] of byTld) {
        const r = await api.get('domains/available', { 'domain-name': slds, tlds: [tld] });
        if (!r.ok) return r;
        Object.assign(answers, r.data as Details);
      }
      const results = domains.map((domain) => {
        const a = (answers[domain] ?? {}) as Details;
        return { domain, available: a.status === 'available', ...(a.costHash ? { premium: true } : {}) };
      });
      return { ok: true, results };
    },

    async register(r) {
      const who = await parties(r.contact);
      if (!who.ok) return who;
      const placed = await api.post('domains/register', { ...newOrderParams(r, who.customerId, who.contactId), years: r.years });
      let ref: string;
      if (placed.ok) ref = String((placed.data as Details).entityid ?? '');
      else {
        const earlier = /already/i.test(placed.message) ? await earlierOrder(r.domain, who.customerId, false) : null;
        if (!earlier) return placed;
        ref = orderIdOf(earlier);
      }
      const read = await details(r.domain, ref || null, ['OrderDetails']);
      if (!ref && read.ok) ref = orderIdOf(read.d);
      if (!ref) return registrarFailure('unreachable', `${LABEL} accepted the registration of ${r.domain} but gave no order id; check the order in the LogicBoxes panel.`, true);
      return { ok: true, registrarRef: ref, expiryDate: read.ok ? epochToDate(read.d.endtime) : null };
    },

    async transfer(r: TransferRequest) {
      const who = await parties(r.contact);
      if (!who.ok) return who;
      const placed = await api.post('domains/transfer', { ...newOrderParams(r, who.customerId, who.contactId), 'auth-code': r.eppCode });
      if (!placed.ok && (placed.failure === 'auth' || placed.failure === 'unreachable')) return placed;
      const ref = placed.ok ? String((placed.data as Details).entityid ?? '') : '';
      if (ref) return { ok: true, registrarRef: ref };
      // A retried transfer is refused as a duplicate; the order our first attempt placed is the answer.
      const earlier = await earlierOrder(r.domain, who.customerId, true);
      if (earlier) return { ok: true, registrarRef: orderIdOf(earlier) };
      return placed.ok ? registrarFailure('unreachable', `${LABEL} accepted the transfer of ${r.domain} but gave no order id.`, true) : placed;
    },

    async renew(r) {
      const id = await orderId(r.domain, r.registrarRef);
      if (!id.ok) return id;
      const before = await details(r.domain, id.id, ['OrderDetails']);
      if (!before.ok) return before;
      const endtime = Number(before.d.endtime);
      if (!endtime) return registrarFailure('rejected', `${LABEL} did not give the current expiry date of ${r.domain}, so it cannot be renewed safely.`);
      // exp-date is LogicBoxes' guard against double renewals: it must be the order's current expiry. Send the
      // registrar's exact value when it agrees with Meridian's date, else Meridian's date, which the API refuses.
      const expDate = !r.currentExpiry || epochToDate(endtime) === r.currentExpiry ? endtime : dateToEpoch(r.currentExpiry);
      const renewed = await api.post('domains/renew', { 'order-id': id.id, years: r.years, 'exp-date': expDate, 'invoice-option': 'NoInvoice' });
      if (!renewed.ok) return renewed;
      const after = await details(r.domain, id.id, ['OrderDetails']);
      const expiryDate = (after.ok ? epochToDate(after.d.endtime) : null) ?? addYears(epochToDate(endtime)!, r.years);
      return { ok: true, expiryDate };
    },

    async info(domain, ref) {
      const r = await details(domain, ref, ['All']);
      return r.ok ? { ok: true, info: infoFrom(domain, r.d, Date.now()) } : r;
    },

    async setNameservers(domain, ref, nameservers) {
      const id = await orderId(domain, ref);
      if (!id.ok) return id;
      const r = await api.post('domains/modify-ns', { 'order-id': id.id, ns: nameservers.map((n) => n.toLowerCase()) });
      return r.ok || /same value/i.test(r.message) ? { ok: true } : r;
    },

    async getContact(domain, ref) {
      const d = await details(domain, ref, ['ContactIds']);
      if (!d.ok) return d;
      const contactId = String(d.d.registrantcontactid ?? '');
      if (!contactId || contactId === '-1') return registrarFailure('unsupported', `${LABEL} shows no registrant contact for ${domain}.`);
      const c = await api.get('contacts/details', { 'contact-id': contactId });
      return c.ok ? { ok: true, contact: contactFromDetails(c.data as Details) } : c;
    },

    async setContact(domain, ref, contact) {
      const checked = checkContact(contact);
      if (!checked.ok) return checked;
      const d = await details(domain, ref, ['ContactIds', 'OrderDetails']);
      if (!d.ok) return d;
      // The contact may be shared with the client's other domains, so the domain is pointed at a contact with the
      // new details instead of editing the shared one (which would change every domain using it).
      const c = await contactFor(api, String(d.d.customerid ?? ''), contact, checked.phone);
      if (!c.ok) return c;
      const role = (k: string) => (String(d.d[k] ?? '') === '-1' ? '-1' : c.contactId);
      const r = await api.post('domains/modify-contact', {
        'order-id': orderIdOf(d.d), 'reg-contact-id': c.contactId, 'admin-contact-id': role('admincontactid'),
        'tech-contact-id': role('techcontactid'), 'billing-contact-id': role('billingcontactid'),
      });
      return r.ok || /same as the existing/i.test(r.message) ? { ok: true } : r;
    },

    async setLock(domain, ref, locked) {
      const id = await orderId(domain, ref);
      if (!id.ok) return id;
      const r = await api.post(locked ? 'domains/enable-theft-protection' : 'domains/disable-theft-protection', { 'order-id': id.id });
      return r.ok || /already/i.test(r.message) ? { ok: true } : r;
    },

    async getEppCode(domain, ref) {
      const d = await details(domain, ref, ['OrderDetails']);
      if (!d.ok) return d;
      const code = authCodeOf(d.d);
      return code ? { ok: true, eppCode: code } : registrarFailure('unsupported', `${LABEL} holds no EPP code for ${domain} (some endings, such as .uk, transfer by tag instead).`);
    },

    async setIdProtection(domain, ref, enabled) {
      const d = await details(domain, ref, ['OrderDetails']);
      if (!d.ok) return d;
      if (String(d.d.privacyprotectedallowed ?? 'true') === 'false') {
        return registrarFailure('unsupported', `${LABEL} offers no privacy protection for ${domain}.`);
      }
      const id = orderIdOf(d.d);
      const purchased = Number(d.d.privacyprotectendtime ?? 0) * 1000 > Date.now();
      // Privacy is a purchased add-on; buying it switches it on, after that it is toggled.
      const r = enabled && !purchased
        ? await api.post('domains/purchase-privacy', { 'order-id': id, 'invoice-option': 'NoInvoice' })
        : await api.post('domains/modify-privacy-protection', { 'order-id': id, 'protect-privacy': enabled, reason: enabled ? 'Customer asked for ID protection' : 'Customer turned ID protection off' });
      return r.ok || /already/i.test(r.message) ? { ok: true } : r;
    },
  };
  return registrar;

  function notInAccount(domain: string, said: string): Fail {
    return { ok: false, failure: 'not_found', message: `${domain} is not in this ${LABEL} account (the registrar said: ${said}).`, transient: false };
  }
}

function addYears(date: string, years: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
}
