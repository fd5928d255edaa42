// Delivers one event to one endpoint, at most once once acknowledged: the attempt is claimed with a
// conditional update (only one worker holds a delivery at a time, and never one already delivered),
// posted signed, and its end recorded under the same claim. A failure is retried with backoff (the first
// retry after OUTGOING_WEBHOOK_FIRST_RETRY_MS, each next one 4 times later, at most 6 hours apart) for
// up to 24 hours from the event. A receiver that got a delivery but whose 2xx never reached Debrief (a
// crash, a timeout) may get it again: receivers dedupe by the event id (README, Outgoing webhooks).
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import type { Logger } from '../lib/logger.ts';
import type { Queue } from '../lib/queue.ts';
import type { Secrets } from '../lib/secrets.ts';
import { testEventType } from './events.ts';
import { hookDeliverContract } from './jobs.ts';
import { HookDelivery, HookEndpoint, HookEvent, hookSettings, type HookDeliveryDoc } from './model.ts';
import { pauseIfFailingForDays } from './pause.ts';
import { postJson } from '../lib/outgoing/post.ts';
import { openSecret } from './secret.ts';
import { signBody } from './signing.ts';

export const retryWindowMs = 24 * 3_600_000;
const maxRetryDelayMs = 6 * 3_600_000;
/** Longer than a post can take (postTimeoutMs): a claim older than this was abandoned. */
export const claimLeaseMs = 60_000;
/** Deliveries and events are kept this long, for the page's list and for idempotency. */
export const keptDays = 30;

export interface DeliverServices {
  secrets: Secrets;
  logger: Logger;
  firstRetryMs: number;
  queue?: Queue | undefined;
  appUrl?: string | undefined;
}

/** The wait after the attempt-th failed attempt: first, 4x, 16x..., at most 6 hours, with 10 % jitter either way. */
export function retryDelayMs(attempt: number, firstRetryMs: number, random = Math.random): number {
  const base = Math.min(firstRetryMs * 4 ** Math.max(0, attempt - 1), maxRetryDelayMs);
  return Math.round(base * (0.9 + 0.2 * random()));
}

export type DeliverOutcome = 'delivered' | 'retry' | 'failed' | 'cancelled' | 'busy' | 'done' | 'missing';

const isFinal = (state: string) => state === 'delivered' || state === 'failed' || state === 'cancelled';

/** The attempt due now, if this call may make it: claimed so that no other worker makes it too. */
async function claim(deliveryId: string, now: Date): Promise<{ doc: HookDeliveryDoc; claim: string } | null> {
  const token = randomUUID();
  const doc = await HookDelivery.findOneAndUpdate(
    {
      _id: deliveryId,
      state: mongoose.trusted({ $in: ['pending', 'retrying'] }),
      nextAttemptAt: mongoose.trusted({ $lte: now }),
      $or: [{ claimedUntil: null }, { claimedUntil: mongoose.trusted({ $lt: now }) }],
    },
    { $set: { claim: token, claimedUntil: new Date(now.getTime() + claimLeaseMs) }, $inc: { attempts: 1 } },
    { returnDocument: 'after' },
  ).lean<HookDeliveryDoc>();
  return doc ? { doc, claim: token } : null;
}

async function settle(deliveryId: string, token: string, set: Record<string, unknown>, entry: Record<string, unknown> | null, logger: Logger): Promise<void> {
  const { modifiedCount } = await HookDelivery.updateOne(
    { _id: deliveryId, claim: token },
    { $set: set, $unset: { claim: 1, claimedUntil: 1 }, ...(entry ? { $push: { log: { $each: [entry], $slice: -10 } } } : {}) },
  );
  if (modifiedCount === 0) logger.warn({ deliveryId }, 'a webhook delivery’s claim was lost before its attempt was recorded');
}

/** Makes the delivery's due attempt, if any; `again` is when the job should run next. */
export async function processDelivery(deliveryId: string, services: DeliverServices, now = new Date()): Promise<{ outcome: DeliverOutcome; again?: Date }> {
  const { logger } = services;
  const claimed = await claim(deliveryId, now);
  if (!claimed) {
    const current = await HookDelivery.findById(deliveryId).select({ state: 1, nextAttemptAt: 1 }).lean();
    if (!current) return { outcome: 'missing' };
    // Delivered or ended (a second job, a replay), in flight elsewhere, or not due yet: nothing to do here.
    return { outcome: isFinal(current.state) ? 'done' : 'busy' };
  }
  const { doc, claim: token } = claimed;
  const isTest = doc.type === testEventType;
  const [endpoint, event] = await Promise.all([HookEndpoint.findById(doc.endpointId).lean(), HookEvent.findById(doc.eventId).lean()]);
  const cancel = async (why: string) => {
    await settle(deliveryId, token, { state: 'cancelled', lastError: why }, null, logger);
    return { outcome: 'cancelled' as const };
  };
  if (!endpoint) return cancel('The endpoint was deleted');
  if (endpoint.state === 'paused' && !isTest) return cancel('The endpoint was paused');
  if (!event?.body) return cancel('The buyer’s data was erased');

  let result: { status?: number; error?: string; ms: number };
  try {
    const secret = openSecret(endpoint.secretSealed, services.secrets);
    const headers = {
      ...signBody(secret, event.body, now),
      'X-Debrief-Event': doc.type,
      'X-Debrief-Event-Id': doc.eventId,
      'X-Debrief-Delivery': deliveryId,
      'X-Debrief-Attempt': String(doc.attempts),
    };
    result = await postJson(endpoint.url, event.body, headers, { allowPrivateAddresses: (await hookSettings()).allowPrivateAddresses });
  } catch (err) {
    result = { error: (err as Error).message.slice(0, 300), ms: 0 };
  }
  const ok = result.status !== undefined && result.status >= 200 && result.status < 300;
  const entry = { at: now, ...(result.status !== undefined ? { status: result.status } : {}), ...(result.error ? { error: result.error } : {}), ms: result.ms };

  if (ok) {
    await settle(deliveryId, token, { state: 'delivered', deliveredAt: now, lastStatus: result.status, lastError: null }, entry, logger);
    await HookEndpoint.updateOne({ _id: endpoint._id }, { $set: { lastSuccessAt: now }, $unset: { failingSince: 1 } });
    return { outcome: 'delivered' };
  }

  const error = result.error ?? `The receiver answered HTTP ${result.status}`;
  const delay = retryDelayMs(doc.attempts, services.firstRetryMs);
  const next = new Date(now.getTime() + delay);
  // A test event is tried once: the page shows its answer at once, and the admin tries again by hand.
  const givesUp = isTest || next.getTime() - doc.createdAt.getTime() > retryWindowMs;
  await settle(
    deliveryId,
    token,
    {
      state: givesUp ? 'failed' : 'retrying',
      lastStatus: result.status ?? null,
      lastError: error,
      ...(givesUp ? {} : { nextAttemptAt: next, enqueuedAt: now }),
    },
    entry,
    logger,
  );
  if (!isTest) {
    await HookEndpoint.updateOne({ _id: endpoint._id }, { $set: { lastFailureAt: now } });
    await HookEndpoint.updateOne({ _id: endpoint._id, failingSince: null }, { $set: { failingSince: now } });
    if (await pauseIfFailingForDays(services.queue, endpoint._id, now, services.appUrl))
      logger.warn({ endpointId: String(endpoint._id) }, 'paused a webhook endpoint that failed for days');
  }
  return givesUp ? { outcome: 'failed' } : { outcome: 'retry', again: next };
}

/** Stalled: due for two minutes and not in flight, its job lost (or never enqueued). */
const stalledAfterMs = 2 * 60_000;

/**
 * Enqueues the deliveries that wait without a job: recorded where no queue was at hand, or whose job was
 * lost. A second job for a delivery is harmless (the claim). Then forgets what is older than keptDays.
 */
export async function sweepDeliveries(queue: Queue, now = new Date(), limit = 200): Promise<number> {
  const stalledBefore = new Date(now.getTime() - stalledAfterMs);
  const waiting = await HookDelivery.find({
    state: mongoose.trusted({ $in: ['pending', 'retrying'] }),
    $or: [{ enqueuedAt: null }, { nextAttemptAt: mongoose.trusted({ $lt: stalledBefore }) }],
  })
    .select({ _id: 1, nextAttemptAt: 1, claimedUntil: 1 })
    .limit(limit)
    .lean();
  const take = waiting.filter((d) => !d.claimedUntil || d.claimedUntil < now);
  for (const d of take) {
    await HookDelivery.updateOne({ _id: d._id }, { $set: { enqueuedAt: now } });
    await queue.enqueue(hookDeliverContract, { deliveryId: d._id }, d.nextAttemptAt > now ? d.nextAttemptAt : undefined);
  }
  const cutoff = new Date(now.getTime() - keptDays * 86_400_000);
  await HookDelivery.deleteMany({ createdAt: mongoose.trusted({ $lt: cutoff }), state: mongoose.trusted({ $in: ['delivered', 'failed', 'cancelled'] }) });
  await HookEvent.deleteMany({ createdAt: mongoose.trusted({ $lt: cutoff }) });
  return take.length;
}
