// Staff sessions: express-session stored in MongoDB (connect-mongo), a __Host- cookie over HTTPS,
// an idle timeout (30 min) and an absolute one (12 h) enforced on the server, the id rotated at
// sign-in, and sign-out-everywhere through the user's sessionVersion.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import MongoStore from 'connect-mongo';
import mongoose from 'mongoose';
import type { Config } from '../config.ts';
import { AppError, ForbiddenError } from '../lib/errors.ts';
import { wantsJson } from '../lib/http/errors.ts';
import { timeHelpers } from '../lib/http/views.ts';
import { loadSecrets } from '../lib/secrets.ts';
import { User, type Role, type UserDoc } from './model.ts';
import { can, type Permission } from './permissions.ts';
import { effectiveTimeZone } from './time-zone.ts';

export const sessionTimeouts = { idleMs: 30 * 60_000, absoluteMs: 12 * 60 * 60_000 } as const;
const lastSeenPrecisionMs = 60_000;
const sessionsCollection = 'sessions';

declare module 'express-session' {
  interface SessionData {
    userId?: string;
    sessionVersion?: number;
    authAt?: number;
    lastSeenAt?: number;
  }
}

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** The zone their pages show times in: their own, else the program's (see time-zone.ts). */
  timeZone: string;
  /** Their own choice; null: the program's. */
  ownTimeZone: string | null;
  /** The program's, which they follow while their own is unset. */
  programTimeZone: string;
}

declare global {
  namespace Express {
    interface Request {
      user?: SignedInUser;
    }
  }
}

export function cookieName(config: Config): string {
  // Browsers take a __Host- cookie only over HTTPS; a plain-HTTP development install uses a plain name.
  return config.appUrl.startsWith('https://') ? '__Host-debrief.sid' : 'debrief.sid';
}

export function sessionMiddleware(config: Config): RequestHandler[] {
  const secure = config.appUrl.startsWith('https://');
  const sessions = session({
    name: cookieName(config),
    secret: loadSecrets(config).sessionSecret,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: secure,
    cookie: { httpOnly: true, secure, sameSite: 'lax', path: '/', maxAge: sessionTimeouts.idleMs },
    store: MongoStore.create({
      client: mongoose.connection.getClient(),
      stringify: true,
      dbName: mongoose.connection.db!.databaseName,
      collectionName: sessionsCollection,
      ttl: sessionTimeouts.absoluteMs / 1000,
      // The embedded engine never applies TTL indexes, and connect-mongo's own sweep ('interval') deletes
      // unacknowledged (w: 0), which an engine that answers anyway turns into crossed replies (README,
      // Accounts and security): expired sessions are deleted by the daily retention job instead.
      autoRemove: 'disabled',
      // Renew an unchanged session's expiry in the store at most once a minute, not on every request.
      touchAfter: lastSeenPrecisionMs / 1000,
    }),
  });
  return [sessions, saveBeforeRedirect];
}

/** The session as express-session compares it: everything but the cookie. */
function sessionState(req: Request): string {
  return JSON.stringify(req.session ?? null, (key, value: unknown) => (key === 'cookie' ? undefined : value));
}

/**
 * express-session writes a changed session to the store only as the response ends, after the headers
 * have gone: a client that follows a redirect on its headers alone (scripts do) could read the store
 * before the write (a sign-in that did not hold, a notice that never showed; 9 in 100 fast follows on
 * the embedded engine). A redirect therefore waits until a changed session is stored.
 */
const saveBeforeRedirect: RequestHandler = (req, res, next) => {
  const loadedId = req.sessionID;
  const loaded = sessionState(req);
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = function redirectWhenSaved(...args: unknown[]) {
    if (!req.session || (req.sessionID === loadedId && sessionState(req) === loaded)) return redirect(...args);
    req.session.save((err) => (err ? next(err) : redirect(...args)));
  } as typeof res.redirect;
  next();
};

/** Deletes the sessions past their expiry (the store never serves them); returns how many. */
export async function pruneExpiredSessions(now = new Date()): Promise<number> {
  const { deletedCount } = await mongoose.connection.db!.collection<{ expires?: Date }>(sessionsCollection).deleteMany({ expires: { $lt: now } });
  return deletedCount;
}

function endSession(req: Request): Promise<void> {
  return new Promise((resolve) => req.session.regenerate(() => resolve()));
}

/**
 * Loads the signed-in user, if any, and ends sessions that timed out or were signed out elsewhere.
 * programTimeZone reads the program's zone (src/program, a feature above accounts, so it is handed in).
 */
export const loadUser =
  (programTimeZone: () => Promise<string>): RequestHandler =>
  async (req, res, next) => {
    const s = req.session;
    if (!s?.userId) return next();
    const now = Date.now();
    const expired = now - (s.authAt ?? 0) > sessionTimeouts.absoluteMs || now - (s.lastSeenAt ?? 0) > sessionTimeouts.idleMs;
    const user = expired ? null : await User.findById(s.userId).lean<UserDoc>();
    if (!user || user.disabled || user.sessionVersion !== s.sessionVersion) {
      await endSession(req);
      req.session.notice = expired ? 'Your session ended after a while without activity. Please sign in again.' : 'Please sign in again.';
      return next();
    }
    // A minute's precision is plenty for a 30-minute idle limit, and an unchanged session is not written
    // back: most staff requests then cost the store no write (see touchAfter).
    if (now - (s.lastSeenAt ?? 0) >= lastSeenPrecisionMs) s.lastSeenAt = now;
    const ownTimeZone = user.timeZone ?? null;
    const programZone = await programTimeZone();
    const timeZone = effectiveTimeZone(ownTimeZone, programZone);
    req.user = { id: String(user._id), email: user.email, name: user.name, role: user.role, timeZone, ownTimeZone, programTimeZone: programZone };
    res.locals.user = req.user;
    // Every staff page formats dates and times in the person's zone (over app.locals' UTC helpers).
    Object.assign(res.locals, timeHelpers(timeZone));
    next();
  };

/**
 * Starts a fresh session (new id) for a user who just proved who they are: by password, or by setting one
 * (the first set-up, an invitation, a reset). Every way in is a sign-in, so this is where it is recorded.
 */
export async function startSession(req: Request, user: UserDoc): Promise<void> {
  await User.updateOne({ _id: user._id }, { $set: { lastSignInAt: new Date() } });
  await endSession(req);
  req.session.userId = String(user._id);
  req.session.sessionVersion = user.sessionVersion;
  req.session.authAt = Date.now();
  req.session.lastSeenAt = Date.now();
}

export function signOut(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
}

/** The one authorization check of a staff route: signed in, and the role may do this. */
export function authorize(permission: Permission): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.user) {
      if (wantsJson(req)) return next(new AppError(401, 'unauthorized', 'Sign in first.'));
      const nextPath = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
      return res.redirect(303, `/sign-in${nextPath}`);
    }
    if (!can(req.user.role, permission)) return next(new ForbiddenError());
    next();
  };
}
