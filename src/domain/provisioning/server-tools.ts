import { In } from 'typeorm';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import type { ProvisioningDeps } from './context.js';
import type { RemoteAccount } from './provider.js';
import { connectionOf, loadServer, type ServerRow } from './servers.js';

/**
 * The admin's server tools: Test Connection (version and latency, or the exact reason it failed, stored on the
 * server for the list screen) and Sync Accounts (the panel's accounts matched to Meridian's services, usage copied,
 * differences reported rather than "fixed" behind staff's back).
 */
export class ServerTools {
  constructor(private readonly deps: ProvisioningDeps) {}

  async testConnection(serverId: number): Promise<Outcome<{ version: string; latencyMs: number; message: string }>> {
    const server = await loadServer(this.deps.ds, serverId);
    if (!server) return fail('server_not_found', `Server #${serverId} does not exist.`);
    const r = await this.deps.providers(connectionOf(server, this.deps.timeouts)).testConnection();
    const message = r.ok ? `Connected to ${server.hostname}: ${server.type === 'cpanel' ? 'WHM' : 'Virtualizor'} ${r.version}, ${r.latencyMs} ms.` : r.message;
    await this.deps.ds.getRepository('Server').update({ id: serverId }, { lastCheckAt: this.deps.clock.now(), lastCheckOk: r.ok, lastCheckResult: message.slice(0, 2000) });
    return r.ok ? succeed({ version: r.version, latencyMs: r.latencyMs, message }) : fail(`connection_${r.failure}`, message);
  }

  /**
   * With `importUnknown`, a panel account no service owns becomes a service when its owner is a client (same email)
   * and its package is a product's: imported with no due date, for staff to set up billing (nothing is invoiced
   * for it until they do).
   */
  async syncAccounts(serverId: number, opts: { importUnknown?: boolean } = {}): Promise<Outcome<SyncReport & { message: string }>> {
    const server = await loadServer(this.deps.ds, serverId);
    if (!server) return fail('server_not_found', `Server #${serverId} does not exist.`);
    const listed = await this.deps.providers(connectionOf(server, this.deps.timeouts)).listAccounts();
    if (!listed.ok) return fail(`provider_${listed.failure}`, listed.message);
    const services = (await this.deps.ds.getRepository('Service').find({ where: { serverId, status: In(['pending', 'active', 'suspended']) } })) as Array<{
      id: number; username: string | null; providerRef: string | null; domain: string | null; status: string;
    }>;
    const byRef = new Map(services.filter((s) => s.providerRef).map((s) => [s.providerRef!.toLowerCase(), s]));
    const byUser = new Map(services.filter((s) => s.username).map((s) => [s.username!.toLowerCase(), s]));
    const report: SyncReport = { accounts: listed.accounts.length, matched: 0, linked: 0, updated: 0, imported: 0, unknown: [], missing: [], stateDiffers: [] };
    const importer = opts.importUnknown ? await this.importer(server) : null;
    const seen = new Set<number>();
    const now = this.deps.clock.now();
    for (const a of listed.accounts) {
      const s = byRef.get(a.ref.toLowerCase()) ?? (a.username ? byUser.get(a.username.toLowerCase()) : undefined);
      if (!s) {
        if (importer && (await importer(a))) report.imported++;
        else report.unknown.push(`${a.username ?? a.ref}${a.domain ? ` (${a.domain})` : ''}`);
        continue;
      }
      seen.add(s.id);
      report.matched++;
      const changes: Record<string, unknown> = { ...usage(a), lastUsageSyncAt: now };
      // An account made by hand for a service, or one adopted from the panel: link it so later actions find it.
      if (!s.providerRef) {
        changes.providerRef = a.ref;
        report.linked++;
      }
      if (a.suspended !== (s.status === 'suspended')) report.stateDiffers.push(`service #${s.id} is ${s.status} but ${a.username ?? a.ref} is ${a.suspended ? 'suspended' : 'active'} on the server`);
      await this.deps.ds.getRepository('Service').update({ id: s.id }, changes);
      report.updated++;
    }
    for (const s of services) if (s.providerRef && !seen.has(s.id) && s.status !== 'pending') report.missing.push(`service #${s.id} (${s.username ?? s.providerRef})`);
    await this.deps.ds.getRepository('Server').update({ id: serverId }, { activeAccounts: listed.accounts.length, lastSyncAt: now });
    const message = [
      `${report.accounts} accounts on ${server.name}; ${report.matched} matched to services (${report.linked} newly linked), usage updated.`,
      report.imported ? `${report.imported} imported as new services (set their billing).` : '',
      report.unknown.length ? `Not in Meridian: ${report.unknown.slice(0, 20).join(', ')}${report.unknown.length > 20 ? ` and ${report.unknown.length - 20} more` : ''}.` : '',
      report.missing.length ? `Missing on the server: ${report.missing.slice(0, 20).join(', ')}.` : '',
      report.stateDiffers.length ? `Different state: ${report.stateDiffers.slice(0, 10).join('; ')}.` : '',
    ].filter(Boolean).join(' ');
    return succeed({ ...report, message });
  }

  /** Makes a service of a panel account whose owner and package Meridian knows; false when it cannot. */
  private async importer(server: ServerRow): Promise<(a: RemoteAccount) => Promise<boolean>> {
    const products = (await this.deps.ds.query(
      `SELECT p.id, p.module_config, h.name AS package FROM products p LEFT JOIN hosting_packages h ON h.id = p.hosting_package_id
        WHERE p.module = ? AND (p.server_group_id = ? OR p.server_group_id IS NULL) ORDER BY p.server_group_id IS NULL, p.id`,
      [server.type, server.serverGroupId],
    )) as Array<{ id: number | string; module_config: string | null; package: string | null }>;
    const planOf = (p: (typeof products)[number]) => {
      const config = p.module_config ? (JSON.parse(p.module_config) as Record<string, unknown>) : {};
      return String((server.type === 'cpanel' ? (config.package ?? p.package) : (config.planId ?? config.plan)) ?? '');
    };
    return async (a) => {
      const product = products.find((p) => a.plan !== null && planOf(p) === String(a.plan));
      const client = a.email ? ((await this.deps.ds.getRepository('Client').findOneBy({ email: a.email })) as { id: number; currencyId: number } | null) : null;
      if (!product || !client) return false;
      await this.deps.ds.getRepository('Service').insert({
        clientId: client.id, productId: Number(product.id), currencyId: client.currencyId, serverId: server.id, domain: a.domain, username: server.type === 'cpanel' ? a.username : null,
        providerRef: a.ref, dedicatedIp: a.ip, billingCycle: 'monthly', recurringAmount: 0, status: a.suspended ? 'suspended' : 'active', suspensionReason: a.suspended ? a.suspendReason : null,
        registrationDate: this.deps.clock.now().toISOString().slice(0, 10), ...usage(a), notes: `Imported by the account sync of ${server.name}; set its billing (price, cycle, next due date).`,
      });
      return true;
    };
  }
}

export interface SyncReport {
  accounts: number;
  matched: number;
  linked: number;
  updated: number;
  imported: number;
  /** Accounts on the panel that no service of this server owns. */
  unknown: string[];
  /** Services that should have an account on this server but the panel does not list. */
  missing: string[];
  stateDiffers: string[];
}

function usage(a: RemoteAccount): Record<string, number | null> {
  const int = (v: number | null) => (v === null || !Number.isFinite(v) ? null : Math.round(v));
  return { diskUsageMb: int(a.diskUsedMb), diskLimitMb: int(a.diskLimitMb), bandwidthUsageMb: int(a.bandwidthUsedMb), bandwidthLimitMb: int(a.bandwidthLimitMb) };
}
