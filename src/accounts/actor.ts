// Who is acting on a staff request, for the audit log: the signed-in user (req.user, set by session.ts)
// or an anonymous visitor, with the IP address either way.
import type { Request } from 'express';
import type { Actor } from '../audit/index.ts';

export function actorOf(req: Request): Actor {
  return req.user ? { type: 'user', id: req.user.id, email: req.user.email, ip: req.ip } : { type: 'anonymous', ip: req.ip };
}
