// Every 30 seconds: tell reps about interviews planned (or not) for their lost deals.
import { z } from 'zod';
import { sendRepNotices } from '../src/interviews/rep-notices.ts';
import { defineJob } from '../src/lib/queue.ts';

export const repNoticesJob = defineJob({
  name: 'interviews.rep-notices',
  payload: z.object({}).strict(),
  options: { lockLifetime: 5 * 60_000 },
  run: async (_data, { services, logger }) => {
    if (!services.mailer || !services.appUrl) throw new Error('This worker cannot send mail: it has no mailer.');
    await sendRepNotices(services.mailer, services.appUrl, logger);
  },
});
