// Consent routes. unsubscribeRouter is public and is mounted at /u before the session and CSRF
// middleware: a mail client's one-click POST carries no cookie and no CSRF token, and these answers
// set none. suppressionRouter is the staff page at /settings/suppression.
import { Router } from 'express';
import { authorize } from '../accounts/index.ts';
import type { AppDeps } from '../lib/http/deps.ts';
import { loadSecrets } from '../lib/secrets.ts';
import { limiter } from '../lib/rate-limit.ts';
import { secretParams } from '../lib/http/secret-paths.ts';
import * as h from './handlers.ts';

/** Per client address; generous, as mailbox providers send many users' one-click POSTs from few addresses. */
export const unsubscribeRateLimit = { windowMs: 60_000, perAddress: 300 } as const;

export function unsubscribeRouter({ config }: Pick<AppDeps, 'config'>): Router {
  const router = Router();
  // The link's token is a key, and the catch-all below may be handed one: both masked in every log line.
  secretParams(router, 'token', 'rest');
  const u = h.unsubscribeHandlers(loadSecrets(config));
  const perAddress = limiter(
    'unsubscribe',
    unsubscribeRateLimit.windowMs,
    unsubscribeRateLimit.perAddress,
    'Too many requests from this address. Wait a minute and try again.',
  );
  router.use(h.publicHeaders, perAddress);
  router.get('/:token', u.confirmPage);
  router.post('/:token', h.readMultipart, u.unsubscribe);
  router.all('/{*rest}', u.notFound);
  return router;
}

export function suppressionRouter(): Router {
  const router = Router();
  router.get('/', authorize('program:manage'), h.showList);
  router.post('/', authorize('program:manage'), h.addEntry);
  router.post('/remove', authorize('program:manage'), h.removeEntry);
  return router;
}
