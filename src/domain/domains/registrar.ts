/**
 * What Meridian asks of a registrar. A module (src/integrations/domains/<code>.ts) speaks one registrar's API and
 * answers in these terms; the domain services never see the registrar's wire format. Every call answers a
 * RegistrarResult instead of throwing: `transient` failures (timeouts, 5xx, the API saying "try later") are retried by
 * the job queue, the others are the registrar's final word and its message is shown to staff and the customer as is.
 *
 * Names are always lower-case A-labels (punycode) without a trailing dot; dates are 'YYYY-MM-DD' (UTC day).
 */

export type RegistrarFailure =
  /** Could not reach the API, or no answer in time: the request may or may not have been carried out. */
  | 'unreachable'
  /** Credentials refused or the caller's IP not allowed. */
  | 'auth'
  /** The registrar refused the request (wrong EPP code, name taken, invalid contact, insufficient funds …). */
  | 'rejected'
  /** The domain is not in this account at the registrar. */
  | 'not_found'
  /** The registrar or this module does not offer the operation (for this TLD). */
  | 'unsupported';

export type RegistrarResult<T> =
  | ({ ok: true } & T)
  | { ok: false; failure: RegistrarFailure; message: string; transient: boolean };

/** The registrant (and admin/tech/billing) contact, from the client's profile. */
export interface RegistrarContact {
  firstName: string;
  lastName: string;
  companyName: string | null;
  email: string;
  /** As the client typed it; modules format it for their API (e.g. +44.2071234567). */
  phone: string;
  address1: string;
  address2: string | null;
  city: string;
  state: string;
  postcode: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
}

/** The state of a domain as the registrar has it. */
export interface RegistrarDomainInfo {
  domain: string;
  /** The registrar's own id for the domain (order id, domain id). */
  registrarRef: string;
  /**
   * active — registered and in this account; pending — being registered; pending_transfer — a transfer in is under
   * way; transfer_failed — a transfer in was refused or cancelled (message says why); expired — past expiry (grace or
   * redemption at the registry); transferred_away — moved to another registrar.
   */
  status: 'active' | 'pending' | 'pending_transfer' | 'transfer_failed' | 'expired' | 'transferred_away';
  expiryDate: string | null;
  registrationDate: string | null;
  nameservers: string[];
  locked: boolean;
  idProtection: boolean;
  /** Why, when status is transfer_failed (the registrar's words). */
  message?: string | null;
}

export interface RegisterRequest {
  domain: string;
  years: number;
  nameservers: string[];
  contact: RegistrarContact;
  idProtection: boolean;
  /** Meridian's client id: modules that keep a customer record per client use it to find or create it. */
  clientId: number;
}

export interface TransferRequest extends RegisterRequest {
  eppCode: string;
}

export interface RenewRequest {
  domain: string;
  registrarRef: string | null;
  years: number;
  /**
   * The expiry date Meridian believes the domain has before this renewal. Modules pass it where the API guards
   * renewals with it (LogicBoxes' exp-date), so a renewal retried after its answer was lost is refused, not doubled.
   */
  currentExpiry: string | null;
}

export interface Registrar {
  /** Module code, as in DomainProduct.registrar and Domain.registrar ('logicboxes', 'manual'). */
  readonly code: string;
  /** A person's name for the module, for the admin. */
  readonly label: string;
  /** True when the module registers nothing itself (the manual registrar: staff do it and a to-do says so). */
  readonly manual: boolean;

  /** Credentials and reachability, for the admin's "Test connection". */
  testConnection(): Promise<RegistrarResult<{ message: string }>>;
  checkAvailability(domains: string[]): Promise<RegistrarResult<{ results: Array<{ domain: string; available: boolean; premium?: boolean }> }>>;
  register(r: RegisterRequest): Promise<RegistrarResult<{ registrarRef: string; expiryDate: string | null }>>;
  transfer(r: TransferRequest): Promise<RegistrarResult<{ registrarRef: string }>>;
  renew(r: RenewRequest): Promise<RegistrarResult<{ expiryDate: string }>>;
  /** The domain as the registrar has it; failure 'not_found' when it is not in this account. */
  info(domain: string, registrarRef: string | null): Promise<RegistrarResult<{ info: RegistrarDomainInfo }>>;
  setNameservers(domain: string, registrarRef: string | null, nameservers: string[]): Promise<RegistrarResult<object>>;
  getContact(domain: string, registrarRef: string | null): Promise<RegistrarResult<{ contact: RegistrarContact }>>;
  setContact(domain: string, registrarRef: string | null, contact: RegistrarContact): Promise<RegistrarResult<object>>;
  setLock(domain: string, registrarRef: string | null, locked: boolean): Promise<RegistrarResult<object>>;
  getEppCode(domain: string, registrarRef: string | null): Promise<RegistrarResult<{ eppCode: string }>>;
  setIdProtection(domain: string, registrarRef: string | null, enabled: boolean): Promise<RegistrarResult<object>>;
}

export const registrarFailure = (failure: RegistrarFailure, message: string, transient = failure === 'unreachable'): { ok: false; failure: RegistrarFailure; message: string; transient: boolean } => ({
  ok: false,
  failure,
  message,
  transient,
});
