import { In } from 'typeorm';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import type { ProvisioningDeps } from './context.js';
import type { RemoteAccount } from './provider.js';
import { connectionOf, loadServer } from './servers.js';

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

  async syncAccounts(serverId: number): Promise<Outcome<SyncReport & { message: string }>> {
    const server = await loadServer(this.deps.ds, serverId);
    if (!server) return fail('server_not_found', `Server #${serverId} does not exist.`);
    const listed = await this.deps.providers(connectionOf(server, this.deps.timeouts)).listAccounts();
    if (!listed.ok) return fail(`provider_${listed.failure}`, listed.message);
    const services = (await this.deps.ds.getRepository('Service').find({ where: { serverId, status: In(['pending', 'active', 'suspended']) } })) as Array<{
      id: number; username: string | null; providerRef: string | null; domain: string | null; status: string;
    }>;
    const byRef = new Map(services.filter((s) => s.providerRef).map((s) => [s.providerRef!.toLowerCase(), s]));
    const byUser = new Map(services.filter((s) => s.username).map((s) => [s.username!.toLowerCase(), s]));
    const report: SyncReport = { accounts: listed.accounts.length, matched: 0, linked: 0, updated: 0, unknown: [], missing: [], stateDiffers: [] };
    const seen = new Set<number>();
    const now = this.deps.clock.now();
    for (const a of listed.accounts) {
      const s = byRef.get(a.ref.toLowerCase()) ?? (a.username ? byUser.get(a.username.toLowerCase()) : undefined);
      if (!s) {
        report.unknown.push(`${a.username ?? a.ref}${a.domain ? ` (${a.domain})` : ''}`);
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
      report.unknown.length ? `Not in Meridian: ${report.unknown.slice(0, 20).join(', ')}${report.unknown.length > 20 ? ` and ${report.unknown.length - 20} more` : ''}.` : '',
      report.missing.length ? `Missing on the server: ${report.missing.slice(0, 20).join(', ')}.` : '',
      report.stateDiffers.length ? `Different state: ${report.stateDiffers.slice(0, 10).join('; ')}.` : '',
    ].filter(Boolean).join(' ');
    return succeed({ ...report, message });
  }
}

export interface SyncReport {
  accounts: number;
  matched: number;
  linked: number;
  updated: number;
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
