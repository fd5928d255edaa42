// Sends emails from the outbox (src/outbox/send.ts decides whether, and what happens after): one email
// ({ key }: "send now", a thank-you, a staff email) or a batch ({ keys }: what the dispatcher found due
// together). A batch pays the queue's own cost (locking, saving, removing the job) once for all its
// emails.
import { defineJob } from '../src/lib/queue.ts';
import { sendEmailContract } from '../src/outbox/jobs.ts';
import { claimLeaseMs, sendBatch } from '../src/outbox/send.ts';
import { enqueueSends } from '../src/outbox/schedule.ts';

/**
 * Emails a batch sends at once. With the job's concurrency this bounds the sends in flight per worker
 * (2 x 5): what a killed worker can leave half-done, to be repeated under the same Message-ID.
 */
const sendsAtOnce = 5;

export const sendEmailJob = defineJob({
  ...sendEmailContract,
  // The lock is renewed while a batch runs (below), so agenda does not hand a live batch to another
  // worker; the outbox's claims cover a lock that expired anyway, or a second job for the same email.
  options: { concurrency: 2, lockLifetime: claimLeaseMs, removeOnComplete: true },
  // A database error (the database unreachable for a moment) is retried; sending twice is not
  // possible (see the claims in send.ts), and the emails of the batch already sent are skipped by one read.
  retry: { attempts: 8, firstDelayMs: 5_000 },
  run: async (data, { services, logger, runAgainAt, touch }) => {
    const { mailer, appUrl, secrets, queue, mailFrom } = services;
    const keys = 'key' in data ? [data.key] : data.keys;
    const keepLocked = setInterval(() => {
      touch().catch((err: unknown) => logger.warn({ err }, 'could not renew the send job lock'));
    }, claimLeaseMs / 3);
    let result;
    try {
      result = await sendBatch(
        keys,
        {
          services: { mailer, appUrl, secrets, perDomainPerMinute: services.mailPerDomainPerMinute, mailFrom },
          logger,
        },
        sendsAtOnce,
      );
    } finally {
      clearInterval(keepLocked);
    }
    if (result.failed.length > 0) {
      for (const { key, err } of result.failed) logger.warn({ key, err }, 'email send interrupted by an error');
      // agenda retries the whole job with backoff; what went meanwhile is done and skipped then.
      throw new Error(`${result.failed.length} of ${keys.length} emails could not be processed`, { cause: result.failed[0]!.err });
    }
    const [only] = result.again;
    if (keys.length === 1 && only) runAgainAt(only.at);
    else if (result.again.length > 0) await enqueueSends(queue, result.again);
  },
});
