import express from 'express';
import { wrap, type ClientAreaDeps } from '../kit.js';
import { referenceCache } from '../../db/reference-cache.js';
import { accountKit, regenerate } from './account/shared.js';
import { loginRoutes } from './account/login.js';
import { registerRoutes } from './account/register.js';
import { passwordRoutes } from './account/password.js';
import { profileRoutes } from './account/profile.js';
import { securityRoutes } from './account/security.js';
import { contactRoutes } from './account/contacts.js';

/** Everything about the customer's login and account: /login, /logout, /register, /verify-email, /password/*, /account/**. */
export function accountRoutes(deps: ClientAreaDeps): express.Router {
  const kit = accountKit(deps);
  const router = express.Router();
  // A session ends when its login was disabled, removed, or changed password elsewhere. The answer is kept a few
  // seconds (a change to the user through TypeORM drops it at once; a password change also deletes the sessions).
  const cache = referenceCache(deps.ds);
  router.use(
    wrap(async (req, _res, next) => {
      const c = req.session?.client;
      if (c && !(await cache.get('User', `session:${c.userId}:${c.authenticatedAt}`, () => kit.auth.sessionStillValid(c.userId, c.authenticatedAt)))) await regenerate(req);
      next();
    }),
  );
  router.use(loginRoutes(kit));
  router.use(registerRoutes(kit));
  router.use(passwordRoutes(kit));
  router.use(securityRoutes(kit));
  router.use(contactRoutes(kit));
  router.use(profileRoutes(kit));
  return router;
}
