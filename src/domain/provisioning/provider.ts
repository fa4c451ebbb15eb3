/**
 * What Meridian asks of a hosting panel (cPanel/WHM) or a VPS panel (Virtualizor). The job worker, the admin actions
 * and the billing hooks all talk to a server only through this interface, so the rules about retries and
 * idempotency are written once, above the modules.
 *
 * Every call resolves to a ProviderResult; a module never throws for a provider's answer. `failure` tells the queue
 * what to do next:
 * - 'transient'  — timeout, connection refused/reset, 5xx: retry later with backoff;
 * - 'permanent'  — the provider refused (invalid username, unknown package …): stop, keep the provider's message;
 * - 'auth'       — credentials rejected (401/403 or the panel's own wording): permanent, and the server needs staff;
 * - 'not_found'  — the account/VPS does not exist (terminate counts this as done);
 * - 'tls'        — certificate could not be verified.
 */
export type ProviderFailure = 'transient' | 'permanent' | 'auth' | 'not_found' | 'tls';

export type ProviderResult<T extends object = {}> =
  | ({ ok: true } & T)
  | { ok: false; failure: ProviderFailure; message: string; /** HTTP status when there was one. */ status?: number };

/** Connection details of one server, credentials already decrypted (never logged, never returned to a browser). */
export interface ServerConnection {
  type: 'cpanel' | 'virtualizor';
  hostname: string;
  /** null → module default: WHM 2087 (2086 when not secure), Virtualizor 4085 (4084 when not secure). */
  port: number | null;
  secure: boolean;
  verifyTls: boolean;
  username: string | null;
  password: string | null;
  apiToken: string | null;
  apiKey: string | null;
  apiPass: string | null;
  /** Per-call timeout in ms (create calls get a longer one: see `createTimeoutMs`). */
  timeoutMs?: number;
  createTimeoutMs?: number;
}

/** One account (cPanel) or VPS (Virtualizor) as the panel reports it. */
export interface RemoteAccount {
  /** cPanel user name, or Virtualizor vpsid as a string. */
  ref: string;
  username: string | null;
  domain: string | null;
  /** Contact email (cPanel) or owner email (Virtualizor). */
  email: string | null;
  /** cPanel package name, or Virtualizor plan id as a string. */
  plan: string | null;
  suspended: boolean;
  suspendReason: string | null;
  ip: string | null;
  diskUsedMb: number | null;
  diskLimitMb: number | null;
  bandwidthUsedMb: number | null;
  bandwidthLimitMb: number | null;
}

export interface CreateAccountInput {
  /** cPanel: the generated username. Virtualizor: used for the panel user / labels. */
  username: string;
  password: string;
  /** cPanel: the main domain. Virtualizor: the VPS hostname. */
  domain: string;
  contactEmail: string;
  /** cPanel package name, or Virtualizor plan id. */
  plan: string;
  /** Virtualizor: OS template id, virtualisation type, client names. Ignored by cPanel. */
  osTemplate?: string | null;
  virt?: string | null;
  firstName?: string | null;
  lastName?: string | null;
}

export interface ConnectionTest {
  /** Panel version, e.g. "11.120.0.9". */
  version: string;
  latencyMs: number;
}

export interface HostingProvider {
  testConnection(): Promise<ProviderResult<ConnectionTest>>;
  /** Creates the account. `ref` is what later calls address it by (cPanel user, Virtualizor vpsid). */
  createAccount(input: CreateAccountInput): Promise<ProviderResult<{ ref: string; ip: string | null; details: Record<string, unknown> }>>;
  /**
   * Finds an existing account for a create retry: cPanel by exact user (then domain), Virtualizor by hostname
   * (then owner email). null when there is none.
   */
  findAccount(q: { username?: string | null; domain?: string | null; email?: string | null }): Promise<ProviderResult<{ account: RemoteAccount | null }>>;
  suspend(ref: string, reason: string): Promise<ProviderResult>;
  unsuspend(ref: string): Promise<ProviderResult>;
  terminate(ref: string): Promise<ProviderResult>;
  changePackage(ref: string, plan: string): Promise<ProviderResult>;
  changePassword(ref: string, password: string): Promise<ProviderResult>;
  /** A one-time login link into the panel for this account. */
  loginUrl(ref: string): Promise<ProviderResult<{ url: string }>>;
  listAccounts(): Promise<ProviderResult<{ accounts: RemoteAccount[] }>>;
  /** Packages (cPanel) or plans (Virtualizor) the server offers, for product set-up. */
  listPlans(): Promise<ProviderResult<{ plans: Array<{ id: string; name: string }> }>>;
  /** VPS power control (Virtualizor only; cPanel accounts have none). */
  power?(ref: string, action: 'start' | 'stop' | 'restart' | 'poweroff'): Promise<ProviderResult>;
}
