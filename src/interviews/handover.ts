// Interviews waiting to be handed to the outbox, as one small document each (_id: the interview's id).
// The planner writes the marker before the interview itself, so no interview can exist without one;
// the dispatcher reads this short list every 30 seconds instead of every interview ever planned (the
// embedded engine reads a whole collection for any query other than by _id).
import mongoose, { Schema, Types } from 'mongoose';
import { isDuplicateKeyError } from '../lib/db.ts';

const handoverSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
const Handover = mongoose.model('InterviewHandover', handoverSchema, 'interviewhandovers');

/** A marker older than this whose interview does not exist was left by a plan that failed: dropped. */
const orphanAfterMs = 10 * 60_000;

/** Reserves an interview id with its marker; the caller then creates the interview under that id. */
export async function reserveHandover(now = new Date()): Promise<Types.ObjectId> {
  const id = new Types.ObjectId();
  await Handover.create({ _id: id, at: now });
  return id;
}

/** Marks an interview written by other means (a back-fill) as waiting. */
export async function markForHandover(interviewId: Types.ObjectId, now = new Date()): Promise<void> {
  await Handover.updateOne({ _id: interviewId }, { $setOnInsert: { at: now } }, { upsert: true }).catch((err: unknown) => {
    // Two back-fills at once (two upserts can both try to insert, on MongoDB too): the marker is there.
    if (!isDuplicateKeyError(err)) throw err;
  });
}

export async function waitingHandovers(limit: number): Promise<{ interviewId: Types.ObjectId; at: Date }[]> {
  const docs = await Handover.find({}).limit(limit).lean();
  return docs.map((d) => ({ interviewId: d._id, at: d.at }));
}

export async function handedOver(interviewId: Types.ObjectId): Promise<void> {
  await Handover.deleteOne({ _id: interviewId });
}

/** True when the marker's interview should have been written long ago: it never will be. */
export function orphaned(marker: { at: Date }, now: Date): boolean {
  return now.getTime() - marker.at.getTime() > orphanAfterMs;
}
