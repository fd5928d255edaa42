import { Router } from 'express';
import { authorize } from '../accounts/index.ts';
import { interviewParam } from './access.ts';
import * as h from './handlers.ts';
import type { SendInvitationNow } from './queue.ts';

/** needs: what the queue page's "send now" asks of the outbox, which stands above interviews (handed in by src/app.ts). */
export function interviewsRouter(needs: { sendInvitationNow: SendInvitationNow }): Router {
  const router = Router();
  router.param('id', interviewParam); // every /interviews/:id route: the interview, if this person may reach its deal
  router.get('/', authorize('interviews:read'), h.list);
  router.get('/queue', authorize('interviews:manage'), h.showQueue);
  router.post('/:id/remove', authorize('interviews:manage'), h.removeQueued);
  router.post('/:id/send-now', authorize('interviews:manage'), h.sendNow(needs));
  router.get('/:id/hold-off', authorize('interviews:hold'), h.showHoldOff);
  router.post('/:id/hold-off', authorize('interviews:hold'), h.submitHoldOff);
  return router;
}
