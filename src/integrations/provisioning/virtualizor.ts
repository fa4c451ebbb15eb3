import { randomInt } from 'node:crypto';
import type { AxiosInstance, AxiosResponse } from 'axios';
import type {
  ConnectionTest, CreateAccountInput, HostingProvider, ProviderFailure, ProviderResult, RemoteAccount, ServerConnection,
} from '../../domain/provisioning/provider.js';
import { describeHttpStatus, describeTransportError, providerHttp } from './http.js';

/**
 * Virtualizor admin API in JSON mode (`index.php?act=…&api=json&adminapikey=&adminapipass=`), see
 * docs/provider-apis.md section B. Virtualizor answers HTTP 200 for its own refusals, so success is a truthy `done`
 * (or, for lists, the list being there) and failure a non-empty `error`, which may be a list or an object keyed by
 * field. Lists are objects keyed by id with numbers as strings, and an empty one may come back as `[]`.
 */
type Json = Record<string, any>;
type Failure = { ok: false; failure: ProviderFailure; message: string; status?: number };
type Answer = { ok: true; body: Json } | Failure;
type Form = Record<string, string | number | null | undefined>;

const RESLEN = 50;
const MAX_PAGES = 2000;
/** Refusals that mean the credential (or its IP whitelist / ACL) is the problem, not the request. */
const AUTH_RE = /api\s*(key|pass)|credential|authenticat|unauthori[sz]ed|access denied|permission|whitelist/i;
const LOGIN_PAGE_RE = /type=["']?password|act=login|<form[^>]*login/i;
const CHECK_CREDS = "Check the API key and pass on the server record and that this server's IP is allowed for that API credential.";

const failed = (failure: ProviderFailure, message: string, status?: number): Failure => ({ ok: false, failure, message, ...(status ? { status } : {}) });
const truthy = (v: unknown) => v === true || v === 1 || v === '1' || v === 'true';
/** Virtualizor lists: `{id: {...}}`, `[]` when empty (PHP), or absent. */
function rowsOf(v: unknown): Json[] | null {
  if (Array.isArray(v)) return v.filter((r) => r && typeof r === 'object');
  if (v && typeof v === 'object') return Object.values(v as Json).filter((r) => r && typeof r === 'object');
  return null;
}
function errorText(e: unknown): string {
  const parts: string[] = [];
  const walk = (x: unknown) => {
    if (x === null || x === undefined || x === '' || x === false) return;
    if (typeof x === 'object') Object.values(x as Json).forEach(walk);
    else parts.push(String(x).replace(/<[^>]*>/g, '').trim());
  };
  walk(e);
  return parts.filter(Boolean).join('; ');
}
const firstIp = (ips: unknown): string | null => {
  const all = Array.isArray(ips) ? ips : ips && typeof ips === 'object' ? Object.values(ips) : typeof ips === 'string' && ips ? [ips] : [];
  const ip = all.find((x) => typeof x === 'string' && x);
  return (ip as string | undefined) ?? null;
};
const gbToMb = (v: unknown, zeroIsUnlimited = false): number | null => {
  const n = typeof v === 'number' || (typeof v === 'string' && v.trim() !== '') ? Number(v) : NaN;
  if (!Number.isFinite(n) || (zeroIsUnlimited && n === 0)) return null;
  return Math.round(n * 1024);
};
const sameHost = (a: unknown, b: string) => String(a ?? '').toLowerCase().replace(/\.$/, '') === b.toLowerCase().replace(/\.$/, '');

/** A password Virtualizor accepts ("at least 3 of: upper, lower, digit, symbol"); used for the panel user. */
export function strongPassword(length = 18): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#%+-=@^_'];
  const all = sets.join('');
  const chars = sets.map((s) => s[randomInt(s.length)]);
  while (chars.length < length) chars.push(all[randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

export class VirtualizorProvider implements HostingProvider {
  private readonly http: AxiosInstance;
  private readonly where: string;

  constructor(private readonly conn: ServerConnection) {
    this.http = providerHttp(conn, { secure: 4085, plain: 4084 });
    this.where = `Virtualizor (${conn.hostname}:${conn.port ?? (conn.secure ? 4085 : 4084)})`;
  }

  async testConnection(): Promise<ProviderResult<ConnectionTest>> {
    const started = Date.now();
    const a = await this.call('serverinfo', {}, null, 'read the server information');
    if (!a.ok) return a;
    const latencyMs = Date.now() - started;
    // serverinfo's `info.version` is where the panel reports itself; older builds only carry it in globals.
    const version = a.body.info?.version ?? a.body.globals?.version;
    if (!version && !a.body.title) return failed('transient', `${this.where} answered without server data (could not load the server data).`);
    return { ok: true, version: String(version ?? 'unknown'), latencyMs };
  }

  async createAccount(input: CreateAccountInput): Promise<ProviderResult<{ ref: string; ip: string | null; details: Record<string, unknown> }>> {
    // Attach the VPS to the client's existing panel user: addvs refuses an e-mail that already has one.
    const users = await this.call('users', { email: input.contactEmail }, null, 'look up the panel user');
    if (!users.ok) return users;
    const user = (rowsOf(users.body.users) ?? []).find((u) => String(u.email ?? '').toLowerCase() === input.contactEmail.toLowerCase());
    const virt = input.virt || 'kvm';
    const form: Form = {
      addvps: 1, node_select: 1, virt, plid: input.plan, osid: input.osTemplate ?? '', hostname: input.domain, rootpass: input.password,
      ...(user ? { uid: user.uid } : { user_email: input.contactEmail, user_pass: strongPassword(), fname: input.firstName ?? '', lname: input.lastName ?? '' }),
    };
    const a = await this.call('addvs', { virt }, form, `create the VPS ${input.domain}`, this.conn.createTimeoutMs ?? 120_000);
    if (!a.ok) {
      if (a.failure === 'transient') a.message += ' The VPS may still have been created: look it up by hostname before creating it again.';
      return a;
    }
    const nv = a.body.newvs;
    if (!nv || !nv.vpsid) {
      // Possibly queued (async builds are not ruled out): without an id we cannot address it, the retry's lookup will.
      return failed('transient', `${this.where} accepted the create request for ${input.domain} but returned no VPS id; it will be looked up by hostname on retry.`);
    }
    return {
      ok: true, ref: String(nv.vpsid), ip: firstIp(nv.ips),
      details: { vpsid: String(nv.vpsid), vpsName: nv.vps_name ?? null, hostname: nv.hostname ?? input.domain, uid: nv.uid ?? user?.uid ?? null, ips: nv.ips ?? [] },
    };
  }

  async findAccount(q: { username?: string | null; domain?: string | null; email?: string | null }): Promise<ProviderResult<{ account: RemoteAccount | null }>> {
    if (q.domain) {
      // vpshostname is a search, not an exact match: keep only the exact hostname, the owner's VPS first. No fallback
      // to "any VPS of this e-mail" here — that would adopt the client's other VPS.
      const r = await this.allVps({ vpshostname: q.domain }, `search VPSs by hostname ${q.domain}`);
      if (!r.ok) return r;
      const hits = r.rows.filter((v) => sameHost(v.hostname, q.domain!));
      const mine = q.email ? hits.filter((v) => String(v.email ?? '').toLowerCase() === q.email!.toLowerCase()) : [];
      const pick = mine[0] ?? hits[0];
      return { ok: true, account: pick ? this.toRemote(pick) : null };
    }
    if (q.email) {
      const r = await this.allVps({ user: q.email }, `search VPSs of ${q.email}`);
      if (!r.ok) return r;
      const hit = r.rows.find((v) => String(v.email ?? '').toLowerCase() === q.email!.toLowerCase());
      return { ok: true, account: hit ? this.toRemote(hit) : null };
    }
    return { ok: true, account: null };
  }

  async suspend(ref: string, reason: string): Promise<ProviderResult> {
    return this.vsAction(ref, { suspend: ref, suspend_reason: reason }, `suspend VPS ${ref}`, (v) => truthy(v.suspended));
  }

  async unsuspend(ref: string): Promise<ProviderResult> {
    return this.vsAction(ref, { unsuspend: ref }, `unsuspend VPS ${ref}`, (v) => !truthy(v.suspended));
  }

  async terminate(ref: string): Promise<ProviderResult> {
    return this.vsAction(ref, { delete: ref }, `delete VPS ${ref}`);
  }

  async power(ref: string, action: 'start' | 'stop' | 'restart' | 'poweroff'): Promise<ProviderResult> {
    return this.vsAction(ref, { action, vpsid: ref, serid: 0 }, `${action} VPS ${ref}`);
  }

  async changePackage(ref: string, plan: string): Promise<ProviderResult> {
    const plans = await this.allPages('plans', 'plans', 'plid', {}, 'list the plans');
    if (!plans.ok) return plans;
    const p = plans.rows.find((r) => String(r.plid) === String(plan));
    if (!p) return failed('permanent', `Plan ${plan} does not exist on ${this.where}; pick one of its plans (act=plans) for this product.`);
    return this.edit(ref, `change the plan of VPS ${ref} to ${plan}`, {
      plid: p.plid, ram: p.ram, swapram: p.swap, space: p.space, cores: p.cores, cpu: p.cpu, cpu_percent: p.cpu_percent,
      bandwidth: p.bandwidth, network_speed: p.network_speed, upload_speed: p.upload_speed,
    });
  }

  async changePassword(ref: string, password: string): Promise<ProviderResult> {
    return this.edit(ref, `change the root password of VPS ${ref}`, { rootpass: password });
  }

  async loginUrl(ref: string): Promise<ProviderResult<{ url: string }>> {
    if (!/^\d+$/.test(ref)) return this.badRef(ref);
    const a = await this.call('sso', { svs: ref }, null, `open a login session for VPS ${ref}`);
    if (!a.ok || !a.body.sid || !a.body.token_key) {
      return this.explain(ref, a.ok ? failed('permanent', `${this.where} returned no login session for VPS ${ref}.`) : a);
    }
    // The session is for the enduser panel, which listens on 4083 whatever port the admin API uses.
    const url = `https://${this.conn.hostname}:4083/${encodeURIComponent(a.body.token_key)}/?as=${encodeURIComponent(a.body.sid)}&svs=${ref}`;
    return { ok: true, url };
  }

  async listAccounts(): Promise<ProviderResult<{ accounts: RemoteAccount[] }>> {
    const r = await this.allVps({}, 'list the VPSs');
    return r.ok ? { ok: true, accounts: r.rows.map((v) => this.toRemote(v)) } : r;
  }

  async listPlans(): Promise<ProviderResult<{ plans: Array<{ id: string; name: string }> }>> {
    const r = await this.allPages('plans', 'plans', 'plid', {}, 'list the plans');
    return r.ok ? { ok: true, plans: r.rows.map((p) => ({ id: String(p.plid), name: String(p.plan_name ?? p.plid) })) } : r;
  }

  // ---- internals ----

  /** suspend/unsuspend/delete/power: a falsy `done` is checked against the VPS's actual state before it counts as failure. */
  private async vsAction(ref: string, q: Form, doing: string, settled?: (v: Json) => boolean): Promise<ProviderResult> {
    if (!/^\d+$/.test(ref)) return this.badRef(ref);
    const a = await this.call('vs', q, null, doing);
    if (a.ok && a.body.done) return { ok: true };
    return this.explain(ref, a.ok ? failed('permanent', `${this.where} did not confirm that it could ${doing}.`) : a, settled);
  }

  /** Virtualizor's edit form is posted whole: read the VPS, then send its values back with the changes. */
  private async edit(ref: string, doing: string, changes: Form): Promise<ProviderResult> {
    if (!/^\d+$/.test(ref)) return this.badRef(ref);
    const got = await this.call('editvs', { vpsid: ref }, null, `read VPS ${ref}`);
    if (!got.ok || !got.body.vps) return this.explain(ref, got.ok ? failed('permanent', `${this.where} returned no data for VPS ${ref}.`) : got);
    const v = got.body.vps as Json;
    const form: Form = { editvps: 1, swapram: v.swap };
    for (const k of ['vpsid', 'uid', 'plid', 'hostname', 'ram', 'space', 'cores', 'cpu', 'cpu_percent', 'bandwidth', 'network_speed', 'upload_speed']) {
      if (v[k] !== null && v[k] !== undefined && typeof v[k] !== 'object') form[k] = v[k];
    }
    const a = await this.call('editvs', { vpsid: ref }, { ...form, ...changes, vpsid: ref }, doing);
    if (a.ok && a.body.done) return { ok: true };
    return a.ok ? failed('permanent', `${this.where} did not confirm that it could ${doing}.`) : a;
  }

  /** After a refusal: a VPS that is not there is 'not_found'; one already in the wanted state is success. */
  private async explain<T extends object = Record<string, never>>(ref: string, f: Failure, settled?: (v: Json) => boolean): Promise<ProviderResult<T>> {
    if (f.failure !== 'permanent') return f;
    const look = await this.call('vs', { vpsid: ref }, null, `look up VPS ${ref}`);
    if (!look.ok) return f;
    const v = (rowsOf(look.body.vs) ?? []).find((r) => String(r.vpsid) === ref);
    if (!v) return failed('not_found', `VPS ${ref} does not exist on ${this.where}. (${f.message})`);
    if (settled?.(v)) return { ok: true } as ProviderResult<T>;
    return f;
  }

  private badRef(ref: string): Failure {
    return failed('permanent', `"${ref}" is not a Virtualizor VPS id (expected the numeric vpsid).`);
  }

  private allVps(filter: Form, doing: string) {
    return this.allPages('vs', 'vs', 'vpsid', filter, doing);
  }

  /** Reads page after page (page/reslen) until a short page; stops early if the panel ignores paging. */
  private async allPages(act: string, key: string, idKey: string, filter: Form, doing: string): Promise<{ ok: true; rows: Json[] } | Failure> {
    const rows: Json[] = [];
    const seen = new Set<string>();
    for (let page = 1; page <= MAX_PAGES; page++) {
      const a = await this.call(act, { ...filter, page, reslen: RESLEN }, null, doing);
      if (!a.ok) return a;
      const list = rowsOf(a.body[key]);
      if (!list) return failed('transient', `${this.where} answered without the ${key} list when asked to ${doing} (could not load the server data).`);
      let fresh = 0;
      for (const r of list) {
        const id = String(r[idKey]);
        if (seen.has(id)) continue;
        seen.add(id);
        rows.push(r);
        fresh++;
      }
      if (list.length < RESLEN || fresh === 0) break;
    }
    return { ok: true, rows };
  }

  private toRemote(v: Json): RemoteAccount {
    return {
      ref: String(v.vpsid), username: v.vps_name ? String(v.vps_name) : null, domain: v.hostname ? String(v.hostname) : null,
      email: v.email ? String(v.email) : null, plan: v.plid && String(v.plid) !== '0' ? String(v.plid) : null,
      suspended: truthy(v.suspended), suspendReason: v.suspend_reason ? String(v.suspend_reason) : null, ip: firstIp(v.ips),
      diskUsedMb: null, diskLimitMb: gbToMb(v.space), bandwidthUsedMb: gbToMb(v.used_bandwidth), bandwidthLimitMb: gbToMb(v.bandwidth, true),
    };
  }

  /** One API call; every answer that is not usable data becomes a Failure with words staff can act on. */
  private async call(act: string, query: Form, form: Form | null, doing: string, timeoutMs?: number): Promise<Answer> {
    const params = { act, api: 'json', adminapikey: this.conn.apiKey ?? '', adminapipass: this.conn.apiPass ?? '', ...clean(query) };
    const config = { params, ...(timeoutMs ? { timeout: timeoutMs } : {}) };
    let res: AxiosResponse;
    try {
      res = form
        ? await this.http.post('/index.php', new URLSearchParams(clean(form)).toString(), { ...config, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })
        : await this.http.get('/index.php', config);
    } catch (e) {
      const d = describeTransportError(e, this.where);
      return failed(d.failure, this.scrub(d.message));
    }
    const r = this.read(res, doing);
    return r.ok ? r : { ...r, message: this.scrub(r.message) };
  }

  private read(res: AxiosResponse, doing: string): Answer {
    const { status, data } = res;
    const body: Json | null = data && typeof data === 'object' && !Array.isArray(data) ? data : null;
    const text = body ? errorText(body.error) || errorText(body.error_msg) : '';
    if (status >= 300 && status < 400) {
      return failed('auth', `${this.where} redirected the API call (HTTP ${status}) instead of answering it; it does that when it does not accept the API login. ${CHECK_CREDS}`, status);
    }
    const byStatus = describeHttpStatus(status, this.where);
    if (byStatus) {
      const hint = byStatus.failure === 'auth' ? ` ${CHECK_CREDS}` : '';
      return failed(byStatus.failure, `${byStatus.message}${text ? ` ${text}` : ''}${hint}`, status);
    }
    if (!body) {
      const raw = typeof data === 'string' ? data.trim() : '';
      if (raw && LOGIN_PAGE_RE.test(raw)) return failed('auth', `${this.where} answered with its login page instead of API data: the API key/pass was not accepted. ${CHECK_CREDS}`);
      const what = raw ? 'something that is not JSON' : 'an empty answer';
      return failed('transient', `${this.where} returned ${what} when asked to ${doing} (could not load the server data). ${CHECK_CREDS} If they are right, the panel itself may be failing.`);
    }
    if (text) {
      if (AUTH_RE.test(text)) return failed('auth', `${this.where} rejected the API credentials: ${text}. ${CHECK_CREDS}`);
      return failed('permanent', `${this.where} refused to ${doing}: ${text}`);
    }
    return { ok: true, body };
  }

  /** Provider text and transport errors are passed on to staff; the credentials must never travel with them. */
  private scrub(message: string): string {
    let out = message;
    for (const secret of [this.conn.apiKey, this.conn.apiPass]) {
      if (secret && secret.length >= 4) out = out.split(secret).join('***');
    }
    return out;
  }
}

function clean(f: Form): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) if (v !== null && v !== undefined) out[k] = String(v);
  return out;
}
