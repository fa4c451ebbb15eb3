import bcrypt from 'bcryptjs';
import type { DataSource } from 'typeorm';
import { FULL_ADMINISTRATOR } from './permissions.js';
import { RbacService } from './rbac-service.js';

/**
 * On a database with no staff at all, creates the first Full Administrator from ADMIN_EMAIL / ADMIN_PASSWORD.
 * Does nothing once any staff user exists, so changing the variables later never resets anyone's password.
 */
export async function ensureFirstAdministrator(ds: DataSource, email: string, password: string): Promise<'created' | 'exists'> {
  const users = ds.getRepository('User');
  if ((await users.count({ where: { userType: 'staff' }, withDeleted: true })) > 0) return 'exists';
  const res = await users.insert({
    userType: 'staff',
    email: email.toLowerCase(),
    firstName: 'Administrator',
    lastName: '',
    displayName: 'Administrator',
    passwordHash: await bcrypt.hash(password, 12),
    status: 'active',
  });
  const userId = res.identifiers[0].id as number;
  await ds.getRepository('Staff').insert({ userId, jobTitle: 'Administrator' });
  await new RbacService(ds).assignRole(userId, FULL_ADMINISTRATOR);
  return 'created';
}
