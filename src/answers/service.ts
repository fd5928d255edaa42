// Reading buyers' answers for programs: one interview's, and a list by date, outcome, competitor and
// segment, newest first, paged by a cursor on (submittedAt, _id) so that answers arriving while a
// program pages through never shift a page (no offsets). Test invitations' answers are never shown.
import mongoose, { Types } from 'mongoose';
import { Deal } from '../deals/model.ts';
import { Interview, InterviewResponse, type InterviewState } from '../interviews/model.ts';
import { NotFoundError, ValidationError } from '../lib/errors.ts';
import { loadProgram } from '../program/index.ts';
import { outcomeOf, presentAnswers, type StoredContact, type StoredDealFields, type StoredResponse } from './present.ts';
import type { AnswerOutcome, BuyerAnswers } from './schemas.ts';

export const answersPageSize = { default: 50, max: 200 } as const;

export async function reasonLabels(): Promise<Map<string, string>> {
  const program = await loadProgram();
  return new Map(program.reasons.map((r) => [r.code, r.label]));
}

interface Cursor {
  at: Date;
  id: Types.ObjectId;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.at.getTime()}.${String(c.id)}`, 'utf8').toString('base64url');
}

const badCursor = 'This cursor is not valid: pass nextCursor from the previous page as it was given.';

export function decodeCursor(cursor: string): Cursor {
  const m = /^(\d{1,15})\.([0-9a-f]{24})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new ValidationError({ cursor: [badCursor] }, badCursor);
  return { at: new Date(Number(m[1])), id: new Types.ObjectId(m[2]) };
}

const dealFields = { source: 1, externalId: 1, name: 1, buyerCompany: 1, segment: 1, competitor: 1, ownerEmail: 1, test: 1 } as const;

export interface InterviewAnswers {
  interview: { id: string; state: InterviewState; outcome: AnswerOutcome };
  /** null until the buyer answered. */
  answers: BuyerAnswers | null;
}

/** One interview's answers; throws NotFoundError for an unknown interview (or a test invitation). */
export async function interviewAnswers(interviewId: string, includeInternal: boolean): Promise<InterviewAnswers> {
  if (!mongoose.isValidObjectId(interviewId)) throw new NotFoundError('There is no such interview.');
  const interview = await Interview.findById(interviewId).select({ state: 1, contact: 1, dealId: 1, test: 1, outcome: 1 }).lean();
  if (!interview || interview.test) throw new NotFoundError('There is no such interview.');
  const outcome = outcomeOf(interview);
  const [response, deal, labels] = await Promise.all([
    InterviewResponse.findOne({ interviewId: interview._id }).lean<StoredResponse>(),
    Deal.findById(interview.dealId).select(dealFields).lean<StoredDealFields>(),
    reasonLabels(),
  ]);
  const answers = response && deal ? presentAnswers(response, deal, interview.contact, outcome, { includeInternal, reasonLabels: labels }) : null;
  return { interview: { id: String(interview._id), state: interview.state, outcome }, answers };
}

export interface AnswersQuery {
  from?: Date | undefined;
  to?: Date | undefined;
  outcome?: AnswerOutcome | undefined;
  competitor?: string | undefined;
  segment?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

const exactly = (value: string) => new RegExp(`^${value.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'i');

/** A page of answers, newest first, and the cursor of the next page (null on the last). */
export async function listAnswers(q: AnswersQuery, includeInternal: boolean): Promise<{ items: BuyerAnswers[]; nextCursor: string | null }> {
  const and: Record<string, unknown>[] = [{ test: mongoose.trusted({ $ne: true }) }];
  // An answer carries its interview's outcome; one stored before won deals were interviewed has none: a loss.
  if (q.outcome) and.push({ outcome: q.outcome === 'won' ? 'won' : mongoose.trusted({ $ne: 'won' }) });
  if (q.from || q.to) and.push({ submittedAt: mongoose.trusted({ ...(q.from ? { $gte: q.from } : {}), ...(q.to ? { $lt: q.to } : {}) }) });
  if (q.segment) {
    const ids = await Deal.distinct('_id', { segment: exactly(q.segment) });
    and.push({ dealId: mongoose.trusted({ $in: ids }) });
  }
  if (q.competitor) {
    // The buyer's own answer (the vendor they chose), or the competitor the rep put on the deal.
    const ids = await Deal.distinct('_id', { competitor: exactly(q.competitor) });
    and.push({ $or: [{ chosenVendor: exactly(q.competitor) }, { dealId: mongoose.trusted({ $in: ids }) }] });
  }
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    and.push({ $or: [{ submittedAt: mongoose.trusted({ $lt: c.at }) }, { submittedAt: c.at, _id: mongoose.trusted({ $lt: c.id }) }] });
  }
  const rows = await InterviewResponse.find({ $and: and })
    .sort({ submittedAt: -1, _id: -1 })
    .limit(q.limit + 1)
    .lean<StoredResponse[]>();
  const page = rows.slice(0, q.limit);
  const [deals, interviews, labels] = await Promise.all([
    Deal.find({ _id: mongoose.trusted({ $in: page.map((r) => r.dealId) }) })
      .select(dealFields)
      .lean<StoredDealFields[]>(),
    Interview.find({ _id: mongoose.trusted({ $in: page.map((r) => r.interviewId) }) })
      .select({ contact: 1, outcome: 1 })
      .lean<{ _id: Types.ObjectId; contact?: StoredContact; outcome?: string | null }[]>(),
    reasonLabels(),
  ]);
  const dealById = new Map(deals.map((d) => [String(d._id), d]));
  const interviewById = new Map(interviews.map((i) => [String(i._id), i]));
  const items = page.flatMap((r) => {
    const deal = dealById.get(String(r.dealId));
    const interview = interviewById.get(String(r.interviewId));
    if (!deal || !interview) return [];
    return [presentAnswers(r, deal, interview.contact, outcomeOf(interview), { includeInternal, reasonLabels: labels })];
  });
  const last = page.at(-1);
  return { items, nextCursor: rows.length > q.limit && last ? encodeCursor({ at: last.submittedAt, id: last._id }) : null };
}
