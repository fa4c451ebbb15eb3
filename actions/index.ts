import type { DataSource } from 'typeorm';
import type { Logger } from '../src/logger.js';
import type { AuthService } from '../src/domain/access/auth-service.js';
import type { ActionsByResource } from '../src/admin/admin.js';
import { userActions } from './access/user-actions.js';

/** The services workflow actions call. Actions parse input, call one service, and map its outcome; nothing more. */
export interface AdminServices {
  ds: DataSource;
  auth: AuthService;
  logger: Logger;
}

/** Workflow actions by resource id. */
export function customActions(services: AdminServices): ActionsByResource {
  return {
    User: userActions(services) as never,
  };
}
