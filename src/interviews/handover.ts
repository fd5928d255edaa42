// Interviews waiting to be handed to the outbox carry `awaitingHandover: true`, written with the interview
// itself (so none can exist without it) and unset once handed over; the dispatcher finds them by a sparse
// index on the flag instead of reading every interview ever planned.
import type { Types } from 'mongoose';
import { Interview } from './model.ts';

/** What the planner writes into a new interview. */
export const awaitingHandover = { awaitingHandover: true } as const;

/** Marks an interview written by other means (a back-fill) as waiting. */
export async function markForHandover(interviewId: Types.ObjectId): Promise<void> {
  await Interview.updateOne({ _id: interviewId }, { $set: awaitingHandover });
}

/** Up to `limit` interviews waiting, with what the dispatcher needs to know of them. */
export async function waitingHandovers(limit: number) {
  return Interview.find(awaitingHandover).select({ state: 1, plannedFor: 1, demo: 1, repNotifiedAt: 1 }).limit(limit).lean();
}

export async function handedOver(interviewId: Types.ObjectId): Promise<void> {
  await Interview.updateOne({ _id: interviewId }, { $unset: { awaitingHandover: 1 } });
}
