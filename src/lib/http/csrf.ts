// CSRF protection for every state-changing form (synchroniser token kept in the session). Templates
// call csrfToken() to put the token in a hidden _csrf field; scripts may send it as X-CSRF-Token.
import type { RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';

const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req) => {
    const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
    const fromHeader = req.headers['x-csrf-token'];
    return typeof fromBody === 'string' ? fromBody : typeof fromHeader === 'string' ? fromHeader : undefined;
  },
});

export const csrfProtection: RequestHandler = csrfSynchronisedProtection;

/** Makes csrfToken() available to templates; the token is created only when a form asks for it. */
export const csrfLocals: RequestHandler = (req, res, next) => {
  res.locals.csrfToken = () => generateToken(req);
  next();
};
