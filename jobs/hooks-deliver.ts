// Delivers one outgoing webhook event to one endpoint (src/hooks/deliver.ts): claimed, signed, posted;
// on failure the same job runs again at the retry's time, for up to 24 hours. Safe to run twice: a
// delivered or claimed delivery is left alone.
import { defineJob } from '../src/lib/queue.ts';
import { processDelivery } from '../src/hooks/deliver.ts';
import { hookDeliverContract } from '../src/hooks/jobs.ts';

export const hookDeliverJob = defineJob({
  ...hookDeliverContract,
  // Longer than a post can take (10 seconds) with room for the reads around it.
  options: { concurrency: 5, lockLifetime: 2 * 60_000, removeOnComplete: true },
  run: async ({ deliveryId }, { services, logger, runAgainAt }) => {
    if (!services.secrets) throw new Error('This worker cannot sign webhooks: it has no secrets.');
    const result = await processDelivery(deliveryId, {
      secrets: services.secrets,
      logger,
      firstRetryMs: services.outgoingWebhookFirstRetryMs ?? 30_000,
      queue: services.queue,
      appUrl: services.appUrl,
    });
    if (result.again) runAgainAt(result.again);
    logger.debug({ deliveryId, outcome: result.outcome }, 'outgoing webhook delivery processed');
  },
});
