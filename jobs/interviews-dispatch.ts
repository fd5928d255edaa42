// Every 30 seconds: hand newly planned interviews to the outbox (the rep's notice, the invitation job),
// name an interviewer for those that waited for one, and enqueue the emails that have come due (and any
// whose job went missing).
import { z } from 'zod';
import { defineJob } from '../src/lib/queue.ts';
import { dispatchNewInterviews, dispatchWaitingForInterviewer } from '../src/outbox/dispatch.ts';
import { batchingSchedulerFor, releaseDue } from '../src/outbox/schedule.ts';

export const dispatchJob = defineJob({
  name: 'interviews.dispatch',
  payload: z.object({}).strict(),
  options: { lockLifetime: 5 * 60_000 },
  run: async (_data, { services, logger }) => {
    // The emails planned here go out in batches: invitations planned for the same time share a job.
    const schedule = batchingSchedulerFor(services.queue);
    let count = 0;
    try {
      count = await dispatchNewInterviews(schedule);
    } finally {
      await schedule.flush();
    }
    if (count > 0) logger.info({ count }, 'interviews handed to the outbox');
    // Interviews that waited for someone to sign them: named now if someone can, their emails sent on.
    const named = await dispatchWaitingForInterviewer();
    if (named > 0) logger.info({ named }, 'interviewers named for interviews that waited');
    const released = await releaseDue(services.queue);
    if (released > 0) logger.info({ released }, 'emails due: enqueued');
  },
});
