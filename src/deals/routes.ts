import { Router } from 'express';
import { authorize } from '../accounts/index.ts';
import { dealParam } from './access.ts';
import * as h from './handlers.ts';

/** needs: what the deal page shows from the outbox and the reports, handed in by src/app.ts. */
export function dealsRouter(needs: h.DealPageNeeds): Router {
  const router = Router();
  router.param('id', dealParam); // every /deals/:id route: the deal, if this person may reach it
  router.get('/', authorize('deals:read'), h.list);
  router.get('/new', authorize('deals:write'), h.showNew);
  router.post('/', authorize('deals:write'), h.create);
  router.get('/:id', authorize('deals:read'), h.show(needs));
  router.get('/:id/edit', authorize('deals:write'), h.showEdit);
  router.post('/:id', authorize('deals:write'), h.update);
  router.post('/:id/lost', authorize('deals:write'), h.lost(needs));
  router.get('/:id/debrief', authorize('deals:write'), h.showDebrief);
  router.post('/:id/debrief', authorize('deals:write'), h.saveDebrief);
  router.post('/:id/reopen', authorize('deals:write'), h.outcome('open'));
  router.post('/:id/won', authorize('deals:write'), h.outcome('won'));
  return router;
}
