// The one list of every job the worker runs, with the schedule of those that recur (set when the worker
// starts). A job not listed here is never processed.
import type { ListedJob } from '../src/lib/queue.ts';
import { passwordResetJob } from './accounts-password-reset.ts';
import { csvImportJob } from './csv-import.ts';
import { dealsSearchBackfillJob } from './deals-search-backfill.ts';
import { heartbeatJob } from './heartbeat.ts';
import { hookDeliverJob } from './hooks-deliver.ts';
import { hookSweepJob } from './hooks-sweep.ts';
import { dispatchJob } from './interviews-dispatch.ts';
import { sweepJob } from './interviews-sweep.ts';
import { retentionJob } from './privacy-retention.ts';
import { reportsDigestJob } from './reports-digest.ts';
import { sendEmailJob } from './send-email.ts';
import { themesRecomputeJob } from './themes-recompute.ts';
import { webhookProcessJob } from './webhook-process.ts';
import { webhookSweepJob } from './webhook-sweep.ts';

export const jobs: readonly ListedJob[] = [
  { job: heartbeatJob, every: '1 minute' },
  { job: dispatchJob, every: '30 seconds' },
  { job: sweepJob, every: '10 minutes' },
  { job: webhookSweepJob, every: '5 minutes' },
  { job: hookSweepJob, every: '30 seconds' },
  { job: reportsDigestJob, every: '1 hour' },
  { job: retentionJob, every: '0 3 * * *', timezone: 'UTC' }, // daily at 03:00 UTC
  { job: sendEmailJob },
  { job: webhookProcessJob },
  { job: csvImportJob },
  { job: themesRecomputeJob },
  { job: passwordResetJob },
  { job: dealsSearchBackfillJob },
  { job: hookDeliverJob },
];
