import type { DataSource } from 'typeorm';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import type { Registrar } from './registrar.js';
import { ManualRegistrar } from './manual-registrar.js';
import type { RegistrarCheck } from './whois.js';
import { findDomainProduct } from './pricing.js';

/** A registrar module as the composition root offers it: its settings keys and a builder from their values. */
export interface RegistrarModule {
  label: string;
  /** Setting keys it reads (registrar.<code>.<name>), secrets included; all are required unless optional. */
  settings: Array<{ key: string; label: string; secret?: boolean; optional?: boolean }>;
  build(values: Map<string, string>): Registrar;
}

export type RegistrarModules = Record<string, RegistrarModule>;

/**
 * Finds the registrar a domain is registered through: the code on the domain, else its TLD's (DomainProduct.registrar),
 * else the manual registrar, which turns each request into a staff to-do. A module whose settings are missing is a
 * clear refusal naming them, never a half-configured API call.
 */
export class RegistrarDirectory {
  private readonly manual: ManualRegistrar;

  constructor(
    private readonly deps: { ds: DataSource; modules: RegistrarModules; today: () => string },
    /** Set on a copy made by forOneRun(): answers by registrar code (or TLD) are kept for that copy's life. */
    private readonly found?: Map<string, Promise<Outcome<{ registrar: Registrar }>>>,
  ) {
    this.manual = new ManualRegistrar(deps);
  }

  /**
   * A copy that reads each registrar's settings once, for a task over many domains (the daily sync): settings changed
   * meanwhile apply from the next run. Single requests use the directory itself and always read them fresh.
   */
  forOneRun(): RegistrarDirectory {
    return new RegistrarDirectory(this.deps, new Map());
  }

  private remembered(key: string, find: () => Promise<Outcome<{ registrar: Registrar }>>): Promise<Outcome<{ registrar: Registrar }>> {
    if (!this.found) return find();
    let hit = this.found.get(key);
    if (!hit) this.found.set(key, (hit = find()));
    return hit;
  }

  /** Codes staff can choose for a TLD, with labels. */
  choices(): Array<{ code: string; label: string }> {
    return [{ code: 'manual', label: this.manual.label }, ...Object.entries(this.deps.modules).map(([code, m]) => ({ code, label: m.label }))];
  }

  async forCode(code: string | null | undefined): Promise<Outcome<{ registrar: Registrar }>> {
    if (!code || code === 'manual') return succeed({ registrar: this.manual });
    return this.remembered(`code:${code}`, () => this.build(code));
  }

  private async build(code: string): Promise<Outcome<{ registrar: Registrar }>> {
    const module = this.deps.modules[code];
    if (!module) return fail('unknown_registrar', `There is no registrar module called “${code}”. Choose one of: ${this.choices().map((c) => c.code).join(', ')}.`);
    const values = await readRegistrarSettings(this.deps.ds, code);
    const missing = module.settings.filter((s) => !s.optional && !values.get(s.key)?.trim());
    if (missing.length) return fail('registrar_not_configured', `${module.label} is not set up: fill in ${missing.map((s) => s.label).join(', ')} under Settings (registrar.${code}.*).`);
    return succeed({ registrar: module.build(values) });
  }

  /** Availability from the TLD's registrar module, for endings whose registry has no WHOIS server we know. */
  availabilityCheck(): RegistrarCheck {
    return async (ascii, tld) => {
      const found = await this.forDomain({ registrar: null, tld });
      if (!found.ok || found.registrar.manual) return null;
      const r = await found.registrar.checkAvailability([ascii]);
      const row = r.ok ? r.results.find((x) => x.domain === ascii) : undefined;
      return row ? { status: row.available ? 'available' : 'registered', source: `Registrar ${found.registrar.label}` } : null;
    };
  }

  /** The registrar of a domain: its own, else its TLD's. */
  async forDomain(domain: { registrar: string | null; tld: string }): Promise<Outcome<{ registrar: Registrar }>> {
    if (domain.registrar) return this.forCode(domain.registrar);
    return this.remembered(`tld:${domain.tld}`, () => this.forTld(domain.tld));
  }

  private async forTld(tld: string): Promise<Outcome<{ registrar: Registrar }>> {
    const product = await findDomainProduct(this.deps.ds, tld);
    return this.forCode(product?.registrar ?? null);
  }
}

/** registrar.<code>.* settings by their short name; secret settings decrypted. */
async function readRegistrarSettings(ds: DataSource, code: string): Promise<Map<string, string>> {
  const prefix = `registrar.${code}.`;
  const rows = (await ds.getRepository('Setting').createQueryBuilder('s').where('s.key LIKE :p', { p: `${prefix}%` }).getMany()) as Array<{ key: string; value: string | null; secretValue: string | null }>;
  return new Map(rows.map((r) => [r.key.slice(prefix.length), (r.secretValue ?? r.value ?? '').trim()]));
}
