import type { DataSource } from 'typeorm';
import type { User } from '../../entities/access/user.entity.js';
import type { Client } from '../../entities/clients/client.entity.js';
import { CONTACT_TYPES, type ClientContact, type ContactType } from '../../entities/clients/client-contact.entity.js';
import type { Logger } from '../../logger.js';
import { normaliseEmail, type RequestContext, type SessionTerminator } from '../access/auth-service.js';
import type { EmailService } from '../notifications/email-service.js';
import { fail, succeed, type Outcome } from '../shared/outcome.js';
import { ACCOUNT_PERMISSIONS, onlyKnownPermissions, type AccountPermission } from './sessions.js';
import { isDuplicateKey } from './shared.js';
import type { UserTokens } from './tokens.js';
import { emailProblem, formFailure, orNull, type FieldErrors, type FormFailure } from './validation.js';

export const CONTACT_EMAIL_FLAGS = ['generalEmails', 'invoiceEmails', 'productEmails', 'domainEmails', 'supportEmails'] as const;
export type ContactEmailFlag = (typeof CONTACT_EMAIL_FLAGS)[number];

export interface ContactInput {
  firstName: string;
  lastName: string;
  companyName: string;
  email: string;
  phone: string;
  contactType: string;
  emails: ContactEmailFlag[];
  /** Give (or keep) this contact a login of its own. */
  login: boolean;
  permissions: string[];
}

export interface ContactView {
  id: number;
  firstName: string;
  lastName: string;
  companyName: string | null;
  email: string;
  phone: string | null;
  contactType: ContactType;
  emails: ContactEmailFlag[];
  hasLogin: boolean;
  /** Invited but has not chosen a password yet. */
  invitationPending: boolean;
  permissions: AccountPermission[];
}

export interface ClientContactsDeps {
  now: () => Date;
  tokens: UserTokens;
  sessions: SessionTerminator;
  email: EmailService;
  appUrl: string;
  logger: Logger;
}

/**
 * The people on a client account and their logins (WHMCS sub-accounts). Always addressed through the client id:
 * another account's contact is "not found". A contact's login is invited by email (a link to choose a password)
 * and limited to its permissions; changing them or removing the login ends the contact's sessions at once.
 */
export class ClientContacts {
  constructor(private readonly ds: DataSource, private readonly deps: ClientContactsDeps) {}

  private get repo() {
    return this.ds.getRepository<ClientContact>('ClientContact');
  }

  private async view(c: ClientContact): Promise<ContactView> {
    const user = c.userId ? await this.ds.getRepository<User>('User').findOne({ where: { id: c.userId }, select: ['id', 'passwordHash'] }) : null;
    return {
      id: c.id,
      firstName: c.firstName,
      lastName: c.lastName,
      companyName: c.companyName,
      email: c.email,
      phone: c.phone,
      contactType: c.contactType,
      emails: CONTACT_EMAIL_FLAGS.filter((f) => c[f]),
      hasLogin: Boolean(user),
      invitationPending: Boolean(user && !user.passwordHash),
      permissions: onlyKnownPermissions(c.permissions),
    };
  }

  async list(clientId: number): Promise<ContactView[]> {
    const rows = await this.repo.find({ where: { clientId }, order: { lastName: 'ASC', firstName: 'ASC', id: 'ASC' } });
    return Promise.all(rows.map((c) => this.view(c)));
  }

  async get(clientId: number, contactId: number): Promise<ContactView | null> {
    if (!Number.isInteger(contactId)) return null;
    const c = await this.repo.findOne({ where: { id: contactId, clientId } });
    return c ? this.view(c) : null;
  }

  private problems(input: ContactInput): FieldErrors {
    const errors: FieldErrors = {};
    const max = (k: keyof ContactInput, n: number) => {
      const v = input[k];
      if (typeof v === 'string' && v.length > n) errors[k] = `At most ${n} characters.`;
    };
    if (!input.firstName) errors.firstName = 'Enter a first name.';
    if (!input.lastName) errors.lastName = 'Enter a last name.';
    max('firstName', 100);
    max('lastName', 100);
    max('companyName', 255);
    const emailError = emailProblem(input.email);
    if (emailError) errors.email = emailError.replace('your email', 'an email');
    if (input.phone && !/^\+?[0-9 ().-]{5,32}$/.test(input.phone)) errors.phone = 'Enter a phone number with digits, spaces and + ( ) - only.';
    if (!(CONTACT_TYPES as readonly string[]).includes(input.contactType)) errors.contactType = 'Choose a contact type.';
    for (const [k, v] of Object.entries(input)) if (typeof v === 'string' && /[\u0000-\u001f\u007f]/.test(v)) errors[k] ??= 'Remove the control characters.';
    const unknown = input.permissions.filter((p) => !(ACCOUNT_PERMISSIONS as readonly string[]).includes(p));
    if (unknown.length) errors.permissions = 'Choose permissions from the list.';
    else if (input.login && !input.permissions.length) errors.permissions = 'A login needs at least one permission.';
    return errors;
  }

  /** Is the address taken by a login other than `exceptUserId`, or by a client account? */
  private async loginEmailTaken(email: string, exceptUserId: number | null): Promise<boolean> {
    const e = normaliseEmail(email);
    const user = await this.ds.getRepository<User>('User').createQueryBuilder('u').withDeleted().where('LOWER(u.email) = :e', { e }).getOne();
    if (user && user.id !== exceptUserId) return true;
    const client = await this.ds.getRepository<Client>('Client').createQueryBuilder('c').withDeleted().where('LOWER(c.email) = :e', { e }).getOne();
    return Boolean(client);
  }

  /** Adds (contactId null) or edits a contact of the client; gives, changes or removes its login. */
  async save(clientId: number, contactId: number | null, input: ContactInput, ctx: RequestContext): Promise<Outcome<{ contactId: number; invited: boolean }> | FormFailure> {
    const errors = this.problems(input);
    if (Object.keys(errors).length) return formFailure(errors);
    const client = await this.ds.getRepository<Client>('Client').findOne({ where: { id: clientId } });
    if (!client) return fail('not_found', 'Unknown account.');
    let contact: ClientContact | null = null;
    if (contactId !== null) {
      contact = await this.repo.findOne({ where: { id: contactId, clientId } });
      if (!contact) return fail('not_found', 'Not found');
    }
    const hadLogin = Boolean(contact?.userId);
    if (hadLogin && normaliseEmail(contact!.email) !== normaliseEmail(input.email)) {
      return formFailure({ email: 'This contact has a login: they change their address themselves, from their own security page.' });
    }
    if (input.login && !hadLogin && (await this.loginEmailTaken(input.email, null))) {
      return formFailure({ email: 'This address already has a login here. A contact login needs an address of its own.' });
    }
    const permissions = input.login ? onlyKnownPermissions(input.permissions) : [];
    const fields: Partial<ClientContact> = {
      clientId,
      firstName: input.firstName,
      lastName: input.lastName,
      companyName: orNull(input.companyName),
      email: input.email,
      phone: orNull(input.phone),
      contactType: input.contactType as ContactType,
      permissions,
      ...Object.fromEntries(CONTACT_EMAIL_FLAGS.map((f) => [f, input.emails.includes(f)])),
    };

    let invite: { userId: number; token: string } | null = null;
    let endSessionsOf: number | null = null;
    try {
      contact = await this.ds.transaction(async (m) => {
        const repo = m.getRepository<ClientContact>('ClientContact');
        const before = contact ? onlyKnownPermissions(contact.permissions) : [];
        const row = await repo.save(contact ? Object.assign(contact, fields) : repo.create(fields));
        if (input.login && !row.userId) {
          const users = m.getRepository<User>('User');
          const user = await users.save(users.create({ userType: 'client', email: input.email, firstName: input.firstName, lastName: input.lastName, passwordHash: null, status: 'active' }));
          row.userId = user.id;
          await repo.update({ id: row.id }, { userId: user.id });
          invite = { userId: user.id, token: await this.deps.tokens.issue(user.id, 'contact_invite', { manager: m }) };
        } else if (!input.login && row.userId) {
          endSessionsOf = row.userId;
          await repo.update({ id: row.id }, { userId: null });
          await this.removeLogin(m.getRepository<User>('User'), row.userId);
          row.userId = null;
        } else if (row.userId && (before.length !== permissions.length || before.some((p) => !permissions.includes(p)))) {
          // Sessions carry the permissions they were opened with: a change takes effect at the next login.
          endSessionsOf = row.userId;
        }
        return row;
      });
    } catch (e) {
      if (isDuplicateKey(e)) return formFailure({ email: 'This address already has a login here. A contact login needs an address of its own.' });
      throw e;
    }
    if (endSessionsOf !== null) await this.deps.sessions.destroyForUser(endSessionsOf);
    // Assigned inside the transaction's callback, which TypeScript's narrowing does not follow.
    const sent = invite as { userId: number; token: string } | null;
    if (sent) await this.sendInvite(client, contact!, sent.token);
    return succeed({ contactId: contact!.id, invited: Boolean(sent) });
  }

  /** Sends a new invitation link (the earlier ones stop working) to a contact that has not chosen a password yet. */
  async resendInvite(clientId: number, contactId: number): Promise<Outcome> {
    const contact = await this.repo.findOne({ where: { id: contactId, clientId } });
    if (!contact) return fail('not_found', 'Not found');
    const user = contact.userId ? await this.ds.getRepository<User>('User').findOne({ where: { id: contact.userId } }) : null;
    if (!user || user.passwordHash) return fail('not_pending', 'This contact has no invitation waiting.');
    const client = await this.ds.getRepository<Client>('Client').findOneOrFail({ where: { id: clientId } });
    await this.sendInvite(client, contact, await this.deps.tokens.issue(user.id, 'contact_invite'));
    return succeed({});
  }

  private async sendInvite(client: Client, contact: ClientContact, token: string): Promise<void> {
    const url = `${this.deps.appUrl.replace(/\/+$/, '')}/account/invite/${token}`;
    try {
      const sent = await this.deps.email.sendTemplate({
        templateName: 'client_contact_invite',
        to: contact.email,
        context: { client: { id: client.id, firstName: contact.firstName, lastName: contact.lastName, email: contact.email }, invite: { url, accountName: client.displayName } },
        clientId: client.id,
        related: { type: 'ClientContact', id: contact.id },
      });
      if (!sent.ok) this.deps.logger.warn({ clientId: client.id, error: sent.error }, 'contact invitation not sent');
    } catch (err) {
      this.deps.logger.error({ err, clientId: client.id }, 'contact invitation failed');
    }
  }

  /** A contact's login goes with its access: deleted, or (if history refers to it) disabled. */
  private async removeLogin(users: ReturnType<DataSource['getRepository']>, userId: number): Promise<void> {
    try {
      await users.delete({ id: userId });
    } catch {
      await users.update({ id: userId }, { status: 'inactive', passwordHash: null });
    }
  }

  async remove(clientId: number, contactId: number): Promise<Outcome> {
    const contact = await this.repo.findOne({ where: { id: contactId, clientId } });
    if (!contact) return fail('not_found', 'Not found');
    const userId = contact.userId;
    await this.repo.delete({ id: contact.id, clientId });
    if (userId) {
      await this.deps.sessions.destroyForUser(userId);
      await this.removeLogin(this.ds.getRepository<User>('User'), userId);
    }
    return succeed({});
  }
}
