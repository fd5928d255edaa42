// CSRF protection for every state-changing form (synchroniser token kept in the session). Templates
// call csrfToken() to put the token in a hidden _csrf field; scripts may send it as X-CSRF-Token; a file
// upload form puts it in its action URL (see getTokenFromRequest).
import type { RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';

const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req) => {
    const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
    const fromHeader = req.headers['x-csrf-token'];
    // A file upload (multipart/form-data) is not parsed before this check, so its form carries the token
    // in its action URL (?_csrf=), which works without JavaScript. Accepted for multipart requests only;
    // the logs never record query strings.
    const fromQuery = req.is('multipart/form-data') ? req.query._csrf : undefined;
    return typeof fromBody === 'string' ? fromBody : typeof fromHeader === 'string' ? fromHeader : typeof fromQuery === 'string' ? fromQuery : undefined;
  },
});

export const csrfProtection: RequestHandler = csrfSynchronisedProtection;

/** Makes csrfToken() available to templates; the token is created only when a form asks for it. */
export const csrfLocals: RequestHandler = (req, res, next) => {
  res.locals.csrfToken = () => generateToken(req);
  next();
};
