// CRM webhooks, /webhooks: a generic JSON shape, HubSpot workflow webhooks and Salesforce Flow callouts
// that mark deals lost, won or reopened. Mounted before the app's body parsers (signatures need the raw
// bytes) and before the session and CSRF middleware (webhooks carry neither cookies nor CSRF tokens).
import { Router } from 'express';
import type { AppDeps } from '../lib/http/deps.ts';
import { limiter } from '../lib/rate-limit.ts';
import { answerJson, notFound, postOnly, rawBody, webhookHandlers } from './handlers.ts';

export const webhookRateLimit = { windowMs: 60_000, perAddress: 600 } as const;

export function webhooksRouter(deps: Pick<AppDeps, 'queue' | 'config'>): Router {
  const router = Router();
  const h = webhookHandlers(deps);
  const perAddress = limiter(
    'webhooks',
    webhookRateLimit.windowMs,
    webhookRateLimit.perAddress,
    'Too many webhook requests from this address. Wait a minute and try again.',
  );
  router.use(answerJson, perAddress);
  router.route('/generic').post(h.requireWebhookSecret, rawBody, h.verifyDebrief, h.generic).all(postOnly);
  router.route('/hubspot').post(h.requireHubSpotSecret, rawBody, h.verifyHubSpot, h.hubspot).all(postOnly);
  router.route('/salesforce').post(h.requireWebhookSecret, rawBody, h.verifyDebrief, h.salesforce).all(postOnly);
  router.use(notFound);
  return router;
}
