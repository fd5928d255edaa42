// The deal-review report, its CSV exports, and the weekly digest's settings (mounted at /settings/digest).
import { Router } from 'express';
import { authorize } from '../accounts/index.ts';
import * as h from './handlers.ts';

export function reportsRouter(): Router {
  const router = Router();
  router.get('/', authorize('reports:read'), h.show);
  router.get('/responses.csv', authorize('reports:read'), h.responsesExport);
  router.get('/themes.csv', authorize('reports:read'), h.themesExport);
  return router;
}

export function digestSettingsRouter(): Router {
  const router = Router();
  router.get('/', authorize('program:manage'), h.showSettings);
  router.post('/', authorize('program:manage'), h.saveSettings);
  return router;
}

/** The perception gap, a tab of the themes area (mounted at /themes/gap): computed from the report's rows. */
export function perceptionGapRouter(): Router {
  const router = Router();
  router.get('/', authorize('themes:read'), h.gap);
  return router;
}
