// The emails page (settings), for whoever manages the program.
import { Router } from 'express';
import { authorize } from '../accounts/session.ts';
import * as h from './handlers.ts';

export function emailSettingsRouter(appUrl: string): Router {
  const router = Router();
  router.get('/', authorize('program:manage'), h.show);
  router.post('/', authorize('program:manage'), h.save(appUrl));
  return router;
}
