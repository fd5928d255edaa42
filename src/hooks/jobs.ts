// The contracts of the outgoing webhook jobs: their names and payloads, which src/hooks enqueues by.
// How they run is jobs/hooks-deliver.ts and jobs/hooks-sweep.ts.
import { z } from 'zod';
import { defineJobContract } from '../lib/queue.ts';

/** One delivery (an event to an endpoint): its _id, "<eventId>:<endpointId>". */
export const hookDeliverContract = defineJobContract({
  name: 'hooks.deliver',
  payload: z.object({ deliveryId: z.string().regex(/^evt_[A-Za-z0-9_-]{26}:[0-9a-f]{24}$/, 'must be a delivery id') }).strict(),
});

export const hookSweepContract = defineJobContract({
  name: 'hooks.sweep',
  payload: z.object({}).strict(),
});
