// Sends one email from the outbox (src/outbox/send.ts decides whether, and what happens after).
import { z } from 'zod';
import { defineJob } from '../src/lib/queue.ts';
import { claimLeaseMs, processSend } from '../src/outbox/send.ts';
import { schedulerFor } from '../src/outbox/schedule.ts';

export const sendEmailJob = defineJob({
  name: 'email.send',
  payload: z.object({ key: z.string().regex(/^[a-z_]+:[\w.:-]{1,200}$/) }).strict(),
  // The lock outlives the longest send (the SMTP timeouts), so agenda does not hand a live send to
  // another worker; the outbox's claims cover the engine's non-atomic locking.
  options: { concurrency: 5, lockLifetime: claimLeaseMs, removeOnComplete: true },
  // A database error (the embedded engine answers SQLITE_BUSY under load) is retried; sending twice is not
  // possible (see the claims in send.ts).
  retry: { attempts: 8, firstDelayMs: 5_000 },
  run: async ({ key }, { services, logger, runAgainAt }) => {
    const { mailer, appUrl, secrets, queue } = services;
    if (!mailer || !appUrl || !secrets || !queue) throw new Error('This worker cannot send mail: it has no mailer.');
    await processSend(key, {
      services: { mailer, appUrl, secrets, perDomainPerMinute: services.mailPerDomainPerMinute ?? 60, ...(services.mailFrom ? { mailFrom: services.mailFrom } : {}) },
      logger,
      schedule: schedulerFor(queue),
      runAgainAt,
    });
  },
});
