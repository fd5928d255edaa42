// CSV import of deals: upload → map the columns → preview and validation report → import (a job) → progress.
import { Router } from 'express';
import type { AppDeps } from '../lib/http/deps.ts';
import { authorize } from '../accounts/index.ts';
import * as h from './handlers.ts';

export function importsRouter({ queue }: Pick<AppDeps, 'queue'>): Router {
  const router = Router();
  router.get('/', authorize('deals:import'), h.list);
  router.get('/new', authorize('deals:import'), h.showUpload);
  router.post('/', authorize('deals:import'), h.upload);
  router.get('/:id', authorize('deals:import'), h.show);
  router.get('/:id/progress.json', authorize('deals:import'), h.progressJson);
  router.get('/:id/map', authorize('deals:import'), h.showMapping);
  router.post('/:id/map', authorize('deals:import'), h.map);
  router.get('/:id/preview', authorize('deals:import'), h.showPreview);
  router.post('/:id/start', authorize('deals:import'), h.start({ queue }));
  return router;
}
