// The outbox's part in what interview events cause (the table is src/consequences.ts): the emails an
// event tells people, the buyer's thank-you and the interviewer's notices. Their records are written now,
// keyed by what they are (an event told twice plans them once), and one job sends what one event plans.
import type { InterviewEvent } from '../interviews/events.ts';
import type { Consequence } from '../lib/events.ts';
import type { Queue } from '../lib/queue.ts';
import type { EmailKind } from './model.ts';
import { batchingSchedulerFor } from './schedule.ts';

/** The consequence "these emails about the interview go now". */
export function sendEmails(queue: Queue, ...kinds: EmailKind[]): Consequence<InterviewEvent> {
  return async (event) => {
    const schedule = batchingSchedulerFor(queue);
    for (const kind of kinds) await schedule(kind, event.interviewId, 0, event.at);
    await schedule.flush();
  };
}
