// Daily: delete CRM webhook deliveries a month after they were done, failed sign-ins after a quiet day,
// staff sessions past their expiry, and buyer answers older than the workspace's retention period (off
// by default), then recompute the loss themes without them.
import { z } from 'zod';
import { pruneFailures } from '../src/accounts/lockout.ts';
import { pruneExpiredSessions } from '../src/accounts/session.ts';
import { defineJob } from '../src/lib/queue.ts';
import { applyRetention } from '../src/privacy/service.ts';
import { themesChanged } from '../src/themes/schedule.ts';
import { pruneDeliveries } from '../src/webhooks/service.ts';

export const retentionJob = defineJob({
  name: 'privacy.retention',
  payload: z.object({}).strict(),
  options: { lockLifetime: 10 * 60_000 },
  run: async (_data, { logger, services }) => {
    const deliveries = await pruneDeliveries();
    if (deliveries > 0) logger.info({ deliveries }, 'deleted CRM webhook deliveries done more than 30 days ago');
    await pruneFailures();
    const sessions = await pruneExpiredSessions();
    if (sessions > 0) logger.info({ sessions }, 'deleted expired staff sessions');
    const deleted = await applyRetention();
    if (deleted === 0) return;
    logger.info({ deleted }, 'deleted buyer answers past the retention period');
    await themesChanged(services.queue);
  },
});
