// The JSON API, /api/v1. Stateless: mounted before the session and CSRF middleware, so cookies mean
// nothing here and only a bearer API key counts. Every path under it answers JSON, unknown ones 404.
import { Router, type Request, type RequestHandler } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { AppError, NotFoundError } from '../lib/errors.ts';
import { limiter } from '../lib/rate-limit.ts';
import { bearerAuth, requireScope } from './auth.ts';
import * as h from './handlers.ts';

export const apiRateLimit = { windowMs: 60_000, perKey: 600 } as const;

/** Counts per key (the key's id, never the key); per address only if no key got this far. */
function client(req: Request): string {
  return req.apiKey ? `key:${req.apiKey.id}` : `ip:${ipKeyGenerator(req.ip ?? '')}`;
}

function allow(...methods: string[]): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('Allow', methods.join(', '));
    next(new AppError(405, 'method_not_allowed', `This endpoint answers ${methods.join(' and ')} only.`));
  };
}

/** Answers JSON 404 for every path under /api that no route took, before any session or CSRF check. */
export const apiNotFound: RequestHandler = (_req, _res, next) => {
  next(new NotFoundError('There is no such API endpoint. The API lives under /api/v1.'));
};

export function apiRouter(): Router {
  const router = Router();
  const perKey = limiter('api', apiRateLimit.windowMs, apiRateLimit.perKey, 'Too many requests with this API key. Wait a minute and try again.', client);
  router.use(bearerAuth, perKey);
  router.route('/me').get(h.me).all(allow('GET', 'HEAD'));
  router.route('/deals').get(requireScope('read'), h.deals).all(allow('GET', 'HEAD'));
  router.route('/interviews').get(requireScope('read'), h.interviews).all(allow('GET', 'HEAD'));
  router.route('/privacy/export').get(requireScope('read'), h.privacyExport).all(allow('GET', 'HEAD'));
  router.route('/privacy/erase').post(requireScope('write'), h.privacyErase).all(allow('POST'));
  router.use(apiNotFound);
  return router;
}
