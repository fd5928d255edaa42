import { Router } from 'express';
import { authorize } from '../accounts/session.ts';
import { parseOrThrow } from '../lib/http/validate.ts';
import { dealStatuses } from './model.ts';
import { listDealsQuery } from './schemas.ts';
import { listDeals } from './service.ts';

export function dealsRouter(): Router {
  const router = Router();
  router.get('/', authorize('deals:read'), async (req, res) => {
    const query = parseOrThrow(listDealsQuery, req.query);
    res.render('deals/index', { title: 'Deals', query, statuses: dealStatuses, page: await listDeals(query) });
  });
  return router;
}
