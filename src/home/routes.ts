import { Router } from 'express';
import type { AppDeps } from '../lib/http/deps.ts';
import { authorize } from '../accounts/session.ts';
import { readable, responseRateName } from '../reports/index.ts';
import { overview } from './service.ts';

export function homeRouter(_deps: AppDeps): Router {
  const router = Router();
  router.get('/', authorize('overview:read'), async (_req, res) => {
    res.render('home/index', { title: 'Overview', overview: await overview(), readable, responseRateName });
  });
  return router;
}
