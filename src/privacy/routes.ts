import { Router } from 'express';
import { authorize } from '../accounts/index.ts';
import * as h from './handlers.ts';

export function privacyRouter(): Router {
  const router = Router();
  router.get('/', authorize('privacy:manage'), h.showPrivacy);
  router.post('/export', authorize('privacy:manage'), h.exportData);
  router.post('/erase', authorize('privacy:manage'), h.eraseData);
  router.post('/retention', authorize('privacy:manage'), h.saveRetention);
  return router;
}
