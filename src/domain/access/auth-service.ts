import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { IsNull, LessThan, LessThanOrEqual, type DataSource, type Repository } from 'typeorm';
import type { User } from '../../entities/access/user.entity.js';
import type { LoginThrottle } from '../../entities/access/login-throttle.entity.js';

/**
 * Staff authentication: password check, lockout and throttling shared through the database, TOTP two-factor
 * authentication with one-time recovery codes, password changes, and the security entries of the activity log.
 * Framework-free: the HTTP layer (src/admin/auth-routes.ts) turns results into pages.
 *
 * Nothing here ever logs or stores a password, a TOTP code or a recovery code in plain text.
 */

export interface AuthOptions {
  /** Consecutive failed logins on one account before it is locked. */
  maxAccountFailures: number;
  /** How long a locked account stays locked. */
  accountLockMs: number;
  /** Failed logins from one IP address (IPv6: one /64) within ipWindowMs before that address is throttled. */
  maxIpFailures: number;
  /** Counting window of the IP throttle; a throttled address may try again when its window ends. */
  ipWindowMs: number;
  /** bcrypt cost: 12 in production; tests may lower it. */
  bcryptCost: number;
  minPasswordLength: number;
  /** Issuer shown in authenticator apps. */
  issuer: string;
  /** TOTP steps accepted either side of now (1 → ±30 s). */
  totpWindow: number;
  recoveryCodeCount: number;
  /** Whose logins this service checks: staff (the back office) or clients (the client area). Never both. */
  userType: 'staff' | 'client';
}

export const DEFAULT_AUTH_OPTIONS: AuthOptions = {
  maxAccountFailures: 5,
  accountLockMs: 15 * 60_000,
  maxIpFailures: 20,
  ipWindowMs: 15 * 60_000,
  bcryptCost: 12,
  minPasswordLength: 10,
  issuer: 'Meridian',
  totpWindow: 1,
  recoveryCodeCount: 10,
  userType: 'staff',
};

/** bcrypt only looks at the first 72 bytes; longer passwords are refused rather than silently truncated. */
export const MAX_PASSWORD_BYTES = 72;
const TOTP_PERIOD = 30;
const TOTP_DIGITS = 6;
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const RECOVERY_LENGTH = 10;

/** Where a request came from, for the activity log and the IP throttle. */
export interface RequestContext {
  ip: string | null;
  userAgent?: string | null;
  url?: string | null;
}

export interface StaffIdentity {
  id: number;
  email: string;
  displayName: string;
  twoFactorEnabled: boolean;
}

export type AuthCode = 'ok' | 'needs_second_factor' | 'invalid_credentials' | 'locked' | 'throttled' | 'inactive';

export interface AuthResult {
  code: AuthCode;
  /** Present for ok and needs_second_factor. */
  user?: StaffIdentity;
  /** For locked and throttled: when the caller may try again. */
  retryAfterSeconds?: number;
}

export type SecondFactorCode = 'ok' | 'invalid_code' | 'locked' | 'throttled' | 'inactive';

export interface SecondFactorResult {
  code: SecondFactorCode;
  user?: StaffIdentity;
  method?: 'totp' | 'recovery_code';
  /** After a recovery code was used: how many are left. */
  recoveryCodesLeft?: number;
  retryAfterSeconds?: number;
}

/** An expected refusal (wrong current password, weak new password, bad code): the message is safe to show. */
export type Outcome<T = object> = ({ ok: true } & T) | { ok: false; error: string; message: string; retryAfterSeconds?: number };

export interface TwoFactorEnrolment {
  /** base32, for typing into an app by hand. */
  secret: string;
  /** otpauth://totp/... */
  uri: string;
  /** The URI as a PNG QR code, data: URL. */
  qrDataUrl: string;
}

/** Ends a user's sessions; DatabaseSessionStore satisfies it. */
export interface SessionTerminator {
  destroyForUser(userId: number, exceptSid?: string): Promise<void>;
}

export interface AuthServiceDeps {
  now?: () => Date;
  sessions?: SessionTerminator;
}

export interface AccountSecurity {
  id: number;
  email: string;
  displayName: string;
  twoFactorEnabled: boolean;
  recoveryCodesLeft: number;
  passwordChangedAt: Date | null;
  lastLoginAt: Date | null;
  lastLoginIp: string | null;
}

export interface ActivityEntry {
  event: string;
  description: string | null;
  ipAddress: string | null;
  createdAt: Date;
}

/** Why a new password is unacceptable, or null when it is fine. */
export function passwordProblem(password: string, email: string, minLength = DEFAULT_AUTH_OPTIONS.minPasswordLength): string | null {
  if (typeof password !== 'string' || password.length < minLength) return `The new password must be at least ${minLength} characters long.`;
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) return `The new password must be at most ${MAX_PASSWORD_BYTES} bytes long.`;
  if (password.trim().toLowerCase() === email.trim().toLowerCase()) return 'The new password must not be your email address.';
  return null;
}

export function normaliseEmail(email: string): string {
  return String(email ?? '').trim().toLowerCase();
}

/** Throttle key of an address: IPv4 as is, IPv6 by its /64 (one customer's allocation), IPv4-mapped IPv6 as IPv4. */
export function ipThrottleKey(ip: string | null | undefined): string {
  let addr = (ip ?? '').trim().toLowerCase();
  if (!addr) return 'ip:unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(addr);
  if (mapped) addr = mapped[1];
  if (!addr.includes(':')) return `ip:${addr.slice(0, 100)}`;
  const zoneless = addr.split('%')[0];
  const [head, tail] = zoneless.includes('::') ? zoneless.split('::') : [zoneless, undefined];
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const groups = tail === undefined ? headParts : [...headParts, ...Array(Math.max(0, 8 - headParts.length - tailParts.length)).fill('0'), ...tailParts];
  const prefix = groups.slice(0, 4).map((g) => (parseInt(g || '0', 16) || 0).toString(16)).join(':');
  return `ip:${prefix}::/64`;
}

function emailThrottleKey(email: string): string {
  const key = `email:${normaliseEmail(email)}`;
  // The key column holds 191 characters; very long addresses are keyed by their hash.
  return key.length <= 191 ? key : `email:sha256:${sha256(normaliseEmail(email))}`;
}

function sha256(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

function normaliseRecoveryCode(code: string): string {
  return String(code ?? '').toLowerCase().replace(/[\s-]/g, '');
}

function secondsUntil(when: Date, now: Date): number {
  return Math.max(1, Math.ceil((when.getTime() - now.getTime()) / 1000));
}

function isDuplicateKey(e: unknown): boolean {
  const err = e as { code?: string; driverError?: { code?: string }; message?: string };
  const code = err.code ?? err.driverError?.code ?? '';
  return code === 'ER_DUP_ENTRY' || code.startsWith('SQLITE_CONSTRAINT') || /UNIQUE constraint failed|Duplicate entry/i.test(err.message ?? '');
}

type UserRow = Pick<
  User,
  | 'id'
  | 'userType'
  | 'email'
  | 'displayName'
  | 'passwordHash'
  | 'status'
  | 'twoFactorEnabled'
  | 'twoFactorSecret'
  | 'twoFactorRecoveryCodes'
  | 'twoFactorLastUsedStep'
  | 'failedLoginCount'
  | 'lockedUntil'
  | 'lastLoginAt'
  | 'lastLoginIp'
  | 'passwordChangedAt'
  | 'deletedAt'
>;

export class AuthService {
  readonly options: AuthOptions;
  private readonly now: () => Date;
  private readonly sessions?: SessionTerminator;
  private dummyHash?: Promise<string>;

  constructor(private readonly ds: DataSource, deps: AuthServiceDeps = {}, options: Partial<AuthOptions> = {}) {
    this.now = deps.now ?? (() => new Date());
    this.sessions = deps.sessions;
    const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<AuthOptions>;
    this.options = { ...DEFAULT_AUTH_OPTIONS, ...defined };
  }

  private get users(): Repository<User> {
    return this.ds.getRepository<User>('User');
  }

  private get throttles(): Repository<LoginThrottle> {
    return this.ds.getRepository<LoginThrottle>('LoginThrottle');
  }

  // ---------------------------------------------------------------- login

  /**
   * Checks a staff login. The result never tells an unknown email from a wrong password: both cost one bcrypt
   * comparison, both count towards the lockout of that email and of the IP address, both answer invalid_credentials.
   */
  async authenticate(email: string, password: string, ip: string | null, userAgent: string | null = null): Promise<AuthResult> {
    const ctx: RequestContext = { ip, userAgent };
    const now = this.now();
    const emailKey = emailThrottleKey(email);
    const attempted = normaliseEmail(email).slice(0, 255);

    const ipLock = await this.activeLock(ipThrottleKey(ip), now);
    if (ipLock) return { code: 'throttled', retryAfterSeconds: secondsUntil(ipLock, now) };

    let user = await this.findStaffByEmail(email);
    if (user) user = await this.expireAccountLock(user, now);

    const emailLock = await this.activeLock(emailKey, now);
    const userLock = user?.lockedUntil && user.lockedUntil > now ? user.lockedUntil : null;
    const lockedUntil = [emailLock, userLock].filter((d): d is Date => Boolean(d)).sort((a, b) => b.getTime() - a.getTime())[0];
    if (lockedUntil) {
      await this.audit('login_failed', ctx, { userId: user?.id ?? null, actorName: user?.email ?? attempted, description: 'Login refused: account temporarily locked' });
      const throttled = await this.recordIpFailure(ctx, now);
      if (throttled) return { code: 'throttled', retryAfterSeconds: secondsUntil(throttled, now) };
      return { code: 'locked', retryAfterSeconds: secondsUntil(lockedUntil, now) };
    }

    const hash = user?.passwordHash ?? (await this.getDummyHash());
    const matches = typeof password === 'string' && password.length > 0 && (await bcrypt.compare(password, hash));
    if (!user || !user.passwordHash || !matches) {
      return this.loginFailed(user, attempted, emailKey, ctx, now, user ? 'Wrong password' : 'Unknown email address');
    }

    if (user.status !== 'active') {
      await this.audit('login_failed', ctx, { userId: user.id, actorName: user.email, description: `Login refused: account is ${user.status}` });
      return { code: 'inactive' };
    }

    await this.resetFailures(user.id, emailKey);
    await this.upgradeHashIfWeak(user.id, password, user.passwordHash);
    if (user.twoFactorEnabled && user.twoFactorSecret) return { code: 'needs_second_factor', user: this.identity(user) };
    await this.completeLogin(user, ctx, 'password');
    return { code: 'ok', user: this.identity(user) };
  }

  /**
   * Second step of a login with two-factor authentication on: a current TOTP code (never one already used) or one of
   * the recovery codes (each works once). Wrong codes count towards the account lockout like wrong passwords.
   */
  async verifySecondFactor(userId: number, code: string, ctx: RequestContext): Promise<SecondFactorResult> {
    const now = this.now();
    const ipLock = await this.activeLock(ipThrottleKey(ctx.ip), now);
    if (ipLock) return { code: 'throttled', retryAfterSeconds: secondsUntil(ipLock, now) };
    let user = await this.findStaffById(userId);
    if (!user || !user.twoFactorEnabled || !user.twoFactorSecret) return { code: 'inactive' };
    if (user.status !== 'active') return { code: 'inactive' };
    user = await this.expireAccountLock(user, now);
    const emailKey = emailThrottleKey(user.email);
    const emailLock = await this.activeLock(emailKey, now);
    const lockedUntil = user.lockedUntil && user.lockedUntil > now ? user.lockedUntil : emailLock;
    if (lockedUntil) return { code: 'locked', retryAfterSeconds: secondsUntil(lockedUntil, now) };

    const input = String(code ?? '').trim();
    if (/^\d[\d\s]*$/.test(input)) {
      if (await this.acceptTotp(user, input, now)) {
        await this.resetFailures(user.id, emailKey);
        await this.completeLogin(user, ctx, 'two-factor code');
        return { code: 'ok', user: this.identity(user), method: 'totp' };
      }
    } else {
      const left = await this.spendRecoveryCode(user, input);
      if (left !== null) {
        await this.resetFailures(user.id, emailKey);
        await this.audit('recovery_code_used', ctx, { userId: user.id, actorName: user.email, description: `Recovery code used to log in; ${left} left` });
        await this.completeLogin(user, ctx, 'recovery code');
        return { code: 'ok', user: this.identity(user), method: 'recovery_code', recoveryCodesLeft: left };
      }
    }
    const failed = await this.loginFailed(user, user.email, emailKey, ctx, now, 'Wrong two-factor code');
    if (failed.code === 'locked' || failed.code === 'throttled') return { code: failed.code, retryAfterSeconds: failed.retryAfterSeconds };
    return { code: 'invalid_code' };
  }

  async logout(user: { id: number; email?: string | null }, ctx: RequestContext): Promise<void> {
    await this.audit('logout', ctx, { userId: user.id, actorName: user.email ?? null, description: 'Logged out' });
  }

  /**
   * Is a session created at `authenticatedAt` still good? Not if the user was deactivated, deleted, or changed their
   * password afterwards (with a second of slack for engines that store whole seconds).
   */
  async sessionStillValid(userId: number, authenticatedAt: number | undefined): Promise<boolean> {
    // Asked on every request of a signed-in person: one plain SELECT by primary key, no query builder.
    const [user] = (await this.ds.query('SELECT user_type, status, password_changed_at FROM users WHERE id = ? AND deleted_at IS NULL', [userId])) as Array<{
      user_type: string;
      status: string;
      password_changed_at: unknown;
    }>;
    if (!user || user.user_type !== this.options.userType || user.status !== 'active') return false;
    const changedAt = this.ds.driver.prepareHydratedValue(user.password_changed_at, this.ds.getMetadata('User').findColumnWithPropertyName('passwordChangedAt')!) as Date | null;
    if (changedAt && authenticatedAt !== undefined && authenticatedAt < changedAt.getTime() - 1000) return false;
    return true;
  }

  /** Lifts a lockout early (an administrator's decision). */
  async unlockAccount(userId: number, ctx: RequestContext, actor?: { id: number; email: string }): Promise<void> {
    const user = await this.findStaffById(userId);
    if (!user) throw new Error(`no staff user ${userId}`);
    await this.users.update({ id: userId }, { lockedUntil: null, failedLoginCount: 0 });
    await this.throttles.delete({ key: emailThrottleKey(user.email) });
    await this.audit('unlock', ctx, { userId: actor?.id ?? null, actorName: actor?.email ?? null, subjectId: userId, description: `Lockout of ${user.email} lifted` });
  }

  /** Computes the dummy hash ahead, so that the first unknown-email login costs no more than any other. */
  async warmUp(): Promise<void> {
    await this.getDummyHash();
  }

  /** Deletes throttle rows whose window and lock are long over (for a periodic job); returns how many. */
  async pruneThrottles(): Promise<number> {
    const now = this.now();
    const cutoff = new Date(now.getTime() - Math.max(this.options.ipWindowMs, this.options.accountLockMs));
    const res = await this.throttles.delete([
      { windowStartedAt: LessThan(cutoff), lockedUntil: IsNull() },
      { windowStartedAt: LessThan(cutoff), lockedUntil: LessThan(now) },
    ]);
    return res.affected ?? 0;
  }

  // ---------------------------------------------------------------- other rate limits

  /**
   * One use of a rate-limited action (a password reset request, a registration) under `key`, counted in the
   * database like failed logins so every node enforces the same limit: `max` uses per `windowMs`, then refused until
   * the window ends. Keys are namespaced by the caller ('reset:email:…', 'register:ip:…'), at most 191 characters.
   */
  async consumeLimit(key: string, max: number, windowMs: number): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
    const now = this.now();
    const lock = await this.activeLock(key, now);
    if (lock) return { ok: false, retryAfterSeconds: secondsUntil(lock, now) };
    await this.countFailure(key, now, windowMs, max, (row) => new Date(row.windowStartedAt.getTime() + windowMs));
    return { ok: true };
  }

  /** When the request's address is throttled for failed attempts: the seconds until it may try again, else null. */
  async ipThrottledFor(ctx: RequestContext): Promise<number | null> {
    const now = this.now();
    const lock = await this.activeLock(ipThrottleKey(ctx.ip), now);
    return lock ? secondsUntil(lock, now) : null;
  }

  /** A failed attempt other than a login (a wrong reset token, a wrong current password) counts against the address. */
  async recordFailedAttempt(ctx: RequestContext): Promise<number | null> {
    const now = this.now();
    const until = await this.recordIpFailure(ctx, now);
    return until ? secondsUntil(until, now) : null;
  }

  // ---------------------------------------------------------------- password

  async hashPassword(password: string): Promise<string> {
    return bcrypt.hash(password, this.options.bcryptCost);
  }

  /**
   * Changes a password after checking the current one. Every other session of the user ends; the caller's own
   * session (keepSessionId) stays.
   */
  async changePassword(userId: number, current: string, next: string, ctx: RequestContext & { keepSessionId?: string }): Promise<Outcome> {
    const now = this.now();
    const user = await this.findStaffById(userId);
    if (!user || user.status !== 'active') return { ok: false, error: 'inactive', message: 'This account cannot be changed.' };
    const ipLock = await this.activeLock(ipThrottleKey(ctx.ip), now);
    if (ipLock) return { ok: false, error: 'throttled', message: 'Too many failed attempts. Try again later.', retryAfterSeconds: secondsUntil(ipLock, now) };
    if (!(await this.checkPassword(user, current))) {
      await this.audit('password_change_failed', ctx, { userId, actorName: user.email, description: 'Password change refused: current password wrong' });
      await this.recordIpFailure(ctx, now);
      return { ok: false, error: 'wrong_password', message: 'Your current password is not correct.' };
    }
    const problem = passwordProblem(next, user.email, this.options.minPasswordLength);
    if (problem) return { ok: false, error: 'weak_password', message: problem };
    if (await bcrypt.compare(next, user.passwordHash!)) {
      return { ok: false, error: 'same_password', message: 'The new password must differ from the current one.' };
    }
    await this.users.update({ id: userId }, { passwordHash: await this.hashPassword(next), passwordChangedAt: now });
    await this.sessions?.destroyForUser(userId, ctx.keepSessionId);
    await this.audit('password_changed', ctx, { userId, actorName: user.email, description: 'Password changed; other sessions ended' });
    return { ok: true };
  }

  /**
   * An administrator sets another staff member's password (new colleague, forgotten password). The same rules as a
   * self-service change apply; the member's sessions end and any lockout is lifted.
   */
  async setPasswordByAdministrator(targetUserId: number, next: string, actor: { id: number; email: string }, ctx: RequestContext): Promise<Outcome> {
    if (targetUserId === actor.id) return { ok: false, error: 'self', message: 'Use your own security page to change your password.' };
    const user = await this.findStaffById(targetUserId);
    if (!user) return { ok: false, error: 'not_found', message: 'Unknown staff member.' };
    const problem = passwordProblem(next, user.email, this.options.minPasswordLength);
    if (problem) return { ok: false, error: 'weak_password', message: problem };
    await this.users.update({ id: targetUserId }, { passwordHash: await this.hashPassword(next), passwordChangedAt: this.now(), lockedUntil: null, failedLoginCount: 0 });
    await this.sessions?.destroyForUser(targetUserId);
    await this.audit('password_changed', ctx, { userId: actor.id, actorName: actor.email, subjectId: targetUserId, description: `Password of ${user.email} set by an administrator; their sessions ended` });
    return { ok: true };
  }

  // ---------------------------------------------------------------- two-factor authentication

  /**
   * Begins TOTP enrolment: a new secret is stored (encrypted) but not yet in force; confirmTwoFactor turns it on.
   * Refused while two-factor authentication is already on (disable it first).
   */
  async startTwoFactorEnrolment(userId: number): Promise<Outcome<{ enrolment: TwoFactorEnrolment }>> {
    const user = await this.findStaffById(userId);
    if (!user) return { ok: false, error: 'not_found', message: 'Unknown user.' };
    if (user.twoFactorEnabled) return { ok: false, error: 'already_enabled', message: 'Two-factor authentication is already on.' };
    const secret = new Secret({ size: 20 }).base32;
    await this.users.update({ id: userId }, { twoFactorSecret: secret, twoFactorLastUsedStep: null, twoFactorRecoveryCodes: null });
    return { ok: true, enrolment: await this.enrolmentOf(secret, user.email) };
  }

  /** The enrolment started but not confirmed yet (to show its QR code again), or null. */
  async pendingEnrolment(userId: number): Promise<TwoFactorEnrolment | null> {
    const user = await this.findStaffById(userId);
    if (!user || user.twoFactorEnabled || !user.twoFactorSecret) return null;
    return this.enrolmentOf(user.twoFactorSecret, user.email);
  }

  private async enrolmentOf(secret: string, email: string): Promise<TwoFactorEnrolment> {
    const uri = this.totp(secret, email).toString();
    const qrDataUrl = await QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 1, width: 220 });
    return { secret, uri, qrDataUrl };
  }

  /** Confirms enrolment with a code from the app; returns the recovery codes, in plain text this one time only. */
  async confirmTwoFactorEnrolment(userId: number, code: string, ctx: RequestContext): Promise<Outcome<{ recoveryCodes: string[] }>> {
    const user = await this.findStaffById(userId);
    if (!user) return { ok: false, error: 'not_found', message: 'Unknown user.' };
    if (user.twoFactorEnabled) return { ok: false, error: 'already_enabled', message: 'Two-factor authentication is already on.' };
    if (!user.twoFactorSecret) return { ok: false, error: 'not_started', message: 'Start the set-up first.' };
    if (!(await this.acceptTotp(user, code, this.now()))) {
      return { ok: false, error: 'invalid_code', message: 'That code is not correct. Check the time on your device and try the current code.' };
    }
    const recoveryCodes = this.newRecoveryCodes();
    await this.users.update({ id: userId }, { twoFactorEnabled: true, twoFactorRecoveryCodes: recoveryCodes.map((c) => sha256(normaliseRecoveryCode(c))) });
    await this.audit('2fa_enabled', ctx, { userId, actorName: user.email, description: 'Two-factor authentication turned on' });
    return { ok: true, recoveryCodes };
  }

  /** Turns two-factor authentication off; the user proves it is them with the current password or a current code. */
  async disableTwoFactor(userId: number, proof: { password?: string; code?: string }, ctx: RequestContext): Promise<Outcome> {
    const now = this.now();
    const user = await this.findStaffById(userId);
    if (!user) return { ok: false, error: 'not_found', message: 'Unknown user.' };
    if (!user.twoFactorEnabled) return { ok: false, error: 'not_enabled', message: 'Two-factor authentication is not on.' };
    const ipLock = await this.activeLock(ipThrottleKey(ctx.ip), now);
    if (ipLock) return { ok: false, error: 'throttled', message: 'Too many failed attempts. Try again later.', retryAfterSeconds: secondsUntil(ipLock, now) };
    const proved = proof.password ? await this.checkPassword(user, proof.password) : proof.code ? await this.acceptTotp(user, proof.code, now) : false;
    if (!proved) {
      await this.audit('2fa_disable_failed', ctx, { userId, actorName: user.email, description: 'Turning two-factor authentication off refused: proof wrong' });
      await this.recordIpFailure(ctx, now);
      return { ok: false, error: 'wrong_proof', message: 'Enter your current password or a current code from your app.' };
    }
    await this.clearTwoFactor(userId);
    await this.audit('2fa_disabled', ctx, { userId, actorName: user.email, description: 'Two-factor authentication turned off' });
    return { ok: true };
  }

  /** An administrator turns another staff member's two-factor authentication off (lost phone); their sessions end. */
  async resetTwoFactor(targetUserId: number, actor: { id: number; email: string }, ctx: RequestContext): Promise<Outcome> {
    if (targetUserId === actor.id) return { ok: false, error: 'self', message: 'Use your own security page to change your two-factor authentication.' };
    const user = await this.findStaffById(targetUserId);
    if (!user) return { ok: false, error: 'not_found', message: 'Unknown staff member.' };
    await this.clearTwoFactor(targetUserId);
    await this.sessions?.destroyForUser(targetUserId);
    await this.audit('2fa_reset', ctx, { userId: actor.id, actorName: actor.email, subjectId: targetUserId, description: `Two-factor authentication of ${user.email} reset by an administrator` });
    return { ok: true };
  }

  /** Replaces all recovery codes (the old ones stop working); needs the current password. */
  async regenerateRecoveryCodes(userId: number, password: string, ctx: RequestContext): Promise<Outcome<{ recoveryCodes: string[] }>> {
    const now = this.now();
    const user = await this.findStaffById(userId);
    if (!user?.twoFactorEnabled) return { ok: false, error: 'not_enabled', message: 'Two-factor authentication is not on.' };
    const ipLock = await this.activeLock(ipThrottleKey(ctx.ip), now);
    if (ipLock) return { ok: false, error: 'throttled', message: 'Too many failed attempts. Try again later.', retryAfterSeconds: secondsUntil(ipLock, now) };
    if (!(await this.checkPassword(user, password))) {
      await this.recordIpFailure(ctx, now);
      return { ok: false, error: 'wrong_password', message: 'Your current password is not correct.' };
    }
    const recoveryCodes = this.newRecoveryCodes();
    await this.users.update({ id: userId }, { twoFactorRecoveryCodes: recoveryCodes.map((c) => sha256(normaliseRecoveryCode(c))) });
    await this.audit('recovery_codes_regenerated', ctx, { userId, actorName: user.email, description: 'New recovery codes generated; the old ones no longer work' });
    return { ok: true, recoveryCodes };
  }

  // ---------------------------------------------------------------- account page

  async accountSecurity(userId: number): Promise<AccountSecurity | null> {
    const user = await this.findStaffById(userId);
    if (!user) return null;
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      twoFactorEnabled: user.twoFactorEnabled,
      recoveryCodesLeft: user.twoFactorRecoveryCodes?.length ?? 0,
      passwordChangedAt: user.passwordChangedAt,
      lastLoginAt: user.lastLoginAt,
      lastLoginIp: user.lastLoginIp,
    };
  }

  /** Recent security events concerning the user (logins, failures, 2FA and password changes, resets by others). */
  async recentActivity(userId: number, limit = 10): Promise<ActivityEntry[]> {
    const rows = await this.ds.getRepository('AuditLog').find({
      where: { auditableType: 'User', auditableId: String(userId), actorType: this.options.userType },
      order: { id: 'DESC' },
      take: limit,
    });
    return rows.map((r) => ({ event: r.event, description: r.description, ipAddress: r.ipAddress, createdAt: r.createdAt }));
  }

  // ---------------------------------------------------------------- internals

  private identity(user: UserRow): StaffIdentity {
    return { id: user.id, email: user.email, displayName: user.displayName || user.email, twoFactorEnabled: user.twoFactorEnabled };
  }

  private async findStaffByEmail(email: string): Promise<UserRow | null> {
    const trimmed = String(email ?? '').trim();
    if (!trimmed || trimmed.length > 255) return null;
    // The exact form first (uses the unique index); then case-insensitively, as addresses are typed in any case.
    const user =
      (await this.users.findOne({ where: { email: trimmed } })) ??
      (await this.users.createQueryBuilder('u').where('LOWER(u.email) = :email', { email: trimmed.toLowerCase() }).getOne());
    return user && user.userType === this.options.userType ? user : null;
  }

  private async findStaffById(id: number): Promise<UserRow | null> {
    if (!Number.isInteger(id)) return null;
    const user = await this.users.findOne({ where: { id } });
    return user && user.userType === this.options.userType ? user : null;
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= bcrypt.hash('meridian-no-such-user-password', this.options.bcryptCost);
    return this.dummyHash;
  }

  private async checkPassword(user: UserRow, password: string | undefined): Promise<boolean> {
    if (!user.passwordHash || typeof password !== 'string' || !password) return false;
    return bcrypt.compare(password, user.passwordHash);
  }

  /** Rehashes at the configured cost when an older, cheaper hash is met at a successful login. */
  private async upgradeHashIfWeak(userId: number, password: string, hash: string): Promise<void> {
    try {
      if (bcrypt.getRounds(hash) < this.options.bcryptCost) await this.users.update({ id: userId }, { passwordHash: await this.hashPassword(password) });
    } catch {
      // Not a bcrypt hash we understand: leave it; the login itself already succeeded.
    }
  }

  private async completeLogin(user: UserRow, ctx: RequestContext, how: string): Promise<void> {
    await this.users.update({ id: user.id }, { lastLoginAt: this.now(), lastLoginIp: ctx.ip ? ctx.ip.slice(0, 45) : null });
    await this.audit('login', ctx, { userId: user.id, actorName: user.email, description: `Logged in with ${how}` });
  }

  /** A lock that has run out is forgotten together with the failures that caused it. */
  private async expireAccountLock(user: UserRow, now: Date): Promise<UserRow> {
    if (user.lockedUntil && user.lockedUntil <= now) {
      await this.users.update({ id: user.id, lockedUntil: LessThanOrEqual(now) }, { lockedUntil: null, failedLoginCount: 0 });
      return { ...user, lockedUntil: null, failedLoginCount: 0 };
    }
    return user;
  }

  private async loginFailed(user: UserRow | null, attempted: string, emailKey: string, ctx: RequestContext, now: Date, reason: string): Promise<AuthResult> {
    const { maxAccountFailures, accountLockMs } = this.options;
    await this.audit('login_failed', ctx, { userId: user?.id ?? null, actorName: user?.email ?? attempted, description: `Login failed: ${reason}` });

    // Per email, known or not, so that lockouts do not reveal which addresses have accounts.
    const byEmail = await this.countFailure(emailKey, now, accountLockMs, maxAccountFailures, () => new Date(now.getTime() + accountLockMs));
    let locked = byEmail.justLocked ? byEmail.lockedUntil : null;
    if (user) {
      await this.users.increment({ id: user.id }, 'failedLoginCount', 1);
      const fresh = await this.users.findOne({ where: { id: user.id }, select: ['id', 'failedLoginCount', 'lockedUntil'] });
      if (fresh && fresh.failedLoginCount >= maxAccountFailures) {
        const until = new Date(now.getTime() + accountLockMs);
        const res = await this.users.update([{ id: user.id, lockedUntil: IsNull() }, { id: user.id, lockedUntil: LessThanOrEqual(now) }], { lockedUntil: until });
        if (res.affected) {
          locked = until;
          // Keep the email key in step, so both say "locked" until the same moment.
          await this.throttles.update({ key: emailKey }, { lockedUntil: until });
        }
      }
    }
    if (locked) {
      await this.audit('lockout', ctx, {
        userId: user?.id ?? null,
        actorName: user?.email ?? attempted,
        description: `Locked for ${Math.round(accountLockMs / 60_000)} minutes after ${maxAccountFailures} failed logins`,
      });
    }
    const throttled = await this.recordIpFailure(ctx, now);
    if (throttled) return { code: 'throttled', retryAfterSeconds: secondsUntil(throttled, now) };
    if (locked) return { code: 'locked', retryAfterSeconds: secondsUntil(locked, now) };
    return { code: 'invalid_credentials' };
  }

  /** Counts a failure from the request's address; returns the end of a throttle if one is now in force. */
  private async recordIpFailure(ctx: RequestContext, now: Date): Promise<Date | null> {
    const { maxIpFailures, ipWindowMs } = this.options;
    const key = ipThrottleKey(ctx.ip);
    const res = await this.countFailure(key, now, ipWindowMs, maxIpFailures, (row) => new Date(row.windowStartedAt.getTime() + ipWindowMs));
    if (res.justLocked) {
      await this.audit('throttle', ctx, {
        userId: null,
        actorName: null,
        description: `Logins from ${key.slice(3)} throttled after ${maxIpFailures} failures in ${Math.round(ipWindowMs / 60_000)} minutes`,
      });
    }
    return res.lockedUntil && res.lockedUntil > now ? res.lockedUntil : null;
  }

  private async activeLock(key: string, now: Date): Promise<Date | null> {
    const row = await this.throttles.findOne({ where: { key }, select: ['id', 'lockedUntil'] });
    return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
  }

  /**
   * One more failure under `key`, with statements that are each atomic so that several nodes (and concurrent
   * requests) count correctly: restart an expired window, increment, then set the lock once the limit is reached.
   * justLocked is true for exactly one caller — the one whose failure imposed the lock.
   */
  private async countFailure(
    key: string,
    now: Date,
    windowMs: number,
    max: number,
    lockEnd: (row: LoginThrottle) => Date,
  ): Promise<{ attempts: number; lockedUntil: Date | null; justLocked: boolean }> {
    const repo = this.throttles;
    const windowCutoff = new Date(now.getTime() - windowMs);
    await repo.update(
      [
        { key, windowStartedAt: LessThanOrEqual(windowCutoff), lockedUntil: IsNull() },
        { key, windowStartedAt: LessThanOrEqual(windowCutoff), lockedUntil: LessThanOrEqual(now) },
      ],
      { attempts: 0, windowStartedAt: now, lockedUntil: null },
    );
    let incremented = await repo.increment({ key }, 'attempts', 1);
    if (!incremented.affected) {
      try {
        await repo.insert({ key, attempts: 1, windowStartedAt: now, lockedUntil: null });
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
        incremented = await repo.increment({ key }, 'attempts', 1);
      }
    }
    const row = await repo.findOne({ where: { key } });
    if (!row) return { attempts: 0, lockedUntil: null, justLocked: false };
    if (row.attempts >= max && !(row.lockedUntil && row.lockedUntil > now)) {
      const until = lockEnd(row);
      const res = await repo.update([{ key, lockedUntil: IsNull() }, { key, lockedUntil: LessThan(now) }], { lockedUntil: until });
      if (res.affected) return { attempts: row.attempts, lockedUntil: until, justLocked: true };
      const again = await repo.findOne({ where: { key }, select: ['id', 'lockedUntil'] });
      return { attempts: row.attempts, lockedUntil: again?.lockedUntil ?? null, justLocked: false };
    }
    return { attempts: row.attempts, lockedUntil: row.lockedUntil, justLocked: false };
  }

  private async resetFailures(userId: number, emailKey: string): Promise<void> {
    await this.users.update({ id: userId }, { failedLoginCount: 0, lockedUntil: null });
    await this.throttles.delete({ key: emailKey });
  }

  private totp(secret: string, label: string): TOTP {
    return new TOTP({ issuer: this.options.issuer, label, algorithm: 'SHA1', digits: TOTP_DIGITS, period: TOTP_PERIOD, secret: Secret.fromBase32(secret) });
  }

  /**
   * A TOTP code is accepted within ±totpWindow steps, and only for a step later than the last accepted one: the
   * conditional update lets exactly one request spend a given code, even across nodes.
   */
  private async acceptTotp(user: UserRow, code: string, now: Date): Promise<boolean> {
    const token = String(code ?? '').replace(/\s/g, '');
    if (!user.twoFactorSecret || !new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(token)) return false;
    const totp = this.totp(user.twoFactorSecret, user.email);
    const delta = totp.validate({ token, timestamp: now.getTime(), window: this.options.totpWindow });
    if (delta === null) return false;
    const step = totp.counter({ timestamp: now.getTime() }) + delta;
    const res = await this.users.update(
      [
        { id: user.id, twoFactorLastUsedStep: IsNull() },
        { id: user.id, twoFactorLastUsedStep: LessThan(step) },
      ],
      { twoFactorLastUsedStep: step },
    );
    return Boolean(res.affected);
  }

  /** Spends a recovery code; returns how many are left, or null when the code is not (or no longer) valid. */
  private async spendRecoveryCode(user: UserRow, code: string): Promise<number | null> {
    const normalised = normaliseRecoveryCode(code);
    if (normalised.length !== RECOVERY_LENGTH) return null;
    const hash = Buffer.from(sha256(normalised), 'hex');
    const stored = user.twoFactorRecoveryCodes ?? [];
    const match = stored.find((h) => /^[0-9a-f]{64}$/.test(h) && timingSafeEqual(Buffer.from(h, 'hex'), hash));
    if (!match) return null;
    const remaining = stored.filter((h) => h !== match);
    // Only if the list is still what we read: two requests with the same code cannot both spend it.
    const meta = this.users.metadata.findColumnWithPropertyName('twoFactorRecoveryCodes')!;
    const res = await this.users
      .createQueryBuilder()
      .update()
      .set({ twoFactorRecoveryCodes: remaining })
      .where({ id: user.id })
      .andWhere(`${this.ds.driver.escape(meta.databaseName)} = :previous`, { previous: JSON.stringify(stored) })
      .execute();
    return res.affected ? remaining.length : null;
  }

  private newRecoveryCodes(): string[] {
    const codes = new Set<string>();
    while (codes.size < this.options.recoveryCodeCount) {
      let s = '';
      for (let i = 0; i < RECOVERY_LENGTH; i++) s += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
      codes.add(`${s.slice(0, 5)}-${s.slice(5)}`);
    }
    return [...codes];
  }

  private async clearTwoFactor(userId: number): Promise<void> {
    await this.users.update({ id: userId }, { twoFactorEnabled: false, twoFactorSecret: null, twoFactorRecoveryCodes: null, twoFactorLastUsedStep: null });
  }

  /** The activity log: one AuditLog row per security event, about the user concerned. */
  private async audit(
    event: string,
    ctx: RequestContext,
    who: { userId: number | null; actorName: string | null; subjectId?: number; description: string },
  ): Promise<void> {
    const subject = who.subjectId ?? who.userId;
    await this.ds.getRepository('AuditLog').insert({
      userId: who.userId,
      actorType: this.options.userType,
      actorName: who.actorName ? who.actorName.slice(0, 255) : null,
      event,
      auditableType: subject ? 'User' : null,
      auditableId: subject ? String(subject) : null,
      description: who.description,
      url: ctx.url ? ctx.url.slice(0, 2000) : null,
      ipAddress: ctx.ip ? ctx.ip.slice(0, 45) : null,
      userAgent: ctx.userAgent ? ctx.userAgent.slice(0, 500) : null,
    });
  }
}
