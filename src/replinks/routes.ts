// The rep's emailed links, mounted at /r before the staff session (a CRM owner may have no account):
// their own body parser, the same cross-site and guessing guards as the buyer's link, tokens masked in logs.
import express, { Router } from 'express';
import type { AppDeps } from '../lib/http/deps.ts';
import { guessLimiter, originGuard } from '../lib/http/link-guards.ts';
import { secretParams } from '../lib/http/secret-paths.ts';
import { repLinkHandlers } from './handlers.ts';
import { messages } from './messages.ts';

export function repLinkRouter(deps: AppDeps): Router {
  const router = Router();
  secretParams(router, 'token'); // the link's token is a key: masked in every log line
  const h = repLinkHandlers(deps, guessLimiter({ windowMs: 15 * 60_000, limit: 30, name: 'rep-link' }));
  router.use(
    originGuard(deps.config.appUrl, (_req, res) => {
      res.status(403).render('replinks/notice', {
        title: 'That did not work',
        heading: 'That did not work',
        text: messages.foreignOrigin,
        writeTo: null,
        contact: { name: '', email: '' },
      });
    }),
  );
  router.use(express.urlencoded({ extended: false, limit: '20kb', parameterLimit: 20 }));
  router.get('/hold-off/:token', h.showHoldOff);
  router.post('/hold-off/:token', h.submitHoldOff);
  router.get('/debrief/:token', h.showDebrief);
  router.post('/debrief/:token', h.saveDebrief);
  router.use(h.notFound);
  return router;
}
