// An invitation unanswered for the program's expiry (expiresAt, set when it went) closes the form.
import mongoose, { type Types } from 'mongoose';
import { Interview } from './model.ts';
import { openBuyerStates } from './states.ts';
import { transition } from './transition.ts';

/** Expires the interviews whose time is up; returns how many. */
export async function expireOverdue(now = new Date()): Promise<number> {
  const overdue = await Interview.find({ state: mongoose.trusted({ $in: [...openBuyerStates] }), expiresAt: mongoose.trusted({ $lte: now }) })
    .select({ _id: 1 })
    .limit(1000)
    .lean();
  let count = 0;
  for (const interview of overdue) if (await expireInterview(interview._id, now)) count += 1;
  return count;
}

/** Expires an interview still waiting for the buyer; true if it did. */
export async function expireInterview(interviewId: Types.ObjectId | string, now = new Date()): Promise<boolean> {
  return transition(interviewId, { from: openBuyerStates, to: 'expired', note: 'No answer in time: the form is closed', at: now });
}
