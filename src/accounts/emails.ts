// The emails staff get about their account (an invitation, a password-reset link): a schema per template.
// The outbox sends them like every other email (src/outbox/staff.ts), handed to accounts as a function
// (AccountsNeeds), as accounts stands below the outbox.
import { z } from 'zod';

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

/** Sends a staff email, once per link (a double click sends one). */
export type SendStaffEmail = (email: StaffEmail) => Promise<void>;
