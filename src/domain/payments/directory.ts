import type { DataSource } from 'typeorm';
import type { GatewaySettings, PaymentGatewayModule } from './gateway.js';

/** Gateways that are handled by Meridian itself rather than a provider module. */
export const OFFLINE_GATEWAYS = new Set(['banktransfer', 'credit']);

export interface ConfiguredGateway {
  module: PaymentGatewayModule;
  settings: GatewaySettings;
  enabled: boolean;
  sortOrder: number;
}

interface GatewayRow {
  code: string;
  displayName: string;
  enabled: boolean;
  sortOrder: number;
  testMode: boolean;
  config: Record<string, unknown> | null;
  credentials: string | null;
}

/**
 * The payment_gateways rows joined to the code that speaks to each provider. Read per use (a handful of rows; staff
 * change keys and switches while customers pay, and a stale key would fail payments).
 */
export class GatewayDirectory {
  private readonly modules: Map<string, PaymentGatewayModule>;

  constructor(private readonly ds: DataSource, modules: Iterable<PaymentGatewayModule>) {
    this.modules = new Map([...modules].map((m) => [m.code, m]));
  }

  moduleOf(code: string): PaymentGatewayModule | null {
    return this.modules.get(code) ?? null;
  }

  /** A provider gateway as configured, enabled or not (late webhooks of a switched-off gateway still count). */
  async get(code: string): Promise<ConfiguredGateway | null> {
    const module = this.modules.get(code);
    if (!module) return null;
    const row = (await this.ds.getRepository('PaymentGateway').findOneBy({ code })) as GatewayRow | null;
    return row ? this.configured(module, row) : null;
  }

  /** Enabled provider gateways that take this currency, in checkout order. */
  async forCurrency(currencyCode: string): Promise<ConfiguredGateway[]> {
    const rows = (await this.ds.getRepository('PaymentGateway').find({ where: { enabled: true }, order: { sortOrder: 'ASC', id: 'ASC' } })) as GatewayRow[];
    return rows
      .filter((r) => this.modules.has(r.code))
      .map((r) => this.configured(this.modules.get(r.code)!, r))
      .filter((g) => acceptsCurrency(g.settings.config, currencyCode) && hasCredentials(g));
  }

  private configured(module: PaymentGatewayModule, row: GatewayRow): ConfiguredGateway {
    return {
      module,
      enabled: row.enabled,
      sortOrder: row.sortOrder,
      settings: { code: row.code, displayName: row.displayName, testMode: row.testMode, config: row.config ?? {}, credentials: parseCredentials(row.credentials) },
    };
  }
}

/** config.currencies: a list of ISO codes the gateway takes; absent or empty means every currency. */
export function acceptsCurrency(config: Record<string, unknown>, currencyCode: string): boolean {
  const list = config.currencies;
  if (!Array.isArray(list) || list.length === 0) return true;
  return list.some((c) => String(c).toUpperCase() === currencyCode.toUpperCase());
}

function hasCredentials(g: ConfiguredGateway): boolean {
  return g.module.credentialFields.every((f) => Boolean(g.settings.credentials[f.key]));
}

function parseCredentials(raw: string | null): Record<string, string> {
  if (!raw) return {};
  try {
    const v = JSON.parse(raw) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => typeof x === 'string')) as Record<string, string>;
  } catch {
    return {};
  }
}
