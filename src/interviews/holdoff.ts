// The rep's hold-off: within the program's window after the loss (or the win), the deal's rep (or a marketer) may
// stop the planned interview, with a reason. Hold-offs are counted: the report shows rates per rep.
import type { Types } from 'mongoose';
import { audit, type Actor } from '../audit/index.ts';
import { getDeal, type StoredDeal } from '../deals/lifecycle.ts';
import { AppError, NotFoundError } from '../lib/errors.ts';
import { loadProgram } from '../program/index.ts';
import { Interview, outcomeOf } from './model.ts';
import { outcomeWords } from './outcome-words.ts';
import { decidedAt, type StoredInterview } from './planner.ts';
import { transition } from './transition.ts';

export class HoldOffError extends AppError {
  constructor(message: string) {
    super(409, 'hold_off_refused', message);
  }
}

export interface HoldOffContext {
  interview: StoredInterview;
  deal: StoredDeal;
  /** Until when a hold-off is possible. */
  deadline: Date;
}

/** Until when the rep may hold this interview off: the program's window after the loss (or the win). */
export function holdOffDeadline(
  deal: Partial<Pick<StoredDeal, 'lostAt' | 'wonAt'>>,
  interview: Pick<StoredInterview, 'createdAt'> & { outcome?: string | null },
  holdOffHours: number,
): Date {
  return new Date((decidedAt(deal, outcomeOf(interview)) ?? interview.createdAt).getTime() + holdOffHours * 3_600_000);
}

export async function holdOffContext(interviewId: string | Types.ObjectId, now = new Date()): Promise<HoldOffContext> {
  const interview = await Interview.findById(interviewId).lean<StoredInterview>();
  if (!interview) throw new NotFoundError('We could not find that interview.');
  const deal = await getDeal(interview.dealId);
  const { holdOffHours } = await loadProgram();
  const deadline = holdOffDeadline(deal, interview, holdOffHours);
  if (interview.state !== 'planned') throw new HoldOffError('This interview is no longer planned, so there is nothing to hold off.');
  if (now > deadline)
    throw new HoldOffError(`The hold-off window (${holdOffHours} hours after ${outcomeWords(interview).decision}) has passed. Ask the interviewer directly.`);
  return { interview, deal, deadline };
}

export async function holdOff(interviewId: string, reason: string, actor: Actor, now = new Date()): Promise<void> {
  const { interview, deal } = await holdOffContext(interviewId, now);
  const held = await transition(interview._id, {
    from: ['planned'],
    to: 'held',
    note: reason,
    set: { holdOff: { by: actor.email, reason, at: now } },
    at: now,
  });
  if (!held) throw new HoldOffError('This interview is no longer planned, so there is nothing to hold off.');
  await audit(actor, 'interview.held', `${deal.source}:${deal.externalId}`, { rep: deal.ownerEmail ?? '' });
}
