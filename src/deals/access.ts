// Whose deals a reader reaches, and with a deal everything under it: its interviews, their answers, the
// rep's debrief, its rows in exports, its API reads. The one ownership rule, enforced here: a sales
// person reaches the deals whose owner email is theirs; other staff roles with access to deals, and
// programs with an API key (which an admin issued), reach every deal. Routes under /deals/:id load their
// deal through dealParam (and /interviews/:id through interviewParam, src/interviews/access.ts, which
// asks this rule), so none can forget it; lists and exports narrow their queries with ownerScope and readableDealIds. (What a role may open at all is the
// permissions table, src/accounts/permissions.ts; this is which rows.)
import type { Request, RequestParamHandler } from 'express';
import type { Types } from 'mongoose';
import { z } from 'zod';
import { can, type Permission, type SignedInUser } from '../accounts/index.ts';
import { ForbiddenError, ValidationError } from '../lib/errors.ts';
import { getDeal, type StoredDeal } from './lifecycle.ts';
import { Deal } from './model.ts';

/** A signed-in person, or a program calling the API with a key. */
export type DealReader = SignedInUser | { kind: 'api_key' };

declare global {
  namespace Express {
    interface Request {
      /** The deal of a /deals/:id route, once the reader may reach it (dealParam). */
      deal?: StoredDeal;
    }
  }
}

/** The one rule: the owner email whose deals the reader reaches, or undefined for every deal. */
export function ownerScope(reader: DealReader): string | undefined {
  return 'role' in reader && reader.role === 'sales' ? reader.email.toLowerCase() : undefined;
}

export function ownsDeal(reader: DealReader, deal: { ownerEmail?: string | null }): boolean {
  const owner = ownerScope(reader);
  return owner === undefined || (deal.ownerEmail ?? '').toLowerCase() === owner;
}

export function assertOwnsDeal(reader: DealReader, deal: { ownerEmail?: string | null }): void {
  if (!ownsDeal(reader, deal)) throw new ForbiddenError('This deal belongs to another rep.');
}

/** The ids of the deals the reader reaches, for queries over interviews and answers; undefined for every deal. */
export async function readableDealIds(reader: DealReader): Promise<Types.ObjectId[] | undefined> {
  const owner = ownerScope(reader);
  if (owner === undefined) return undefined;
  return (await Deal.find({ ownerEmail: owner }).select({ _id: 1 }).lean()).map((d) => d._id);
}

const dealId = z.string().regex(/^[0-9a-f]{24}$/, 'Not a deal id.');

/**
 * Param handlers run before a route's own middleware: someone signed out, or whose role may not read
 * these rows at all, is left to the route's authorize() (a sign-in redirect, a 403), and is shown nothing.
 */
export function readerOf(req: Request, permission: Permission): SignedInUser | null {
  return req.user && can(req.user.role, permission) ? req.user : null;
}

/** router.param('id', dealParam): loads the route's deal into req.deal, or refuses. */
export const dealParam: RequestParamHandler = (req, _res, next, value: unknown) => {
  const reader = readerOf(req, 'deals:read');
  if (!reader) return next();
  const id = dealId.safeParse(value);
  if (!id.success) return next(new ValidationError({ id: [id.error.issues[0]!.message] }));
  getDeal(id.data)
    .then((deal) => {
      assertOwnsDeal(reader, deal);
      req.deal = deal;
      next();
    })
    .catch(next);
};

/** The deal dealParam loaded; a handler's way to it. */
export function routeDeal(req: Request): StoredDeal {
  if (!req.deal) throw new ForbiddenError();
  return req.deal;
}
