import type { AxiosInstance } from 'axios';
import type {
  ConnectionTest, CreateAccountInput, HostingProvider, ProviderFailure, ProviderResult, RemoteAccount, ServerConnection,
} from '../../domain/provisioning/provider.js';
import { describeHttpStatus, describeTransportError, providerHttp } from './http.js';

/**
 * cPanel/WHM through WHM API 1 (docs/provider-apis.md section A). Facts the code below leans on:
 * - only `metadata.result` decides success; failures still come back as HTTP 200, with the reason wrapped in
 *   "API failure: (XID …)" and sometimes a Perl " at /usr/local/cpanel/… line N." tail;
 * - without api.version=1 the server silently answers in the API 0 shape, so every call sends it;
 * - createacct can outlive a short timeout and still create the account, hence its long timeout (the worker looks
 *   the account up before any retry);
 * - repeat suspend/unsuspend answer result 1 (the script's complaint is only in output.raw).
 */
type Params = Record<string, string>;
type Reply = { ok: true; data: Record<string, any>; reason: string; raw: string | null } | { ok: false; failure: ProviderFailure; message: string; status?: number };

const NOT_FOUND = /You do not have a user named|Account does not exist|Sorry, the user \S+ does not exist|because they do not exist/i;
const PACKAGE = /Specified package does not exist|not a valid pac(ka|ak)ge name|any more accounts with the package/i;
const ACTIONS: Record<string, string> = {
  createacct: 'create the account', suspendacct: 'suspend the account', unsuspendacct: 'unsuspend the account',
  removeacct: 'remove the account', changepackage: 'change the package', passwd: 'change the password',
  create_user_session: 'create a login session', listaccts: 'list the accounts', listpkgs: 'list the packages', version: 'report its version',
};
/** Calls addressed to one existing account: there a bare "does not exist" can only be about that account. */
const ACCOUNT_FNS = new Set(['suspendacct', 'unsuspendacct', 'removeacct', 'changepackage', 'passwd', 'create_user_session', 'accountsummary']);
const AUTH = /Access denied|Permission denied|not authorized|do not have (the )?(permission|privileges)/i;
const BUSY = /try again|temporarily|could not (get|acquire) (a )?lock/i;

/** The provider's reason without the exception noise, which changes on every call and helps no one. */
export function cleanWhmReason(reason: string): string {
  return reason
    .replace(/^API failure:\s*/i, '')
    .replace(/\(XID [a-z0-9]+\)\s*/gi, '')
    .replace(/\s+at \/\S+ line \d+\.?/g, '')
    .trim() || 'Unknown error.';
}

/** Sizes in listaccts ("14M", "500M", "1.5G", "unlimited") as MB; null when unlimited or unreadable. */
export function whmSizeMb(v: unknown): number | null {
  const m = /^\s*([\d.]+)\s*([KMGT]?)B?\s*$/i.exec(String(v ?? ''));
  if (!m) return null;
  const scale: Record<string, number> = { K: 1 / 1024, '': 1, M: 1, G: 1024, T: 1024 * 1024 };
  return Math.round(Number(m[1]) * scale[m[2].toUpperCase()] * 100) / 100;
}

const bytesToMb = (v: unknown): number | null => {
  const n = Number(v);
  return v === null || v === undefined || v === '' || !Number.isFinite(n) ? null : Math.round((n / 1048576) * 100) / 100;
};

export class WhmProvider implements HostingProvider {
  private readonly http: AxiosInstance;
  private readonly where: string;

  constructor(private readonly conn: ServerConnection) {
    this.http = providerHttp(conn, { secure: 2087, plain: 2086 });
    this.where = `WHM at ${conn.hostname}:${conn.port ?? (conn.secure ? 2087 : 2086)}`;
  }

  private authorization(): string | null {
    const { username, apiToken, password } = this.conn;
    if (!username) return null;
    if (apiToken) return `whm ${username}:${apiToken}`;
    if (password) return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    return null;
  }

  /**
   * One WHM API 1 call. Secrets (passwords) go in a POST form body so they never land in a URL or access log;
   * api.version stays in the query string as the docs show it.
   */
  private async call(fn: string, params: Params, o: { post?: boolean; timeoutMs?: number } = {}): Promise<Reply> {
    const auth = this.authorization();
    if (!auth) return { ok: false, failure: 'auth', message: `${this.where}: the server record has no user name with an API token or password.` };
    let res;
    try {
      res = await this.http.request({
        method: o.post ? 'POST' : 'GET',
        url: `/json-api/${fn}`,
        params: o.post ? { 'api.version': '1' } : { 'api.version': '1', ...params },
        data: o.post ? new URLSearchParams(params).toString() : undefined,
        headers: { Authorization: auth, Accept: 'application/json', ...(o.post ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
        ...(o.timeoutMs ? { timeout: o.timeoutMs } : {}),
      });
    } catch (e) {
      return { ok: false, ...describeTransportError(e, this.where) };
    }
    if (res.status === 401 || res.status === 403) {
      const what = this.conn.apiToken ? 'API token' : 'user name and password';
      return {
        ok: false, failure: 'auth', status: res.status,
        message: `${this.where} rejected the ${what} (HTTP ${res.status}). Check the credentials in the server record (a token can be expired or deleted in WHM » Manage API Tokens); cPHulk may also be blocking Meridian's IP address.`,
      };
    }
    const byStatus = describeHttpStatus(res.status, this.where);
    if (byStatus) return { ok: false, ...byStatus, status: res.status };
    let body: any = res.data;
    if (typeof body === 'string') {
      try { body = JSON.parse(body); } catch { /* judged below */ }
    }
    const meta = body && typeof body === 'object' ? body.metadata : undefined;
    if (res.status !== 200 || !meta || typeof meta !== 'object') {
      return {
        ok: false, failure: 'permanent', status: res.status,
        message: `${this.where} did not answer ${fn} with a WHM API 1 reply (HTTP ${res.status}). Check that the port is WHM's (2087 with TLS, 2086 without), not cPanel's 2083.`,
      };
    }
    const reason = String(meta.reason ?? '');
    if (Number(meta.result) === 1) return { ok: true, data: body.data ?? {}, reason, raw: meta.output?.raw ?? null };
    return { ok: false, ...this.classify(fn, cleanWhmReason(reason)) };
  }

  private classify(fn: string, reason: string): { failure: ProviderFailure; message: string } {
    const message = `WHM could not ${ACTIONS[fn] ?? `run ${fn}`}: ${reason}`;
    if (PACKAGE.test(reason)) return { failure: 'permanent', message: `${message} Check the package name on the product (it must exist on this server).` };
    if (NOT_FOUND.test(reason) || (ACCOUNT_FNS.has(fn) && /does not exist/i.test(reason))) return { failure: 'not_found', message };
    if (/Unknown app \(/.test(reason)) return { failure: 'permanent', message: `${message} The server's WHM is too old for this call, or the token's privileges do not allow it.` };
    if (AUTH.test(reason)) return { failure: 'auth', message: `${message} Give the API token (or user) the privileges for ${fn}.` };
    if (BUSY.test(reason)) return { failure: 'transient', message };
    // Everything else is WHM refusing the request as asked (username rules, domain taken, weak password …).
    return { failure: 'permanent', message };
  }

  async testConnection(): Promise<ProviderResult<ConnectionTest>> {
    const started = Date.now();
    const r = await this.call('version', {});
    if (!r.ok) return r;
    if (typeof r.data.version !== 'string') return { ok: false, failure: 'permanent', message: `${this.where} answered version without a version number.` };
    return { ok: true, version: r.data.version, latencyMs: Date.now() - started };
  }

  async createAccount(input: CreateAccountInput): Promise<ProviderResult<{ ref: string; ip: string | null; details: Record<string, unknown> }>> {
    const r = await this.call('createacct', {
      username: input.username, domain: input.domain, plan: input.plan, password: input.password, contactemail: input.contactEmail,
    }, { post: true, timeoutMs: this.conn.createTimeoutMs ?? 120_000 });
    if (!r.ok) {
      if (r.failure === 'transient' && /timeout/i.test(r.message)) {
        return { ...r, message: `${r.message} WHM may still be creating the account; look it up before creating it again.` };
      }
      // "not_found" cannot mean the new account; it would be a missing owner or similar: the request is wrong.
      return r.failure === 'not_found' ? { ...r, failure: 'permanent' } : r;
    }
    const d = r.data;
    const nameservers = [d.nameserver, d.nameserver2, d.nameserver3, d.nameserver4].filter((n): n is string => typeof n === 'string' && n !== '');
    return { ok: true, ref: input.username.toLowerCase(), ip: typeof d.ip === 'string' && d.ip ? d.ip : null, details: { package: d.package ?? input.plan, nameservers } };
  }

  async findAccount(q: { username?: string | null; domain?: string | null; email?: string | null }): Promise<ProviderResult<{ account: RemoteAccount | null }>> {
    const searches: Array<[string, string]> = [];
    if (q.username) searches.push(['user', q.username.toLowerCase()]);
    if (q.domain) searches.push(['domain', q.domain.toLowerCase()]);
    for (const [searchtype, search] of searches) {
      const r = await this.call('listaccts', { searchtype, search, searchmethod: 'exact' });
      if (!r.ok) return r;
      const acct = this.accts(r.data)[0];
      if (acct) return { ok: true, account: this.toRemote(acct, null) };
    }
    // WHM cannot search by contact email; a username or domain is needed to find an account.
    return { ok: true, account: null };
  }

  async suspend(ref: string, reason: string): Promise<ProviderResult> {
    return this.done(await this.call('suspendacct', { user: ref, reason }, { post: true }));
  }

  async unsuspend(ref: string): Promise<ProviderResult> {
    return this.done(await this.call('unsuspendacct', { user: ref }, { post: true }));
  }

  async terminate(ref: string): Promise<ProviderResult> {
    // removeacct is slow too (section C); a retry after a lost answer sees not_found, which the caller counts as done.
    return this.done(await this.call('removeacct', { username: ref }, { post: true, timeoutMs: this.conn.createTimeoutMs ?? 120_000 }));
  }

  async changePackage(ref: string, plan: string): Promise<ProviderResult> {
    return this.done(await this.call('changepackage', { user: ref, pkg: plan }, { post: true }));
  }

  async changePassword(ref: string, password: string): Promise<ProviderResult> {
    return this.done(await this.call('passwd', { user: ref, password }, { post: true }));
  }

  async loginUrl(ref: string): Promise<ProviderResult<{ url: string }>> {
    const r = await this.call('create_user_session', { user: ref, service: 'cpaneld' }, { post: true });
    if (!r.ok) return r;
    if (typeof r.data.url !== 'string') return { ok: false, failure: 'permanent', message: `${this.where} created a session without a login URL.` };
    return { ok: true, url: r.data.url };
  }

  async listAccounts(): Promise<ProviderResult<{ accounts: RemoteAccount[] }>> {
    const r = await this.call('listaccts', {});
    if (!r.ok) return r;
    const now = new Date();
    // Bandwidth is a nice-to-have on a sync: without it the accounts are still listed, usage left unknown.
    const bw = await this.call('showbw', { month: String(now.getMonth() + 1), year: String(now.getFullYear()) });
    const usage = new Map<string, { used: number | null; limit: number | null }>();
    if (bw.ok && Array.isArray(bw.data.acct)) {
      for (const a of bw.data.acct) usage.set(String(a.user), { used: bytesToMb(a.totalbytes), limit: Number(a.limit) > 0 ? bytesToMb(a.limit) : null });
    }
    return { ok: true, accounts: this.accts(r.data).map((a) => this.toRemote(a, usage.get(String(a.user)) ?? null)) };
  }

  async listPlans(): Promise<ProviderResult<{ plans: Array<{ id: string; name: string }> }>> {
    const r = await this.call('listpkgs', {});
    if (!r.ok) return r;
    const pkgs: any[] = Array.isArray(r.data.pkg) ? r.data.pkg : [];
    return { ok: true, plans: pkgs.map((p) => ({ id: String(p.name), name: String(p.name) })) };
  }

  private done(r: Reply): ProviderResult {
    // The cast: ProviderResult's default `Record<string, never>` rejects even `{ ok: true }` (reported to the lead).
    return r.ok ? { ok: true } : r;
  }

  /** listaccts without matches has no `data` at all, and no `acct` then means none. */
  private accts(data: Record<string, any>): any[] {
    return Array.isArray(data.acct) ? data.acct : [];
  }

  private toRemote(a: any, bw: { used: number | null; limit: number | null } | null): RemoteAccount {
    const str = (v: unknown) => (typeof v === 'string' && v !== '' && v !== '*unknown*' ? v : null);
    const suspended = Number(a.suspended) === 1;
    return {
      ref: String(a.user), username: String(a.user), domain: str(a.domain), email: str(a.email), plan: str(a.plan),
      suspended, suspendReason: suspended ? str(a.suspendreason) : null, ip: str(a.ip),
      diskUsedMb: whmSizeMb(a.diskused), diskLimitMb: whmSizeMb(a.disklimit),
      bandwidthUsedMb: bw?.used ?? null, bandwidthLimitMb: bw?.limit ?? null,
    };
  }
}
