import type { RegistrarDomainInfo } from '../../domain/domains/registrar.js';

/**
 * Reading a domains/details answer. LogicBoxes describes an order with: currentstatus (InActive, Active, Suspended,
 * Pending Delete Restorable, Deleted, Archived), orderstatus (registry locks: transferlock, resellerlock,
 * resellersuspend), the pending action if any (actiontype AddTransferDomain for a transfer in, with actionstatus and
 * a human actionstatusdesc), endtime/creationtime as epoch seconds in strings, ns1…nsN, isprivacyprotected 'true' or
 * 'false', and the auth code as domsecret.
 */
export type Details = Record<string, unknown>;

const str = (d: Details, k: string): string => (d[k] === undefined || d[k] === null ? '' : String(d[k]));

export function epochToDate(epoch: unknown): string | null {
  const n = Number(epoch);
  if (!Number.isFinite(n) || n <= 0) return null;
  return new Date(n * 1000).toISOString().slice(0, 10);
}

export function dateToEpoch(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / 1000);
}

export function orderIdOf(d: Details): string {
  return str(d, 'orderid') || str(d, 'entityid');
}

export function nameserversOf(d: Details): string[] {
  const ns: string[] = [];
  for (let i = 1; i <= 13; i++) {
    const v = str(d, `ns${i}`).trim().toLowerCase();
    if (v) ns.push(v);
  }
  return ns;
}

export function listOf(d: Details, k: string): string[] {
  const v = d[k];
  if (Array.isArray(v)) return v.map(String);
  return typeof v === 'string' && v ? v.split(',').map((s) => s.trim()) : [];
}

export function authCodeOf(d: Details): string | null {
  return str(d, 'domsecret') || str(d, 'domainsecret') || null;
}

export function statusOf(d: Details, now: number): { status: RegistrarDomainInfo['status']; message: string | null } {
  const current = str(d, 'currentstatus').toLowerCase();
  const action = str(d, 'actiontype');
  const actionStatus = str(d, 'actionstatus').toLowerCase();
  const actionText = str(d, 'actionstatusdesc') || str(d, 'actiontypedesc');
  const end = Number(d.endtime);
  const expired = Number.isFinite(end) && end > 0 && end * 1000 < now;
  const gone = current === 'deleted' || current === 'archived';

  if (/transfer\s*(away|out)/i.test(`${action} ${str(d, 'actiontypedesc')}`)) return { status: 'transferred_away', message: actionText || null };
  if (action === 'AddTransferDomain' && current !== 'active') {
    if (/fail|cancel|reject|declin/.test(actionStatus) || gone) {
      return { status: 'transfer_failed', message: actionText || 'The transfer was refused or cancelled.' };
    }
    return { status: 'pending_transfer', message: actionText || null };
  }
  // An order deleted while the registration still runs has left for another registrar; LogicBoxes closes the order
  // of a domain transferred away this way.
  if (gone) return { status: expired || !end ? 'expired' : 'transferred_away', message: null };
  if (current === 'pending delete restorable') return { status: 'expired', message: null };
  if (current === 'inactive') return { status: 'pending', message: actionText || null };
  return { status: expired ? 'expired' : 'active', message: null };
}

export function infoFrom(domain: string, d: Details, now: number): RegistrarDomainInfo {
  const { status, message } = statusOf(d, now);
  return {
    domain: str(d, 'domainname').toLowerCase() || domain,
    registrarRef: orderIdOf(d),
    status,
    expiryDate: epochToDate(d.endtime),
    registrationDate: epochToDate(d.creationtime),
    nameservers: nameserversOf(d),
    locked: listOf(d, 'orderstatus').some((s) => s.toLowerCase() === 'transferlock'),
    idProtection: str(d, 'isprivacyprotected').toLowerCase() === 'true',
    message,
  };
}
