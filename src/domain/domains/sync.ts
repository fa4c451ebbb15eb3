import { inTransaction } from '../../db/transaction.js';
import { daysBetween } from '../shared/clock.js';
import { formatDecimal } from '../shared/money.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import type { DomainJobDeps } from './jobs.js';
import { recordActive } from './jobs.js';
import { closeRefusedDomainOrder } from './order-failure.js';
import { sendDomainNotice } from './notices.js';
import { loadDomain } from './registration-data.js';
import { findDomainProduct, type DomainProductRow } from './pricing.js';

/** Statuses the daily sync reads from the registrar: the domain is (or is becoming) ours there. */
export const SYNCED_STATUSES = ['active', 'grace', 'redemption', 'expired', 'pending_transfer'];

/**
 * Where a domain past its expiry stands, from its TLD's grace and redemption days: renewable at the normal price
 * (grace), restorable for a fee (redemption), or gone (expired).
 */
export function phaseAfterExpiry(p: Pick<DomainProductRow, 'graceDays' | 'redemptionDays'> | null, expiryDate: string, today: string): 'active' | 'grace' | 'redemption' | 'expired' {
  if (expiryDate >= today) return 'active';
  const late = daysBetween(expiryDate, today);
  if (late <= (p?.graceDays ?? 0)) return 'grace';
  if (late <= (p?.graceDays ?? 0) + (p?.redemptionDays ?? 0)) return 'redemption';
  return 'expired';
}

/**
 * Reads one domain back from its registrar and makes Meridian agree: expiry (and the billing dates with it when nothing
 * has been billed for the old one), status, nameservers, lock and privacy. A transfer in that completed becomes active;
 * one the registrar reports failed is closed with the money as credit, as a refused order is.
 */
export async function syncDomain(deps: DomainJobDeps, domainId: number): Promise<Outcome<{ domainName: string; changes: string[] }>> {
  const d = await loadDomain(deps.ds, domainId);
  if (!d) return fail('domain_not_found', `Domain #${domainId} does not exist.`);
  const found = await deps.registrars.forDomain(d);
  if (!found.ok) return found;
  if (found.registrar.manual) return fail('manual_registrar', `${d.domainName} is registered by hand; there is no registrar connection to read it from.`);
  const r = await found.registrar.info(d.domainName, d.registrarRef);
  if (!r.ok) {
    await deps.ds.getRepository('Domain').update({ id: d.id }, { lastSyncAt: deps.clock.now() });
    return fail(`registrar_${r.failure}`, r.message.includes(d.domainName) ? r.message : `${d.domainName}: ${r.message}`);
  }
  const info = r.info;
  const today = deps.today();

  if (d.status === 'pending_transfer' || d.status === 'pending') {
    if (info.status === 'active') {
      await recordActive(deps, d, found.registrar.code, info, { transfer: d.registrationType === 'transfer' });
      return succeed({ domainName: d.domainName, changes: [`${d.registrationType === 'transfer' ? 'transfer completed' : 'registered'}; expires ${info.expiryDate}`] });
    }
    if (info.status === 'transfer_failed') {
      const reason = info.message || 'The transfer was refused or cancelled.';
      const out = await inTransaction(deps.ds, (m) => closeRefusedDomainOrder(m, d.id, `Transfer failed at the registrar: ${reason}`));
      if (out.closed) await sendDomainNotice(deps, d, { kind: 'order_failed', operation: 'transfer', reason, credited: out.credited });
      return succeed({ domainName: d.domainName, changes: [`transfer failed (${reason})${out.credited ? `; ${formatDecimal(out.credited)} returned as credit` : ''}`] });
    }
    await deps.ds.getRepository('Domain').update({ id: d.id }, { lastSyncAt: deps.clock.now() });
    return succeed({ domainName: d.domainName, changes: [] });
  }

  const changes: Record<string, unknown> = { lastSyncAt: deps.clock.now() };
  const said: string[] = [];
  if (info.expiryDate && info.expiryDate !== d.expiryDate) {
    changes.expiryDate = info.expiryDate;
    said.push(`expiry ${d.expiryDate ?? 'unknown'} → ${info.expiryDate}`);
    // Renewed or shortened at the registrar: bill from the real expiry, unless a renewal was already invoiced.
    if (d.nextDueDate === d.expiryDate && d.nextInvoiceDate === d.expiryDate) Object.assign(changes, { nextDueDate: info.expiryDate, nextInvoiceDate: info.expiryDate });
  }
  const expiry = info.expiryDate ?? d.expiryDate;
  const status = info.status === 'transferred_away' ? 'transferred_away' : !expiry || expiry >= today ? 'active' : phaseAfterExpiry(await findDomainProduct(deps.ds, d.tld), expiry, today);
  if (status !== d.status) {
    changes.status = status;
    said.push(`status ${d.status} → ${status}`);
    if (status === 'transferred_away') changes.autoRenew = false;
  }
  if (info.nameservers.length && info.nameservers.join(',') !== (d.nameservers ?? []).join(',')) {
    changes.nameservers = info.nameservers;
    said.push(`nameservers ${info.nameservers.join(', ')}`);
  }
  if (info.locked !== Boolean(d.registrarLock)) (changes.registrarLock = info.locked), said.push(info.locked ? 'locked' : 'unlocked');
  if (info.idProtection !== Boolean(d.idProtection)) (changes.idProtection = info.idProtection), said.push(`ID protection ${info.idProtection ? 'on' : 'off'}`);
  if (info.registrarRef && info.registrarRef !== d.registrarRef) changes.registrarRef = info.registrarRef;
  await deps.ds.getRepository('Domain').update({ id: d.id }, changes);
  return succeed({ domainName: d.domainName, changes: said });
}
