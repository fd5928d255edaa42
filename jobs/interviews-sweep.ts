// Every 10 minutes: expire the interviews whose time is up, and mark planned interviews written without
// the handover mark (a back-fill). Both read many interviews (every open, planned or excluded one), so
// they do not run with the 30-second dispatch: an expiry days away loses nothing by the wait.
import { z } from 'zod';
import { expireOverdue } from '../src/interviews/expiry.ts';
import { defineJob } from '../src/lib/queue.ts';
import { sweepUnmarkedInterviews } from '../src/outbox/dispatch.ts';

export const sweepJob = defineJob({
  name: 'interviews.sweep',
  payload: z.object({}).strict(),
  options: { lockLifetime: 10 * 60_000 },
  run: async (_data, { logger }) => {
    const unmarked = await sweepUnmarkedInterviews();
    if (unmarked > 0) logger.info({ unmarked }, 'interviews not marked for handover: marked');
    const expired = await expireOverdue();
    if (expired > 0) logger.info({ expired }, 'interviews expired');
  },
});
