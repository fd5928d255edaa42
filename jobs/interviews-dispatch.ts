// Every 30 seconds: hand newly planned interviews to the outbox (the rep's notice, the invitation job),
// enqueue the emails that have come due (and any whose job went missing), and expire the interviews
// whose time is up.
import { z } from 'zod';
import { defineJob } from '../src/lib/queue.ts';
import { dispatchNewInterviews } from '../src/outbox/dispatch.ts';
import { expireOverdue } from '../src/outbox/events.ts';
import { releaseDue, schedulerFor } from '../src/outbox/schedule.ts';

export const dispatchJob = defineJob({
  name: 'interviews.dispatch',
  payload: z.object({}).strict(),
  options: { lockLifetime: 5 * 60_000 },
  run: async (_data, { services, logger }) => {
    if (!services.queue) throw new Error('This worker has no queue.');
    const count = await dispatchNewInterviews(schedulerFor(services.queue));
    if (count > 0) logger.info({ count }, 'interviews handed to the outbox');
    const released = await releaseDue(services.queue);
    if (released > 0) logger.info({ released }, 'emails due: enqueued');
    const expired = await expireOverdue();
    if (expired > 0) logger.info({ expired }, 'interviews expired');
  },
});
