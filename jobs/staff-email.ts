// Sends an email to a staff member (an invitation, a password-reset link). The link's token travels in
// the job's payload, so the job document is removed once the mail is accepted.
import { z } from 'zod';
import { defineJob } from '../src/lib/queue.ts';
import { isPermanentSmtpFailure } from '../src/lib/mailer.ts';
import { renderEmail } from '../src/mail/render.ts';
import { createHash } from 'node:crypto';
import { claimMarker } from '../src/system/service.ts';

const link = z.url({ protocol: /^https?$/ });

export const staffEmailJob = defineJob({
  name: 'accounts.staff-email',
  payload: z.discriminatedUnion('template', [
    z.object({
      template: z.literal('staff-invite'),
      to: z.email(),
      data: z.object({ inviterName: z.string().max(200), inviteeName: z.string().max(200), roleLabel: z.string().max(50), link, expiresHours: z.number().int().positive() }).strict(),
    }).strict(),
    z.object({
      template: z.literal('password-reset'),
      to: z.email(),
      data: z.object({ name: z.string().max(200), link, expiresMinutes: z.number().int().positive() }).strict(),
    }).strict(),
  ]),
  options: { lockLifetime: 2 * 60_000, removeOnComplete: true },
  retry: { attempts: 8, firstDelayMs: 30_000 },
  run: async ({ template, to, data }, { services, logger }) => {
    if (!services.mailer) throw new Error('This worker has no mailer: set SMTP_URL or run the worker with the SMTP catcher.');
    const email = await renderEmail(template, data);
    // Once per link, even if the job runs twice (the embedded engine cannot lock jobs atomically): at
    // worst a crash right here loses this email, and the admin sends a new link. The outbox of the
    // email issue replaces this with exactly-once sending.
    const key = createHash('sha256').update(`${template}:${to}:${data.link}`).digest('hex');
    if (!(await claimMarker(`staff-email:${key}`))) {
      logger.info({ template }, 'this email was already sent; not sending it again');
      return;
    }
    try {
      await services.mailer.send({ to, ...email });
    } catch (err) {
      if (isPermanentSmtpFailure(err)) {
        logger.warn({ template, domain: to.split('@')[1] }, 'the mail server refused this address for good; not retrying');
        return;
      }
      throw err;
    }
  },
});
