// The JSON API's shapes, in zod: what each request may send (path, query, body) and what each answer
// holds. The router validates with the request schemas and the OpenAPI document is generated from all
// of them (src/api/openapi.ts), so the two cannot drift apart. Request bodies reuse the features' own
// schemas (dealInput, lossInput, programInput): the pages, webhooks and the API accept the same deal.
import { z } from 'zod';
import { apiKeyScopes } from '../apikeys/index.ts';
import { dealStatuses, lossTypes } from '../deals/schemas.ts';
import { dealInput, optionalText, pageNumber } from '../deals/schemas.ts';
import { dealOutcomes, interviewStates } from '../interviews/index.ts';

/** An empty filter (`?status=`) means no filter, as on the pages. */
const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .enum(values, { error: `Use one of: ${values.join(', ')}.` })
    .optional()
    .or(z.literal('').transform(() => undefined));

// ---- Requests ------------------------------------------------------------------------------------

export const apiDealsQuery = z.object({ status: optionalEnum(dealStatuses), page: pageNumber }).strict();

export const apiInterviewsQuery = z
  .object({
    state: optionalEnum(interviewStates),
    dealSource: optionalText(40).meta({ description: 'With dealExternalId: only the interviews of that deal.' }),
    dealExternalId: optionalText(200).meta({ description: 'With dealSource: only the interviews of that deal.' }),
    page: pageNumber,
  })
  .strict()
  .refine((q) => Boolean(q.dealSource) === Boolean(q.dealExternalId), {
    path: ['dealExternalId'],
    message: 'Give dealSource and dealExternalId together: they name one deal.',
  });
export type ApiInterviewsQuery = z.output<typeof apiInterviewsQuery>;

const { source, externalId, ...dealFields } = dealInput.shape;

/** A deal is addressed by where it comes from and its id there: /deals/{source}/{externalId}. */
export const dealKeyParams = z
  .object({
    // The pattern is given again because JSON Schema has no case-insensitive flag.
    source: source.meta({
      description: 'Where the deal comes from, such as hubspot or salesforce (letters, digits, - and _; stored in lower case).',
      pattern: '^[A-Za-z0-9_-]+$',
    }),
    externalId: externalId.meta({ description: 'The deal’s id in its source (URL-encode it if it holds / or other reserved characters).' }),
  })
  .strict();
export type DealKey = z.output<typeof dealKeyParams>;

/**
 * The deal as the API's PUT body: dealInput without source and externalId (they come from the path).
 * The handler then checks the whole deal with dealInput itself, so its cross-field rules apply too.
 */
export const apiDealBody = z.object(dealFields).strict();
export type ApiDealBody = z.output<typeof apiDealBody>;

// ---- Answers -------------------------------------------------------------------------------------

const id = z
  .string()
  .regex(/^[0-9a-f]{24}$/)
  .meta({ description: 'Debrief’s id.' });
const instant = z.iso.datetime();
const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();

export const errorResponse = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable, for programs: validation_failed, unauthorized, insufficient_scope, not_found, rate_limited…' }),
      message: z.string().meta({ description: 'For people: what went wrong and what to do.' }),
      details: z
        .record(z.string(), z.array(z.string()))
        .optional()
        .meta({ description: 'For validation_failed: the messages for each field, by its path (contacts.0.email).' }),
      requestId: z.string(),
    }),
  })
  .meta({ description: 'Every error, whatever the status.' });

export const paging = z.object({ page: z.number().int(), pages: z.number().int(), total: z.number().int(), pageSize: z.number().int() });

export const meResponse = z.object({ data: z.object({ name: z.string(), prefix: z.string(), scopes: z.array(z.enum(apiKeyScopes)) }) });

export const apiContact = z.object({ name: z.string(), email: z.string(), role: nullable(z.string()), timeZone: nullable(z.string()), primary: z.boolean() });

export const apiDeal = z.object({
  id,
  source: z.string(),
  externalId: z.string(),
  name: z.string(),
  buyerCompany: z.string(),
  amount: nullable(z.number()),
  currency: nullable(z.string()),
  segment: nullable(z.string()),
  productLine: nullable(z.string()),
  region: nullable(z.string()),
  ownerEmail: nullable(z.string()),
  ownerName: nullable(z.string()),
  status: z.enum(dealStatuses),
  lostAt: nullable(instant),
  wonAt: nullable(instant).meta({ description: 'When the deal was last won.' }),
  lossType: nullable(z.enum(lossTypes)),
  reasonCode: nullable(z.string()).meta({ description: 'The rep’s main reason, a code of the program’s reasons.' }),
  reasonNote: nullable(z.string()),
  competitor: nullable(z.string()),
  contacts: z.array(apiContact),
  createdAt: instant,
  updatedAt: instant,
});

/** A deal in a list: the main fields of the full deal. */
export const apiDealRow = apiDeal.pick({
  id: true,
  source: true,
  externalId: true,
  name: true,
  buyerCompany: true,
  amount: true,
  currency: true,
  status: true,
  lostAt: true,
  competitor: true,
});
export const dealListResponse = z.object({ data: z.array(apiDealRow), paging });
export type ApiDeal = z.infer<typeof apiDeal>;

const interviewer = nullable(z.object({ name: z.string(), email: z.string() }));

export const apiInterview = z.object({
  id,
  outcome: z.enum(dealOutcomes).meta({ description: 'The decision the buyer is asked about: lost, or won.' }),
  state: z.enum(interviewStates),
  contact: z.object({ name: z.string(), email: z.string(), role: nullable(z.string()) }),
  interviewer,
  plannedFor: nullable(instant).meta({ description: 'When the invitation goes out (planned interviews).' }),
  exclusionReason: nullable(z.string()).meta({ description: 'Why nobody is asked (excluded interviews).' }),
  holdOff: nullable(z.object({ by: nullable(z.string()), reason: nullable(z.string()), at: nullable(instant) })),
  timeline: z.array(z.object({ state: z.enum(interviewStates), at: instant, note: nullable(z.string()) })),
  createdAt: instant,
  updatedAt: instant,
});
export type ApiInterview = z.infer<typeof apiInterview>;

export const apiHistoryEntry = z.object({
  at: instant,
  actor: z.string(),
  via: z.string(),
  event: z.string().meta({ description: 'created, updated, lost, loss_updated, reopened, won…' }),
  changes: z.array(z.object({ field: z.string(), from: z.string(), to: z.string() })),
});
export type ApiHistoryEntry = z.infer<typeof apiHistoryEntry>;

export const dealResponse = z.object({ data: apiDeal });
export const dealDetailResponse = z.object({
  data: apiDeal.extend({
    interviews: z.array(apiInterview).meta({ description: 'Newest first.' }),
    history: z.array(apiHistoryEntry).meta({ description: 'The last 50 changes, newest first.' }),
  }),
});

export const planOutcomes = ['planned', 'excluded', 'already_lost', 'duplicate'] as const;
export const apiPlan = z.object({
  outcome: z.enum(planOutcomes).meta({
    description:
      'planned: an interview is planned; excluded: the program leaves this buyer out (see reason); already_lost: the deal was lost already, only the loss details changed; duplicate: another request planned it a moment ago.',
  }),
  id: nullable(id),
  state: nullable(z.enum(interviewStates)),
  plannedFor: nullable(instant),
  interviewer,
  reason: nullable(z.string()),
});
export type ApiPlan = z.infer<typeof apiPlan>;
export const lostResponse = z.object({ data: z.object({ deal: apiDeal, interview: apiPlan }) });
export const winPlanOutcomes = ['planned', 'excluded', 'duplicate', 'off', 'not_sampled'] as const;
export const apiWinPlan = z.object({
  outcome: z.enum(winPlanOutcomes).meta({
    description:
      'planned: a win interview is planned; excluded: the program leaves this buyer out (see reason); duplicate: another request planned it a moment ago; off: the program interviews no won deals in this segment; not_sampled: the program interviews a share of won deals and this one is not in it (the same deal is always sampled the same way).',
  }),
  id: nullable(id),
  state: nullable(z.enum(interviewStates)),
  plannedFor: nullable(instant),
  interviewer,
  reason: nullable(z.string()),
});
export type ApiWinPlan = z.infer<typeof apiWinPlan>;
export const outcomeResponse = z.object({
  data: z.object({
    deal: apiDeal,
    cancelledInterviews: z.number().int().meta({ description: 'Interviews not yet sent that were cancelled.' }),
    interview: nullable(apiWinPlan).meta({
      description: 'For a deal that became won: what happened to its win interview. Null when reopened, or when the deal was won already.',
    }),
  }),
});

export const apiInterviewRow = z.object({
  id,
  state: z.enum(interviewStates),
  contactName: z.string(),
  contactRole: nullable(z.string()),
  company: z.string(),
  dealName: z.string(),
  interviewer: nullable(z.string()),
  updatedAt: instant,
});
export const interviewListResponse = z.object({ data: z.array(apiInterviewRow), paging });

export const privacyExportResponse = z.object({
  data: z.object({
    email: z.string(),
    exportedAt: instant,
    deals: z.array(
      z.object({ source: z.string(), externalId: z.string(), name: z.string(), buyerCompany: z.string(), contact: z.record(z.string(), z.unknown()) }),
    ),
    interviews: z.array(
      z.object({ id: z.string(), deal: z.string(), state: z.string(), contact: z.record(z.string(), z.unknown()), timeline: z.array(z.unknown()) }),
    ),
    answers: z.array(z.record(z.string(), z.unknown())),
  }),
});
export const privacyEraseResponse = z.object({ data: z.object({ deals: z.number().int(), interviews: z.number().int(), answers: z.number().int() }) });
