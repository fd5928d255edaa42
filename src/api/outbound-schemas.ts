// The API's shapes for what leaves Debrief: buyers' answers (one interview's, and a list paged by a
// cursor), the latest themes, sending an interview now, and the outgoing webhook endpoints. Generated
// into the OpenAPI document with the rest (openapi.ts).
import { z } from 'zod';
import { answerOutcomes, buyerAnswers } from '../answers/index.ts';
import { endpointInput, hookEventTypes } from '../hooks/index.ts';
import { interviewStates } from '../interviews/index.ts';
import { themeSets } from '../themes/index.ts';

const id = z
  .string()
  .regex(/^[0-9a-f]{24}$/, 'Not an id: Debrief’s ids are 24 hexadecimal characters.')
  .meta({ description: 'Debrief’s id.' });
const instant = z.iso.datetime();
const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date as YYYY-MM-DD, such as 2026-03-31.')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'That date does not exist.');
const blankAsUnset = <T extends z.ZodType>(schema: T) => z.union([z.literal('').transform(() => undefined), schema]).optional();

// ---- Requests ------------------------------------------------------------------------------------

export const interviewIdParams = z.object({ id: id.meta({ description: 'The interview’s id.' }) }).strict();

export const apiAnswersQuery = z
  .object({
    from: blankAsUnset(day).meta({ description: 'Answers submitted on or after this day (UTC), YYYY-MM-DD.' }),
    to: blankAsUnset(day).meta({ description: 'Answers submitted on or before this day (UTC), YYYY-MM-DD.' }),
    outcome: blankAsUnset(z.enum(answerOutcomes, { error: `Use one of: ${answerOutcomes.join(', ')}.` })).meta({
      description: 'lost or won: which side of the program the interview was about.',
    }),
    competitor: blankAsUnset(z.string().trim().max(200, 'Use at most 200 characters.')).meta({
      description: 'The vendor the buyer says they chose, or the competitor on the deal (either matches; case does not matter).',
    }),
    segment: blankAsUnset(z.string().trim().max(100, 'Use at most 100 characters.')).meta({ description: 'The deal’s segment (case does not matter).' }),
    cursor: blankAsUnset(
      z
        .string()
        .trim()
        .max(200)
        .regex(/^[A-Za-z0-9_-]+$/, 'Not a cursor: pass nextCursor from the previous page as it was given.'),
    ).meta({
      description: 'nextCursor from the previous page; leave it out for the first page.',
    }),
    limit: z.coerce.number({ error: 'Give a whole number.' }).int('Give a whole number.').min(1, 'At least 1.').max(200, 'At most 200.').default(50).meta({
      description: 'Answers per page, 1 to 200 (50 by default).',
    }),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'to must be on or after from.' });

export const apiThemesQuery = z
  .object({
    set: blankAsUnset(z.enum(themeSets, { error: `Use one of: ${themeSets.join(', ')}.` })).meta({
      description: 'reasons (why buyers said no, the default), helped (what would have helped), reps (the reps’ own notes).',
    }),
  })
  .strict();

export const endpointIdParams = z.object({ id: id.meta({ description: 'The webhook endpoint’s id.' }) }).strict();
export const apiEndpointBody = endpointInput;

// ---- Answers -------------------------------------------------------------------------------------

export const interviewAnswersResponse = z.object({
  data: z.object({
    interview: z.object({ id, state: z.enum(interviewStates), outcome: z.enum(answerOutcomes) }),
    answers: buyerAnswers.nullable().meta({ description: 'null until the buyer answered.' }),
  }),
});

export const answerListResponse = z.object({
  data: z.array(buyerAnswers).meta({ description: 'Newest first (by submittedAt, then id).' }),
  paging: z.object({
    nextCursor: z.string().nullable().meta({ description: 'Pass as cursor for the next page; null on the last page.' }),
    limit: z.number().int(),
  }),
});

export const apiTheme = z.object({
  id: z.string(),
  label: z.string(),
  size: z.number().int().meta({ description: 'How many answers the theme holds.' }),
  share: z.number().meta({ description: 'Its share of the answers read, 0 to 1.' }),
  terms: z.array(z.string()),
  quotes: z
    .array(z.object({ text: z.string(), attribution: z.string() }))
    .meta({ description: 'As the buyers allowed: named, or without their name; answers for the team only are never quoted.' }),
});

export const themesResponse = z.object({
  data: z
    .object({ set: z.enum(themeSets), snapshotId: z.string(), asOf: instant, answers: z.number().int(), themes: z.array(apiTheme) })
    .nullable()
    .meta({ description: 'null until the themes were first computed.' }),
});

export const sendNowResponse = z.object({
  data: z.object({ id, state: z.enum(interviewStates), sent: z.literal(true).meta({ description: 'The invitation is on its way now.' }) }),
});

// ---- Webhook endpoints ---------------------------------------------------------------------------

export const apiEndpoint = z.object({
  id,
  url: z.string(),
  description: z.string(),
  events: z.array(z.enum(hookEventTypes)),
  state: z.enum(['active', 'paused']),
  pausedAt: instant.nullable(),
  pausedReason: z.string().nullable(),
  failingSince: instant.nullable().meta({ description: 'Every attempt since has failed; after 3 days the endpoint is paused.' }),
  lastSuccessAt: instant.nullable(),
  secretHint: z.string().meta({ description: 'The secret’s first characters, to tell secrets apart.' }),
  createdAt: instant,
});

export const apiDelivery = z.object({
  id: z.string(),
  eventId: z.string(),
  type: z.string(),
  state: z.enum(['pending', 'retrying', 'delivered', 'failed', 'cancelled']),
  attempts: z.number().int(),
  createdAt: instant,
  lastAttemptAt: instant.nullable(),
  lastStatus: z.number().int().nullable().meta({ description: 'The receiver’s HTTP status at the last attempt.' }),
  lastError: z.string().nullable(),
  nextAttemptAt: instant.nullable(),
});

export const endpointListResponse = z.object({ data: z.array(apiEndpoint) });
export const endpointResponse = z.object({
  data: apiEndpoint.extend({ deliveries: z.array(apiDelivery).meta({ description: 'The latest 25, newest first.' }) }),
});
export const endpointCreatedResponse = z.object({
  data: apiEndpoint.extend({ secret: z.string().meta({ description: 'The signing secret, shown this once.' }) }),
});
export const endpointTestResponse = z.object({ data: z.object({ eventId: z.string(), deliveryId: z.string() }) });
export const endpointDeletedResponse = z.object({ data: z.object({ id, deleted: z.literal(true) }) });
