import type { DataSource } from 'typeorm';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import type { GatewayDirectory } from './directory.js';

/** What staff do with a gateway's keys: replace some of them, and prove they work. */
export class GatewaySettingsService {
  constructor(private readonly ds: DataSource, private readonly gateways: GatewayDirectory) {}

  credentialFields(code: string): ReadonlyArray<{ key: string; label: string }> {
    return this.gateways.moduleOf(code)?.credentialFields ?? [];
  }

  /** Fields left empty keep their stored value; unknown fields are ignored; values are trimmed. */
  async setCredentials(code: string, input: Record<string, unknown>): Promise<Outcome<{ message: string }>> {
    const fields = this.credentialFields(code);
    if (!fields.length) return fail('no_credentials', 'This gateway has no keys to set.');
    const gw = await this.gateways.get(code);
    if (!gw) return fail('gateway_not_found', 'That gateway does not exist.');
    const next = { ...gw.settings.credentials };
    const changed: string[] = [];
    for (const f of fields) {
      const v = input[f.key];
      if (typeof v !== 'string' || !v.trim()) continue;
      if (v.trim().length > 500) return fail('invalid_credentials', `${f.label} is too long.`, f.key);
      next[f.key] = v.trim();
      changed.push(f.label);
    }
    if (!changed.length) return fail('nothing_changed', 'Fill in at least one key to change it.');
    await this.ds.getRepository('PaymentGateway').update({ code }, { credentials: JSON.stringify(next) });
    return succeed({ message: `Saved: ${changed.join(', ')}.` });
  }

  /** The options as the form shows them. */
  async options(code: string): Promise<{ currencies: string; instructions: string }> {
    const row = (await this.ds.getRepository('PaymentGateway').findOneBy({ code })) as { config: Record<string, unknown> | null } | null;
    const c = row?.config ?? {};
    return { currencies: Array.isArray(c.currencies) ? (c.currencies as string[]).join(', ') : '', instructions: typeof c.instructions === 'string' ? c.instructions : '' };
  }

  /**
   * The options staff set without touching JSON: which currencies the gateway takes (blank: all) and, for bank
   * transfer, the instructions printed on invoices. Other keys of `config` are kept as they are.
   */
  async setOptions(code: string, input: { currencies?: string; instructions?: string }): Promise<Outcome<{ message: string }>> {
    const row = (await this.ds.getRepository('PaymentGateway').findOneBy({ code })) as { config: Record<string, unknown> | null } | null;
    if (!row) return fail('gateway_not_found', 'That gateway does not exist.');
    const config = { ...(row.config ?? {}) };
    if (input.currencies !== undefined) {
      const codes = [...new Set(input.currencies.split(/[\s,;]+/).map((c) => c.trim().toUpperCase()).filter(Boolean))];
      const bad = codes.filter((c) => !/^[A-Z]{3}$/.test(c));
      if (bad.length) return fail('invalid_currencies', `Not currency codes: ${bad.join(', ')}. Use ISO codes such as USD, EUR.`, 'currencies');
      const known = new Set(((await this.ds.getRepository('Currency').find({ select: { code: true } })) as Array<{ code: string }>).map((c) => c.code.toUpperCase()));
      const unknown = codes.filter((c) => !known.has(c));
      if (unknown.length) return fail('unknown_currencies', `These currencies are not set up under Currencies: ${unknown.join(', ')}.`, 'currencies');
      if (codes.length) config.currencies = codes;
      else delete config.currencies;
    }
    if (input.instructions !== undefined) {
      const text = input.instructions.trim();
      if (text.length > 2000) return fail('invalid_instructions', 'Keep the instructions under 2,000 characters.', 'instructions');
      if (text) config.instructions = text;
      else delete config.instructions;
    }
    await this.ds.getRepository('PaymentGateway').update({ code }, { config });
    const currencies = Array.isArray(config.currencies) ? (config.currencies as string[]).join(', ') : 'every currency';
    return succeed({ message: `Saved: takes ${currencies}.` });
  }

  async test(code: string): Promise<Outcome<{ message: string }>> {
    const gw = await this.gateways.get(code);
    if (!gw) return fail('gateway_not_found', 'That gateway does not exist.');
    const missing = gw.module.credentialFields.filter((f) => !gw.settings.credentials[f.key]).map((f) => f.label);
    if (missing.length) return fail('config', `Set these first: ${missing.join(', ')}.`);
    return gw.module.testConfiguration(gw.settings);
  }
}
