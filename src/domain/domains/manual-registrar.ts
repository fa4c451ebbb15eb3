import type { DataSource } from 'typeorm';
import { registrarFailure, type Registrar, type RegistrarContact, type RegistrarResult } from './registrar.js';

/**
 * The registrar for TLDs staff register by hand (DomainProduct.registrar empty): every change becomes a staff to-do
 * with what to do at the registrar, due today. It reads nothing back, so sync and availability are 'unsupported' and
 * the domain's dates are the ones staff enter (Mark registered, or editing the domain).
 */
export class ManualRegistrar implements Registrar {
  readonly code = 'manual';
  readonly label = 'Manual (staff to-do)';
  readonly manual = true;

  constructor(private readonly deps: { ds: DataSource; today: () => string }) {}

  private async todo(title: string, description: string): Promise<RegistrarResult<object>> {
    await this.deps.ds.getRepository('TodoItem').insert({ title: title.slice(0, 255), description, priority: 'high', status: 'pending', dueDate: this.deps.today() });
    return { ok: true };
  }

  private unsupported<T>(what: string): RegistrarResult<T> {
    return registrarFailure('unsupported', `${what} is done by staff for this domain; there is no registrar connection to ask.`);
  }

  async testConnection() {
    return { ok: true as const, message: 'The manual registrar creates staff to-dos; there is nothing to connect to.' };
  }

  async checkAvailability() {
    return this.unsupported<{ results: [] }>('Checking availability');
  }

  async register(r: Parameters<Registrar['register']>[0]) {
    await this.todo(`Register ${r.domain} for ${r.years} year${r.years === 1 ? '' : 's'}`, [`Client #${r.clientId}`, `Nameservers: ${r.nameservers.join(', ') || '(registrar default)'}`, `ID protection: ${r.idProtection ? 'on' : 'off'}`, contactText(r.contact), 'Then open the domain in Meridian and use Mark registered.'].join('\n'));
    return { ok: true as const, registrarRef: 'manual', expiryDate: null };
  }

  async transfer(r: Parameters<Registrar['transfer']>[0]) {
    // The EPP code is on the domain (encrypted) for staff to read; a to-do is no place for it.
    await this.todo(`Transfer in ${r.domain}`, [`Client #${r.clientId}`, 'The EPP code is on the domain record.', `Nameservers: ${r.nameservers.join(', ') || '(keep)'}`, contactText(r.contact), 'Then open the domain in Meridian and use Mark registered.'].join('\n'));
    return { ok: true as const, registrarRef: 'manual' };
  }

  async renew(r: Parameters<Registrar['renew']>[0]) {
    await this.todo(`Renew ${r.domain} for ${r.years} year${r.years === 1 ? '' : 's'}`, `Paid by the client. Current expiry: ${r.currentExpiry ?? 'unknown'}. Meridian has moved the expiry date on; renew it at the registrar.`);
    return { ok: true as const, expiryDate: addYears(r.currentExpiry ?? this.deps.today(), r.years) };
  }

  async info() {
    return this.unsupported<never>('Reading the domain from the registrar');
  }

  async setNameservers(domain: string, _ref: string | null, nameservers: string[]) {
    return this.todo(`Change nameservers of ${domain}`, `Set the nameservers to: ${nameservers.join(', ')}`);
  }

  async getContact() {
    return this.unsupported<never>('Reading the contact');
  }

  async setContact(domain: string, _ref: string | null, contact: RegistrarContact) {
    return this.todo(`Update the contact of ${domain}`, contactText(contact));
  }

  async setLock(domain: string, _ref: string | null, locked: boolean) {
    return this.todo(`${locked ? 'Lock' : 'Unlock'} ${domain}`, `Set the registrar lock ${locked ? 'on' : 'off'}.`);
  }

  async getEppCode() {
    return this.unsupported<never>('Reading the EPP code');
  }

  async setIdProtection(domain: string, _ref: string | null, enabled: boolean) {
    return this.todo(`Turn ID protection ${enabled ? 'on' : 'off'} for ${domain}`, `Turn WHOIS privacy ${enabled ? 'on' : 'off'}.`);
  }
}

function contactText(c: RegistrarContact): string {
  return `Registrant: ${c.firstName} ${c.lastName}${c.companyName ? `, ${c.companyName}` : ''}, ${c.email}, ${c.phone}, ${[c.address1, c.address2, c.city, c.state, c.postcode, c.country].filter(Boolean).join(', ')}`;
}

/** 'YYYY-MM-DD' plus whole years; 29 February falls back to 28 February in a common year. */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const year = y + years;
  const last = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${year}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
