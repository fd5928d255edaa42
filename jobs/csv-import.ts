// Imports an uploaded CSV file's rows into deals (src/imports/runner.ts), in the worker so that a 50,000-row
// file never holds up a web process. The run keeps its place after every chunk: a job run twice, or again
// after its lock expired, resumes where the run stopped instead of starting over.
import { csvImportContract } from '../src/imports/jobs.ts';
import { failImport, runImport } from '../src/imports/runner.ts';
import { defineJob } from '../src/lib/queue.ts';

export const csvImportJob = defineJob({
  ...csvImportContract,
  // The job extends its lock after every chunk and every 30 seconds within one; 10 minutes is for one row.
  options: { lockLifetime: 10 * 60_000, concurrency: 1, removeOnComplete: true },
  run: async ({ runId }, { logger, touch }) => {
    try {
      await runImport(runId, { logger, touch: () => touch() });
    } catch (err) {
      logger.error({ err, runId }, 'CSV import stopped');
      await failImport(
        runId,
        'The import stopped because of an error on our side (it is in the worker’s log). The rows imported so far are kept: resume to continue from there.',
      );
      throw err;
    }
  },
});
