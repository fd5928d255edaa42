// The one list of every job the worker runs. A job not listed here is never processed.
import type { JobDefinition } from '../src/lib/queue.ts';
import { passwordResetJob } from './accounts-password-reset.ts';
import { csvImportJob } from './csv-import.ts';
import { dealsSearchBackfillJob } from './deals-search-backfill.ts';
import { heartbeatJob } from './heartbeat.ts';
import { hookDeliverJob } from './hooks-deliver.ts';
import { hookSweepJob } from './hooks-sweep.ts';
import { retentionJob } from './privacy-retention.ts';
import { dispatchJob } from './interviews-dispatch.ts';
import { sendEmailJob } from './send-email.ts';
import { webhookProcessJob } from './webhook-process.ts';
import { webhookSweepJob } from './webhook-sweep.ts';
import { reportsDigestJob } from './reports-digest.ts';
import { themesRecomputeJob } from './themes-recompute.ts';

export const jobs: readonly JobDefinition[] = [
  heartbeatJob,
  retentionJob,
  dispatchJob,
  sendEmailJob,
  webhookProcessJob,
  webhookSweepJob,
  reportsDigestJob,
  csvImportJob,
  themesRecomputeJob,
  passwordResetJob,
  dealsSearchBackfillJob,
  hookDeliverJob,
  hookSweepJob,
];
