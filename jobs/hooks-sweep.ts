// Every 30 seconds: enqueues the outgoing webhook deliveries that wait without a job (recorded where no
// queue was at hand, such as the planner and the outbox's follow-up, or whose job was lost), and forgets
// deliveries and events older than 30 days.
import { defineJob } from '../src/lib/queue.ts';
import { sweepDeliveries } from '../src/hooks/deliver.ts';
import { hookSweepContract } from '../src/hooks/jobs.ts';

export const hookSweepJob = defineJob({
  ...hookSweepContract,
  options: { concurrency: 1, lockLifetime: 2 * 60_000, removeOnComplete: true },
  run: async (_data, { services, logger }) => {
    if (!services.queue) throw new Error('The webhook sweep needs the queue.');
    const taken = await sweepDeliveries(services.queue);
    if (taken > 0) logger.info({ taken }, 'enqueued outgoing webhook deliveries that were waiting');
  },
});
