// The job queue: agenda on the app's own database, the one way slow work starts. A job's contract (its
// name and the zod schema of its payload) lives with its feature (src/<feature>/jobs.ts), which enqueues
// by it; jobs/*.ts adds the handler with defineJob, and jobs/index.ts lists every job once, with its
// schedule if it recurs. Payloads are validated when a job is enqueued and again when it runs, because
// the stored document may be older than the code.
import { Agenda, backoffStrategies, InMemoryNotificationChannel, type Job } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import type { Db } from 'mongodb';
import type { z } from 'zod';
import type { Logger } from './logger.ts';
import type { Mailer } from './mailer.ts';
import type { Secrets } from './secrets.ts';

export const jobsCollection = 'agendaJobs';

/** What jobs use besides the database: given by the process that starts the worker (Queue.start). */
export interface WorkerServices {
  mailer: Mailer;
  /** The public address, for links in emails. */
  appUrl: string;
  /** Keys for signed and sealed links in emails. */
  secrets: Secrets;
  /** Messages per minute to one recipient domain. */
  mailPerDomainPerMinute: number;
  /** MAIL_FROM, for the company name in emails until a marketer sets one. */
  mailFrom: string;
  /** The first retry of a failed outgoing webhook delivery, in ms (OUTGOING_WEBHOOK_FIRST_RETRY_MS). */
  outgoingWebhookFirstRetryMs: number;
}

/** The worker's services and the queue itself, for jobs that enqueue others. */
export interface JobServices extends WorkerServices {
  queue: Queue;
}

export interface JobContext {
  logger: Logger;
  services: JobServices;
  /** Extends the job's lock: call it in long jobs so another worker does not run the job again. */
  touch(progress?: number): Promise<void>;
  /** Runs this same job again at `when` (after this run ends), with the same payload. */
  runAgainAt(when: Date): void;
}

/** What enqueuing a job needs: its name and the schema of its payload. */
export interface JobContract<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly payload: S;
}

export function defineJobContract<S extends z.ZodType>(contract: JobContract<S>): JobContract<S> {
  return contract;
}

export interface JobDefinition<S extends z.ZodType = z.ZodType> extends JobContract<S> {
  /** agenda's per-job options; lockLifetime must exceed the job's worst-case run time. */
  readonly options?: { concurrency?: number; lockLifetime?: number; priority?: number; removeOnComplete?: boolean };
  /** Retries after a thrown error, with exponential backoff and jitter. */
  readonly retry?: { attempts: number; firstDelayMs: number };
  run(data: z.infer<S>, ctx: JobContext): Promise<void>;
}

export function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}

/** A line of the list of jobs (jobs/index.ts): the job, and when it runs by itself if it recurs. */
export interface ListedJob {
  readonly job: JobDefinition;
  /** agenda's interval ('30 seconds') or a cron expression ('0 3 * * *'). */
  readonly every?: string;
  /** The cron expression's time zone. */
  readonly timezone?: string;
}

export class JobPayloadError extends Error {
  override name = 'JobPayloadError';
}

function parsePayload<S extends z.ZodType>(def: JobContract<S>, data: unknown): z.infer<S> {
  const parsed = def.payload.safeParse(data ?? {});
  if (!parsed.success) {
    throw new JobPayloadError(
      `Job ${def.name} got a bad payload: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

export interface Queue {
  readonly agenda: Agenda;
  /** Runs the job as soon as a worker is free (at `when` if given). */
  enqueue<S extends z.ZodType>(job: JobContract<S>, data: z.input<S>, when?: Date): Promise<void>;
  /**
   * Starts processing jobs with the worker's services (worker role only); `recurring`: also (re)sets the
   * listed schedules (the app does; a test that drives jobs itself does not).
   */
  start(services: WorkerServices, opts?: { recurring?: boolean }): Promise<void>;
  /** Stops taking jobs, waits for running ones up to timeoutMs, and releases the rest. */
  stop(timeoutMs: number): Promise<void>;
}

export interface CreateQueueOptions {
  db: Db;
  jobs: readonly ListedJob[];
  logger: Logger;
  pollMs: number;
  /** In one process (web + worker), new jobs wake the worker at once instead of at the next poll. */
  inProcessNotifications: boolean;
}

export function createQueue(opts: CreateQueueOptions): Queue {
  const log = opts.logger.child({ component: 'queue' });
  const backend = new MongoBackend({ mongo: opts.db, collection: jobsCollection });
  // agenda 6.2.6's job processor gives back a lock it should not have taken (its lock limit reached, or
  // the job not due yet) without waiting for the release (`this.agenda.db.unlockJob(job.attrs)` in
  // JobProcessor), so when the database goes away at that moment the rejection is unhandled, and that
  // stops the process (src/main.ts). A failed release is harmless (the lock expires after the job's
  // lockLifetime): it is logged instead.
  const repository = backend.repository;
  const unlockJob = repository.unlockJob.bind(repository);
  repository.unlockJob = (job) =>
    unlockJob(job).catch((err: unknown) => {
      log.warn({ err, jobId: String(job._id) }, 'could not release a job lock; it expires by itself');
    });
  const agenda = new Agenda({
    backend,
    processEvery: opts.pollMs,
    ...(opts.inProcessNotifications ? { notificationChannel: new InMemoryNotificationChannel() } : {}),
  });
  agenda.on('error', (err: unknown) => log.error({ err }, 'job queue error'));

  // Set when the worker starts; a job runs only in a started worker.
  let services: JobServices | undefined;
  for (const { job: def } of opts.jobs) {
    agenda.define(
      def.name,
      async (job: Job<unknown>) => {
        const jobLog = log.child({ job: def.name, jobId: String(job.attrs._id) });
        const data = parsePayload(def, job.attrs.data);
        if (!services) throw new Error('The worker runs jobs only once started with its services.');
        try {
          await def.run(data, {
            logger: jobLog,
            services,
            touch: async (progress?: number) => {
              await job.touch(progress);
            },
            // agenda saves nextRunAt when the run ends, and keeps a one-time job that has one.
            runAgainAt: (when: Date) => {
              job.schedule(when);
            },
          });
        } catch (err) {
          jobLog.error({ err }, 'job failed');
          throw err;
        }
      },
      {
        // Lock no more jobs than run at once: by default agenda locks every due job before running
        // any, and with hundreds due the last locks expire before their jobs start.
        lockLimit: def.options?.concurrency ?? 5,
        ...def.options,
        ...(def.retry ? { backoff: backoffStrategies.exponential({ delay: def.retry.firstDelayMs, maxRetries: def.retry.attempts, jitter: 0.2 }) } : {}),
      },
    );
  }

  let started = false;
  const queue: Queue = {
    agenda,
    async enqueue(def, data, when) {
      const payload = parsePayload(def, data);
      if (when) await agenda.schedule(when, def.name, payload);
      else await agenda.now(def.name, payload);
    },
    async start(worker, { recurring = false } = {}) {
      services = { ...worker, queue };
      await agenda.start();
      started = true;
      if (!recurring) return;
      for (const { job, every, timezone } of opts.jobs) if (every) await agenda.every(every, job.name, {}, timezone ? { timezone } : {});
    },
    async stop(timeoutMs) {
      if (!started) return;
      started = false;
      const result = await agenda.drain({ timeout: timeoutMs, closeConnection: false });
      if (result.timedOut) log.warn({ running: result.running }, 'jobs still running at shutdown: another worker takes them over when their locks expire');
    },
  };
  return queue;
}
