// The contract of the CSV import job: its name and payload, which the upload enqueues by. How it runs is
// jobs/csv-import.ts.
import { z } from 'zod';
import { defineJobContract } from '../lib/queue.ts';

export const csvImportContract = defineJobContract({
  name: 'imports.run',
  payload: z.object({ runId: z.string().regex(/^[0-9a-f]{24}$/) }).strict(),
});
