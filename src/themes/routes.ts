// The themes area: a tab per theme set, each theme's page with its answers, and the marketers' curation
// forms (program:manage). One line per route. (The perception gap's tab is the reports': src/reports/routes.ts.)
import { Router } from 'express';
import type { AppDeps } from '../lib/http/deps.ts';
import { authorize } from '../accounts/index.ts';
import * as h from './handlers.ts';

export function themesRouter(deps: Pick<AppDeps, 'queue'>): Router {
  const router = Router();
  router.get('/', authorize('themes:read'), h.index);
  router.get('/status.json', authorize('themes:read'), h.statusJson);
  router.post('/:set/recompute', authorize('program:manage'), h.recompute(deps));
  router.get('/:set/:themeId', authorize('themes:read'), h.show);
  router.post('/:set/:themeId/rename', authorize('program:manage'), h.rename);
  router.post('/:set/:themeId/merge', authorize('program:manage'), h.merge);
  router.post('/:set/:themeId/split', authorize('program:manage'), h.split);
  router.post('/:set/:themeId/move', authorize('program:manage'), h.move);
  router.post('/:set/:themeId/quote', authorize('program:manage'), h.quote);
  return router;
}
