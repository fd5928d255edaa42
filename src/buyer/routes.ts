// The buyer's interview form at /i/<token>, mounted before the staff session (buyers have none: no
// session look-up, no cookie), with its own body parsers and error pages; and the live interview, a
// staff page under /interviews.
import express, { Router } from 'express';
import { authorize } from '../accounts/index.ts';
import { interviewParam } from '../interviews/access.ts';
import { secretParams } from '../lib/http/secret-paths.ts';
import type { AppDeps } from '../lib/http/deps.ts';
import { guessLimiter, originGuard } from '../lib/http/link-guards.ts';
import { buyerErrors, buyerHandlers } from './handlers.ts';
import { liveHandlers } from './live.ts';
import { messages } from './messages.ts';

export function buyerRouter(deps: AppDeps): Router {
  const router = Router();
  secretParams(router, 'token'); // the link's token is a key: masked in every log line
  const h = buyerHandlers(deps, guessLimiter({ windowMs: 15 * 60_000, limit: 30 }));
  router.use(
    originGuard(deps.config.appUrl, (req, res) => {
      res.status(403);
      if (req.path.endsWith('/answers')) res.json({ error: { code: 'forbidden', message: messages.foreignOrigin } });
      else
        res.render('buyer/notice', {
          title: 'That did not work',
          heading: 'That did not work',
          text: messages.foreignOrigin,
          brand: null,
          writeTo: undefined,
          resend: undefined,
          m: messages,
        });
    }),
  );
  router.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 500 }));
  router.use(express.json({ limit: '100kb' }));
  router.get('/thanks', h.thanks);
  router.get('/declined', h.declined);
  router.get('/:token', h.show);
  router.post('/:token', h.save);
  router.post('/:token/answers', h.saveAnswer);
  router.get('/:token/decline', h.confirmDecline);
  router.post('/:token/decline', h.decline);
  router.use(h.notFound);
  router.use(buyerErrors(deps));
  return router;
}

/** Staff: a marketer interviews the buyer live and fills the same form; anyone who reads interviews sees the answers. */
export function liveRouter(deps: AppDeps): Router {
  const router = Router();
  router.param('id', interviewParam); // the interview, if this person may reach its deal (src/interviews/access.ts)
  const h = liveHandlers(deps);
  router.get('/:id/answers', authorize('interviews:read'), h.answers);
  router.get('/:id/live', authorize('interviews:manage'), h.show);
  router.post('/:id/live', authorize('interviews:manage'), h.save);
  router.post('/:id/live/answers', authorize('interviews:manage'), h.saveAnswer);
  return router;
}
