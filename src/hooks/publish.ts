// The event source of outgoing webhooks: publishHookEvent records what happened as an event (once: its id
// is derived from what happened) and fans it out as one delivery per subscribed endpoint (once each: the
// delivery's _id is the pair), then enqueues their jobs. Called after the change it tells of is stored.
// Without a queue at hand (or if the process stops before enqueuing), the sweep (every 30 seconds)
// enqueues what waits.
import type { Types } from 'mongoose';
import { isDuplicateKeyError } from '../lib/db.ts';
import type { Queue } from '../lib/queue.ts';
import { hookDeliverContract } from './jobs.ts';
import { HookDelivery, HookEndpoint, HookEvent } from './model.ts';
import { buildEvent, type Built, type HookEventInput } from './payload.ts';

export type { HookEventInput } from './payload.ts';

function ignoreDuplicates(err: unknown): void {
  const writeErrors = (err as { writeErrors?: unknown[] }).writeErrors;
  const allExisted = Array.isArray(writeErrors) ? writeErrors.every(isDuplicateKeyError) : isDuplicateKeyError(err);
  if (!allExisted) throw err;
}

/** Creates the deliveries of an event to these endpoints (those that exist already stay) and enqueues the new ones. */
export async function fanOut(
  queue: Queue | undefined,
  event: { id: string; type: string },
  endpointIds: readonly Types.ObjectId[],
  now: Date,
): Promise<string[]> {
  const docs = endpointIds.map((endpointId) => ({
    _id: `${event.id}:${String(endpointId)}`,
    eventId: event.id,
    endpointId,
    type: event.type,
    state: 'pending' as const,
    nextAttemptAt: now,
    ...(queue ? { enqueuedAt: now } : {}),
  }));
  const refused = new Set<string>();
  try {
    await HookDelivery.insertMany(docs, { ordered: false });
  } catch (err) {
    ignoreDuplicates(err);
    const writeErrors = (err as { writeErrors?: { getOperation?: () => { _id?: unknown } }[] }).writeErrors;
    // A single refused insert comes as a plain duplicate-key error: then every one is taken as existing.
    if (!writeErrors) return [];
    for (const e of writeErrors) refused.add(String(e.getOperation?.()._id));
  }
  const created = docs.filter((d) => !refused.has(d._id)).map((d) => d._id);
  if (queue) for (const deliveryId of created) await queue.enqueue(hookDeliverContract, { deliveryId });
  return created;
}

/** Records the event (unless it was recorded already) and returns it. */
export async function recordEvent(built: Built): Promise<void> {
  try {
    await HookEvent.create({
      _id: built.id,
      type: JSON.parse(built.body).type,
      body: built.body,
      ...(built.interviewId ? { interviewId: built.interviewId } : {}),
      ...(built.responseId ? { responseId: built.responseId } : {}),
    });
  } catch (err) {
    ignoreDuplicates(err);
  }
}

/**
 * Tells every active endpoint subscribed to the event's type. Idempotent: the same happening published
 * again (a retried job, a second worker) is the same event, and each endpoint gets it once.
 */
export async function publishHookEvent(queue: Queue | undefined, input: HookEventInput, now = new Date()): Promise<void> {
  const endpoints = await HookEndpoint.find({ state: 'active', events: input.type }).select({ _id: 1 }).lean();
  if (endpoints.length === 0) return;
  const built = await buildEvent(input);
  if (!built) return;
  await recordEvent(built);
  await fanOut(
    queue,
    { id: built.id, type: input.type },
    endpoints.map((e) => e._id),
    now,
  );
}
