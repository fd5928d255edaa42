// The shapes of a buyer's answers as they leave Debrief (the API and outgoing webhooks): zod, so the API
// validates its queries with them and the OpenAPI document describes exactly these.
import { z } from 'zod';
import { quotePermissions } from '../disclosure/index.ts';

/** Which side of the program an answer is about. Every interview is about a loss until won deals are interviewed (issue #19). */
export const answerOutcomes = ['lost', 'won'] as const;
export type AnswerOutcome = (typeof answerOutcomes)[number];

const id = z.string().regex(/^[0-9a-f]{24}$/);
const instant = z.iso.datetime();
const reason = z.object({ code: z.string(), label: z.string() });

export const answerText = z.object({
  field: z.enum(['why', 'wouldHaveChanged', 'missingInfo']).meta({
    description: 'why: why they chose as they did; wouldHaveChanged: what would have changed their mind; missingInfo: what they missed while deciding.',
  }),
  use: z
    .enum(quotePermissions)
    .meta({ description: 'The buyer’s choice for this answer: named (by name), anonymous (without their name), internal (for the team only).' }),
  withheld: z.boolean().meta({ description: 'True for an internal answer read without the answers:internal scope: its text is null.' }),
  text: z.string().nullable().meta({ description: 'As written when given by name; with the buyer’s name, company and contact details taken out otherwise.' }),
  attribution: z.string().nullable().meta({ description: '"Name, Role, Company" when given by name; "A buyer at an enterprise company" otherwise.' }),
  named: z.boolean(),
});
export type AnswerText = z.infer<typeof answerText>;

export const answerDeal = z.object({
  id,
  source: z.string(),
  externalId: z.string(),
  name: z.string(),
  buyerCompany: z.string(),
  segment: z.string().nullable(),
  competitor: z.string().nullable().meta({ description: 'The competitor the rep named on the deal.' }),
  ownerEmail: z.string().nullable(),
});
export type AnswerDeal = z.infer<typeof answerDeal>;

export const buyerAnswers = z.object({
  interviewId: id,
  responseId: id,
  submittedAt: instant,
  outcome: z.enum(answerOutcomes),
  questionnaire: z.string().nullable().meta({ description: 'The questionnaire version answered, such as default@3.' }),
  interviewedLive: z.boolean().meta({ description: 'A staff member filled the form on a call with the buyer.' }),
  primaryReason: reason.nullable().meta({ description: 'The buyer’s main reason, a code of the program’s reasons with its label.' }),
  contributingReasons: z.array(reason),
  competitor: z.string().nullable().meta({ description: 'The vendor the buyer says they chose (their answer), else null.' }),
  stage: z.string().nullable(),
  considerAgain: z.string().nullable(),
  ratings: z.record(z.string(), z.number()),
  texts: z.array(answerText).meta({ description: 'Each free-text answer with the buyer’s choice of how it may be used.' }),
  deal: answerDeal,
});
export type BuyerAnswers = z.infer<typeof buyerAnswers>;
