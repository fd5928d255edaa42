// The program settings page, for marketers and admins.
import { Router } from 'express';
import { authorize } from '../accounts/index.ts';
import * as h from './handlers.ts';

export function programRouter(needs: h.ProgramPageNeeds): Router {
  const router = Router();
  router.get('/', authorize('program:manage'), h.show(needs));
  router.post('/', authorize('program:manage'), h.save(needs));
  return router;
}
