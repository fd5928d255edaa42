// Gives the deals stored before search existed their search words (src/deals/search.ts), once per
// database; until it is done, a search does not find those deals.
import { dealsSearchBackfillContract } from '../src/deals/jobs.ts';
import { backfillSearchTerms } from '../src/deals/service.ts';
import { defineJob } from '../src/lib/queue.ts';

export const dealsSearchBackfillJob = defineJob({
  ...dealsSearchBackfillContract,
  options: { lockLifetime: 30 * 60_000, concurrency: 1, removeOnComplete: true },
  run: async (_data, { logger }) => {
    const started = Date.now();
    const count = await backfillSearchTerms();
    if (count > 0) logger.info({ deals: count, ms: Date.now() - started }, 'gave the stored deals their search words');
  },
});
