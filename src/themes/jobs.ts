// The contract of the themes recompute job: its name and payload, which src/themes/schedule.ts enqueues
// by. How it runs is jobs/themes-recompute.ts.
import { z } from 'zod';
import { defineJobContract } from '../lib/queue.ts';
import { themeSets } from './model.ts';

/** One set of themes, or all of them when no set is named. */
export const themesRecomputeContract = defineJobContract({
  name: 'themes.recompute',
  payload: z.object({ set: z.enum(themeSets).optional() }).strict(),
});
