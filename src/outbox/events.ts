// What the workflow tells people when an interview changes: the buyer's thank-you and the
// interviewer's notices. Called after the change is stored; the emails go through the outbox, in jobs
// shared with the other emails planned in this process within a second (gatheringSchedulerFor).
import mongoose, { type Types } from 'mongoose';
import { openBuyerStates, transition } from '../interviews/index.ts';
import { Interview } from '../interviews/model.ts';
import type { Queue } from '../lib/queue.ts';
import type { EmailKind } from './model.ts';
import { gatheringSchedulerFor } from './schedule.ts';

export type InterviewEvent = 'completed' | 'declined' | 'held' | 'opened';

const emailsFor: Record<InterviewEvent, EmailKind[]> = {
  completed: ['thank_you', 'marketer_completed'],
  declined: ['marketer_declined'],
  held: ['marketer_held'],
  opened: [],
};

export async function interviewEvent(queue: Queue, event: InterviewEvent, interviewId: Types.ObjectId | string, now = new Date()): Promise<void> {
  const schedule = gatheringSchedulerFor(queue);
  for (const kind of emailsFor[event]) await schedule(kind, interviewId, 0, now);
}

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
