import type { Request, Response } from 'express';
import { DatabaseSessionStore } from '../../../db/session-store.js';
import { AuthService } from '../../../domain/access/auth-service.js';
import { ClientAccounts } from '../../../domain/clients/accounts.js';
import { ClientCredentials } from '../../../domain/clients/credentials.js';
import { ClientContacts } from '../../../domain/clients/contacts.js';
import { COUNTRIES, PROFILE_FIELDS, type FieldErrors, type ProfileInput } from '../../../domain/clients/validation.js';
import { field } from '../../kit.js';
import type { ClientSession, Flash } from '../../kit.js';
import type { ClientAreaDeps } from '../../kit.js';

declare module 'express-session' {
  interface SessionData {
    /** Read by the session store to know whose session this is ("log out everywhere" after a password change). */
    clientUser?: { id: number };
  }
}

/** The client area's account services: one AuthService for client logins (same lockout rules as staff), plus the rest. */
export interface AccountKit {
  deps: ClientAreaDeps;
  auth: AuthService;
  accounts: ClientAccounts;
  credentials: ClientCredentials;
  contacts: ClientContacts;
}

export function accountKit(deps: ClientAreaDeps): AccountKit {
  const now = () => deps.clock.now();
  // The deps carry no session store; a store on the same table (no pruning timer of its own) ends sessions just as well.
  const sessions = new DatabaseSessionStore(deps.ds, undefined, 0);
  const auth = new AuthService(deps.ds, { now, sessions }, { userType: 'client', ...(deps.config.NODE_ENV === 'test' ? { bcryptCost: 4 } : {}), issuer: 'Meridian' });
  void auth.warmUp().catch(() => undefined);
  const accounts = new ClientAccounts(deps.ds, { now, auth, sessions, email: deps.services.email, appUrl: deps.config.APP_URL, logger: deps.logger });
  const credentials = new ClientCredentials(deps.ds, { now, auth, sessions, email: deps.services.email, appUrl: deps.config.APP_URL, logger: deps.logger });
  const contacts = new ClientContacts(deps.ds, { now, tokens: accounts.tokens, sessions, email: deps.services.email, appUrl: deps.config.APP_URL, logger: deps.logger });
  return { deps, auth, accounts, credentials, contacts };
}

/** Where to go after logging in: only a relative path of this site, never another origin or an auth page. */
export function safeNext(raw: unknown): string {
  if (typeof raw !== 'string' || !raw || raw.length > 2000) return '/';
  if (!raw.startsWith('/') || raw.startsWith('//') || /[\\\s\u0000-\u001f\u007f]/.test(raw)) return '/';
  try {
    const base = 'http://meridian.invalid';
    const url = new URL(raw, base);
    if (url.origin !== base) return '/';
    if (/^\/(?:login|logout|register|password|verify-email)(?:[/?#]|$)/.test(url.pathname)) return '/';
  } catch {
    return '/';
  }
  return raw;
}

export const regenerate = (req: Request) => new Promise<void>((ok, fail) => req.session.regenerate((e) => (e ? fail(e) : ok())));

/** Who is signed in and the proofs of it: never carried from one session id to the next. */
const IDENTITY_KEYS = new Set(['cookie', 'client', 'clientUser', 'clientPending2fa', 'clientCsrf', 'clientFlash']);

/**
 * A new session id that keeps what the visitor did before logging in (the cart, …) but none of the identity, the
 * CSRF token or pending login steps: an id planted or seen before the login is worth nothing afterwards.
 */
export async function regenerateKeepingVisit(req: Request): Promise<void> {
  const visit = Object.fromEntries(Object.entries(req.session).filter(([k, v]) => !IDENTITY_KEYS.has(k) && typeof v !== 'function'));
  await regenerate(req);
  Object.assign(req.session, visit);
}
export const saveSession = (req: Request) => new Promise<void>((ok, fail) => req.session.save((e) => (e ? fail(e) : ok())));
export const destroySession = (req: Request) => new Promise<void>((ok) => (req.session ? req.session.destroy(() => ok()) : ok()));

/** Signs the customer in on a new session id (see regenerateKeepingVisit). */
export async function signIn(req: Request, who: ClientSession, flashes: Flash[] = []): Promise<void> {
  await regenerateKeepingVisit(req);
  req.session.client = who;
  req.session.clientUser = { id: who.userId };
  if (flashes.length) req.session.clientFlash = flashes;
  await saveSession(req);
}

export function minutes(seconds: number | undefined): string {
  const m = Math.max(1, Math.ceil((seconds ?? 60) / 60));
  return m === 1 ? '1 minute' : `${m} minutes`;
}

/** A refusal for too many attempts: 429 with Retry-After, the form shown again with the message. */
export function tooMany(res: Response, retryAfterSeconds: number | undefined): string {
  res.set('Retry-After', String(retryAfterSeconds ?? 900));
  return `Too many attempts. Please try again in ${minutes(retryAfterSeconds)}.`;
}

/** Every value of a repeated form field (checkboxes), as strings. */
export function fieldList(body: unknown, name: string): string[] {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.filter((x): x is string => typeof x === 'string').map((x) => x.trim()).slice(0, 50);
}

/** A password exactly as typed (spaces are part of it), or '' when absent. */
export function passwordField(body: unknown, name: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.slice(0, 1024) : '';
}

export function profileInput(body: unknown): ProfileInput {
  const out = {} as ProfileInput;
  for (const k of PROFILE_FIELDS) out[k] = field(body, k);
  out.country = out.country.toUpperCase();
  return out;
}

/** The country select's options, the chosen one marked. */
export const countryOptions = (chosen: string | null | undefined) => COUNTRIES.map((c) => ({ ...c, selected: c.code === chosen }));

/** Field errors for the template: `errors.<field>` beside each field, plus a summary at the top. */
export const formErrors = (fields: FieldErrors) => ({ errors: fields, errorSummary: Object.keys(fields).length ? 'Please correct the fields marked below.' : null });

/** Which account pages the signed-in login may open, for the tabs above them. */
export function accountTabs(req: Request): { details: boolean; contacts: boolean } {
  const c = req.session.client;
  if (!c) return { details: false, contacts: false };
  return { details: c.contactId === null || c.permissions.includes('profile'), contacts: c.contactId === null };
}
