// The contract of the webhook delivery job: its name and payload, which the webhook receiver enqueues by.
// How it runs is jobs/webhook-process.ts.
import { z } from 'zod';
import { defineJobContract } from '../lib/queue.ts';

export const webhookProcessContract = defineJobContract({
  name: 'webhooks.process',
  payload: z.object({ deliveryId: z.string().regex(/^[0-9a-f]{24}$/, 'must be a delivery id') }).strict(),
});
