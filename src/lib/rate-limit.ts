// Rate limits shared by every web process: express-rate-limit counting in the app's database (fixed
// windows, one document per client and window), so limits hold when web processes scale out.
import type { Request } from 'express';
import { rateLimit, type Options, type Store, type IncrementResponse } from 'express-rate-limit';
import mongoose from 'mongoose';
import { isDuplicateKeyError, unjournaled } from './db.ts';
import { AppError } from './errors.ts';

const collection = () => mongoose.connection.db!.collection<{ _id: string; hits: number; resetAt: Date }>('ratelimits');

export class MongoRateLimitStore implements Store {
  windowMs = 60_000;
  prefix: string;
  readonly localKeys = false;

  constructor(prefix: string) {
    this.prefix = prefix;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  private id(key: string, now = Date.now()): { id: string; resetAt: Date } {
    const windowStart = Math.floor(now / this.windowMs) * this.windowMs;
    return { id: `${this.prefix}:${key}:${windowStart}`, resetAt: new Date(windowStart + this.windowMs) };
  }

  async increment(key: string): Promise<IncrementResponse> {
    const { id, resetAt } = this.id(key);
    // One round trip: the count comes back with the increment (a second read cost every API call a query).
    let doc: { hits: number } | null;
    try {
      doc = await collection().findOneAndUpdate(
        { _id: id },
        { $inc: { hits: 1 }, $setOnInsert: { resetAt } },
        { upsert: true, returnDocument: 'after', projection: { hits: 1 }, ...unjournaled },
      );
    } catch (err) {
      // Two first hits at once: two upserts can both try to insert (on MongoDB too), and the second fails.
      // The document exists now, so count again.
      if (!isDuplicateKeyError(err)) throw err;
      doc = await collection().findOneAndUpdate({ _id: id }, { $inc: { hits: 1 } }, { returnDocument: 'after', projection: { hits: 1 }, ...unjournaled });
    }
    if (Math.random() < 0.01)
      void collection()
        .deleteMany({ resetAt: { $lt: new Date() } })
        .catch(() => {});
    return { totalHits: doc?.hits ?? 1, resetTime: resetAt };
  }

  async decrement(key: string): Promise<void> {
    await collection().updateOne({ _id: this.id(key).id }, { $inc: { hits: -1 } }, unjournaled);
  }

  async resetKey(key: string): Promise<void> {
    await collection().deleteOne({ _id: this.id(key).id });
  }
}

/**
 * A limiter that answers with our own error page or JSON when the limit is reached. It counts per client
 * address unless keyGenerator says otherwise (the API counts per key); a key must hold nothing secret,
 * as it is stored.
 */
export function limiter(name: string, windowMs: number, limit: number, message: string, keyGenerator?: (req: Request) => string) {
  return rateLimit({
    windowMs,
    limit,
    ...(keyGenerator ? { keyGenerator } : {}),
    store: new MongoRateLimitStore(name),
    // Without TRUSTED_PROXIES an X-Forwarded-For is ignored on purpose (anyone can write one): no warning.
    validate: { xForwardedForHeader: false },
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next, options) => {
      next(new AppError(options.statusCode, 'rate_limited', message));
    },
  });
}
