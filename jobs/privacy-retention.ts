// Daily: delete buyer answers older than the workspace's retention period (off by default), and then
// recompute the loss themes without them.
import { z } from 'zod';
import { defineJob } from '../src/lib/queue.ts';
import { applyRetention } from '../src/privacy/service.ts';
import { themesChanged } from '../src/themes/schedule.ts';

export const retentionJob = defineJob({
  name: 'privacy.retention',
  payload: z.object({}).strict(),
  options: { lockLifetime: 10 * 60_000 },
  run: async (_data, { logger, services }) => {
    const deleted = await applyRetention();
    if (deleted === 0) return;
    logger.info({ deleted }, 'deleted buyer answers past the retention period');
    if (services.queue) await themesChanged(services.queue);
  },
});
