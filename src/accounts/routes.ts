import { Router } from 'express';
import type { AppDeps } from '../lib/http/deps.ts';
import { secretParams } from '../lib/http/secret-paths.ts';
import { limiter } from '../lib/rate-limit.ts';
import * as h from './handlers.ts';
import type { AccountsNeeds } from './needs.ts';
import { authorize } from './session.ts';

export function accountsRouter({ queue, config }: Pick<AppDeps, 'queue' | 'config'>, needs: Pick<AccountsNeeds, 'sendStaffEmail'>): Router {
  const router = Router();
  secretParams(router, 'token'); // invitation and reset links: masked in every log line
  const deps = { queue, appUrl: config.appUrl, sendStaffEmail: needs.sendStaffEmail };
  const signInLimit = limiter('sign-in', 15 * 60_000, 30, 'Too many sign-in attempts from your network. Wait a few minutes and try again.');
  const linkLimit = limiter('links', 15 * 60_000, 20, 'Too many attempts from your network. Wait a few minutes and try again.');
  router.get('/sign-in', h.showSignIn);
  router.post('/sign-in', signInLimit, h.signIn);
  router.post('/sign-out', h.signOutHere);
  router.get('/setup', h.showSetup);
  router.post('/setup', signInLimit, h.setup);
  router.get('/forgot-password', h.showForgot);
  router.post('/forgot-password', linkLimit, h.forgot(deps));
  router.get('/reset-password/:token', linkLimit, h.showSetPassword('reset'));
  router.post('/reset-password/:token', linkLimit, h.setPassword('reset'));
  router.get('/invite/:token', linkLimit, h.showSetPassword('invite'));
  router.post('/invite/:token', linkLimit, h.setPassword('invite'));
  router.get('/account', authorize('overview:read'), h.showAccount);
  router.post('/account/sign-out-everywhere', authorize('overview:read'), h.signOutAll);
  router.post('/account/interviewing', authorize('users:manage'), h.setInterviewing);
  router.post('/account/time-zone', authorize('overview:read'), h.saveOwnTimeZone);
  router.get('/admin/users', authorize('users:manage'), h.showUsers);
  router.post('/admin/users/invite', authorize('users:manage'), h.invite(deps));
  router.post('/admin/users/:id/role', authorize('users:manage'), h.updateRole);
  router.post('/admin/users/:id/reinvite', authorize('users:manage'), h.reinvite(deps));
  router.post('/admin/users/:id/time-zone', authorize('users:manage'), h.saveUserTimeZone);
  return router;
}
