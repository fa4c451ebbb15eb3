import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * A fake cPanel WHM (cpsrvd) speaking WHM API 1 at /json-api/<fn>, real HTTP(S) on loopback, with in-memory accounts
 * and packages. Replies follow ../shared/docs/provider-apis.md section A: the envelope, the exact reason strings
 * (curly quotes and cPanel's "pacakge" typo included), the "API failure: (XID …)" wrapping and Perl " at … line N."
 * tails, the A.5 username rules, and the idempotency quirks of section C (repeat suspend/unsuspend answer result 1).
 *
 * UNCONFIRMED in the doc and therefore switchable: the status/body for bad credentials (403 by default, 401 possible)
 * and the createacct weak-password wording (we reuse passwd's).
 */
export interface FakeWhmPackage { name: string; quotaMb: number | null; bwlimitMb: number | null }

export interface FakeWhmAccount {
  user: string; domain: string; plan: string; email: string; owner: string; ip: string;
  suspended: boolean; suspendreason: string; suspendtime: number; startedAt: Date;
  diskUsedMb: number; diskLimitMb: number | null; bandwidthUsedBytes: number; bwLimitMb: number | null;
  /** Kept so tests can check what a create/passwd set; a real server only keeps a hash. */
  password: string;
}

export interface FakeWhmCall {
  fn: string; method: string; apiVersion: string | null;
  query: Record<string, string>; body: Record<string, string>; params: Record<string, string>;
  auth: 'token' | 'basic' | 'none' | 'bad'; status?: number;
}

export interface FakeWhmSwitches {
  /** Delay before every answer. */
  latencyMs: number;
  /** Accept requests and never answer. */
  hang: boolean;
  /** createacct creates the account at once, then holds its reply for createHoldMs (longer than the client waits). */
  createTimesOutButCreates: boolean;
  createHoldMs: number;
  authFailureStatus: 401 | 403;
  minPasswordLength: number;
  /** First-N-characters uniqueness (DB prefix length); 0 turns it off as on MariaDB servers. */
  usernamePrefixLength: number;
  /** Append " at /usr/local/cpanel/… line N." to thrown errors, as real replies sometimes do. */
  perlLocations: boolean;
}

export interface FakeWhmOptions {
  user?: string; token?: string; password?: string;
  /** HTTPS with the committed self-signed cert tests/fakes/certs/localhost.{key,crt}. */
  tls?: boolean;
  port?: number;
  version?: string;
  packages?: FakeWhmPackage[];
  switches?: Partial<FakeWhmSwitches>;
  /** Called once a request has been answered (status set), e.g. for the CLI's log. */
  onCall?: (c: FakeWhmCall) => void;
}

export interface FakeWhm {
  port: number; url: string; hostname: '127.0.0.1'; user: string; token: string; password: string;
  accounts: Map<string, FakeWhmAccount>;
  packages: Map<string, FakeWhmPackage>;
  calls: FakeWhmCall[];
  callsTo(fn: string): FakeWhmCall[];
  switches: FakeWhmSwitches;
  set(s: Partial<FakeWhmSwitches>): void;
  /** The next n requests (of `fn`, when given) get this HTTP status and an HTML error page, with nothing done. */
  failNext(n: number, o?: { status?: 500 | 502 | 503; fn?: string }): void;
  addAccount(a: Partial<FakeWhmAccount> & { user: string; domain: string }): FakeWhmAccount;
  /** Stop listening (clients get ECONNREFUSED) / listen again on the same port. */
  refuse(): Promise<void>;
  accept(): Promise<void>;
  /** Accounts, calls, queued failures and switches back to the start state; packages re-seeded. */
  reset(): void;
  close(): Promise<void>;
}

export const SAMPLE_PACKAGES: FakeWhmPackage[] = [
  { name: 'default', quotaMb: null, bwlimitMb: null },
  { name: 'starter', quotaMb: 1024, bwlimitMb: 10240 },
  { name: 'business', quotaMb: 10240, bwlimitMb: null },
];

const DEFAULT_SWITCHES: FakeWhmSwitches = {
  latencyMs: 0, hang: false, createTimesOutButCreates: false, createHoldMs: 3000, authFailureStatus: 403,
  minPasswordLength: 8, usernamePrefixLength: 8, perlLocations: true,
};

const SERVER_IP = '192.0.2.10';
const APPS = ['version', 'applist', 'createacct', 'verify_new_username', 'suspendacct', 'unsuspendacct', 'removeacct',
  'changepackage', 'passwd', 'listaccts', 'accountsummary', 'listpkgs', 'create_user_session', 'showbw', 'get_disk_usage'];
/** API 0 wrapped the answer of these in result[0]; the others answered at the top level. */
const API0_RESULT_LIST = new Set(['createacct', 'suspendacct', 'unsuspendacct', 'removeacct', 'changepackage', 'passwd']);
const RESERVED = new Set(('abrt all clamav cpanel-ccs cpeasyapache cpses cptkt cphulkd cpwebcalls dbus dirs dnsadmin dovecot '
  + 'eximstats files ftpxferlog haldaemon information_schema mailman modsec munin mydns nobody performance_schema postgres '
  + 'postmaster proftpd root roundcube shadow spamassassin ssl sys system tcpdump tmp tomcat toor virtfs virtual webmaster '
  + 'whmxfer _lock').split(' '));
const RESERVED_PREFIXES = ['test', 'passwd.', 'cpmydns', 'cpanel', 'mydns', 'pg_toast', 'pg_temp', 'cpses', 'cptkt', 'cpbackup'];
const RESERVED_SUFFIXES = ['.lock', '.cache', '.yaml', '.json', '.db', 'assword'];
const WEAK = (n: number) => `Sorry, the password you selected cannot be used because it is too weak and would be too easy to guess. Please select a password with strength rating of ${n} or higher.`;
const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');

type Outcome = { result: 0 | 1; reason: string; data?: unknown; raw?: string };
type P = Record<string, string>;

function certDir(): string {
  // Compiled into dist/tests/fakes, while the committed certs stay in tests/fakes/certs.
  const here = fileURLToPath(new URL('./certs/', import.meta.url));
  return existsSync(here) ? here : fileURLToPath(new URL('../../../tests/fakes/certs/', import.meta.url));
}

export async function startFakeWhm(opts: FakeWhmOptions = {}): Promise<FakeWhm> {
  const user = opts.user ?? 'root';
  const token = opts.token ?? 'FAKEWHMTOKEN0123456789ABCDEFGHIJ';
  const password = opts.password ?? 'fake-root-password';
  const accounts = new Map<string, FakeWhmAccount>();
  const packages = new Map<string, FakeWhmPackage>();
  const calls: FakeWhmCall[] = [];
  const switches: FakeWhmSwitches = { ...DEFAULT_SWITCHES, ...opts.switches };
  let failures: Array<{ status: number; fn?: string }> = [];
  const timers = new Set<NodeJS.Timeout>();
  const seed = () => (opts.packages ?? SAMPLE_PACKAGES).forEach((p) => packages.set(p.name, { ...p }));
  seed();

  const xid = () => randomBytes(4).toString('hex').slice(0, 6);
  const thrown = (msg: string, where?: string): Outcome => ({
    result: 0,
    reason: `API failure: (XID ${xid()}) ${msg}${where && switches.perlLocations ? ` at /usr/local/cpanel/${where} line ${200 + (msg.length % 500)}.` : ''}`,
  });
  const ok = (reason: string, data?: unknown, raw?: string): Outcome => ({ result: 1, reason, data, raw });
  const noUser = (u: string) => thrown(`You do not have a user named “${u}”.`, 'Whostmgr/Authz.pm');
  const weak = (pw: string) => pw.length < switches.minPasswordLength || /^(password|123456|qwerty)/i.test(pw);
  const mb = (n: number | null) => (n === null ? 'unlimited' : `${Math.round(n)}M`);

  function usernameProblem(raw: string): string | null {
    const u = raw.toLowerCase();
    if (!/^[a-z][a-z0-9]{0,15}$/.test(u)) return /^[-._0-9]+$/.test(u) && u.length <= 16 ? `“${u}” is a reserved username on this system.` : `“${u}” is not a valid username on this system.`;
    if (RESERVED.has(u) || RESERVED_PREFIXES.some((p) => u.startsWith(p)) || RESERVED_SUFFIXES.some((s) => u.endsWith(s))) return `“${u}” is a reserved username on this system.`;
    if (accounts.has(u)) return `This system already has an account named “${u}”.`;
    const n = switches.usernamePrefixLength;
    if (n > 0 && [...accounts.keys()].some((o) => o.slice(0, n) === u.slice(0, n))) {
      return `The name of another account on this server has the same initial ${n} characters as the given username (${u}). Each username’s first ${n} characters must be unique.`;
    }
    return null;
  }

  function acctEntry(a: FakeWhmAccount) {
    const d = a.startedAt;
    const two = (n: number) => String(n).padStart(2, '0');
    return {
      user: a.user, domain: a.domain, plan: a.plan, owner: a.owner, email: a.email, ip: a.ip, ipv6: [],
      suspended: a.suspended ? 1 : 0, suspendreason: a.suspended ? a.suspendreason : 'not suspended', suspendtime: a.suspended ? a.suspendtime : 0,
      startdate: `${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`,
      unix_startdate: Math.floor(d.getTime() / 1000), disklimit: mb(a.diskLimitMb), diskused: mb(a.diskUsedMb),
      theme: 'jupiter', shell: '/bin/bash', partition: 'home', is_locked: 0, backup: 0, legacy_backup: 0, has_backup: 0,
      maxftp: 'unlimited', maxsql: 'unlimited', maxpop: 'unlimited', maxlst: 'unlimited', maxsub: 'unlimited',
      maxparked: 'unlimited', maxaddons: 'unlimited', outgoing_mail_hold: 0, outgoing_mail_suspended: 0,
    };
  }

  function addAccount(a: Partial<FakeWhmAccount> & { user: string; domain: string }): FakeWhmAccount {
    const pkg = packages.get(a.plan ?? 'default');
    const acct: FakeWhmAccount = {
      plan: 'default', email: '', owner: 'root', ip: SERVER_IP, suspended: false, suspendreason: 'not suspended', suspendtime: 0,
      startedAt: new Date(), diskUsedMb: 0, diskLimitMb: pkg?.quotaMb ?? null, bandwidthUsedBytes: 0, bwLimitMb: pkg?.bwlimitMb ?? null,
      password: randomBytes(9).toString('base64'), ...a,
    };
    acct.user = acct.user.toLowerCase();
    accounts.set(acct.user, acct);
    return acct;
  }

  const fns: Record<string, (p: P) => Outcome> = {
    version: () => ok('OK', { version: opts.version ?? '11.120.0.9' }),
    applist: () => ok('OK', { app: APPS }),
    verify_new_username: (p) => {
      const problem = usernameProblem(p.user ?? '');
      return problem ? { result: 0, reason: problem } : ok('OK');
    },
    createacct: (p) => {
      const where = 'Whostmgr/Accounts/Create.pm';
      if (!p.username) return thrown('No user name supplied: “username” is a required argument.', where);
      const u = p.username.toLowerCase();
      const problem = usernameProblem(u);
      if (problem) return thrown(problem, where);
      const plan = p.plan || 'default';
      const pkg = packages.get(plan);
      if (!pkg) return thrown(`Sorry, "${plan}" is not a valid pacakge name.`, where);
      const domain = (p.domain || `${u}.temporary.fake-whm.test`).toLowerCase();
      if ([...accounts.values()].some((a) => a.domain === domain)) return thrown(`The domain “${domain}” already exists in the userdata.`, where);
      if (p.password && p.pass) return thrown('You may specify “password” or “pass”, not both.', where);
      const pw = p.password ?? p.pass ?? randomBytes(12).toString('base64');
      if (weak(pw)) return thrown(WEAK(65), where);
      addAccount({ user: u, domain, plan, email: p.contactemail ?? '', password: pw });
      const raw = `Running pre creation script (/usr/local/cpanel/scripts/prewwwacct)......Done\nWWWAcct 12.5.0 (c) cPanel, L.L.C....\n`
        + `+===================================+\n| New Account Info                  |\n+===================================+\n| Domain: ${domain}\n| UserName: ${u}\n`
        + `| Package: ${plan}\n+===================================+\n...Done\nAccount Creation Complete!!!\n`;
      return ok('Account Creation Ok', {
        ip: SERVER_IP, package: plan, nameserver: 'ns1.fake-whm.test', nameserver2: 'ns2.fake-whm.test', nameserver3: '', nameserver4: '',
        nameservera: '192.0.2.53', nameservera2: '192.0.2.54', nameservera3: '', nameservera4: '',
        nameserverentry: '', nameserverentry2: '', nameserverentry3: '', nameserverentry4: '',
      }, raw);
    },
    suspendacct: (p) => {
      const a = accounts.get((p.user ?? '').toLowerCase());
      if (!a) return noUser(p.user ?? '');
      // The script refuses and exits non-zero, but the API ignores the exit code (doc section C).
      if (a.suspended) return ok('OK', undefined, `User '${a.user}' is already suspended. Provide '--force' argument if you wish to do this.\n`);
      Object.assign(a, { suspended: true, suspendreason: p.reason || 'Unknown', suspendtime: Math.floor(Date.now() / 1000) });
      return ok('OK', undefined, `Changing Shell to /bin/false...Done\nLocking Password...Done\nSuspending mysql users\n${a.user}'s account has been suspended\n`);
    },
    unsuspendacct: (p) => {
      const a = accounts.get((p.user ?? '').toLowerCase());
      if (!a) return noUser(p.user ?? '');
      if (!a.suspended) return ok('OK', undefined, `An error occurred while attempting to unsuspend “${a.user}”. The user “${a.user}” is not in a suspended state.\n`);
      Object.assign(a, { suspended: false, suspendreason: 'not suspended', suspendtime: 0 });
      return ok('OK', undefined, `Changing shell for ${a.user}...Done\nUnlocking password for ${a.user}...Done\n${a.user}'s account is now active\n`);
    },
    removeacct: (p) => {
      const u = (p.username ?? p.user ?? '').toLowerCase();
      if (!accounts.has(u)) return noUser(u);
      accounts.delete(u);
      return ok(`${u} account removed`, undefined, `Running pre removal script (/usr/local/cpanel/scripts/prekillacct)......Done\nKilling all processes owned by user......Done\n${u} account removed\n`);
    },
    changepackage: (p) => {
      const a = accounts.get((p.user ?? '').toLowerCase());
      if (!a) return thrown(`Sorry, the user ${p.user ?? ''} does not exist`, 'Whostmgr/Accounts/Upgrade.pm');
      const pkg = packages.get(p.pkg ?? '');
      if (!pkg) return thrown('Specified package does not exist.', 'Whostmgr/API/1/Accounts.pm');
      const from = a.plan;
      Object.assign(a, { plan: pkg.name, diskLimitMb: pkg.quotaMb, bwLimitMb: pkg.bwlimitMb });
      return ok('OK', undefined, `Changing plan from ${from} to ${pkg.name}\nChanging quota to ${mb(pkg.quotaMb)}\nChanging bandwidth limit to ${mb(pkg.bwlimitMb)}\n`);
    },
    passwd: (p) => {
      if (!p.user) return { result: 0, reason: 'No user name supplied: “user” is a required argument.' };
      if (!p.password) return { result: 0, reason: 'No password supplied: “password” is a required argument.' };
      const a = accounts.get(p.user.toLowerCase());
      if (!a) return noUser(p.user);
      if (weak(p.password)) return { result: 0, reason: WEAK(65) };
      a.password = p.password;
      return ok(`Password changed for user “${a.user}”.`, { app: ['system', 'ftp', 'mail', 'mysql'] });
    },
    listaccts: (p) => {
      const types: Record<string, (a: FakeWhmAccount) => string[]> = {
        domain: (a) => [a.domain], owner: (a) => [a.owner], user: (a) => [a.user], ip: (a) => [a.ip], package: (a) => [a.plan],
        domain_and_user: (a) => [a.domain, a.user],
      };
      let list = [...accounts.values()];
      if (p.searchtype !== undefined || p.search !== undefined) {
        const field = types[p.searchtype ?? 'domain'];
        if (!field) return { result: 0, reason: 'Unknown search type.' };
        const search = p.search ?? '';
        let test: (v: string) => boolean;
        if (p.searchmethod === 'exact') test = (v) => v === search;
        else {
          try { const re = new RegExp(search); test = (v) => re.test(v); } catch { return thrown(`Invalid regular expression: ${search}`); }
        }
        list = list.filter((a) => field(a).some(test));
      }
      if (!list.length) return ok('OK'); // no data key at all (doc A.4)
      const want = p.want ? new Set(p.want.split(',')) : null;
      const rows = list.map(acctEntry).map((e) => (want ? Object.fromEntries(Object.entries(e).filter(([k]) => want.has(k))) : e));
      return ok('OK', { acct: rows });
    },
    accountsummary: (p) => {
      if (!p.user && !p.domain) return thrown('You must specify a user or domain to get a summary of.');
      const a = p.user ? accounts.get(p.user.toLowerCase()) : [...accounts.values()].find((x) => x.domain === p.domain!.toLowerCase());
      return a ? ok('OK', { acct: [acctEntry(a)] }) : { result: 0, reason: 'Account does not exist.' };
    },
    listpkgs: () => ok('OK', {
      pkg: [...packages.values()].map((k) => ({
        name: k.name, QUOTA: k.quotaMb === null ? 'unlimited' : String(k.quotaMb), BWLIMIT: k.bwlimitMb === null ? 'unlimited' : String(k.bwlimitMb),
        MAXFTP: 'unlimited', MAXSQL: 'unlimited', MAXPOP: 'unlimited', MAXLST: 'unlimited', MAXSUB: 'unlimited', MAXPARK: 'unlimited',
        MAXADDON: 'unlimited', CGI: 'y', HASSHELL: 'n', IP: 'n', DIGESTAUTH: 'n', FEATURELIST: 'default', CPMOD: 'jupiter', LANG: 'en',
        MAX_EMAIL_PER_HOUR: 'unlimited', MAX_DEFER_FAIL_PERCENTAGE: 'unlimited', MAX_EMAILACCT_QUOTA: 'unlimited', MAX_TEAM_USERS: '7',
        _PACKAGE_EXTENSIONS: '',
      })),
    }),
    create_user_session: (p) => {
      const ports: Record<string, number> = { cpaneld: 2083, whostmgrd: 2087, webmaild: 2096 };
      if (!ports[p.service ?? '']) return thrown(`The “service” parameter is invalid: “${p.service ?? ''}”. Use one of: cpaneld, whostmgrd, webmaild.`);
      const a = accounts.get((p.user ?? '').toLowerCase());
      if (!a) return thrown(`You cannot create a session for the user “${p.user ?? ''}” because they do not exist.`);
      if (a.suspended) return thrown(`You cannot create a session for the user “${a.user}” because they are currently suspended.`);
      const cpsess = `/cpsess${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`;
      const session = `${a.user}:${randomBytes(8).toString('hex')}:CREATE_USER_SESSION,${randomBytes(16).toString('hex')}`;
      return ok('Created session', {
        url: `https://localhost:${ports[p.service!]}${cpsess}/login/?session=${encodeURIComponent(session)}`,
        session, cp_security_token: cpsess, expires: Math.floor(Date.now() / 1000) + 900, service: p.service,
        ...(p.locale ? { locale: p.locale } : {}),
      });
    },
    showbw: (p) => {
      const now = new Date();
      const month = Number(p.month ?? now.getMonth() + 1);
      const year = Number(p.year ?? now.getFullYear());
      const current = month === now.getMonth() + 1 && year === now.getFullYear();
      let list = [...accounts.values()];
      if (p.search) list = list.filter((a) => (p.searchtype === 'domain' ? a.domain : a.user) === p.search);
      const acct = list.map((a) => {
        const bytes = current ? a.bandwidthUsedBytes : 0;
        return {
          user: a.user, maindomain: a.domain, owner: a.owner, reseller: a.owner, deleted: 0,
          limit: a.bwLimitMb === null ? 'unlimited' : String(a.bwLimitMb * 1024 * 1024), totalbytes: bytes,
          bwusage: [{ domain: a.domain, usage: String(bytes), deleted: 0 }],
        };
      });
      return ok('OK', { month, year, reseller: user, totalused: acct.reduce((s, a) => s + a.totalbytes, 0), acct });
    },
    get_disk_usage: () => ok('OK', {
      accounts: [...accounts.values()].map((a) => ({
        user: a.user, blocks_used: a.diskUsedMb * 1024, blocks_limit: a.diskLimitMb === null ? null : a.diskLimitMb * 1024,
        inodes_used: Math.round(a.diskUsedMb * 20), inodes_limit: null,
      })),
    }),
  };

  function authOf(req: IncomingMessage): FakeWhmCall['auth'] {
    const h = req.headers.authorization;
    if (!h) return 'none';
    const m = /^(whm|basic)\s+(.+)$/i.exec(h.trim());
    if (m && m[1].toLowerCase() === 'whm') return m[2] === `${user}:${token}` ? 'token' : 'bad';
    if (m) return Buffer.from(m[2], 'base64').toString('utf8') === `${user}:${password}` ? 'basic' : 'bad';
    return 'bad';
  }

  function send(res: ServerResponse, call: FakeWhmCall | null, status: number, type: string, body: string): void {
    if (call) {
      call.status = status;
      opts.onCall?.(call);
    }
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-cache, no-store, must-revalidate, private' });
    res.end(body);
  }
  const html = (title: string, text: string) => `<html><head><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>\n`;
  const later = (ms: number) => new Promise<void>((r) => { const t = setTimeout(() => { timers.delete(t); r(); }, ms); timers.add(t); });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const query = Object.fromEntries(url.searchParams);
    const body = req.method === 'POST' ? Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) : {};
    const fn = /^\/json-api\/([^/]+)\/?$/.exec(url.pathname)?.[1] ?? null;
    const params: P = { ...query, ...body };
    const call: FakeWhmCall | null = fn ? { fn, method: req.method ?? 'GET', apiVersion: params['api.version'] ?? null, query, body, params, auth: authOf(req) } : null;
    if (call) calls.push(call);
    if (switches.latencyMs > 0) await later(switches.latencyMs);
    if (switches.hang) return; // the socket stays open until the client gives up or close()
    const fi = failures.findIndex((f) => !f.fn || f.fn === fn);
    if (fi >= 0) {
      const { status } = failures.splice(fi, 1)[0];
      const title = status === 500 ? 'Internal Server Error' : status === 502 ? 'Bad Gateway' : 'Service Unavailable';
      return send(res, call, status, 'text/html; charset="utf-8"', html(`${status} ${title}`, 'The server encountered an error and could not complete your request.'));
    }
    if (!call || call.auth === 'none' || call.auth === 'bad') {
      const s = switches.authFailureStatus;
      return send(res, call, s, 'text/html; charset="utf-8"', html(s === 401 ? '401 Access denied' : '403 Forbidden', 'Access denied'));
    }
    if (!fn) return send(res, call, 404, 'text/html; charset="utf-8"', html('404 Not Found', 'Function not found'));
    const v1 = call.apiVersion === '1';
    const impl = fns[fn];
    const out: Outcome = impl ? impl(params) : { result: 0, reason: `Unknown app (${fn}) requested for this version (${v1 ? 1 : 0}) of the API.` };
    let payload: unknown;
    if (v1) {
      payload = {
        metadata: { version: 1, command: fn, result: out.result, reason: out.reason, ...(out.raw !== undefined ? { output: { raw: out.raw } } : {}) },
        ...(out.data !== undefined ? { data: out.data } : {}),
      };
    } else {
      const entry = { status: out.result, statusmsg: out.reason, ...(out.raw !== undefined ? { rawout: out.raw } : {}), ...(out.data as object | undefined) };
      payload = API0_RESULT_LIST.has(fn) ? { result: [entry] } : entry;
    }
    if (fn === 'createacct' && switches.createTimesOutButCreates) await later(switches.createHoldMs);
    send(res, call, 200, 'application/json; charset="utf-8"', JSON.stringify(payload));
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((e) => send(res, null, 500, 'text/plain', String(e)));
  };
  const server = opts.tls
    ? https.createServer({ key: readFileSync(`${certDir()}localhost.key`), cert: readFileSync(`${certDir()}localhost.crt`) }, listener)
    : http.createServer(listener);
  const listen = (port: number) => new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  const stop = () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  const port = await listen(opts.port ?? 0);

  return {
    port, url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`, hostname: '127.0.0.1', user, token, password,
    accounts, packages, calls, switches,
    callsTo: (fn) => calls.filter((c) => c.fn === fn),
    set: (s) => void Object.assign(switches, s),
    failNext: (n, o = {}) => { for (let i = 0; i < n; i++) failures.push({ status: o.status ?? 500, fn: o.fn }); },
    addAccount,
    refuse: stop,
    accept: async () => { if (!server.listening) await listen(port); },
    reset() {
      accounts.clear(); calls.splice(0); failures = []; packages.clear(); seed();
      Object.assign(switches, DEFAULT_SWITCHES, opts.switches);
    },
    async close() {
      timers.forEach(clearTimeout);
      timers.clear();
      if (server.listening) await stop();
    },
  };
}
