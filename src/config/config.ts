import { z } from 'zod';

/**
 * The environment variables below are Meridian's public configuration contract (README, .env.example).
 * They are read and validated once at start; a bad value stops start-up with a message naming the variable.
 */
const timezone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as UTC or Europe/London');

const databaseUrl = z
  .string()
  .refine((u) => /^sqlite:/.test(u) || /^(mysql|mariadb):\/\/[^/]+\/[A-Za-z0-9_$-]+/.test(u), {
    message: 'must be sqlite:<path>, sqlite::memory:, or mysql://user:pass@host:3306/database',
  });

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: databaseUrl.default('sqlite:data/meridian.sqlite'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  APP_URL: z.string().url({ message: 'must be an absolute URL such as http://localhost:3000' }).optional(),
  SESSION_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  APP_KEY: z
    .string()
    .regex(/^(base64:)?[A-Za-z0-9+/=]{32,}$/, 'must be 32+ base64 characters (generate with: openssl rand -base64 32)')
    .optional(),
  ADMIN_EMAIL: z.string().email('must be an email address').optional(),
  ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  APP_TIMEZONE: timezone.default('UTC'),
  DEFAULT_CURRENCY: z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO 4217 code such as USD').default('USD'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be smtp://user:pass@host:port or smtps://…')
    .optional(),
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
  /** Uploaded files (ticket attachments): outside the web root, served only through access checks. */
  STORAGE_DIR: z.string().min(1).default('data/storage'),
  /** Email piping over SMTP: listen for forwarded support mail on this port (unset = no listener; `npm run pipe` still works). */
  INBOUND_SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  INBOUND_SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  /** "user:password" that forwarding servers must log in with; unset = no login (keep the port private). */
  INBOUND_SMTP_AUTH: z.string().regex(/^[^:]+:.+$/, 'must be user:password').optional(),
  /** "host:port" that every WHOIS question goes to instead of the registry's server (trying Meridian with npm run fake:whois). */
  WHOIS_SERVER: z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'must be host:port').optional(),
  SEED_DEMO: z
    .enum(['true', 'false', '1', '0', 'auto'])
    .default('auto')
    .transform((v) => (v === 'auto' ? 'auto' : v === 'true' || v === '1')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type AppConfig = z.output<typeof schema> & {
  APP_URL: string;
  SESSION_SECRET: string;
  APP_KEY: string;
  /** true when SESSION_SECRET / APP_KEY were generated for a development run rather than configured */
  generatedSecrets: string[];
};

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads configuration from an environment object (process.env by default).
 * In production SESSION_SECRET and APP_KEY are required; elsewhere a development value is derived so that
 * `npm start` works out of the box, and the caller is told so it can warn.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') cleaned[key] = v;
  }
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const c = parsed.data;
  const problems: string[] = [];
  const generatedSecrets: string[] = [];
  if (c.NODE_ENV === 'production') {
    if (!c.SESSION_SECRET) problems.push('SESSION_SECRET: required in production');
    if (!c.APP_KEY) problems.push('APP_KEY: required in production (openssl rand -base64 32)');
    if (!c.APP_URL) problems.push('APP_URL: required in production');
  }
  if ((c.ADMIN_EMAIL && !c.ADMIN_PASSWORD) || (!c.ADMIN_EMAIL && c.ADMIN_PASSWORD)) {
    problems.push('ADMIN_EMAIL/ADMIN_PASSWORD: set both or neither');
  }
  if (problems.length) throw new ConfigError(problems);
  if (!c.SESSION_SECRET) generatedSecrets.push('SESSION_SECRET');
  if (!c.APP_KEY) generatedSecrets.push('APP_KEY');
  return {
    ...c,
    APP_URL: c.APP_URL ?? `http://localhost:${c.PORT}`,
    // Development fallbacks are fixed strings so sessions and encrypted values survive a restart.
    SESSION_SECRET: c.SESSION_SECRET ?? 'meridian-development-session-secret',
    APP_KEY: c.APP_KEY ?? 'base64:bWVyaWRpYW4tZGV2ZWxvcG1lbnQta2V5LTMyLWJ5dGVzISE=',
    generatedSecrets,
  };
}
