// The set-up checklist's actions (the checklist itself shows on the overview).
import { Router } from 'express';
import { authorize } from '../accounts/index.ts';
import type { AppDeps } from '../lib/http/deps.ts';
import * as h from './handlers.ts';

export function setupChecklistRouter(deps: Pick<AppDeps, 'mailer' | 'config' | 'queue'>): Router {
  const router = Router();
  router.post('/smtp-test', authorize('setup:manage'), h.smtpTest(deps));
  router.post('/confirm', authorize('program:manage'), h.confirm);
  router.post('/test-invitation', authorize('interviews:manage'), h.testInvitation(deps));
  router.post('/dismiss', authorize('setup:manage'), h.dismiss);
  return router;
}
