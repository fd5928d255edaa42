// The per-domain rate (MAIL_RATE_PER_DOMAIN messages a minute to one recipient domain, for the sender's
// reputation), counted per minute in one shared document, so that every worker counts in the same place.
// The minute's document holds a count per domain; a wave of sends reserves what it is about to send to
// each of its domains in one write that returns the new counts. One document per domain would cost a
// round trip per domain, and a wave's emails mostly go to different domains.
//
// The documents live beside the HTTP rate-limit windows (src/lib/rate-limit.ts), with the same `resetAt`,
// so that whoever prunes past windows prunes these too.
import mongoose from 'mongoose';
import { isDuplicateKeyError } from '../lib/db.ts';

const windowMs = 60_000;

interface MinuteCounts {
  _id: string;
  /** Messages counted per domain, keyed by domainField(). */
  domains: Record<string, number>;
  resetAt: Date;
}

const counts = () => mongoose.connection.db!.collection<MinuteCounts>('ratelimits');

/** A domain as a field name: field names may not contain dots or start with "$"; this escapes both. */
function domainField(domain: string): string {
  return encodeURIComponent(domain).replaceAll('.', '%2E');
}

/**
 * Counts the messages wanted to each domain in the current minute; returns how many of each may go now
 * (the first ones), the rest waiting for the next minute. Those refused stay counted, as they are by the
 * rate-limit store. A count read back may include other workers' reservations made at the same moment:
 * that only ever refuses more, never lets more through.
 */
export async function reserveDomainSends(wanted: ReadonlyMap<string, number>, perMinute: number, now: Date): Promise<Map<string, number>> {
  const may = new Map<string, number>();
  if (wanted.size === 0) return may;
  const windowStart = Math.floor(now.getTime() / windowMs) * windowMs;
  const _id = `mail-domains:${windowStart}`;
  const inc: Record<string, number> = {};
  for (const [domain, n] of wanted) inc[`domains.${domainField(domain)}`] = n;
  let doc;
  try {
    doc = await counts().findOneAndUpdate(
      { _id },
      { $inc: inc, $setOnInsert: { resetAt: new Date(windowStart + windowMs) } },
      { upsert: true, returnDocument: 'after' },
    );
  } catch (err) {
    // The first two of a minute at once: two upserts can both try to insert (on MongoDB too), and the
    // second fails. The document exists now, so count again.
    if (!isDuplicateKeyError(err)) throw err;
    doc = await counts().findOneAndUpdate({ _id }, { $inc: inc }, { returnDocument: 'after' });
  }
  // Past minutes are dropped now and then (as the rate-limit store does), by whoever counts.
  if (Math.random() < 0.01)
    void counts()
      .deleteMany({ resetAt: { $lt: now } })
      .catch(() => {});
  for (const [domain, n] of wanted) {
    const before = (doc?.domains?.[domainField(domain)] ?? n) - n;
    may.set(domain, Math.max(0, Math.min(n, perMinute - before)));
  }
  return may;
}
