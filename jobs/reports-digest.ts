// Hourly: send this week's digest to the sales team once its configured day and time have come (in the
// program's time zone). Running it again, or on two workers, sends nothing twice (see src/reports/digest.ts).
import { z } from 'zod';
import { defineJob } from '../src/lib/queue.ts';
import { runWeeklyDigest } from '../src/reports/digest.ts';

export const reportsDigestJob = defineJob({
  name: 'reports.digest',
  payload: z.object({}).strict(),
  options: { lockLifetime: 10 * 60_000 },
  run: async (_data, { services, logger }) => {
    const run = await runWeeklyDigest(services.queue, { appUrl: services.appUrl, logger });
    if (run.status === 'sent' && (run.scheduled > 0 || run.chat === 'posted'))
      logger.info({ week: run.week, scheduled: run.scheduled, chat: run.chat }, 'weekly digest planned');
  },
});
