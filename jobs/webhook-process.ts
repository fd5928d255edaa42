// Applies one stored CRM webhook delivery to its deal (src/webhooks/service.ts): in order per deal, once.
// Safe to run twice; a thrown error is retried with backoff, and the delivery is marked failed after
// maxDeliveryAttempts runs.
import { defineJob } from '../src/lib/queue.ts';
import { webhookProcessContract } from '../src/webhooks/jobs.ts';
import { processDelivery } from '../src/webhooks/service.ts';

export const webhookProcessJob = defineJob({
  ...webhookProcessContract,
  options: { lockLifetime: 2 * 60_000, removeOnComplete: true },
  retry: { attempts: 5, firstDelayMs: 10_000 },
  run: async ({ deliveryId }, { logger }) => {
    const result = await processDelivery(deliveryId, logger);
    logger.debug({ deliveryId, ...result }, 'webhook delivery processed');
  },
});
