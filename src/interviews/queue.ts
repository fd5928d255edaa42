// The marketer's view of what is coming: invitations due in the next days, and taking a contact out.
import type { Types } from 'mongoose';
import { audit, type Actor } from '../audit/index.ts';
import { Deal } from '../deals/model.ts';
import { AppError, NotFoundError } from '../lib/errors.ts';
import { assignInterviewer, hasNamedInterviewer, noInterviewerMessage } from './interviewers.ts';
import { Interview, outcomeOf, type DealOutcome } from './model.ts';
import { transition } from './transition.ts';

/** "Send now" with no one to sign the invitation: nothing is sent. */
/** Whether the interview exists and is the program's (not a test invitation): what programs may act on through the API. */
export async function isProgramInterview(id: Types.ObjectId | string): Promise<boolean> {
  const interview = await Interview.findById(id).select({ test: 1 }).lean();
  return interview !== null && interview.test !== true;
}

export class NoInterviewerError extends AppError {
  constructor() {
    super(409, 'no_interviewer', `Not sent: ${noInterviewerMessage}. Add an interviewer first.`);
  }
}

export interface DueRow {
  id: string;
  dealId: string;
  /** Whether the buyer is asked about a loss or a win. */
  outcome: DealOutcome;
  dealName: string;
  company: string;
  contact: string;
  interviewer: string | null;
  /** No one can sign the invitation yet: it waits for an interviewer. */
  waitingForInterviewer: boolean;
  plannedFor: Date;
  ownerEmail: string | null;
}

interface DueJoined {
  _id: Types.ObjectId;
  dealId: Types.ObjectId;
  outcome?: string | null;
  contact?: { name?: string | null; email?: string | null } | null;
  interviewer?: { name?: string | null; email?: string | null } | null;
  plannedFor: Date;
  dealName?: string;
  company?: string;
  ownerEmail?: string | null;
}

export async function dueInvitations(days: number, now = new Date()): Promise<DueRow[]> {
  const until = new Date(now.getTime() + days * 24 * 3_600_000);
  const interviews = await Interview.aggregate<DueJoined>([
    { $match: { state: 'planned', plannedFor: { $lte: until } } },
    { $sort: { plannedFor: 1 } },
    { $limit: 500 },
    { $lookup: { from: Deal.collection.collectionName, localField: 'dealId', foreignField: '_id', as: 'deal' } },
    {
      $project: {
        dealId: 1,
        outcome: 1,
        contact: 1,
        interviewer: 1,
        plannedFor: 1,
        dealName: { $arrayElemAt: ['$deal.name', 0] },
        company: { $arrayElemAt: ['$deal.buyerCompany', 0] },
        ownerEmail: { $arrayElemAt: ['$deal.ownerEmail', 0] },
      },
    },
  ]);
  return interviews.map((i) => ({
    id: String(i._id),
    dealId: String(i.dealId),
    outcome: outcomeOf(i),
    dealName: i.dealName ?? '—',
    company: i.company ?? '—',
    contact: `${i.contact?.name ?? ''} <${i.contact?.email ?? ''}>`,
    interviewer: i.interviewer?.name ?? null,
    waitingForInterviewer: !hasNamedInterviewer(i),
    plannedFor: i.plannedFor,
    ownerEmail: i.ownerEmail ?? null,
  }));
}

/** Takes a planned interview out of the queue, with the marketer's reason (shown on the deal). */
export async function removeFromQueue(id: string | Types.ObjectId, reason: string, actor: Actor, now = new Date()): Promise<void> {
  const interview = await Interview.findById(id).lean();
  if (!interview) throw new NotFoundError('We could not find that interview.');
  const note = `Removed by ${actor.email ?? 'staff'}: ${reason}`;
  const removed = await transition(interview._id, { from: ['planned'], to: 'excluded', note, set: { exclusionReason: note }, at: now });
  if (!removed) throw new AppError(409, 'not_planned', 'This interview is no longer planned.');
  await audit(actor, 'interview.removed', interview.contact?.email ? `interview ${String(interview._id)}` : undefined);
}

/**
 * The outbox's "this invitation goes now" (src/outbox/schedule.ts), handed in where the app and the API are
 * wired: the outbox sends interviews' emails, so it stands above interviews.
 */
export type SendInvitationNow = (interviewId: Types.ObjectId, now: Date) => Promise<void>;

/** Sends a planned invitation now instead of at its planned time. */
export async function sendEarly(id: string | Types.ObjectId, actor: Actor, sendInvitationNow: SendInvitationNow, now = new Date()): Promise<void> {
  const interview = await Interview.findById(id).lean();
  if (!interview) throw new NotFoundError('We could not find that interview.');
  if (interview.state !== 'planned') throw new AppError(409, 'not_planned', 'This interview is no longer planned, so there is nothing to send early.');
  // Someone must sign it: named now if no one was (src/interviews/interviewers.ts).
  if (!(await assignInterviewer(interview))) throw new NoInterviewerError();
  // A line on the timeline (planned stays planned); moved on meanwhile (held, removed): nothing goes.
  if (!(await transition(interview._id, { from: ['planned'], to: 'planned', note: `Sent early by ${actor.email ?? 'staff'}`, at: now }))) {
    throw new AppError(409, 'not_planned', 'This interview is no longer planned, so there is nothing to send early.');
  }
  await sendInvitationNow(interview._id, now);
  await audit(actor, 'interview.sent_early', `interview ${String(interview._id)}`);
}
