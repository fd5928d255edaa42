// The emails staff get about their account (an invitation, a password-reset link): checked against a
// schema per template, then sent through the outbox like every other email, once per link. The link's
// token travels in the outbox record only until the server has accepted the message.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Queue } from '../lib/queue.ts';
import { scheduleEmail } from '../outbox/schedule.ts';

const link = z.url({ protocol: /^https?$/ });

export const staffEmail = z.discriminatedUnion('template', [
  z
    .object({
      template: z.literal('staff-invite'),
      to: z.email(),
      data: z
        .object({
          inviterName: z.string().max(200),
          inviteeName: z.string().max(200),
          roleLabel: z.string().max(50),
          link,
          expiresHours: z.number().int().positive(),
        })
        .strict(),
    })
    .strict(),
  z
    .object({
      template: z.literal('password-reset'),
      to: z.email(),
      data: z.object({ name: z.string().max(200), link, expiresMinutes: z.number().int().positive() }).strict(),
    })
    .strict(),
]);
export type StaffEmail = z.infer<typeof staffEmail>;

export async function sendStaffEmail(queue: Queue, email: StaffEmail): Promise<void> {
  const { template, to, data } = staffEmail.parse(email);
  const key = `staff:${createHash('sha256').update(`${template}:${to}:${data.link}`).digest('hex')}`;
  await scheduleEmail(queue, { key, kind: 'staff', to, template, data });
}
