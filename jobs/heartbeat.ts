// Every minute a worker notes that the job queue is being processed; /readyz and the settings page show
// the last beat (and which worker ran it).
import { z } from 'zod';
import { defineJob } from '../src/lib/queue.ts';
import { recordHeartbeat } from '../src/system/service.ts';

export const heartbeatJob = defineJob({
  name: 'system.heartbeat',
  payload: z.object({}).strict(),
  options: { lockLifetime: 60_000, removeOnComplete: true },
  run: async () => {
    await recordHeartbeat('queue');
  },
});
