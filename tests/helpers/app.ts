import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import bcrypt from 'bcryptjs';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logger.js';
import { compose, type Composition, type Overrides } from '../../src/composition.js';
import { RbacService } from '../../src/domain/access/rbac-service.js';
import type { StaffAuthSettings } from '../../src/admin/auth-routes.js';
import { openTestDb, TEST_APP_KEY, type TestDb } from './db.js';

export interface TestApp extends TestDb {
  built: Composition;
  server: Server;
  baseUrl: string;
  rbac: RbacService;
  /** A supertest agent that keeps cookies, like one browser. */
  agent(): ReturnType<typeof request.agent>;
}

/**
 * Boots the real application (migrations, RBAC sync, AdminJS, session store) on a fresh database, on loopback.
 * `opts.auth` overrides staff-login settings (a clock `now`, lockout numbers) without environment variables.
 */
export async function startTestApp(env: Record<string, string> = {}, opts: { auth?: StaffAuthSettings; provisioning?: Overrides['provisioning']; payments?: Overrides['payments']; domains?: Overrides['domains'] } = {}): Promise<TestApp> {
  const db = await openTestDb();
  const config = loadConfig({ NODE_ENV: 'test', APP_KEY: TEST_APP_KEY, SESSION_SECRET: 'test-session-secret-0123456789', LOG_LEVEL: 'silent', ...env });
  const logger = createLogger('silent');
  const built = await compose(config, db.ds, logger, { auth: opts.auth, provisioning: opts.provisioning, payments: opts.payments, domains: opts.domains });
  const rbac = built.rbac;
  const server = await new Promise<Server>((resolve) => {
    const s = built.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ...db,
    built,
    server,
    baseUrl,
    rbac,
    agent: () => request.agent(baseUrl),
    async close() {
      built.sessionStore.close();
      await built.pdf.close();
      await built.scheduler.stop();
      await built.mailer.close?.();
      await new Promise<void>((r) => server.close(() => r()));
      await db.close();
    },
  };
}

/** A staff user with a role, ready to log in. */
export async function createStaff(ds: DataSource, opts: { email: string; password: string; role: string; firstName?: string }): Promise<number> {
  const res = await ds.getRepository('User').insert({
    userType: 'staff',
    email: opts.email,
    firstName: opts.firstName ?? opts.role,
    lastName: 'Tester',
    displayName: `${opts.firstName ?? opts.role} Tester`,
    passwordHash: await bcrypt.hash(opts.password, 4),
    status: 'active',
  });
  const userId = res.identifiers[0].id as number;
  await ds.getRepository('Staff').insert({ userId, displayName: `${opts.firstName ?? opts.role} Tester` });
  await new RbacService(ds).assignRole(userId, opts.role);
  return userId;
}
