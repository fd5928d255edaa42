// Two guards for the pages an emailed link opens without a session: the buyer's form and the rep's links.
//
// Cross-site requests. Staff forms carry a CSRF token tied to the session; buyers have no session, so
// there is nothing to tie one to. The link's token (256 bits, in the path) is the capability: a request
// without it reaches nothing, and a page elsewhere that knows it could just as well post it itself, so a
// forged request gains an attacker nothing a direct one would not. What is left to stop is another site
// making the buyer's browser post to the form (say, to decline for them when the link leaked into a
// referrer): browsers say where a POST comes from, so one whose Origin is not APP_URL's, or whose
// Sec-Fetch-Site says cross-site or same-site, is refused. Sec-Fetch-Site: same-origin is accepted too
// (the browser vouches for it; it also covers a site reached under another name than APP_URL's, such as
// tests on 127.0.0.1). Requests with neither header do not come from a browser form, so there is no
// victim's browser to protect; they still need the token.
//
// Guessing links. Only failures are counted (per client address, in the database through the shared
// rate-limit store, so every web process adds to the same count): a working link costs no extra query.
// Once an address is over the limit, each process that sees it refuses it from memory until the window ends.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { MongoRateLimitStore } from '../rate-limit.ts';

export function originGuard(appUrl: string, onForeign: (req: Request, res: Response) => void): RequestHandler {
  const allowed = new URL(appUrl).origin;
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const origin = req.get('origin');
    const site = req.get('sec-fetch-site');
    const sameOriginFetch = site === 'same-origin';
    if (origin !== undefined && origin !== allowed && !sameOriginFetch) return onForeign(req, res);
    if (origin === undefined && site !== undefined && site !== 'none' && !sameOriginFetch) return onForeign(req, res);
    next();
  };
}

export interface GuessLimiter {
  /** Whether this client is over the limit (no database query). */
  blocked(key: string): boolean;
  /** Counts a failed look-up; true when the client is now over the limit. */
  fail(key: string): Promise<boolean>;
}

export function guessLimiter(opts: { windowMs: number; limit: number; name?: string }): GuessLimiter {
  const store = new MongoRateLimitStore(opts.name ?? 'buyer-link');
  store.windowMs = opts.windowMs;
  const blockedUntil = new Map<string, number>();
  return {
    blocked(key) {
      const until = blockedUntil.get(key);
      if (until === undefined) return false;
      if (until > Date.now()) return true;
      blockedUntil.delete(key);
      return false;
    },
    async fail(key) {
      const { totalHits, resetTime } = await store.increment(key);
      if (totalHits <= opts.limit) return false;
      if (blockedUntil.size > 10_000) {
        const now = Date.now();
        for (const [k, until] of blockedUntil) if (until <= now) blockedUntil.delete(k);
      }
      blockedUntil.set(key, resetTime?.getTime() ?? Date.now() + opts.windowMs);
      return true;
    },
  };
}
