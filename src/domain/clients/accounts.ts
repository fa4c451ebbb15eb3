import { IsNull, MoreThan } from 'typeorm';
import type { UserToken } from '../../entities/access/user-token.entity.js';
import type { User } from '../../entities/access/user.entity.js';
import type { Client } from '../../entities/clients/client.entity.js';
import type { Currency } from '../../entities/system/currency.entity.js';
import { ipThrottleKey, type RequestContext } from '../access/auth-service.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import { emailProblem, formFailure, newPasswordProblem, orNull, profileProblems, type FormFailure, type ProfileInput } from './validation.js';
import { ACCOUNT_LIMITS, AccountService, isDuplicateKey, throttled, type RegistrationInput, type Throttled } from './shared.js';

export { ACCOUNT_LIMITS, type ClientAccountsDeps, type RegistrationInput, type Throttled } from './shared.js';

/**
 * The customer's own account: registration with email verification, the profile, and what the account pages show
 * about the login. Logins are AuthService's (userType 'client'); password resets and email changes are
 * ClientCredentials'; contacts are ClientContacts'. Framework-free; every refusal is an Outcome.
 */
export class ClientAccounts extends AccountService {
  // ---------------------------------------------------------------- registration

  /**
   * A new client account: the login (User of type client) and the Client in one transaction, in the default
   * currency, then the verification email. The customer may log in at once; the address is marked verified when
   * the link is followed.
   */
  async register(input: RegistrationInput, ctx: RequestContext): Promise<Outcome<{ userId: number; clientId: number }> | FormFailure | Throttled> {
    const email = input.email.trim();
    const errors = profileProblems(input);
    const emailError = emailProblem(email);
    if (emailError) errors.email = emailError;
    Object.assign(errors, newPasswordProblem(input.password, input.passwordConfirm, email));
    if (Object.keys(errors).length) return formFailure(errors);

    const limit = await this.deps.auth.consumeLimit(`register:${ipThrottleKey(ctx.ip)}`, ACCOUNT_LIMITS.registerPerIp.max, ACCOUNT_LIMITS.registerPerIp.windowMs);
    if (!limit.ok) return throttled(limit.retryAfterSeconds);

    const taken = formFailure({ email: 'An account with this email address already exists. Log in, or reset your password if you forgot it.' });
    if (await this.emailTaken(email)) return taken;
    const currency = await this.ds.getRepository<Currency>('Currency').findOne({ where: { isDefault: true } });
    if (!currency) return fail('no_currency', 'Registration is not open yet: no default currency is set up. Please contact us.');
    const passwordHash = await this.deps.auth.hashPassword(input.password);

    let created: { userId: number; clientId: number; token: string };
    try {
      created = await this.ds.transaction(async (m) => {
        const users = m.getRepository<User>('User');
        const user = await users.save(
          users.create({ userType: 'client', email, firstName: input.firstName, lastName: input.lastName, passwordHash, status: 'active', emailVerifiedAt: null, passwordChangedAt: null }),
        );
        const clients = m.getRepository<Client>('Client');
        const client = await clients.save(
          clients.create({
            userId: user.id,
            email,
            ...profileColumns(input),
            currencyId: currency.id,
            status: 'active',
          }),
        );
        const token = await this.tokens.issue(user.id, 'verify_email', { manager: m });
        await this.audit('register', ctx, { userId: user.id, email, clientId: client.id }, 'Client account registered in the client area', m);
        return { userId: user.id, clientId: client.id, token };
      });
    } catch (e) {
      if (isDuplicateKey(e)) return taken;
      throw e;
    }
    await this.send('client_email_verification', email, { client: { id: created.clientId, firstName: input.firstName, lastName: input.lastName, email }, verify: { url: this.link(`/verify-email/${created.token}`) } }, created.clientId);
    return succeed({ userId: created.userId, clientId: created.clientId });
  }

  /** Follows the link of the verification email. */
  async verifyEmail(token: string, ctx: RequestContext): Promise<Outcome<{ userId: number }> | Throttled> {
    const wait = await this.deps.auth.ipThrottledFor(ctx);
    if (wait) return throttled(wait);
    const spent = await this.tokens.consume(token, 'verify_email');
    if (!spent.ok) {
      await this.deps.auth.recordFailedAttempt(ctx);
      return spent;
    }
    const user = await this.ds.getRepository<User>('User').findOne({ where: { id: spent.token.userId } });
    if (!user) return fail('invalid_token', 'This link is invalid or has expired.');
    await this.ds.getRepository<User>('User').update({ id: user.id }, { emailVerifiedAt: user.emailVerifiedAt ?? this.deps.now() });
    await this.audit('email_verified', ctx, { userId: user.id, email: user.email }, 'Email address verified');
    return succeed({ userId: user.id });
  }

  /** Sends the verification email again (a new link; the old ones stop working). */
  async resendVerification(userId: number): Promise<Outcome | Throttled> {
    const user = await this.ds.getRepository<User>('User').findOne({ where: { id: userId, userType: 'client' } });
    if (!user) return fail('not_found', 'Unknown login.');
    if (user.emailVerifiedAt) return fail('already_verified', 'Your email address is already verified.');
    const limit = await this.deps.auth.consumeLimit(`verify:user:${userId}`, ACCOUNT_LIMITS.verifyResendPerUser.max, ACCOUNT_LIMITS.verifyResendPerUser.windowMs);
    if (!limit.ok) return throttled(limit.retryAfterSeconds);
    const token = await this.tokens.issue(user.id, 'verify_email');
    const client = await this.ds.getRepository<Client>('Client').findOne({ where: { userId } });
    await this.send('client_email_verification', user.email, { client: { id: client?.id ?? null, firstName: user.firstName, lastName: user.lastName, email: user.email }, verify: { url: this.link(`/verify-email/${token}`) } }, client?.id ?? null);
    return succeed({});
  }

  // ---------------------------------------------------------------- profile

  async profile(clientId: number): Promise<Client | null> {
    return this.ds.getRepository<Client>('Client').findOne({ where: { id: clientId } });
  }

  /** The account's person and address. The owner's login name follows the account's name. */
  async updateProfile(clientId: number, input: ProfileInput, ctx: RequestContext & { userId: number; email: string }): Promise<Outcome | FormFailure> {
    const errors = profileProblems(input);
    if (Object.keys(errors).length) return formFailure(errors);
    const repo = this.ds.getRepository<Client>('Client');
    const client = await repo.findOne({ where: { id: clientId } });
    if (!client) return fail('not_found', 'Unknown account.');
    Object.assign(client, profileColumns(input));
    await repo.save(client);
    if (client.userId) {
      const users = this.ds.getRepository<User>('User');
      const owner = await users.findOne({ where: { id: client.userId } });
      if (owner) await users.save(Object.assign(owner, { firstName: input.firstName, lastName: input.lastName }));
    }
    await this.audit('profile_updated', ctx, { userId: ctx.userId, email: ctx.email, clientId }, 'Account details changed in the client area');
    return succeed({});
  }

  /** Whether the login's address is verified, and an email change waiting for confirmation, for the account pages. */
  async loginStatus(userId: number): Promise<{ email: string; verified: boolean; twoFactorEnabled: boolean; pendingEmail: string | null } | null> {
    const user = await this.ds.getRepository<User>('User').findOne({ where: { id: userId } });
    if (!user) return null;
    const pending = await this.ds.getRepository<UserToken>('UserToken').findOne({
      where: { userId, purpose: 'change_email', usedAt: IsNull(), expiresAt: MoreThan(this.deps.now()) },
      order: { id: 'DESC' },
    });
    return { email: user.email, verified: Boolean(user.emailVerifiedAt), twoFactorEnabled: user.twoFactorEnabled, pendingEmail: pending?.newEmail ?? null };
  }
}

/** The client columns a profile form sets (registration and later edits alike); empty optional fields are NULL. */
function profileColumns(input: ProfileInput) {
  return {
    firstName: input.firstName,
    lastName: input.lastName,
    companyName: orNull(input.companyName),
    phone: orNull(input.phone),
    address1: orNull(input.address1),
    address2: orNull(input.address2),
    city: orNull(input.city),
    state: orNull(input.state),
    postcode: orNull(input.postcode),
    country: input.country,
    taxId: orNull(input.taxId),
  };
}
