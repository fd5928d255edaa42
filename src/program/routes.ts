// The program settings page, for marketers and admins.
import { Router } from 'express';
import { authorize } from '../accounts/index.ts';
import * as h from './handlers.ts';

export function programRouter(): Router {
  const router = Router();
  router.get('/', authorize('program:manage'), h.show);
  router.post('/', authorize('program:manage'), h.save);
  return router;
}
