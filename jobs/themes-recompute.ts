// Recomputes the loss themes (one set, or all of them) from the stored answers and keeps the result as
// a snapshot (src/themes/snapshots.ts). Enqueued a few minutes after new answers arrive and when a
// marketer asks on the themes page; progress goes to the set's status document and to the job's lock.
import { defineJob } from '../src/lib/queue.ts';
import { themesRecomputeContract } from '../src/themes/jobs.ts';
import { themeSets } from '../src/themes/model.ts';
import { runRecompute } from '../src/themes/runs.ts';

export const themesRecomputeJob = defineJob({
  ...themesRecomputeContract,
  // One run at a time; 100,000 answers take seconds, so 10 minutes is ample (touch() extends it).
  options: { lockLifetime: 10 * 60_000, concurrency: 1, removeOnComplete: true },
  run: async ({ set }, { logger, touch }) => {
    const sets = set ? [set] : [...themeSets];
    const started = Date.now();
    await runRecompute(sets, { touch: (progress) => touch(progress) });
    logger.info({ sets, ms: Date.now() - started }, 'recomputed the loss themes');
  },
});
