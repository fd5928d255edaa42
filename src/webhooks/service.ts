// Receiving and applying CRM webhooks. The request only stores the delivery (the durable write that makes
// its 2xx safe) and enqueues a job; the job applies the event through the deal lifecycle, in order per
// deal: an event older than one already applied to the same deal is skipped, so a retry or a late
// delivery never undoes a newer change. Applying twice is harmless: the lifecycle plans one interview per
// loss (Interview.planKey) and the delivery is marked once applied.
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose, { type Types } from 'mongoose';
import type { Actor } from '../audit/index.ts';
import { changeOutcome, markLost, upsertDeal } from '../deals/lifecycle.ts';
import { dealInput, lossInput } from '../deals/schemas.ts';
import { isDuplicateKeyError } from '../lib/db.ts';
import type { Logger } from '../lib/logger.ts';
import { futureSkewMs, replayWindowMs } from './signature.ts';
import {
  WebhookCursor,
  WebhookDelivery,
  WebhookLease,
  WebhookSignedRequest,
  type DeliveryStatus,
  type WebhookDeliveryDoc,
  type WebhookEndpoint,
} from './model.ts';
import type { WebhookEvent } from './schemas.ts';

/** Job runs before a delivery is given up as failed (the job's own retries plus the sweep's). */
export const maxDeliveryAttempts = 8;
/** A delivery still waiting this long after it arrived is taken up by the sweep. */
export const sweepAfterMs = 10 * 60_000;
const leaseMs = 2 * 60_000;

/** The delivery's unique key: the sender's delivery id, else a hash of what was sent to which endpoint. */
export function deliveryKey(endpoint: WebhookEndpoint, rawBody: Buffer, senderId: string | undefined): string {
  if (senderId) return `${endpoint}:id:${senderId}`;
  const hash = createHash('sha256').update(`${endpoint}:`).update(rawBody).digest('hex');
  return `${endpoint}:sha256:${hash}`;
}

/** What a signature covers, as one key: the endpoint (its secret and URL), the signed timestamp and the body. */
export function signedRequestKey(endpoint: WebhookEndpoint, timestamp: string, rawBody: Buffer): string {
  const hash = createHash('sha256').update(`${endpoint}\n${timestamp}\n`).update(rawBody).digest('hex');
  return `${endpoint}:${hash}`;
}

/** How long a signed request is remembered: as long as its timestamp could still be accepted. */
export const rememberSignedMs = replayWindowMs + futureSkewMs;

/**
 * The delivery key a signed request is stored under: the one it brought the first time it was seen, so a
 * replay under another (or no) X-Debrief-Delivery finds the delivery already stored and is a duplicate.
 * Taken by inserting its key (unique _id) before the delivery; if the delivery was never stored after
 * that (the request failed), the replay stores it under the first key, once.
 */
async function deliveryKeyOfSigned(signedKey: string, key: string, at: Date): Promise<string> {
  try {
    await WebhookSignedRequest.create({ _id: signedKey, deliveryKey: key, at });
    return key;
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
  const first = await WebhookSignedRequest.findById(signedKey).lean();
  return first?.deliveryKey ?? key;
}

/** Forgets signed requests whose timestamp would now be refused as stale. Returns how many. */
export async function pruneSignedRequests(now = new Date()): Promise<number> {
  const { deletedCount } = await WebhookSignedRequest.deleteMany({ at: mongoose.trusted({ $lt: new Date(now.getTime() - rememberSignedMs) }) });
  return deletedCount;
}

export type RecordResult = { status: 'accepted'; deliveryId: string } | { status: 'duplicate'; deliveryId: string };

/**
 * Stores a verified, validated delivery. The same key again is a duplicate, and so is the same signed
 * request again whatever its delivery header says; except that a delivery that had failed for good is
 * taken up again (a resend after fixing the cause).
 */
export async function recordDelivery(input: {
  key: string;
  signedKey: string;
  endpoint: WebhookEndpoint;
  event: WebhookEvent;
  receivedAt: Date;
}): Promise<RecordResult> {
  const { event } = input;
  const key = await deliveryKeyOfSigned(input.signedKey, input.key, input.receivedAt);
  try {
    const doc = await WebhookDelivery.create({
      key,
      endpoint: input.endpoint,
      event: event.event,
      occurredAt: event.occurredAt,
      deal: event.deal,
      loss: event.loss,
      status: 'received',
      receivedAt: input.receivedAt,
    });
    return { status: 'accepted', deliveryId: String(doc._id) };
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
  const existing = await WebhookDelivery.findOne({ key }).lean<WebhookDeliveryDoc>();
  if (!existing) throw new Error(`Delivery ${key} was a duplicate but cannot be found.`);
  if (existing.status === 'failed') {
    const { modifiedCount } = await WebhookDelivery.updateOne(
      { _id: existing._id, status: 'failed' },
      { $set: { status: 'received', attempts: 0, receivedAt: input.receivedAt }, $unset: { lastError: 1, processedAt: 1 } },
    );
    if (modifiedCount > 0) return { status: 'accepted', deliveryId: String(existing._id) };
  }
  return { status: 'duplicate', deliveryId: String(existing._id) };
}

export class DeliveryBusyError extends Error {
  override name = 'DeliveryBusyError';
}

/** Takes the deal's lease (waiting a few seconds for another delivery to finish), or throws DeliveryBusyError. */
async function acquireLease(key: string, holder: string): Promise<void> {
  for (let attempt = 0; attempt < 40; attempt += 1) {
    try {
      await WebhookLease.create({ _id: key, heldBy: holder, lockedAt: new Date() });
      return;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
    // A lease left behind by a crashed worker expires; only one of the takers' inserts can win.
    await WebhookLease.deleteOne({ _id: key, lockedAt: mongoose.trusted({ $lt: new Date(Date.now() - leaseMs) }) });
    await sleep(250);
  }
  throw new DeliveryBusyError(`Another delivery for ${key} is being applied; trying again later.`);
}

async function releaseLease(key: string, holder: string): Promise<void> {
  await WebhookLease.deleteOne({ _id: key, heldBy: holder });
}

/** Moves the deal's cursor forward to `at` (never back). */
async function advanceCursor(key: string, at: Date, deliveryId: Types.ObjectId): Promise<void> {
  try {
    await WebhookCursor.create({ _id: key, lastOccurredAt: at, deliveryId });
    return;
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
  await WebhookCursor.updateOne({ _id: key, lastOccurredAt: mongoose.trusted({ $lt: at }) }, { $set: { lastOccurredAt: at, deliveryId } });
}

/** The stored event, validated again: the document may be older than the code. */
function storedEvent(d: WebhookDeliveryDoc): WebhookEvent {
  const plain = JSON.parse(JSON.stringify({ deal: d.deal, loss: d.loss ?? undefined }), (_k, v: unknown) => (v === null ? undefined : v)) as {
    deal: unknown;
    loss?: unknown;
  };
  return {
    event: d.event,
    occurredAt: d.occurredAt,
    deal: dealInput.parse(plain.deal),
    loss: d.event === 'deal.lost' ? lossInput.parse(plain.loss) : undefined,
  };
}

export interface ProcessResult {
  status: DeliveryStatus | 'missing';
  outcome?: string;
}

async function finish(id: Types.ObjectId, status: DeliveryStatus, set: Record<string, unknown>, now: Date): Promise<void> {
  await WebhookDelivery.updateOne({ _id: id }, { $set: { status, processedAt: now, ...set } });
}

/**
 * Applies one delivery to its deal. Safe to run twice and concurrently. Throws when it should be tried
 * again (agenda retries the job); after maxDeliveryAttempts runs it marks the delivery failed instead.
 */
export async function processDelivery(id: string, logger: Logger, now = new Date()): Promise<ProcessResult> {
  const delivery = await WebhookDelivery.findById(id).lean<WebhookDeliveryDoc>();
  if (!delivery) return { status: 'missing' };
  if (delivery.status !== 'received') return { status: delivery.status };

  let event: WebhookEvent;
  try {
    event = storedEvent(delivery);
  } catch (err) {
    // Cannot get better by trying again.
    logger.error({ err, deliveryId: id }, 'a stored webhook delivery no longer validates; marked failed');
    await finish(delivery._id, 'failed', { lastError: `The stored event no longer validates: ${(err as Error).message}`.slice(0, 1000) }, now);
    return { status: 'failed' };
  }

  const dealKey = `${event.deal.source}:${event.deal.externalId}`;
  const holder = randomUUID();
  await acquireLease(dealKey, holder);
  try {
    // Another run may have applied it while this one waited for the lease.
    const current = await WebhookDelivery.findById(id).lean<WebhookDeliveryDoc>();
    if (!current || current.status !== 'received') return { status: current?.status ?? 'missing' };
    const attempts = (current.attempts ?? 0) + 1;
    await WebhookDelivery.updateOne({ _id: delivery._id }, { $inc: { attempts: 1 } });
    try {
      const cursor = await WebhookCursor.findById(dealKey).lean<{ lastOccurredAt: Date }>();
      if (cursor && event.occurredAt < cursor.lastOccurredAt) {
        const outcome = `older than the event of ${cursor.lastOccurredAt.toISOString()} already applied`;
        await finish(delivery._id, 'skipped_stale', { outcome }, now);
        return { status: 'skipped_stale', outcome };
      }
      const applied = await apply(event, { type: 'system', email: `webhook:${delivery.endpoint}` }, now);
      await advanceCursor(dealKey, event.occurredAt, delivery._id);
      await finish(delivery._id, 'applied', { outcome: applied.outcome, dealId: applied.dealId }, now);
      return { status: 'applied', outcome: applied.outcome };
    } catch (err) {
      const lastError = (err as Error).message.slice(0, 1000);
      if (attempts >= maxDeliveryAttempts) {
        logger.error({ err, deliveryId: id, attempts }, 'a webhook delivery failed too often; marked failed');
        await finish(delivery._id, 'failed', { lastError }, now);
        return { status: 'failed' };
      }
      await WebhookDelivery.updateOne({ _id: delivery._id }, { $set: { lastError } });
      throw err;
    }
  } finally {
    await releaseLease(dealKey, holder);
  }
}

async function apply(event: WebhookEvent, actor: Actor, now: Date): Promise<{ outcome: string; dealId: Types.ObjectId }> {
  const { deal, created } = await upsertDeal(event.deal, actor, 'webhook');
  switch (event.event) {
    case 'deal.lost': {
      const { plan } = await markLost(deal._id, event.loss!, actor, 'webhook', now);
      return { outcome: plan.outcome, dealId: deal._id };
    }
    case 'deal.won':
    case 'deal.reopened': {
      const status = event.event === 'deal.won' ? 'won' : 'open';
      const before = deal.status;
      // Won when the CRM says so (the event's time), so the cool-off counts from the real decision.
      const { cancelled, plan } = await changeOutcome(deal._id, status, actor, 'webhook', now, event.occurredAt);
      const outcome =
        before === status
          ? 'unchanged'
          : `${status === 'won' ? 'won' : 'reopened'}${cancelled ? `, ${cancelled} interview(s) cancelled` : ''}${plan && plan.outcome !== 'off' ? `, win interview ${plan.outcome.replace('_', ' ')}` : ''}`;
      return { outcome, dealId: deal._id };
    }
    case 'deal.updated':
      return { outcome: created ? 'created' : 'updated', dealId: deal._id };
  }
}

/**
 * How long a delivery is kept once done (applied, skipped or failed): its key answers a retry of the
 * same request as a duplicate, and CRMs stop retrying within days. After that it only holds the buyers'
 * names and addresses as the CRM sent them.
 */
export const keepDeliveriesMs = 30 * 24 * 60 * 60_000;

/** Deletes deliveries done more than keepDeliveriesMs ago; one still waiting is kept, however old. Returns how many. */
export async function pruneDeliveries(now = new Date()): Promise<number> {
  const { deletedCount } = await WebhookDelivery.deleteMany({
    status: mongoose.trusted({ $in: ['applied', 'skipped_stale', 'failed'] satisfies DeliveryStatus[] }),
    processedAt: mongoose.trusted({ $lt: new Date(now.getTime() - keepDeliveriesMs) }),
  });
  return deletedCount;
}

/**
 * Applies deliveries still waiting well after they arrived: their job was never enqueued (the queue was
 * unreachable just after the delivery was stored), was lost, or ran out of retries early. Returns how
 * many it took up.
 */
export async function sweepDeliveries(logger: Logger, now = new Date(), limit = 50, touch?: () => Promise<void>): Promise<number> {
  const waiting = await WebhookDelivery.find({
    status: 'received',
    receivedAt: mongoose.trusted({ $lt: new Date(now.getTime() - sweepAfterMs) }),
    attempts: mongoose.trusted({ $lt: maxDeliveryAttempts }),
  })
    .sort({ receivedAt: 1 })
    .limit(limit)
    .select({ _id: 1 })
    .lean();
  for (const { _id } of waiting) {
    try {
      await processDelivery(String(_id), logger, now);
    } catch (err) {
      logger.warn({ err, deliveryId: String(_id) }, 'a waiting webhook delivery could not be applied yet');
    }
    await touch?.();
  }
  return waiting.length;
}
