import bcrypt from 'bcryptjs';
import type { User } from '../../entities/access/user.entity.js';
import type { Client } from '../../entities/clients/client.entity.js';
import type { ClientContact } from '../../entities/clients/client-contact.entity.js';
import { ipThrottleKey, normaliseEmail, type RequestContext } from '../access/auth-service.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import { emailProblem, formFailure, newPasswordProblem, type FormFailure } from './validation.js';
import { ACCOUNT_LIMITS, AccountService, emailKey, isDuplicateKey, throttled, type Throttled } from './shared.js';

/**
 * The secrets of a login that are changed through an emailed link: a forgotten password (and a contact's first
 * password, from its invitation), and the email address itself, which changes only once the new address confirms.
 */
export class ClientCredentials extends AccountService {
  // ---------------------------------------------------------------- password reset

  /**
   * "Forgot my password": the same answer whether or not the address has a login (no hint which addresses exist),
   * limited per address and per IP. A known, active client login gets an email with a link valid for one hour.
   */
  async requestPasswordReset(emailInput: string, ctx: RequestContext): Promise<Outcome | Throttled> {
    const email = emailInput.trim();
    const perIp = await this.deps.auth.consumeLimit(`reset:${ipThrottleKey(ctx.ip)}`, ACCOUNT_LIMITS.resetPerIp.max, ACCOUNT_LIMITS.resetPerIp.windowMs);
    if (!perIp.ok) return throttled(perIp.retryAfterSeconds);
    if (emailProblem(email)) return succeed({});
    const perEmail = await this.deps.auth.consumeLimit(emailKey('reset', email), ACCOUNT_LIMITS.resetPerEmail.max, ACCOUNT_LIMITS.resetPerEmail.windowMs);
    if (!perEmail.ok) return throttled(perEmail.retryAfterSeconds);
    const user = await this.ds.getRepository<User>('User').createQueryBuilder('u').where('LOWER(u.email) = :e', { e: normaliseEmail(email) }).getOne();
    if (!user || user.userType !== 'client' || user.status !== 'active') return succeed({});
    const token = await this.tokens.issue(user.id, 'reset_password');
    const client = await this.ds.getRepository<Client>('Client').findOne({ where: { userId: user.id } });
    // Not awaited: the answer must come as fast for a known address as for an unknown one (SMTP takes a while).
    void this.send('client_password_reset', user.email, { client: { id: client?.id ?? null, firstName: user.firstName, lastName: user.lastName, email: user.email }, reset: { url: this.link(`/password/reset/${token}`) } }, client?.id ?? null);
    await this.audit('password_reset_requested', ctx, { userId: user.id, email: user.email, clientId: client?.id }, 'Password reset link sent');
    return succeed({});
  }

  /** Is this reset (or invitation) link still good? For showing the form; spending happens in setPasswordWithToken. */
  async tokenIsLive(token: string, purpose: 'reset_password' | 'contact_invite'): Promise<boolean> {
    return Boolean(await this.tokens.peek(token, purpose));
  }

  /**
   * Sets a new password from a reset or invitation link: the link is spent, every session of the login ends, any
   * lockout is lifted, and the address counts as verified (the mail reached its owner).
   */
  async setPasswordWithToken(token: string, purpose: 'reset_password' | 'contact_invite', password: string, confirm: string, ctx: RequestContext): Promise<Outcome<{ userId: number }> | FormFailure | Throttled> {
    const wait = await this.deps.auth.ipThrottledFor(ctx);
    if (wait) return throttled(wait);
    const live = await this.tokens.peek(token, purpose);
    if (!live) {
      await this.deps.auth.recordFailedAttempt(ctx);
      return fail('invalid_token', 'This link is invalid or has expired. Ask for a new one.');
    }
    const user = await this.ds.getRepository<User>('User').findOne({ where: { id: live.userId } });
    if (!user || user.userType !== 'client') return fail('invalid_token', 'This link is invalid or has expired. Ask for a new one.');
    const errors = newPasswordProblem(password, confirm, user.email);
    if (Object.keys(errors).length) return formFailure(errors);
    const spent = await this.tokens.consume(token, purpose);
    if (!spent.ok) return spent;
    const now = this.deps.now();
    await this.ds.getRepository<User>('User').update(
      { id: user.id },
      { passwordHash: await this.deps.auth.hashPassword(password), passwordChangedAt: now, failedLoginCount: 0, lockedUntil: null, emailVerifiedAt: user.emailVerifiedAt ?? now },
    );
    await this.ds.getRepository('LoginThrottle').delete({ key: `email:${normaliseEmail(user.email)}` });
    await this.deps.sessions.destroyForUser(user.id);
    await this.audit(purpose === 'reset_password' ? 'password_reset' : 'invitation_accepted', ctx, { userId: user.id, email: user.email }, purpose === 'reset_password' ? 'Password reset with an emailed link; sessions ended' : 'Contact invitation accepted; password chosen');
    return succeed({ userId: user.id });
  }

  // ---------------------------------------------------------------- email change

  /**
   * Starts changing a login's address: needs the current password; a link goes to the new address, and nothing
   * changes until it is followed (a typo cannot lock anyone out).
   */
  async requestEmailChange(userId: number, newEmailInput: string, password: string, ctx: RequestContext): Promise<Outcome | FormFailure | Throttled> {
    const newEmail = newEmailInput.trim();
    const user = await this.ds.getRepository<User>('User').findOne({ where: { id: userId, userType: 'client' } });
    if (!user) return fail('not_found', 'Unknown login.');
    const wait = await this.deps.auth.ipThrottledFor(ctx);
    if (wait) return throttled(wait);
    const emailError = emailProblem(newEmail);
    if (emailError) return formFailure({ newEmail: emailError });
    if (normaliseEmail(newEmail) === normaliseEmail(user.email)) return formFailure({ newEmail: 'This is already your email address.' });
    if (!password || !user.passwordHash || !(await bcrypt.compare(password, user.passwordHash))) {
      await this.deps.auth.recordFailedAttempt(ctx);
      return formFailure({ currentPassword: 'Your current password is not correct.' });
    }
    if (await this.emailTaken(newEmail, this.ds.manager, userId)) return formFailure({ newEmail: 'Another account already uses this email address.' });
    const limit = await this.deps.auth.consumeLimit(`email-change:user:${userId}`, ACCOUNT_LIMITS.emailChangePerUser.max, ACCOUNT_LIMITS.emailChangePerUser.windowMs);
    if (!limit.ok) return throttled(limit.retryAfterSeconds);
    const token = await this.tokens.issue(userId, 'change_email', { newEmail });
    const client = await this.ds.getRepository<Client>('Client').findOne({ where: { userId } });
    await this.send('client_email_change', newEmail, { client: { id: client?.id ?? null, firstName: user.firstName, lastName: user.lastName, email: user.email }, emailChange: { url: this.link(`/account/email/confirm/${token}`), newEmail } }, client?.id ?? null);
    await this.audit('email_change_requested', ctx, { userId, email: user.email, clientId: client?.id }, `Email change to ${newEmail} requested; confirmation sent to the new address`);
    return succeed({});
  }

  /** Follows the link sent to the new address: the login (and the account or contact it is) takes the new address. */
  async confirmEmailChange(token: string, ctx: RequestContext): Promise<Outcome<{ userId: number; email: string }> | Throttled> {
    const wait = await this.deps.auth.ipThrottledFor(ctx);
    if (wait) return throttled(wait);
    const live = await this.tokens.peek(token, 'change_email');
    if (!live || !live.newEmail) {
      await this.deps.auth.recordFailedAttempt(ctx);
      return fail('invalid_token', 'This link is invalid or has expired. Ask for a new one.');
    }
    const newEmail = live.newEmail;
    if (await this.emailTaken(newEmail, this.ds.manager, live.userId)) return fail('email_taken', 'Another account now uses this email address; it cannot be yours too.');
    try {
      return await this.ds.transaction(async (m) => {
        const spent = await this.tokens.consume(token, 'change_email', m);
        if (!spent.ok) return spent;
        const users = m.getRepository<User>('User');
        const user = await users.findOneOrFail({ where: { id: live.userId } });
        const old = user.email;
        await users.save(Object.assign(user, { email: newEmail, emailVerifiedAt: this.deps.now() }));
        await m.getRepository<Client>('Client').update({ userId: user.id }, { email: newEmail });
        await m.getRepository<ClientContact>('ClientContact').update({ userId: user.id }, { email: newEmail });
        await this.audit('email_changed', ctx, { userId: user.id, email: newEmail }, `Email address changed from ${old} to ${newEmail}`, m);
        return succeed({ userId: user.id, email: newEmail });
      });
    } catch (e) {
      if (isDuplicateKey(e)) return fail('email_taken', 'Another account now uses this email address; it cannot be yours too.');
      throw e;
    }
  }

}
