import type { DataSource } from 'typeorm';
import { inTransaction } from '../../db/transaction.js';
import { formatDecimal } from '../shared/money.js';
import type { Clock } from '../shared/clock.js';
import { done, failed, retry, type StepResult } from '../provisioning/context.js';
import type { JobRow } from '../provisioning/queue.js';
import type { Registrar, RegistrarDomainInfo, RegistrarResult } from './registrar.js';
import type { RegistrarDirectory } from './registrars.js';
import { addYears } from './manual-registrar.js';
import { contactOf, loadDomain, nameserversFor, type DomainRow } from './registration-data.js';
import { closeRefusedDomainOrder } from './order-failure.js';
import { sendDomainNotice, type DomainMailer } from './notices.js';

export interface DomainJobDeps {
  ds: DataSource;
  clock: Clock;
  today: () => string;
  registrars: RegistrarDirectory;
  email?: DomainMailer;
  appUrl: string;
}

type Failed = Extract<RegistrarResult<object>, { ok: false }>;
const transientOr = (r: Failed, otherwise: () => StepResult | Promise<StepResult>) => (r.transient ? retry(r.message) : otherwise());

/**
 * Runs a registrar job from the provisioning queue. Each first asks the registrar how the domain stands, so a job
 * retried after a lost answer (a timeout after the registrar did the work) records what happened instead of doing it
 * twice: a name already in our account is recorded as registered, an expiry already moved as renewed.
 */
export function domainJobRunner(deps: DomainJobDeps): (job: JobRow) => Promise<StepResult> {
  return async (job) => {
    const d = job.domainId ? await loadDomain(deps.ds, job.domainId) : null;
    if (!d) return failed(`Domain #${job.domainId} no longer exists.`);
    const found = await deps.registrars.forDomain(d);
    if (!found.ok) return failed(found.message);
    const registrar = found.registrar;
    if (job.action === 'domain_register' || job.action === 'domain_transfer') return registerOrTransfer(deps, d, registrar, job.action === 'domain_transfer');
    if (job.action === 'domain_renew') return renew(deps, d, registrar, job.params ?? {});
    return failed(`Unknown domain action ${job.action}.`);
  };
}

async function registerOrTransfer(deps: DomainJobDeps, d: DomainRow, registrar: Registrar, transfer: boolean): Promise<StepResult> {
  if (d.status !== 'pending') return done({ skipped: `The domain is ${d.status}; there is nothing to ${transfer ? 'transfer' : 'register'}.` });
  if (!registrar.manual) {
    const known = await registrar.info(d.domainName, d.registrarRef);
    if (known.ok) {
      if (known.info.status === 'pending_transfer') return markTransferring(deps, d, registrar.code, known.info.registrarRef, { alreadySubmitted: true });
      if (known.info.status === 'active' || known.info.status === 'pending') return recordActive(deps, d, registrar.code, known.info, { alreadyOurs: true, transfer });
    } else if (known.failure !== 'not_found' && known.failure !== 'unsupported') {
      return transientOr(known, () => failed(known.message));
    }
  }
  const who = await contactOf(deps.ds, d.clientId);
  if (!who.ok) return failed(who.message);
  const request = { domain: d.domainName, years: d.registrationPeriod, nameservers: await nameserversFor(deps.ds, d), contact: who.contact, idProtection: d.idProtection, clientId: d.clientId };
  if (transfer) {
    if (!d.eppCode) return refused(deps, d, 'transfer', 'No EPP (transfer) code was given for this domain.');
    const r = await registrar.transfer({ ...request, eppCode: d.eppCode });
    if (!r.ok) return transientOr(r, () => (r.failure === 'rejected' ? refused(deps, d, 'transfer', r.message) : failed(r.message)));
    if (registrar.manual) return done({ manual: true, todo: 'A staff to-do says what to do at the registrar.' });
    return markTransferring(deps, d, registrar.code, r.registrarRef, {});
  }
  const r = await registrar.register(request);
  if (!r.ok) return transientOr(r, () => (r.failure === 'rejected' ? refused(deps, d, 'register', r.message) : failed(r.message)));
  if (registrar.manual) return done({ manual: true, todo: 'A staff to-do says what to do at the registrar.' });
  const info: RegistrarDomainInfo = {
    domain: d.domainName, registrarRef: r.registrarRef, status: 'active', expiryDate: r.expiryDate ?? addYears(deps.today(), d.registrationPeriod),
    registrationDate: deps.today(), nameservers: request.nameservers, locked: d.registrarLock, idProtection: d.idProtection,
  };
  return recordActive(deps, d, registrar.code, info, { transfer: false });
}

/** The domain is ours at the registrar: active with its dates, billed again from its expiry. */
export async function recordActive(deps: DomainJobDeps, d: DomainRow, code: string, info: RegistrarDomainInfo, o: { alreadyOurs?: boolean; transfer: boolean }): Promise<StepResult> {
  const expiry = info.expiryDate ?? addYears(deps.today(), d.registrationPeriod);
  const changes = {
    status: 'active', registrar: code, registrarRef: info.registrarRef, registrationDate: info.registrationDate ?? d.registrationDate ?? deps.today(), expiryDate: expiry,
    nextDueDate: expiry, nextInvoiceDate: expiry, nameservers: info.nameservers.length ? info.nameservers : d.nameservers, registrarLock: info.locked,
    lastSyncAt: deps.clock.now(),
  };
  const res = await deps.ds.getRepository('Domain').createQueryBuilder().update().set(changes).where('id = :id AND status IN (:...open)', { id: d.id, open: ['pending', 'pending_transfer'] }).execute();
  if (res.affected) await sendDomainNotice(deps, { ...d, ...changes } as DomainRow, { kind: 'registered', transfer: o.transfer || d.registrationType === 'transfer' });
  return done({ registered: d.domainName, registrarRef: info.registrarRef, expiryDate: expiry, ...(o.alreadyOurs ? { alreadyOurs: true } : {}) });
}

async function markTransferring(deps: DomainJobDeps, d: DomainRow, code: string, ref: string, extra: Record<string, unknown>): Promise<StepResult> {
  await deps.ds.getRepository('Domain').update({ id: d.id }, { status: 'pending_transfer', registrar: code, registrarRef: ref, lastSyncAt: deps.clock.now() });
  return done({ transferSubmitted: d.domainName, registrarRef: ref, ...extra });
}

/** The registrar's final no: the order is closed with the money as credit, and the client is told why. */
export async function refused(deps: DomainJobDeps, d: DomainRow, operation: 'register' | 'transfer', reason: string): Promise<StepResult> {
  const note = `${operation === 'transfer' ? 'Transfer' : 'Registration'} refused by the registrar: ${reason}`;
  const out = await inTransaction(deps.ds, (m) => closeRefusedDomainOrder(m, d.id, note));
  if (out.closed) await sendDomainNotice(deps, d, { kind: 'order_failed', operation, reason, credited: out.credited });
  return failed(`${note}${out.credited ? ` — ${formatDecimal(out.credited)} returned to the client's credit` : ''}.`);
}

async function renew(deps: DomainJobDeps, d: DomainRow, registrar: Registrar, params: Record<string, unknown>): Promise<StepResult> {
  if (['cancelled', 'fraud', 'transferred_away', 'pending', 'pending_transfer'].includes(d.status)) return failed(`The domain is ${d.status}; it cannot be renewed.`);
  const years = Number(params.years);
  if (!Number.isInteger(years) || years < 1 || years > 10) return failed('The renewal names no term (1–10 years).');
  const from = typeof params.fromExpiry === 'string' ? params.fromExpiry : d.expiryDate;
  const target = from ? addYears(from, years) : null;
  if (!registrar.manual) {
    const known = await registrar.info(d.domainName, d.registrarRef);
    if (known.ok && target && known.info.expiryDate && known.info.expiryDate >= target) return recordRenewed(deps, d, known.info.expiryDate, { alreadyRenewed: true });
    if (!known.ok && known.failure !== 'unsupported') return transientOr(known, () => failed(known.message));
  }
  const r = await registrar.renew({ domain: d.domainName, registrarRef: d.registrarRef, years, currentExpiry: d.expiryDate });
  if (!r.ok) return transientOr(r, () => failed(`The registrar refused the renewal: ${r.message}`));
  return recordRenewed(deps, d, r.expiryDate, {});
}

async function recordRenewed(deps: DomainJobDeps, d: DomainRow, expiry: string, extra: Record<string, unknown>): Promise<StepResult> {
  const changes = { expiryDate: expiry, status: 'active', lastSyncAt: deps.clock.now() };
  await deps.ds.getRepository('Domain').update({ id: d.id }, changes);
  await sendDomainNotice(deps, { ...d, ...changes }, { kind: 'renewed' });
  return done({ renewed: d.domainName, expiryDate: expiry, ...extra });
}
