// Which interviews a reader reaches: those of the deals they reach (the one ownership rule,
// src/deals/access.ts). Routes under /interviews/:id load their interview and its deal through
// interviewParam, so none can forget it.
import type { Request, RequestParamHandler } from 'express';
import mongoose, { type Types } from 'mongoose';
import { z } from 'zod';
import { assertOwnsDeal, type DealReader, readerOf } from '../deals/access.ts';
import { getDeal, type StoredDeal } from '../deals/lifecycle.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../lib/errors.ts';
import { Interview } from './model.ts';
import type { StoredInterview } from './planner.ts';

declare global {
  namespace Express {
    interface Request {
      /** The interview of an /interviews/:id route and its deal, once the reader may reach the deal (interviewParam). */
      interview?: { interview: StoredInterview; deal: StoredDeal };
    }
  }
}

/** The interview and its deal, if the reader may reach the deal: else NotFoundError or ForbiddenError. */
export async function readableInterview(reader: DealReader, id: string | Types.ObjectId): Promise<{ interview: StoredInterview; deal: StoredDeal }> {
  const interview = mongoose.isValidObjectId(id) ? await Interview.findById(id).lean<StoredInterview>() : null;
  if (!interview) throw new NotFoundError('We could not find that interview.');
  const deal = await getDeal(interview.dealId);
  assertOwnsDeal(reader, deal);
  return { interview, deal };
}

const interviewId = z.string().regex(/^[0-9a-f]{24}$/, 'Not an interview id.');

/** router.param('id', interviewParam): loads the route's interview and its deal into req.interview, or refuses. */
export const interviewParam: RequestParamHandler = (req, _res, next, value: unknown) => {
  const reader = readerOf(req, 'interviews:read');
  if (!reader) return next();
  const id = interviewId.safeParse(value);
  if (!id.success) return next(new ValidationError({ id: [id.error.issues[0]!.message] }));
  readableInterview(reader, id.data)
    .then((found) => {
      req.interview = found;
      next();
    })
    .catch(next);
};

/** The interview interviewParam loaded, with its deal. */
export function routeInterview(req: Request): { interview: StoredInterview; deal: StoredDeal } {
  if (!req.interview) throw new ForbiddenError();
  return req.interview;
}
