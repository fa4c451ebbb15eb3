import type { DataSource } from 'typeorm';
import type { User } from '../../entities/access/user.entity.js';
import type { Client } from '../../entities/clients/client.entity.js';
import type { ClientContact } from '../../entities/clients/client-contact.entity.js';

/** The parts of an account a login may use (the client area's CLIENT_PERMISSIONS). */
export const ACCOUNT_PERMISSIONS = ['billing', 'services', 'support', 'orders', 'profile', 'domains'] as const;
export type AccountPermission = (typeof ACCOUNT_PERMISSIONS)[number];

export interface AccountIdentity {
  userId: number;
  clientId: number;
  contactId: number | null;
  permissions: AccountPermission[];
  email: string;
  name: string;
  emailVerified: boolean;
}

export const onlyKnownPermissions = (values: unknown): AccountPermission[] =>
  Array.isArray(values) ? ACCOUNT_PERMISSIONS.filter((p) => values.includes(p)) : [];

/**
 * Which account a client login acts for: the client it owns (every permission), else the contact it belongs to
 * (that contact's permissions). A login for neither, or for a closed account, acts for nothing.
 */
export async function identityOf(ds: DataSource, userId: number): Promise<AccountIdentity | null> {
  const user = await ds.getRepository<User>('User').findOne({ where: { id: userId }, select: ['id', 'userType', 'status', 'email', 'displayName', 'emailVerifiedAt'] });
  if (!user || user.userType !== 'client' || user.status !== 'active') return null;
  const emailVerified = Boolean(user.emailVerifiedAt);
  const owned = await ds.getRepository<Client>('Client').findOne({ where: { userId }, select: ['id', 'status', 'displayName'] });
  if (owned) {
    if (owned.status === 'closed') return null;
    return { userId, clientId: owned.id, contactId: null, permissions: [...ACCOUNT_PERMISSIONS], email: user.email, name: owned.displayName || user.displayName, emailVerified };
  }
  const contact = await ds.getRepository<ClientContact>('ClientContact').findOne({ where: { userId } });
  if (!contact) return null;
  const client = await ds.getRepository<Client>('Client').findOne({ where: { id: contact.clientId }, select: ['id', 'status'] });
  if (!client || client.status === 'closed') return null;
  const name = `${contact.firstName} ${contact.lastName}`.trim() || user.displayName;
  return { userId, clientId: client.id, contactId: contact.id, permissions: onlyKnownPermissions(contact.permissions), email: user.email, name, emailVerified };
}
