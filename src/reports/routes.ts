import { Router } from 'express';
import { buildReport } from './service.ts';

export function reportsRouter(): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.render('reports/index', { title: 'Reports', report: await buildReport() });
  });
  return router;
}
