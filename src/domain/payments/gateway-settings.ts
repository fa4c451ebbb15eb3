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

  async test(code: string): Promise<Outcome<{ message: string }>> {
    const gw = await this.gateways.get(code);
    if (!gw) return fail('gateway_not_found', 'That gateway does not exist.');
    const missing = gw.module.credentialFields.filter((f) => !gw.settings.credentials[f.key]).map((f) => f.label);
    if (missing.length) return fail('config', `Set these first: ${missing.join(', ')}.`);
    return gw.module.testConfiguration(gw.settings);
  }
}
