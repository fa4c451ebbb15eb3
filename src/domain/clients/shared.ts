import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { User } from '../../entities/access/user.entity.js';
import type { Client } from '../../entities/clients/client.entity.js';
import type { Logger } from '../../logger.js';
import { normaliseEmail, type AuthService, type RequestContext, type SessionTerminator } from '../access/auth-service.js';
import type { EmailService } from '../notifications/email-service.js';
import { UserTokens } from './tokens.js';
import type { ProfileInput } from './validation.js';

export interface ClientAccountsDeps {
  now: () => Date;
  auth: AuthService;
  sessions: SessionTerminator;
  email: EmailService;
  /** Links in emails start here. */
  appUrl: string;
  logger: Logger;
}

/** How many uses each rate-limited action allows, and per how long. */
export const ACCOUNT_LIMITS = {
  registerPerIp: { max: 10, windowMs: 3600_000 },
  resetPerIp: { max: 10, windowMs: 15 * 60_000 },
  resetPerEmail: { max: 5, windowMs: 3600_000 },
  verifyResendPerUser: { max: 5, windowMs: 3600_000 },
  emailChangePerUser: { max: 5, windowMs: 3600_000 },
};

export interface RegistrationInput extends ProfileInput {
  email: string;
  password: string;
  passwordConfirm: string;
}

/** A refusal for too many attempts (429), distinct from a form error (422). */
export interface Throttled {
  ok: false;
  error: 'throttled';
  message: string;
  retryAfterSeconds: number;
}

export const throttled = (retryAfterSeconds: number): Throttled => ({ ok: false, error: 'throttled', message: 'Too many attempts. Please try again later.', retryAfterSeconds });

/** Throttle key of an email address: hashed, so the key column never holds more than it should. */
export const emailKey = (prefix: string, email: string) => `${prefix}:email:${createHash('sha256').update(normaliseEmail(email)).digest('hex')}`;

export { isDuplicateKey } from '../../db/errors.js';

/**
 * What the account services share: the data source, the clock and mail, single-use tokens, the audit trail of
 * client events, and the rule that an address belongs to at most one login or client account.
 */
export abstract class AccountService {
  readonly tokens: UserTokens;

  constructor(protected readonly ds: DataSource, protected readonly deps: ClientAccountsDeps) {
    this.tokens = new UserTokens(ds, deps.now);
  }

  protected link(path: string): string {
    return `${this.deps.appUrl.replace(/\/+$/, '')}${path}`;
  }

  /** An email whose failure must not undo what the customer just did: logged, and the email log shows it too. */
  protected async send(templateName: string, to: string, context: Record<string, unknown>, clientId: number | null): Promise<void> {
    try {
      const sent = await this.deps.email.sendTemplate({ templateName, to, context, clientId });
      if (!sent.ok) this.deps.logger.warn({ templateName, clientId, error: sent.error }, 'client account email not sent');
    } catch (err) {
      this.deps.logger.error({ err, templateName, clientId }, 'client account email failed');
    }
  }

  protected async audit(event: string, ctx: RequestContext | null, who: { userId: number | null; email: string; clientId?: number | null }, description: string, m: EntityManager = this.ds.manager): Promise<void> {
    await m.getRepository('AuditLog').insert({
      userId: who.userId,
      actorType: 'client',
      actorName: who.email.slice(0, 255),
      event,
      auditableType: who.userId ? 'User' : null,
      auditableId: who.userId ? String(who.userId) : null,
      clientId: who.clientId ?? null,
      description,
      url: ctx?.url ? ctx.url.slice(0, 2000) : null,
      ipAddress: ctx?.ip ? ctx.ip.slice(0, 45) : null,
      userAgent: ctx?.userAgent ? ctx.userAgent.slice(0, 500) : null,
    });
  }

  /** Is this address taken by any login or any client account? */
  protected async emailTaken(email: string, m: EntityManager = this.ds.manager, exceptUserId?: number): Promise<boolean> {
    const lower = normaliseEmail(email);
    const user = await m.getRepository<User>('User').createQueryBuilder('u').withDeleted().where('LOWER(u.email) = :e', { e: lower }).getOne();
    if (user && user.id !== exceptUserId) return true;
    const client = await m.getRepository<Client>('Client').createQueryBuilder('c').withDeleted().where('LOWER(c.email) = :e', { e: lower }).getOne();
    return Boolean(client && client.userId !== exceptUserId);
  }
}
