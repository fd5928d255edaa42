// The one-time notice a page shows after a redirect ("Saved.", "Revoked …"): a handler sets
// req.session.notice before it redirects, and the page that follows takes it, so it shows once.
import type { Request } from 'express';

declare module 'express-session' {
  interface SessionData {
    notice?: string;
  }
}

/** The notice left for this page, removed from the session so that a reload does not show it again. */
export function takeNotice(req: Request): string | undefined {
  const notice = req.session.notice;
  delete req.session.notice;
  return notice;
}
