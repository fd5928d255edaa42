// The emails page (settings), for whoever manages the program.
import { Router } from 'express';
import { authorize } from '../accounts/index.ts';
import type { Config } from '../config.ts';
import * as h from './handlers.ts';

export function emailSettingsRouter({ appUrl, mailFrom }: Pick<Config, 'appUrl' | 'mailFrom'>): Router {
  const router = Router();
  router.get('/', authorize('program:manage'), h.show(mailFrom));
  router.post('/', authorize('program:manage'), h.save(mailFrom, appUrl));
  router.get('/preview/:kind', authorize('program:manage'), h.previewFrame(mailFrom, appUrl));
  return router;
}
