import { inTransaction } from '../../db/transaction.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import { requestProvisioning } from '../provisioning/requests.js';
import type { JobOutcome, ProvisioningWorker } from '../provisioning/worker.js';
import type { DomainJobDeps } from './jobs.js';
import type { Registrar, RegistrarResult } from './registrar.js';
import { addYears } from './manual-registrar.js';
import { contactOf, loadDomain, parseNameservers, type DomainRow } from './registration-data.js';
import { invoiceDomainRenewal } from './renewal-invoice.js';
import { syncDomain } from './sync.js';
import { findDomainProduct } from './pricing.js';

/** Who asks: staff (adminId) or a client, who may only touch their own domains. */
export interface Requester {
  clientId?: number | null;
  adminId?: number | null;
}

type Message = Outcome<{ message: string }>;
/** A registrar job run for staff, answered as ProvisioningService answers panel jobs: the job says how it ended. */
type JobMessage = Outcome<{ message: string; job: JobOutcome | null }>;
const MANAGED = ['active', 'grace', 'redemption'];

/**
 * Everything staff and clients do to a domain after ordering it — the admin's actions and the client area's domain
 * page call these, so each exists once. Registrar changes (nameservers, lock, privacy, EPP code) are made at the
 * registrar first and recorded here only when it says yes; register, transfer and renew go through the job queue.
 */
export class DomainService {
  constructor(private readonly deps: DomainJobDeps & { worker: ProvisioningWorker }) {}

  private async mine(domainId: number, who: Requester): Promise<Outcome<{ domain: DomainRow }>> {
    const d = await loadDomain(this.deps.ds, domainId);
    if (!d || (who.clientId && d.clientId !== who.clientId)) return fail('domain_not_found', 'There is no such domain on your account.');
    return succeed({ domain: d });
  }

  /** The domain, its registrar, and a refusal when it is not registered with us now. */
  private async managed(domainId: number, who: Requester): Promise<Outcome<{ domain: DomainRow; registrar: Registrar }>> {
    const found = await this.mine(domainId, who);
    if (!found.ok) return found;
    const d = found.domain;
    if (!MANAGED.includes(d.status)) return fail('not_active', `${d.domainName} is ${d.status.replace('_', ' ')}; it can be managed once it is active.`);
    const r = await this.deps.registrars.forDomain(d);
    if (!r.ok) return r;
    return succeed({ domain: d, registrar: r.registrar });
  }

  private answer<T extends object>(r: RegistrarResult<T>, d: DomainRow, then: (x: T) => Promise<string> | string): Promise<Message> | Message {
    if (!r.ok) return fail(`registrar_${r.failure}`, r.transient ? `The registrar did not answer for ${d.domainName}; nothing was changed. Try again in a minute.` : `The registrar refused: ${r.message}`);
    return Promise.resolve(then(r as T)).then((message) => succeed({ message }));
  }

  async setNameservers(domainId: number, input: string | string[], who: Requester): Promise<Message> {
    const ns = parseNameservers(input);
    if (!ns.ok) return ns;
    const found = await this.managed(domainId, who);
    if (!found.ok) return found;
    const { domain: d, registrar } = found;
    const r = await registrar.setNameservers(d.domainName, d.registrarRef, ns.nameservers);
    return this.answer(r, d, async () => {
      await this.deps.ds.getRepository('Domain').update({ id: d.id }, { nameservers: ns.nameservers });
      return registrar.manual ? `Staff will set the nameservers of ${d.domainName} to ${ns.nameservers.join(', ')}.` : `Nameservers of ${d.domainName} set to ${ns.nameservers.join(', ')}.`;
    });
  }

  async setLock(domainId: number, locked: boolean, who: Requester): Promise<Message> {
    const found = await this.managed(domainId, who);
    if (!found.ok) return found;
    const { domain: d, registrar } = found;
    const r = await registrar.setLock(d.domainName, d.registrarRef, locked);
    return this.answer(r, d, async () => {
      await this.deps.ds.getRepository('Domain').update({ id: d.id }, { registrarLock: locked });
      return `${d.domainName} is ${locked ? 'locked: it cannot be transferred away' : 'unlocked: it can be transferred away with its EPP code'}.`;
    });
  }

  async setIdProtection(domainId: number, enabled: boolean, who: Requester): Promise<Message> {
    const found = await this.managed(domainId, who);
    if (!found.ok) return found;
    const { domain: d, registrar } = found;
    const r = await registrar.setIdProtection(d.domainName, d.registrarRef, enabled);
    return this.answer(r, d, async () => {
      await this.deps.ds.getRepository('Domain').update({ id: d.id }, { idProtection: enabled });
      return `ID protection is ${enabled ? 'on' : 'off'} for ${d.domainName}.`;
    });
  }

  /**
   * The transfer code, read from the registrar each time (it may have been changed there) and shown once to whoever
   * asked; it is not kept. A manual domain answers the code staff stored on it, if any.
   */
  async getEppCode(domainId: number, who: Requester): Promise<Outcome<{ eppCode: string; message: string }>> {
    const found = await this.managed(domainId, who);
    if (!found.ok) return found;
    const { domain: d, registrar } = found;
    if (registrar.manual) {
      return d.eppCode ? succeed({ eppCode: d.eppCode, message: `EPP code of ${d.domainName}.` }) : fail('epp_unavailable', `The EPP code of ${d.domainName} is issued by staff; open a ticket and we will send it.`);
    }
    const r = await registrar.getEppCode(d.domainName, d.registrarRef);
    if (!r.ok) return fail(`registrar_${r.failure}`, r.transient ? 'The registrar did not answer; try again in a minute.' : `The registrar refused: ${r.message}`);
    return succeed({ eppCode: r.eppCode, message: `EPP code of ${d.domainName}.` });
  }

  /**
   * Sends the client's current profile (name, address, email, phone) to the registrar as the domain's registrant,
   * after the client changed it or moved house. The profile is checked first: registries refuse incomplete contacts.
   */
  async updateContact(domainId: number, who: Requester): Promise<Message> {
    const found = await this.managed(domainId, who);
    if (!found.ok) return found;
    const { domain: d, registrar } = found;
    const profile = await contactOf(this.deps.ds, d.clientId);
    if (!profile.ok) return profile;
    const r = await registrar.setContact(d.domainName, d.registrarRef, profile.contact);
    return this.answer(r, d, () => `The registrant contact of ${d.domainName} is now ${profile.contact.firstName} ${profile.contact.lastName}, ${profile.contact.email}.`);
  }

  /** Staff's check of a TLD's registrar settings: the module answers with a cheap authenticated call. */
  async testRegistrar(code: string | null): Promise<Message> {
    const found = await this.deps.registrars.forCode(code);
    if (!found.ok) return found;
    const r = await found.registrar.testConnection();
    return r.ok ? succeed({ message: `${found.registrar.label}: ${r.message}` }) : fail(`registrar_${r.failure}`, `${found.registrar.label}: ${r.message}`);
  }

  /** Auto-renew is Meridian's own: whether the renewal run invoices the domain before it expires. */
  async setAutoRenew(domainId: number, on: boolean, who: Requester): Promise<Message> {
    const found = await this.mine(domainId, who);
    if (!found.ok) return found;
    await this.deps.ds.getRepository('Domain').update({ id: domainId }, { autoRenew: on });
    return succeed({ message: `Auto-renew is ${on ? 'on: a renewal invoice is sent before it expires' : 'off: renew it yourself before it expires'} for ${found.domain.domainName}.` });
  }

  async sync(domainId: number): Promise<Message> {
    const out = await syncDomain(this.deps, domainId);
    if (!out.ok) return out;
    return succeed({ message: out.changes.length ? `Synced: ${out.changes.join('; ')}.` : `${out.domainName} agrees with the registrar.` });
  }

  /** The client's Renew: an invoice for the years chosen (see invoiceDomainRenewal). */
  renewalInvoice(domainId: number, years: number, who: Requester) {
    return invoiceDomainRenewal(this.deps.ds, { domainId, clientId: who.clientId ?? null, years, today: this.deps.today() });
  }

  /** Staff's Register / Transfer of a pending domain (the order's job if it exists; else a new one), run now. */
  async registerNow(domainId: number, who: Requester & { eppCode?: string | null }): Promise<JobMessage> {
    const d = await loadDomain(this.deps.ds, domainId);
    if (!d) return fail('domain_not_found', `Domain #${domainId} does not exist.`);
    if (d.status !== 'pending') return fail('not_pending', `${d.domainName} is ${d.status.replace('_', ' ')}; only a pending domain can be registered or transferred.`);
    const epp = who.eppCode?.trim();
    if (epp) await this.deps.ds.getRepository('Domain').update({ id: d.id }, { eppCode: epp.slice(0, 255), registrationType: 'transfer' });
    const action = epp || d.registrationType === 'transfer' ? 'domain_transfer' : 'domain_register';
    return this.queueAndRun(d, action, `${d.id}:staff:${this.deps.clock.now().getTime()}`, {}, who, action === 'domain_transfer' ? 'Transfer submitted' : 'Registered');
  }

  /** Staff's Renew at the registrar, without an invoice (already paid, or a goodwill year). */
  async renewNow(domainId: number, years: number, who: Requester): Promise<JobMessage> {
    if (!Number.isInteger(years) || years < 1 || years > 10) return fail('years_out_of_range', 'Renew for 1 to 10 years.', 'years');
    const found = await this.managed(domainId, who);
    if (!found.ok) return found;
    const d = found.domain;
    const out = await this.queueAndRun(d, 'domain_renew', `${d.id}:staff:${this.deps.clock.now().getTime()}`, { years, fromExpiry: d.expiryDate }, who, 'Renewed');
    // Not paid through an invoice: billing follows the new expiry when nothing was billed for the old one yet.
    const after = await loadDomain(this.deps.ds, d.id);
    if (out.ok && after && after.expiryDate !== d.expiryDate && d.nextDueDate === d.expiryDate && d.nextInvoiceDate === d.expiryDate) {
      await this.deps.ds.getRepository('Domain').update({ id: d.id }, { nextDueDate: after.expiryDate, nextInvoiceDate: after.expiryDate });
    }
    return out;
  }

  /** A domain registered by hand at the registrar: staff record it as active, billed from its expiry. */
  async markRegistered(domainId: number, expiryDate: string | null, who: Requester): Promise<Message> {
    const d = await loadDomain(this.deps.ds, domainId);
    if (!d) return fail('domain_not_found', `Domain #${domainId} does not exist.`);
    if (!['pending', 'pending_transfer'].includes(d.status)) return fail('not_pending', `${d.domainName} is already ${d.status}.`);
    const expiry = expiryDate?.trim() || addYears(this.deps.today(), d.registrationPeriod);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(expiry) || Number.isNaN(Date.parse(`${expiry}T00:00:00Z`))) return fail('invalid_date', 'Give the expiry date as YYYY-MM-DD.', 'expiryDate');
    if (expiry <= this.deps.today()) return fail('invalid_date', 'The expiry date must be in the future.', 'expiryDate');
    // Registered by hand, it still belongs to its TLD's registrar module when there is one: sync reads it from there.
    const product = await findDomainProduct(this.deps.ds, d.tld);
    await this.deps.ds.getRepository('Domain').update({ id: d.id }, { status: 'active', registrationDate: d.registrationDate ?? this.deps.today(), expiryDate: expiry, nextDueDate: expiry, nextInvoiceDate: expiry, registrar: d.registrar ?? product?.registrar ?? 'manual' });
    return succeed({ message: `${d.domainName} is active until ${expiry}.` });
  }

  private async queueAndRun(d: DomainRow, action: 'domain_register' | 'domain_transfer' | 'domain_renew', key: string, params: Record<string, unknown>, who: Requester, doneText: string): Promise<JobMessage> {
    const now = this.deps.clock.now();
    const jobId = await inTransaction(this.deps.ds, async (m) => {
      // The order's own job (keyed by the domain) when it is still open: one registration, never two.
      const open = (await m.getRepository('ProvisioningJob').createQueryBuilder('j').where("j.domain_id = :id AND j.action = :a AND j.status IN ('queued','failed')", { id: d.id, a: action }).getOne()) as { id: number; status: string } | null;
      if (open && action !== 'domain_renew') {
        await m.getRepository('ProvisioningJob').update({ id: open.id }, { status: 'queued', attempts: 0, nextAttemptAt: now, finishedAt: null });
        return open.id;
      }
      await requestProvisioning(m, { domainId: d.id, action, key, reason: `${doneText} by staff`, requestedById: who.adminId ?? null, now, params });
      return ((await m.getRepository('ProvisioningJob').findOneBy({ idempotencyKey: `${action}:${key}` })) as { id: number }).id;
    });
    const job = await this.deps.worker.runNow(jobId);
    return succeed({ job, message: describe(job, doneText) });
  }
}

function describe(job: JobOutcome | null, doneText: string): string {
  if (!job) return 'Queued: an earlier job of this domain is still open; it runs after that one.';
  if (job.status === 'succeeded') {
    if (job.message) return `Nothing to do: ${job.message}`;
    if (job.result?.manual) return 'A staff to-do was created: this TLD is registered by hand.';
    if (job.result?.transferSubmitted) return 'Transfer submitted; it completes when the current registrar releases the domain (checked hourly).';
    return `${doneText}${typeof job.result?.expiryDate === 'string' ? `; it expires on ${job.result.expiryDate}` : ''}.`;
  }
  if (job.status === 'queued') return `The registrar did not answer (${job.message}); it will be retried automatically.`;
  return `Failed: ${job.message}`;
}
