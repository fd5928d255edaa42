// Every 30 seconds: hand newly planned interviews to the outbox (the rep's notice, the invitation job),
// name an interviewer for those that waited for one, and enqueue the emails that have come due (and any whose job went missing); every 10 minutes also
// expire the interviews whose time is up and mark planned interviews written without the handover mark.
import { z } from 'zod';
import { defineJob } from '../src/lib/queue.ts';
import { dispatchNewInterviews, dispatchWaitingForInterviewer, sweepUnmarkedInterviews } from '../src/outbox/dispatch.ts';
import { expireOverdue } from '../src/interviews/expiry.ts';
import { batchingSchedulerFor, releaseDue } from '../src/outbox/schedule.ts';

const sweepEveryMs = 10 * 60_000;
let lastSweepAt = 0;

export const dispatchJob = defineJob({
  name: 'interviews.dispatch',
  payload: z.object({}).strict(),
  options: { lockLifetime: 5 * 60_000 },
  run: async (_data, { services, logger }) => {
    if (!services.queue) throw new Error('This worker has no queue.');
    // The two steps that read many interviews (every open, planned or excluded one) run at most every
    // 10 minutes per worker: an expiry days away loses nothing by it, and interviews written without the
    // mark are a rare back-fill.
    const now = Date.now();
    const sweep = now - lastSweepAt >= sweepEveryMs;
    if (sweep) {
      lastSweepAt = now;
      const unmarked = await sweepUnmarkedInterviews();
      if (unmarked > 0) logger.info({ unmarked }, 'interviews not marked for handover: marked');
    }
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
    if (sweep) {
      const expired = await expireOverdue();
      if (expired > 0) logger.info({ expired }, 'interviews expired');
    }
  },
});
