// The webhook endpoints' steps: is the endpoint configured (503), read the raw body, is it signed and
// fresh (401), is it a deal event we understand (400), then store it and answer 202 (200 for a delivery
// already stored). The deal itself changes later, in the webhooks.process job.
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { AppDeps } from '../lib/http/deps.ts';
import { AppError, NotFoundError } from '../lib/errors.ts';
import { loadProgram } from '../program/index.ts';
import { hubspotEvent } from './hubspot.ts';
import type { WebhookEndpoint } from './model.ts';
import { salesforceEvent } from './salesforce.ts';
import { deliveryIdHeader, genericEvent, parseDeliveryId, parseJsonBody, type WebhookEvent } from './schemas.ts';
import { deliveryKey, recordDelivery, signedRequestKey } from './service.ts';
import { verifyDebriefSignature, verifyHubSpotSignature } from './signature.ts';
import { webhookProcessContract } from './jobs.ts';

export const maxBody = '256kb';

const messages = {
  notConfigured: (variable: string) => `This webhook is not configured: set ${variable} on the Debrief server to turn it on.`,
  notFound: 'There is no such webhook. Debrief answers POST /webhooks/generic, /webhooks/hubspot and /webhooks/salesforce.',
  methodNotAllowed: 'This webhook answers POST only.',
  enqueueFailed: 'stored a webhook delivery but could not enqueue its job; the webhooks.sweep job will apply it',
} as const;

/** Machines call these endpoints: every answer, errors included, is JSON whatever they say they accept. */
export const answerJson: RequestHandler = (req, _res, next) => {
  req.headers.accept = 'application/json';
  next();
};

export const notFound: RequestHandler = (_req, _res, next) => {
  next(new NotFoundError(messages.notFound));
};

export const postOnly: RequestHandler = (_req, res, next) => {
  res.setHeader('Allow', 'POST');
  next(new AppError(405, 'method_not_allowed', messages.methodNotAllowed));
};

/**
 * The body exactly as sent, whatever its content type: signatures are computed over these bytes, so it
 * is read here and never by the app's JSON parser (the router is mounted before it).
 */
export const rawBody = express.raw({ type: () => true, limit: maxBody });

/** The timestamp the request was signed with, as its verifier left it. */
function signedTimestamp(res: Response): string {
  const timestamp: unknown = res.locals.signedTimestamp;
  if (typeof timestamp !== 'string') throw new Error('a webhook reached its handler without a verified signature');
  return timestamp;
}

function bodyOf(req: Request): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

export function webhookHandlers({ config, queue }: Pick<AppDeps, 'queue' | 'config'>) {
  const requireSecret =
    (secret: string | undefined, variable: string): RequestHandler =>
    (_req, _res, next) => {
      next(secret ? undefined : new AppError(503, 'webhook_not_configured', messages.notConfigured(variable)));
    };

  // Each verifier leaves the timestamp it checked for the replay guard (signedTimestamp).
  const verifyDebrief: RequestHandler = (req, res, next) => {
    res.locals.signedTimestamp = verifyDebriefSignature({
      secret: config.webhookSecret!,
      timestamp: req.get('X-Debrief-Timestamp'),
      signature: req.get('X-Debrief-Signature'),
      rawBody: bodyOf(req),
      nowMs: Date.now(),
    });
    next();
  };

  // HubSpot signs the URL it was given, which is Debrief's public address (APP_URL), not the one this
  // process sees behind a proxy.
  const verifyHubSpot: RequestHandler = (req, res, next) => {
    res.locals.signedTimestamp = verifyHubSpotSignature({
      secret: config.hubspotClientSecret!,
      method: req.method,
      uri: `${config.appUrl}${req.originalUrl}`,
      timestamp: req.get('X-HubSpot-Request-Timestamp'),
      signature: req.get('X-HubSpot-Signature-v3'),
      rawBody: bodyOf(req),
      nowMs: Date.now(),
    });
    next();
  };

  function receive(endpoint: WebhookEndpoint, understand: (body: unknown, now: Date) => Promise<WebhookEvent>) {
    return async (req: Request, res: Response): Promise<void> => {
      const receivedAt = new Date();
      const raw = bodyOf(req);
      const senderId = parseDeliveryId(req.get(deliveryIdHeader));
      const event = await understand(parseJsonBody(raw), receivedAt);
      const signedKey = signedRequestKey(endpoint, signedTimestamp(res), raw);
      const result = await recordDelivery({ key: deliveryKey(endpoint, raw, senderId), signedKey, endpoint, event, receivedAt });
      if (result.status === 'duplicate') {
        res.status(200).json(result);
        return;
      }
      try {
        await queue.enqueue(webhookProcessContract, { deliveryId: result.deliveryId });
      } catch (err) {
        req.log.warn({ err, deliveryId: result.deliveryId }, messages.enqueueFailed);
      }
      res.status(202).json(result);
    };
  }

  const reasons = async () => (await loadProgram()).reasons;

  return {
    requireWebhookSecret: requireSecret(config.webhookSecret, 'WEBHOOK_SECRET'),
    requireHubSpotSecret: requireSecret(config.hubspotClientSecret, 'HUBSPOT_CLIENT_SECRET'),
    verifyDebrief,
    verifyHubSpot,
    generic: receive('generic', async (body, now) => genericEvent(body, now)),
    hubspot: receive('hubspot', async (body, now) => hubspotEvent(body, await reasons(), now)),
    salesforce: receive('salesforce', async (body, now) => salesforceEvent(body, await reasons(), now)),
  };
}
