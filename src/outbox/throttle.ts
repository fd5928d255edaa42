// The per-domain rate (MAIL_RATE_PER_DOMAIN messages a minute to one recipient domain, for the sender's
// reputation), counted per domain and minute in the shared rate-limit documents, so that every worker
// counts in the same place. A batch reserves all it is about to send to a domain in one write that
// returns the new count, where the rate-limit store (src/lib/rate-limit.ts) makes a write and a read per
// message: the documents are the store's own ("mail-domain:<domain>:<minute>"), so workers of either
// kind count together.
import mongoose from 'mongoose';
import { isDuplicateKeyError } from '../lib/db.ts';

const windowMs = 60_000;

const counts = () => mongoose.connection.db!.collection<{ _id: string; hits: number; resetAt: Date }>('ratelimits');

/**
 * Counts `wanted` more messages to the domain in the current minute; returns how many of them may go now
 * (the first ones), the rest waiting for the next minute. Those refused stay counted, as they are by the
 * rate-limit store.
 */
export async function reserveDomainSends(domain: string, wanted: number, perMinute: number, now: Date): Promise<number> {
  const windowStart = Math.floor(now.getTime() / windowMs) * windowMs;
  const _id = `mail-domain:${domain}:${windowStart}`;
  let doc;
  try {
    doc = await counts().findOneAndUpdate({ _id }, { $inc: { hits: wanted }, $setOnInsert: { resetAt: new Date(windowStart + windowMs) } }, { upsert: true, returnDocument: 'after' });
  } catch (err) {
    // The first two of a minute at once: the embedded engine's upsert is not atomic, and the second
    // insert fails. The document exists now, so count again.
    if (!isDuplicateKeyError(err)) throw err;
    doc = await counts().findOneAndUpdate({ _id }, { $inc: { hits: wanted } }, { returnDocument: 'after' });
  }
  // Past minutes are dropped now and then (as the rate-limit store does), by whoever counts.
  if (Math.random() < 0.01) void counts().deleteMany({ resetAt: { $lt: now } }).catch(() => {});
  const before = (doc?.hits ?? wanted) - wanted;
  return Math.max(0, Math.min(wanted, perMinute - before));
}
