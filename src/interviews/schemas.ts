import { z } from 'zod';
import { pageNumber } from '../deals/schemas.ts';
import { dealOutcomes, interviewStates } from './model.ts';

export const listInterviewsQuery = z
  .object({
    state: z
      .enum(interviewStates)
      .optional()
      .or(z.literal('').transform(() => undefined)),
    // Won or lost deals' interviews only; none: both.
    outcome: z
      .enum(dealOutcomes)
      .optional()
      .or(z.literal('').transform(() => undefined)),
    page: pageNumber,
  })
  .strict();
export type ListInterviewsQuery = z.infer<typeof listInterviewsQuery>;

export const interviewIdParams = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/, 'Not an interview id.') });

/** Why an interview is held off: staff give it on the deal, a rep on their link (src/replinks). */
export const holdOffReason = z.string().trim().min(10, 'Say in a sentence why the buyer should not be asked now (10 characters or more).').max(2000);
export const holdOffBody = z.object({ _csrf: z.string().optional(), reason: holdOffReason }).strict();

// The queue's "Due within" travels with each action (a hidden field), so the page comes back as it was.
export const queueDays = z.coerce.number().int().min(1).max(60).default(14);
export const queueQuery = z.object({ days: queueDays }).strict();
export const removeQueuedBody = z
  .object({ _csrf: z.string().optional(), days: queueDays, reason: z.string().trim().min(3, 'Say briefly why (3 characters or more).').max(500) })
  .strict();
export const sendNowBody = z.object({ _csrf: z.string().optional(), days: queueDays }).strict();
