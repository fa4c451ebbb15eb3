import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A fake Virtualizor master on loopback speaking the admin API in JSON mode
 * (`/index.php?act=ACT&api=json&adminapikey=KEY&adminapipass=PASS`, parameters in the query or a form body), with
 * in-memory VPSs, users, plans, OS templates and one node. Wording of errors and messages comes from Virtualizor's
 * English language files (see docs/provider-apis.md B.4). What the docs mark UNCONFIRMED is a switch, so tests can
 * prove the client copes with each plausible behaviour.
 */
export interface FakePlan {
  plid: number; plan_name: string; virt: string; ram: number; swap: number; space: number; cores: number; cpu: number;
  cpu_percent: number; bandwidth: number; network_speed: number; upload_speed: number; ips: number; ips6: number;
  ips6_subnet: number; ips_int: number; osid: number; vnc: number; kvm_cache: string; io_mode: string;
  vnc_keymap: string; nic_type: string; osreinstall_limit: number;
}
export interface FakeOs { osid: number; name: string; virt: string; distro: string; filename: string }
export interface FakeUser { uid: number; email: string; password: string; fname: string; lname: string; type: number }
export interface FakeNode { serid: number; server_name: string; ip: string; virts: string[]; ram: number; space: number; locked: number; sgid: number }
export interface FakeVps {
  vpsid: number; vps_name: string; uuid: string; serid: number; virt: string; uid: number; plid: number; hostname: string;
  osid: number; os_name: string; ram: number; swap: number; space: number; cores: number; cpu: number; cpu_percent: number;
  bandwidth: number; used_bandwidth: number; network_speed: number; upload_speed: number; suspended: boolean;
  suspend_reason: string | null; ips: Array<{ ipid: number; ip: string }>; rootpass: string; running: boolean; time: number;
}

export interface VirtualizorSwitches {
  /** Delay before every answer. */
  latencyMs: number;
  /** Requests are accepted and never answered (until the switch goes off or the fake closes). */
  hang: boolean;
  /** addvs creates the VPS, then answers only after createReplyDelayMs — the lost-response case behind duplicate VPSs. */
  createTimesOutButCreates: boolean;
  createReplyDelayMs: number;
  /**
   * Answer to a wrong adminapikey/adminapipass (UNCONFIRMED, docs D.4). Default: HTTP 200 with an `error` list, the
   * JSON-mode convention for every other refusal. Alternatives: HTTP 403, an empty 200 body (what the SDKs call
   * "Could not load the server data"), the HTML login page, or a 302 to the login page.
   */
  badAuth: 'error' | 'http403' | 'empty' | 'login-page' | 'redirect';
  /** `error` as a list, an object keyed by field, or per act (addvs/editvs keyed by field, the rest lists). */
  errorShape: 'per-act' | 'list' | 'object';
  /** How an empty list is encoded: `{}` or PHP's json_encode of an empty array, `[]` (UNCONFIRMED). */
  emptyList: 'object' | 'array';
  /** `done` for suspend/unsuspend/delete/power: true, 1, or the message itself (UNCONFIRMED, D.5). */
  doneValue: 'true' | '1' | 'message';
  /** Suspending a suspended VPS / unsuspending an active one (UNCONFIRMED, D.6). */
  repeatSuspend: 'done' | 'error';
  /** Deleting (or suspending, editing …) a vpsid that does not exist (UNCONFIRMED, D.6). */
  unknownVps: 'error' | 'done';
  /** addvs with a user_email that already has a panel user: refuse ("emailexist") or attach the VPS to that user. */
  addvsExistingEmail: 'error' | 'reuse';
  /** `vpshostname`/`user` filters of act=vs: SQL LIKE-style substring (default) or exact. */
  filterMatch: 'substring' | 'exact';
}

export interface FakeVirtualizorOptions {
  apiKey?: string;
  apiPass?: string;
  /** HTTPS with the committed self-signed test certificate (tests/fakes/certs/localhost.{key,crt}). */
  tls?: boolean;
  port?: number;
  /** Sample plans, OS templates and a user (default true). */
  seed?: boolean;
  switches?: Partial<VirtualizorSwitches>;
  /** Told about every request (the CLI prints them). */
  onCall?: (c: FakeCall) => void;
}

export interface FakeCall { act: string; method: string; params: Record<string, string>; authorized: boolean }

export interface FakeVirtualizor {
  port: number;
  url: string;
  hostname: '127.0.0.1';
  apiKey: string;
  apiPass: string;
  vps: Map<number, FakeVps>;
  users: Map<number, FakeUser>;
  plans: Map<number, FakePlan>;
  osTemplates: Map<number, FakeOs>;
  nodes: Map<number, FakeNode>;
  /** Every request, credentials removed. */
  calls: FakeCall[];
  /** Calls of one act whose parameters include `where` (e.g. count('addvs', { addvps: '1' })). */
  count(act: string, where?: Record<string, string>): number;
  switches: VirtualizorSwitches;
  /** The next n requests answer this HTTP status with an HTML error page (default 503). */
  failNext(n: number, opts?: { status?: number }): void;
  /** Puts a VPS straight into the state (for paging tests); owner created from `email` when needed. */
  addVps(v: Partial<FakeVps> & { hostname: string; email?: string }): FakeVps;
  findVps(pred: (v: FakeVps) => boolean): FakeVps[];
  userOf(v: FakeVps): FakeUser | undefined;
  close(): Promise<void>;
}

const VERSION = '3.1.4';
const certDir = () => join(dirname(fileURLToPath(import.meta.url)), 'certs');
/** Compiled fakes live in dist/tests/fakes; the certificate is committed next to the sources. */
function readCert(name: string): Buffer {
  const candidates = [join(certDir(), name), join(certDir(), '..', '..', '..', '..', 'tests', 'fakes', 'certs', name)];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`test certificate ${name} not found (expected in tests/fakes/certs)`);
  return readFileSync(found);
}

export const WEAK_PASS = 'Password must contain atleast 3 of the following : An uppercase letter, a lower case letter, a number or a special symbol';
const HOSTNAME_RE = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const strongEnough = (p: string) => [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(p)).length >= 3;

export async function startFakeVirtualizor(opts: FakeVirtualizorOptions = {}): Promise<FakeVirtualizor> {
  const apiKey = opts.apiKey ?? 'FAKEADMINKEY0001';
  const apiPass = opts.apiPass ?? 'fakeadminpass000fakeadminpass000';
  const switches: VirtualizorSwitches = {
    latencyMs: 0, hang: false, createTimesOutButCreates: false, createReplyDelayMs: 3000, badAuth: 'error',
    errorShape: 'per-act', emptyList: 'object', doneValue: 'true', repeatSuspend: 'done', unknownVps: 'error',
    addvsExistingEmail: 'error', filterMatch: 'substring', ...opts.switches,
  };
  const vps = new Map<number, FakeVps>();
  const users = new Map<number, FakeUser>();
  const plans = new Map<number, FakePlan>();
  const osTemplates = new Map<number, FakeOs>();
  const nodes = new Map<number, FakeNode>([[0, { serid: 0, server_name: 'localhost', ip: '127.0.0.1', virts: ['kvm', 'openvz', 'lxc'], ram: 262144, space: 8000, locked: 0, sgid: 0 }]]);
  const calls: FakeCall[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let failures: { left: number; status: number } = { left: 0, status: 503 };
  let nextVpsid = 1;
  let nextUid = 1;
  let nextIp = 10;

  if (opts.seed ?? true) {
    const plan = (plid: number, plan_name: string, ram: number, space: number, cores: number, bandwidth: number): FakePlan => ({
      plid, plan_name, virt: 'kvm', ram, swap: 512, space, cores, cpu: 1024, cpu_percent: 0, bandwidth, network_speed: 0,
      upload_speed: 0, ips: 1, ips6: 0, ips6_subnet: 0, ips_int: 0, osid: 0, vnc: 1, kvm_cache: '0', io_mode: '0',
      vnc_keymap: 'en-us', nic_type: 'default', osreinstall_limit: 0,
    });
    for (const p of [plan(1, 'vps-1g', 1024, 20, 1, 1000), plan(2, 'vps-2g', 2048, 40, 2, 2000), plan(3, 'vps-4g', 4096, 80, 4, 4000)]) plans.set(p.plid, p);
    const os = (osid: number, name: string, distro: string, virt = 'kvm'): FakeOs => ({ osid, name, virt, distro, filename: `${name}.img` });
    for (const o of [os(100, 'ubuntu-24.04-x86_64', 'ubuntu'), os(101, 'debian-12-x86_64', 'debian'), os(102, 'almalinux-9-x86_64', 'almalinux'), os(200, 'ubuntu-22.04-x86_64', 'ubuntu', 'openvz')]) osTemplates.set(o.osid, o);
    users.set(nextUid, { uid: nextUid, email: 'existing@example.test', password: 'Existing#Pass1', fname: 'Existing', lname: 'Customer', type: 0 });
    nextUid++;
  }

  const addUser = (email: string, password: string, fname = '', lname = ''): FakeUser => {
    const u = { uid: nextUid++, email, password, fname, lname, type: 0 };
    users.set(u.uid, u);
    return u;
  };
  const userByEmail = (email: string) => [...users.values()].find((u) => u.email.toLowerCase() === email.toLowerCase());
  const allocIp = () => {
    const n = nextIp++;
    return { ipid: n, ip: `198.51.${100 + Math.floor(n / 250)}.${n % 250}` };
  };
  const createVps = (v: Partial<FakeVps> & { hostname: string; uid: number }): FakeVps => {
    const vpsid = v.vpsid ?? nextVpsid;
    nextVpsid = Math.max(nextVpsid, vpsid + 1);
    const plan = plans.get(v.plid ?? 1);
    const os = osTemplates.get(v.osid ?? 100);
    const row: FakeVps = {
      vpsid, vps_name: `v${1000 + vpsid}`, uuid: randomUUID().replace(/-/g, '').slice(0, 16), serid: 0, virt: plan?.virt ?? 'kvm',
      plid: plan?.plid ?? 0, osid: os?.osid ?? 0, os_name: os?.name ?? '', ram: plan?.ram ?? 1024, swap: plan?.swap ?? 0,
      space: plan?.space ?? 20, cores: plan?.cores ?? 1, cpu: plan?.cpu ?? 1024, cpu_percent: plan?.cpu_percent ?? 0,
      bandwidth: plan?.bandwidth ?? 0, used_bandwidth: 0, network_speed: 0, upload_speed: 0, suspended: false,
      suspend_reason: null, ips: [allocIp()], rootpass: 'Fake#Root1', running: true, time: Math.floor(Date.now() / 1000), ...v,
    };
    vps.set(vpsid, row);
    return row;
  };

  // ---- response helpers ----
  const envelope = (title: string, started: number) => ({
    title: `${title} - Virtualizor`, timenow: Math.floor(Date.now() / 1000), time_taken: ((Date.now() - started) / 1000).toFixed(3),
    globals: { cookie_name: 'SIMCookies', index: 'index.php?', version: VERSION, virts: ['kvm', 'openvz', 'lxc'] },
  });
  const list = <T>(entries: Array<[number | string, T]>) => (entries.length === 0 && switches.emptyList === 'array' ? [] : Object.fromEntries(entries));
  const errorsFor = (act: string, errs: Record<string, string>) => {
    const keyed = switches.errorShape === 'object' || (switches.errorShape === 'per-act' && (act === 'addvs' || act === 'editvs'));
    return keyed ? errs : Object.values(errs);
  };
  const done = (msg: string) => (switches.doneValue === 'message' ? msg : switches.doneValue === '1' ? 1 : true);
  const s = (n: number | boolean | null) => (n === null ? null : typeof n === 'boolean' ? (n ? '1' : '0') : String(n));
  const vpsOut = (v: FakeVps) => {
    const u = users.get(v.uid);
    return {
      vpsid: s(v.vpsid), vps_name: v.vps_name, uuid: v.uuid, serid: s(v.serid), time: s(v.time), virt: v.virt, uid: s(v.uid),
      plid: s(v.plid), hostname: v.hostname, osid: s(v.osid), os_name: v.os_name, space: s(v.space), ram: s(v.ram),
      swap: s(v.swap), cpu: s(v.cpu), cores: s(v.cores), cpu_percent: s(v.cpu_percent), bandwidth: s(v.bandwidth),
      used_bandwidth: s(v.used_bandwidth), network_speed: s(v.network_speed), upload_speed: s(v.upload_speed),
      suspended: s(v.suspended), suspend_reason: v.suspend_reason, nw_suspended: null, rescue: '0', vnc: '1',
      ips: Object.fromEntries(v.ips.map((i) => [String(i.ipid), i.ip])), email: u?.email ?? '', server_name: nodes.get(v.serid)?.server_name ?? '',
    };
  };
  const strMap = (o: object) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Array.isArray(v) ? v : typeof v === 'number' ? String(v) : v]));
  const oslist = () => {
    const out: Record<string, Record<string, Record<string, { name: string; filename: string }>>> = {};
    for (const o of osTemplates.values()) ((out[o.virt] ??= {})[o.distro] ??= {})[o.osid] = { name: o.name, filename: o.filename };
    return out;
  };
  const matches = (value: string, q: string) =>
    switches.filterMatch === 'exact' ? value.toLowerCase() === q.toLowerCase() : value.toLowerCase().includes(q.toLowerCase());
  const page = <T>(rows: T[], p: Record<string, string>) => {
    const reslen = Math.max(1, Number(p.reslen) || 50);
    const pg = Math.max(1, Number(p.page) || 1);
    return rows.slice((pg - 1) * reslen, pg * reslen);
  };

  // ---- acts ----
  type Answer = Record<string, unknown>;
  const vpsOrError = (act: string, id: string | undefined, errText: string): FakeVps | Answer => {
    const v = vps.get(Number(id));
    return v ?? { error: errorsFor(act, { vpsid: errText }) };
  };
  const isVps = (x: FakeVps | Answer): x is FakeVps => typeof (x as FakeVps).vpsid === 'number';

  function actVs(p: Record<string, string>): Answer {
    const stateChange = (id: string, errText: string, apply: (v: FakeVps) => Answer): Answer => {
      const v = vps.get(Number(id));
      if (!v) return switches.unknownVps === 'done' ? { done: done('Done') } : { error: errorsFor('vs', { vpsid: errText }) };
      return apply(v);
    };
    if (p.suspend) {
      return stateChange(p.suspend, 'There was some error while Suspending the VPS', (v) => {
        if (v.suspended && switches.repeatSuspend === 'error') return { error: errorsFor('vs', { suspend: 'There was some error while Suspending the VPS' }) };
        Object.assign(v, { suspended: true, running: false, suspend_reason: p.suspend_reason || v.suspend_reason });
        return { done: done('The VPS has been suspended'), done_msg: 'The VPS has been suspended' };
      });
    }
    if (p.unsuspend) {
      return stateChange(p.unsuspend, 'There was some error while trying to Unsuspend the VPS', (v) => {
        if (!v.suspended && switches.repeatSuspend === 'error') return { error: errorsFor('vs', { unsuspend: 'There was some error while trying to Unsuspend the VPS' }) };
        Object.assign(v, { suspended: false, running: true, suspend_reason: null });
        return { done: done('The VPS has been Unsuspended'), done_msg: 'The VPS has been Unsuspended' };
      });
    }
    if (p.delete) {
      return stateChange(p.delete, 'There was some error while destroying the VPS', (v) => {
        vps.delete(v.vpsid);
        return { done: done('The VPS has been deleted successfully'), done_msg: 'The VPS has been deleted successfully' };
      });
    }
    if (p.action) {
      const msgs: Record<string, [string, (v: FakeVps) => void]> = {
        start: ['VPS has been started successfully', (v) => (v.running = true)],
        stop: ['Shutdown signal has been sent to the VPS', (v) => (v.running = false)],
        restart: ['Restart signal has been sent to the VPS', (v) => (v.running = true)],
        poweroff: ['VPS has been powered off successfully', (v) => (v.running = false)],
      };
      const m = msgs[p.action];
      if (!m) return { error: errorsFor('vs', { action: 'Invalid action' }) };
      return stateChange(p.vpsid, p.action === 'start' ? 'The VPS failed to start' : `There was an error while trying to ${p.action} the VPS`, (v) => {
        if (v.suspended && (p.action === 'start' || p.action === 'restart')) return { error: errorsFor('vs', { action: 'The VPS failed to start' }) };
        m[1](v);
        return { done: done(m[0]), done_msg: m[0], vsop: { status: { [v.vpsid]: v.running ? 1 : 0 } } };
      });
    }
    if (p.vs_status) {
      return { status: Object.fromEntries(p.vs_status.split(',').filter((id) => vps.has(Number(id))).map((id) => [id, vps.get(Number(id))!.running ? 1 : 0])) };
    }
    let rows = [...vps.values()].sort((a, b) => a.vpsid - b.vpsid);
    if (p.vpsid) rows = rows.filter((v) => String(v.vpsid) === p.vpsid);
    if (p.vpsname) rows = rows.filter((v) => v.vps_name === p.vpsname);
    if (p.vpshostname) rows = rows.filter((v) => matches(v.hostname, p.vpshostname));
    if (p.vpsip) rows = rows.filter((v) => v.ips.some((i) => i.ip === p.vpsip));
    if (p.user) rows = rows.filter((v) => matches(users.get(v.uid)?.email ?? '', p.user));
    if (p.vsstatus === 's' || p.vsstatus === 'u') rows = rows.filter((v) => v.suspended === (p.vsstatus === 's'));
    if (p.serid) rows = rows.filter((v) => String(v.serid) === p.serid);
    if (p.plid) rows = rows.filter((v) => String(v.plid) === p.plid);
    return { vs: list(page(rows, p).map((v) => [v.vpsid, vpsOut(v)])) };
  }

  function actAddvs(p: Record<string, string>, posted: boolean): Answer {
    if (!posted || !p.addvps) {
      return {
        plans: list([...plans.values()].map((pl) => [pl.plid, strMap(pl)])), oslist: oslist(), isos: list([]),
        servers: list([...nodes.values()].map((n) => [n.serid, { ...strMap(n), numvps: String([...vps.values()].filter((v) => v.serid === n.serid).length) }])),
        servergroups: { 0: { sgid: '0', sg_name: 'Default', sg_reseller_name: 'Default' } },
        users: list([...users.values()].map((u) => [u.uid, { uid: String(u.uid), email: u.email }])), resources: {},
      };
    }
    const err: Record<string, string> = {};
    const plan = plans.get(Number(p.plid));
    const virt = p.virt || plan?.virt || '';
    const os = osTemplates.get(Number(p.osid)) ?? [...osTemplates.values()].find((o) => p.os_name && o.name === p.os_name);
    if (!virt) err.virt = 'Please specify the type of Virtualization';
    if (!p.hostname) err.hostname = 'Please specify the Hostname';
    else if (!HOSTNAME_RE.test(p.hostname)) err.hostname = 'The hostname you submitted is not valid';
    if (!p.osid && !p.os_name) err.osid = 'Please choose a OS for the VPS';
    else if (!os || os.virt !== virt) err.osid = 'The OS you submitted is invalid';
    if (!p.rootpass) err.rootpass = 'Please specify a Root Password';
    else if (!strongEnough(p.rootpass)) err.rootpass = WEAK_PASS;
    const ram = Number(p.ram || plan?.ram || 0);
    const space = Number(p.space || plan?.space || 0);
    if (!ram) err.ram = 'Please specify the RAM memory';
    if (!space) err.space = 'Please specify the Disk Space to be allocated';
    let user: FakeUser | undefined;
    if (p.uid && p.uid !== '0') {
      user = users.get(Number(p.uid));
      if (!user) err.uid = 'The User you submitted does not exist';
    } else if (p.user_email) {
      const existing = userByEmail(p.user_email);
      if (!EMAIL_RE.test(p.user_email)) err.user_email = 'The user email address is invalid';
      else if (!p.user_pass) err.user_pass = 'You did not specify the user password';
      else if (existing && switches.addvsExistingEmail === 'error') err.user_email = 'The new user email you specified already exists';
      else user = existing;
    } else err.uid = 'No user was selected';
    const node = nodes.get(Number(p.slave_server ?? p.serid ?? 0)) ?? nodes.get(0)!;
    const usedRam = [...vps.values()].filter((v) => v.serid === node.serid).reduce((a, v) => a + v.ram, 0);
    const usedSpace = [...vps.values()].filter((v) => v.serid === node.serid).reduce((a, v) => a + v.space, 0);
    if (ram && usedRam + ram > node.ram) err.ram = "The Node doesn't have enough ram to allocate to this VPS. Please reduce the RAM allocated to this VPS.";
    if (space && usedSpace + space > node.space) err.space = "The Node doesn't have enough Disk Space to create this VPS";
    if (Object.keys(err).length) return { error: errorsFor('addvs', err) };
    user ??= addUser(p.user_email, p.user_pass, p.fname, p.lname);
    const num = (k: string, d: number) => (p[k] !== undefined && p[k] !== '' ? Number(p[k]) : d);
    const v = createVps({
      hostname: p.hostname, uid: user.uid, plid: plan?.plid ?? 0, osid: os!.osid, os_name: os!.name, virt, serid: node.serid,
      ram, space, swap: num('swapram', plan?.swap ?? 0), cores: num('cores', plan?.cores ?? 1), cpu: num('cpu', plan?.cpu ?? 1024),
      cpu_percent: num('cpu_percent', plan?.cpu_percent ?? 0), bandwidth: num('bandwidth', plan?.bandwidth ?? 0),
      network_speed: num('network_speed', 0), upload_speed: num('upload_speed', 0), rootpass: p.rootpass,
    });
    return {
      done: true, done_msg: 'The Virtual Server has been created.',
      newvs: { vpsid: v.vpsid, vps_name: v.vps_name, uuid: v.uuid, ips: v.ips.map((i) => i.ip), ipv6: [], ipv6_subnet: [], hostname: v.hostname, virt: v.virt, uid: v.uid },
    };
  }

  function actEditvs(p: Record<string, string>, posted: boolean): Answer {
    const found = vpsOrError('editvs', p.vpsid, 'The VPS specified does not exist');
    if (!isVps(found)) return found;
    const v = found;
    if (!posted || !p.editvps) {
      return { vps: vpsOut(v), plans: list([...plans.values()].map((pl) => [pl.plid, strMap(pl)])), oslist: oslist() };
    }
    // The edit form is posted whole: leaving out hostname or resources is a validation error, not "keep as is".
    const err: Record<string, string> = {};
    if (!p.hostname) err.hostname = 'Please specify the Hostname';
    else if (!HOSTNAME_RE.test(p.hostname)) err.hostname = 'The hostname you submitted is not valid';
    if (!p.ram) err.ram = 'Please specify the RAM memory';
    if (!p.space) err.space = 'Please specify the disk space to be allocated';
    else if (Number(p.space) < v.space) err.space = 'You cannot shrink the disk space of a VPS';
    if (p.rootpass && !strongEnough(p.rootpass)) err.rootpass = WEAK_PASS;
    // Wording not seen in the language files: an unknown plan on edit.
    if (p.plid && p.plid !== '0' && !plans.has(Number(p.plid))) err.plid = 'The plan you selected does not exist';
    if (p.uid && !users.has(Number(p.uid))) err.uid = 'The User you submitted does not exist';
    if (Object.keys(err).length) return { error: errorsFor('editvs', err) };
    const num = (k: string, d: number) => (p[k] !== undefined && p[k] !== '' ? Number(p[k]) : d);
    Object.assign(v, {
      hostname: p.hostname, ram: Number(p.ram), space: Number(p.space), plid: num('plid', v.plid), uid: num('uid', v.uid),
      swap: num('swapram', v.swap), cores: num('cores', v.cores), cpu: num('cpu', v.cpu), cpu_percent: num('cpu_percent', v.cpu_percent),
      bandwidth: num('bandwidth', v.bandwidth), network_speed: num('network_speed', v.network_speed), upload_speed: num('upload_speed', v.upload_speed),
    });
    if (p.rootpass) v.rootpass = p.rootpass;
    return { done: true, done_msg: 'The Virtual Server has been edited.', vps: vpsOut(v) };
  }

  function actUsers(p: Record<string, string>, posted: boolean): Answer {
    if (posted && (p.suspend || p.unsuspend)) return { done: true };
    let rows = [...users.values()];
    if (p.uid) rows = rows.filter((u) => String(u.uid) === p.uid);
    if (p.email) rows = rows.filter((u) => matches(u.email, p.email));
    return { users: list(page(rows, p).map((u) => [u.uid, { uid: String(u.uid), email: u.email, fname: u.fname, lname: u.lname, type: String(u.type), num_vs: String([...vps.values()].filter((v) => v.uid === u.uid).length) }])) };
  }

  function actAdduser(p: Record<string, string>, posted: boolean): Answer {
    if (!posted || !p.adduser) return {};
    if (!p.newemail || !EMAIL_RE.test(p.newemail)) return { error: ['The email address you submitted is invalid'] };
    if (userByEmail(p.newemail)) return { error: ['The Email Address already exists'] };
    if (!p.newpass) return { error: ['Please specify a password'] };
    return { done: addUser(p.newemail, p.newpass, p.fname, p.lname).uid };
  }

  function route(act: string, p: Record<string, string>, posted: boolean): Answer {
    switch (act) {
      case 'vs': case 'listvs': return actVs(p);
      case 'addvs': return actAddvs(p, posted);
      case 'editvs': return actEditvs(p, posted);
      case 'users': return actUsers(p, posted);
      case 'adduser': return actAdduser(p, posted);
      case 'plans': {
        let rows = [...plans.values()];
        if (p.planname) rows = rows.filter((pl) => pl.plan_name.toLowerCase().includes(p.planname.toLowerCase()));
        if (p.ptype) rows = rows.filter((pl) => pl.virt === p.ptype);
        return { plans: list(page(rows, p).map((pl) => [pl.plid, strMap(pl)])) };
      }
      case 'ostemplates':
        return { oslist: oslist(), ostemplates: list(page([...osTemplates.values()], p).map((o) => [o.osid, { osid: String(o.osid), type: o.virt, name: o.name, filename: o.filename, distro: o.distro }])), oses: {} };
      case 'os': return { oslist: oslist() };
      case 'servers': {
        const servs = list([...nodes.values()].map((n) => [n.serid, { ...strMap(n), numvps: String([...vps.values()].filter((v) => v.serid === n.serid).length) }]));
        return { servs, servers: servs };
      }
      case 'serverinfo': return { info: { version: VERSION, patch: '0', num_vs: String(vps.size), kernel: '5.14.0-fake', path: '/usr/local/virtualizor' } };
      case 'config': return { info: { version: VERSION } };
      case 'sso': {
        const found = vpsOrError('sso', p.svs, 'The VPS specified does not exist');
        if (!isVps(found)) return found;
        return { done: true, sid: randomBytes(16).toString('hex'), token_key: randomBytes(8).toString('hex'), svs: String(found.vpsid) };
      }
      default: return { error: ['Invalid act'] };
    }
  }

  // ---- HTTP ----
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => { timers.delete(t); fn(); }, ms);
    timers.add(t);
  };
  const send = (res: ServerResponse, status: number, body: string, type = 'application/json', extra: Record<string, string> = {}) => {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...extra });
    res.end(body);
  };
  const html = (title: string) => `<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`;
  const loginPage = '<!DOCTYPE html><html><head><title>Login - Virtualizor</title></head><body><form method="post" action="index.php?act=login"><input name="username"><input type="password" name="password"><input type="submit" value="Login"></form></body></html>';

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const started = Date.now();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const posted = req.method === 'POST';
    const params: Record<string, string> = {};
    for (const [k, v] of url.searchParams) params[k.replace(/\[\]$/, '')] = v;
    if (posted) for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) params[k.replace(/\[\]$/, '')] = v;
    const act = params.act ?? '';
    const authorized = params.adminapikey === apiKey && params.adminapipass === apiPass;
    const { adminapikey: _k, adminapipass: _p, ...logged } = params;
    const call = { act, method: req.method ?? 'GET', params: logged, authorized };
    calls.push(call);
    opts.onCall?.(call);

    if (switches.hang) return; // the socket stays open until close()
    if (switches.latencyMs > 0) await new Promise<void>((r) => later(switches.latencyMs, r));
    if (failures.left > 0) {
      failures.left--;
      return send(res, failures.status, html(`${failures.status} ${http.STATUS_CODES[failures.status] ?? 'Error'}`), 'text/html');
    }
    if (url.pathname !== '/index.php' && url.pathname !== '/') return send(res, 404, html('404 Not Found'), 'text/html');
    if (!authorized) {
      switch (switches.badAuth) {
        case 'http403': return send(res, 403, html('403 Forbidden'), 'text/html');
        case 'empty': return send(res, 200, '', 'text/html');
        case 'login-page': return send(res, 200, loginPage, 'text/html');
        case 'redirect': return send(res, 302, '', 'text/html', { Location: '/index.php?act=login' });
        default: return send(res, 200, JSON.stringify({ title: 'Login - Virtualizor', timenow: Math.floor(Date.now() / 1000), error: ['Invalid API Key or Password'] }));
      }
    }
    if (params.api !== 'json') return send(res, 200, loginPage, 'text/html');
    const answer = { ...envelope(act, started), ...route(act, params, posted) };
    const body = JSON.stringify(answer);
    if (act === 'addvs' && posted && switches.createTimesOutButCreates && 'newvs' in answer) {
      return later(switches.createReplyDelayMs, () => send(res, 200, body));
    }
    send(res, 200, body);
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((e) => send(res, 500, html(`500 Internal Server Error: ${(e as Error).message}`), 'text/html'));
  };
  const server = opts.tls ? https.createServer({ key: readCert('localhost.key'), cert: readCert('localhost.crt') }, listener) : http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port, url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`, hostname: '127.0.0.1', apiKey, apiPass,
    vps, users, plans, osTemplates, nodes, calls, switches,
    count: (act, where = {}) => calls.filter((c) => c.act === act && Object.entries(where).every(([k, v]) => c.params[k] === v)).length,
    failNext(n, o = {}) { failures = { left: n, status: o.status ?? 503 }; },
    addVps(v) {
      const { email, ...rest } = v;
      const owner = email ? (userByEmail(email) ?? addUser(email, 'Owner#Pass1')) : users.values().next().value ?? addUser('owner@example.test', 'Owner#Pass1');
      return createVps({ ...rest, uid: rest.uid ?? owner.uid });
    },
    findVps: (pred) => [...vps.values()].filter(pred),
    userOf: (v) => users.get(v.uid),
    close: () => new Promise<void>((resolve) => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
