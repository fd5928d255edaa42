import { Router } from 'express';
import { limiter } from '../lib/rate-limit.ts';
import * as h from './handlers.ts';
import { authorize } from './session.ts';

export function accountsRouter(): Router {
  const router = Router();
  const signInLimit = limiter('sign-in', 15 * 60_000, 30, 'Too many sign-in attempts from your network. Wait a few minutes and try again.');
  router.get('/sign-in', h.showSignIn);
  router.post('/sign-in', signInLimit, h.signIn);
  router.post('/sign-out', h.signOutHere);
  router.get('/setup', h.showSetup);
  router.post('/setup', signInLimit, h.setup);
  router.get('/account', authorize('overview:read'), h.showAccount);
  router.post('/account/sign-out-everywhere', authorize('overview:read'), h.signOutAll);
  router.get('/admin/users', authorize('users:manage'), h.showUsers);
  router.post('/admin/users/:id/role', authorize('users:manage'), h.updateRole);
  return router;
}
