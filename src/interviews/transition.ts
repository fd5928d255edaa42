// The one writer of an interview's state. A move is a single conditional update (the state is among the
// sources, then it is set and the timeline gets its line), never a read then a write: when a concurrent
// change wins, the move does not apply and the caller is told. A move the table (states.ts) does not
// allow is a programming error and throws before anything is written. A move that applied fires its
// event (events.ts) before it returns, so what it causes follows every way the change happens.
import mongoose, { type Types } from 'mongoose';
import { interviewEvents, type InterviewEvent } from './events.ts';
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
  const at = t.at ?? new Date();
  const line = { state: t.to, at, ...(t.note !== undefined ? { note: t.note } : {}) };
  return { at, state: mongoose.trusted({ $in: [...from] }), update: { $set: { ...t.set, state: t.to }, $push: { timeline: line } } };
}

/** A move into planned only adds a line to the timeline (an interviewer named, sent early): no event. */
const firesEvent = (to: InterviewState) => to !== 'planned';

async function fire(event: InterviewEvent): Promise<void> {
  if (firesEvent(event.type)) await interviewEvents.fire(event);
}

/** Moves the interview to `to` if it is in one of the `from` states; true if it did (false: it was not, or is gone). */
export async function transition(interviewId: Types.ObjectId | string, t: Transition): Promise<boolean> {
  const { at, state, update } = conditionalUpdate(t);
  const before = await Interview.findOneAndUpdate({ _id: interviewId, state }, update, { projection: { dealId: 1 } }).lean();
  if (!before) return false;
  await fire({ type: t.to, interviewId: before._id, dealId: before.dealId, at });
  return true;
}

/** The same move for every interview of a deal that is in one of the `from` states (each as transition() makes it); returns how many moved. */
export async function transitionMany(where: { dealId: Types.ObjectId }, t: Transition): Promise<number> {
  const { state } = conditionalUpdate(t);
  const candidates = await Interview.find({ dealId: where.dealId, state }).select({ _id: 1 }).lean();
  let moved = 0;
  for (const { _id } of candidates) if (await transition(_id, t)) moved += 1;
  return moved;
}

export type BatchMove = Transition & { interviewId: Types.ObjectId; dealId: Types.ObjectId };

/**
 * Several moves, each as transition() makes it, in order (two moves of one interview see each other), in
 * one bulk write; then the events of those that applied. When fewer applied than were asked (a race),
 * one read of the timelines tells which.
 */
export async function transitionBatch(moves: readonly BatchMove[]): Promise<void> {
  if (moves.length === 0) return;
  const planned = moves.map((m) => ({ move: m, ...conditionalUpdate(m) }));
  const { modifiedCount } = await Interview.bulkWrite(
    planned.map(({ move, state, update }) => ({ updateOne: { filter: { _id: move.interviewId, state }, update } })),
    { ordered: true },
  );
  let applied = planned;
  if (modifiedCount < planned.length) {
    const stored = await Interview.find({ _id: mongoose.trusted({ $in: planned.map((p) => p.move.interviewId) }) })
      .select({ timeline: 1 })
      .lean();
    const timelines = new Map(stored.map((i) => [String(i._id), i.timeline]));
    // A move applied if its line is in the timeline: the same state, time and note.
    applied = planned.filter(({ move, at }) =>
      (timelines.get(String(move.interviewId)) ?? []).some(
        (l) => l.state === move.to && l.at.getTime() === at.getTime() && (l.note ?? undefined) === move.note,
      ),
    );
  }
  for (const { move, at } of applied) await fire({ type: move.to, interviewId: move.interviewId, dealId: move.dealId, at });
}
