import { randomInt } from 'node:crypto';
import { domainToUnicode } from 'node:url';
import type { EntityManager } from 'typeorm';

/**
 * Account usernames and passwords for new hosting accounts, following cPanel's own rules
 * (Cpanel/Validate/Username/Core.pm, Whostmgr/Accounts/NameConflict.pm; provider-apis.md A.5 and C).
 */

export type UsernameCheck = { ok: true } | { ok: false; reason: string };

/** WHM's built-in reserved names (list_reserved_usernames, before /etc/aliases is added). */
const RESERVED_NAMES = new Set([
  'abrt', 'all', 'clamav', 'cpanel-ccs', 'cpeasyapache', 'cpses', 'cptkt', 'cphulkd', 'cpwebcalls', 'dbus', 'dirs',
  'dnsadmin', 'dovecot', 'eximstats', 'files', 'ftpxferlog', 'haldaemon', 'information_schema', 'mailman', 'modsec',
  'munin', 'mydns', 'nobody', 'performance_schema', 'postgres', 'postmaster', 'proftpd', 'root', 'roundcube', 'shadow',
  'spamassassin', 'ssl', 'sys', 'system', 'tcpdump', 'tmp', 'tomcat', 'toor', 'virtfs', 'virtual', 'webmaster',
  'whmxfer', '_lock',
]);

/**
 * /etc/aliases entries and system users present on a stock cPanel server. WHM refuses them too (aliases are reserved,
 * system users "already exist"), so generating them only costs a failed createacct.
 */
const STOCK_SERVER_NAMES = new Set([
  'abuse', 'adm', 'apache', 'bin', 'cpanellogin', 'daemon', 'dbowner', 'dovenull', 'ftp', 'games', 'gopher', 'halt',
  'hostmaster', 'lp', 'mail', 'mailnull', 'mysql', 'named', 'news', 'noc', 'nscd', 'operator', 'polkitd', 'rpc',
  'rpcuser', 'security', 'shutdown', 'sshd', 'sync', 'usenet', 'uucp', 'www',
]);

const RESERVED_PREFIXES = ['test', 'passwd.', 'cpmydns', 'cpanel', 'mydns', 'pg_toast', 'pg_temp', 'cpses', 'cptkt', 'cpbackup'];
const RESERVED_SUFFIXES = ['.lock', '.cache', '.yaml', '.json', '.db', 'assword'];
/** The reserved prefixes a name built from a-z0-9 can start with; stripped from domain-derived bases. */
const ALNUM_PREFIXES = RESERVED_PREFIXES.filter((p) => /^[a-z0-9]+$/.test(p)).sort((a, b) => b.length - a.length);

export const MAX_USERNAME_LENGTH = 16;
/** cPanel's database prefix length: usernames must differ in their first this-many characters on one server. */
export const DB_PREFIX_LENGTH = 8;
const FALLBACK_BASE = 'user';

/** Whether WHM createacct would accept `name` on a stock server (uniqueness on the server is checked elsewhere). */
export function isValidWhmUsername(name: string): UsernameCheck {
  if (typeof name !== 'string' || name.length === 0) return { ok: false, reason: 'The username is empty.' };
  const q = `“${name}”`;
  if (name.length > MAX_USERNAME_LENGTH) return { ok: false, reason: `${q} is longer than ${MAX_USERNAME_LENGTH} characters.` };
  if (/[^a-z0-9]/.test(name)) return { ok: false, reason: `${q} may contain only lower-case letters a–z and digits.` };
  if (/^[0-9]/.test(name)) return { ok: false, reason: `${q} may not start with a digit.` };
  if (/^[-._0-9]+$/.test(name)) return { ok: false, reason: `${q} is made only of digits and punctuation, which cPanel reserves.` };
  if (RESERVED_NAMES.has(name)) return { ok: false, reason: `${q} is a reserved username on cPanel servers.` };
  if (STOCK_SERVER_NAMES.has(name)) return { ok: false, reason: `${q} is a system account or mail alias on standard cPanel servers.` };
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return { ok: false, reason: `${q} starts with “${prefix}”, a prefix cPanel reserves.` };
  const suffix = RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) return { ok: false, reason: `${q} ends with “${suffix}”, a suffix cPanel reserves.` };
  return { ok: true };
}

/** The part of a username cPanel requires to be unique on a server. */
export const dbPrefixOf = (name: string) => name.toLowerCase().slice(0, DB_PREFIX_LENGTH);

/** IDN labels become their Unicode form, then accents are dropped: xn--bcher-kva → bücher → bucher. */
function asciiAlnum(s: string): string {
  return s.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Leading digits are invalid and reserved prefixes ("test", "cpanel" …) would poison every suffixed retry. */
function stripBadLead(s: string): string {
  for (;;) {
    const before = s;
    s = s.replace(/^[0-9]+/, '');
    const p = ALNUM_PREFIXES.find((x) => s.startsWith(x));
    if (p) s = s.slice(p.length);
    if (s === before) return s;
  }
}

/**
 * The ≤ 8-character stem usernames are built from: letters and digits of the domain's first label (after "www."),
 * falling back to all labels but the TLD (123.example.com → example), then to "user".
 */
export function usernameBase(domain: string | null | undefined): string {
  const raw = (domain ?? '').trim().toLowerCase().replace(/\.+$/, '');
  const host = (raw && domainToUnicode(raw)) || raw;
  const labels = host.split('.').filter(Boolean);
  if (labels.length > 2 && labels[0] === 'www') labels.shift();
  const tries = [labels[0] ?? '', labels.slice(0, -1).join('')];
  for (const t of tries) {
    const base = stripBadLead(asciiAlnum(t)).slice(0, DB_PREFIX_LENGTH);
    if (base) return base;
  }
  return FALLBACK_BASE;
}

/**
 * Attempt `n` for a base: the base itself, then a numeric suffix that is appended while it fits in 8 characters and
 * otherwise replaces the tail, so every attempt has a different first-8 prefix (example → example1 … example9 →
 * exampl10; examples → example1 … exampl10).
 */
export function candidateAt(base: string, n: number): string {
  if (n === 0) return base;
  const suffix = String(n);
  return base.slice(0, Math.max(1, Math.min(base.length, DB_PREFIX_LENGTH - suffix.length))) + suffix;
}

/** Valid usernames for a domain, in the order they should be tried; distinct in their first 8 characters. */
export function* usernameCandidates(domain: string | null | undefined, maxAttempts = 100_000): Generator<string> {
  const base = usernameBase(domain);
  // A base ending in digits can repeat itself (abc12345 at n = 0, 5 and 45).
  const seen = new Set<string>();
  for (let n = 0; n < maxAttempts; n++) {
    const name = candidateAt(base, n);
    if (seen.has(dbPrefixOf(name)) || !isValidWhmUsername(name).ok) continue;
    seen.add(dbPrefixOf(name));
    yield name;
  }
}

/** '!' escapes LIKE wildcards the same way on SQLite (no default escape) and MariaDB. */
const escapeLike = (s: string) => s.replace(/[!%_]/g, (c) => `!${c}`);

/**
 * The first candidate for `domain` whose first 8 characters no service on the server already uses, nor any name in
 * `avoid` (names the panel refused during this job). Soft-deleted and terminated services count: their accounts may
 * still exist on the panel, and the (server_id, username) index forbids reuse anyway. With no server yet
 * (`serverId` null) the name is kept unique across all servers.
 *
 * Every candidate starts with the base's first 3 characters (up to 99 999 attempts), so one LIKE query fetches all
 * names that could collide.
 */
export async function chooseUsername(m: Pick<EntityManager, 'query'>, serverId: number | null, domain: string, opts: { avoid?: Set<string> } = {}): Promise<string> {
  const base = usernameBase(domain);
  const like = `${escapeLike(base.slice(0, 3))}%`;
  const rows = (serverId === null
    ? await m.query(`SELECT username FROM services WHERE username LIKE ? ESCAPE '!'`, [like])
    : await m.query(`SELECT username FROM services WHERE server_id = ? AND username LIKE ? ESCAPE '!'`, [serverId, like])) as Array<{ username: string | null }>;
  const taken = new Set<string>();
  for (const r of rows) if (r.username) taken.add(dbPrefixOf(r.username));
  for (const a of opts.avoid ?? []) taken.add(dbPrefixOf(a));
  for (const name of usernameCandidates(domain)) {
    if (!taken.has(dbPrefixOf(name))) return name;
  }
  throw new Error(`No free username left for “${domain}” on server #${serverId ?? '-'}.`);
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
/**
 * Symbols that survive shells, URLs and the form encodings of panel APIs: no quotes, backslash, space, &, =, +, %, #
 * (or $, `, ! and * which shells expand).
 */
export const PASSWORD_SYMBOLS = '-_.@:,^~';

const pick = (set: string) => set[randomInt(set.length)];

/**
 * A random password with at least one lower-case letter, upper-case letter, digit and symbol, starting with a letter
 * (a leading "-" or "~" reads as an option or home directory on a command line). Meets WHM's strength check and
 * Virtualizor's "at least 3 of the following" rule.
 */
export function generatePassword(length = 16): string {
  if (!Number.isInteger(length) || length < 8 || length > 128) throw new RangeError('Password length must be an integer from 8 to 128.');
  const all = LOWER + UPPER + DIGITS + PASSWORD_SYMBOLS;
  const rest = [pick(LOWER), pick(UPPER), pick(DIGITS), pick(PASSWORD_SYMBOLS)];
  while (rest.length < length - 1) rest.push(pick(all));
  for (let i = rest.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [rest[i], rest[j]] = [rest[j], rest[i]];
  }
  return pick(LOWER + UPPER) + rest.join('');
}
