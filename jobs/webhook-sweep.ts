// Every 5 minutes: applies CRM webhook deliveries still waiting 10 minutes after they arrived, such as
// one stored while the job queue could not be reached (its job was never enqueued); and forgets signed
// requests whose timestamps have gone stale (the replay guard needs them no longer).
import { z } from 'zod';
import { defineJob } from '../src/lib/queue.ts';
import { pruneSignedRequests, sweepDeliveries } from '../src/webhooks/service.ts';

export const webhookSweepJob = defineJob({
  name: 'webhooks.sweep',
  payload: z.object({}).strict(),
  options: { lockLifetime: 5 * 60_000, concurrency: 1 },
  run: async (_data, { logger, touch }) => {
    const taken = await sweepDeliveries(logger, new Date(), 50, () => touch());
    if (taken > 0) logger.info({ taken }, 'applied webhook deliveries that were still waiting');
    await pruneSignedRequests();
  },
});
