import { Router } from 'express';
import { authorize } from '../accounts/index.ts';
import * as h from './handlers.ts';

export function apiKeysRouter(): Router {
  const router = Router();
  router.get('/', authorize('apikeys:manage'), h.showApiKeys);
  router.post('/', authorize('apikeys:manage'), h.createKey);
  router.post('/:id/revoke', authorize('apikeys:manage'), h.revokeKey);
  return router;
}
