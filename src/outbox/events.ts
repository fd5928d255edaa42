// The outbox's part in what interview events cause (the table is src/consequences.ts): the emails an
// event tells people, the buyer's thank-you and the interviewer's notices. Their records are written now,
// keyed by what they are (an event told twice plans them once); their jobs are shared with the other
// emails planned in this process within a second (gatheringSchedulerFor).
import type { InterviewEvent } from '../interviews/events.ts';
import type { Consequence } from '../lib/events.ts';
import type { Queue } from '../lib/queue.ts';
import type { EmailKind } from './model.ts';
import { gatheringSchedulerFor } from './schedule.ts';

/** The consequence "these emails about the interview go now". */
export function sendEmails(queue: Queue, ...kinds: EmailKind[]): Consequence<InterviewEvent> {
  return async (event) => {
    const schedule = gatheringSchedulerFor(queue);
    for (const kind of kinds) await schedule(kind, event.interviewId, 0, event.at);
  };
}
