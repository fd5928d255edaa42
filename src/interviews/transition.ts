// The one writer of an interview's state. A move is a single conditional update (the state is among the
// sources, then it is set and the timeline gets its line), never a read then a write: when a concurrent
// change wins, the move does not apply and the caller is told. A move the table (states.ts) does not
// allow is a programming error and throws before anything is written.
import mongoose, { type Types } from 'mongoose';
import { Interview } from './model.ts';
import { canTransition, sourcesOf, type InterviewState } from './states.ts';

export interface Transition {
  /** The states the caller accepts to move from; every state the table allows into `to` when absent. */
  from?: readonly InterviewState[];
  to: InterviewState;
  /** The timeline's line for the move (none when absent). */
  note?: string | undefined;
  /** More fields to set with the move. */
  set?: Record<string, unknown>;
  at?: Date;
}

export class TransitionNotAllowedError extends Error {
  constructor(from: readonly InterviewState[], to: InterviewState) {
    super(`The interview state machine does not allow ${from.join(', ') || '(nothing)'} -> ${to}`);
    this.name = 'TransitionNotAllowedError';
  }
}

/** The conditional update for a move, checked against the table: the one code path of every writer. */
function conditionalUpdate(t: Transition) {
  const from = t.from ?? sourcesOf(t.to);
  const refused = from.filter((s) => !canTransition(s, t.to));
  if (from.length === 0 || refused.length > 0) throw new TransitionNotAllowedError(refused.length > 0 ? refused : from, t.to);
  const line = { state: t.to, at: t.at ?? new Date(), ...(t.note !== undefined ? { note: t.note } : {}) };
  return { state: mongoose.trusted({ $in: [...from] }), update: { $set: { ...t.set, state: t.to }, $push: { timeline: line } } };
}

/** Moves the interview to `to` if it is in one of the `from` states; true if it did (false: it was not, or is gone). */
export async function transition(interviewId: Types.ObjectId | string, t: Transition): Promise<boolean> {
  const { state, update } = conditionalUpdate(t);
  const { modifiedCount } = await Interview.updateOne({ _id: interviewId, state }, update);
  return modifiedCount > 0;
}

/** The same move for every interview of a deal that is in one of the `from` states; returns how many moved. */
export async function transitionMany(where: { dealId: Types.ObjectId }, t: Transition): Promise<number> {
  const { state, update } = conditionalUpdate(t);
  const { modifiedCount } = await Interview.updateMany({ dealId: where.dealId, state }, update);
  return modifiedCount;
}

/** Several moves, each as transition() makes it, in order (two moves of one interview see each other), in one bulk write. */
export async function transitionBatch(moves: readonly (Transition & { interviewId: Types.ObjectId })[]): Promise<void> {
  if (moves.length === 0) return;
  const writes = moves.map((m) => {
    const { state, update } = conditionalUpdate(m);
    return { updateOne: { filter: { _id: m.interviewId, state }, update } };
  });
  await Interview.bulkWrite(writes, { ordered: true });
}
