// The contract of the deals' search-words job: run once after an upgrade, in the background, so a large
// database does not hold the start (50,000 deals took one to two minutes on a busy machine).
import { z } from 'zod';
import { defineJobContract } from '../lib/queue.ts';

export const dealsSearchBackfillContract = defineJobContract({
  name: 'deals.search-backfill',
  payload: z.object({}).strict(),
});
