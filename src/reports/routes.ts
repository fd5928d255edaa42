import { Router } from 'express';
import { authorize } from '../accounts/session.ts';
import { buildReport } from './service.ts';

export function reportsRouter(): Router {
  const router = Router();
  router.get('/', authorize('reports:read'), async (_req, res) => {
    res.render('reports/index', { title: 'Reports', report: await buildReport() });
  });
  return router;
}
