import { AsyncLocalStorage } from 'node:async_hooks';

/** Who is acting, for the audit trail. Set per admin/client-area request; absent for internal batch work. */
export interface Actor {
  userId: number | null;
  actorType: 'staff' | 'client' | 'system' | 'api';
  actorName: string | null;
  ipAddress: string | null;
  userAgent: string | null;
  url: string | null;
}

const storage = new AsyncLocalStorage<Actor>();

export const currentActor = (): Actor | undefined => storage.getStore();
export const runAs = <T>(actor: Actor, fn: () => T): T => storage.run(actor, fn);
