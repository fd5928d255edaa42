// Set-up for the form's tests: a lost deal whose interview was planned by the real planner, then
// invited (as the invitation job would), and the buyer's link issued as the email would carry it.
import type { Types } from 'mongoose';
import { markLost, upsertDeal } from '../../src/deals/lifecycle.ts';
import { buyerLinkToken } from '../../src/interviews/link.ts';
import { Interview, type InterviewState } from '../../src/interviews/model.ts';
import type { StoredInterview } from '../../src/interviews/planner.ts';
import type { Config } from '../../src/config.ts';
import { loadSecrets } from '../../src/lib/secrets.ts';
import { competitorLoss, dealInputFor } from '../factories/deals.ts';

const actor = { type: 'system' as const, email: 'test' };

export interface InvitedInterview {
  interviewId: Types.ObjectId;
  dealId: Types.ObjectId;
  token: string;
  path: string;
  contactName: string;
}

export async function invitedInterview(config: Config, opts: { state?: InterviewState; dealName?: string } = {}): Promise<InvitedInterview> {
  const input = dealInputFor(opts.dealName ? { name: opts.dealName } : {});
  const { deal } = await upsertDeal(input, actor, 'api');
  await markLost(deal._id, competitorLoss, actor, 'api');
  const interview = await Interview.findOne({ dealId: deal._id }).lean<StoredInterview>();
  if (!interview || interview.state !== 'planned') throw new Error(`expected a planned interview, got ${interview?.state}`);
  const state = opts.state ?? 'invited';
  await Interview.updateOne({ _id: interview._id }, { $set: { state }, $push: { timeline: { state, at: new Date() } } });
  const token = await buyerLinkToken(interview._id, loadSecrets(config));
  return { interviewId: interview._id, dealId: deal._id, token, path: `/i/${token}`, contactName: input.contacts[0]!.name };
}

/** The fields of a whole default-questionnaire answer, step by step, as the page's form sends them. */
export const defaultAnswerSteps: Record<string, string | string[]>[] = [
  {
    a_primary_reason: 'price',
    a_contributing: ['integrations', 'support'],
    a_chosen_vendor: 'other',
    'a_chosen_vendor.other': 'Clearpath',
    a_stage: 'proposal',
  },
  { 'a_ratings.price': '2', 'a_ratings.product_fit': '4', 'a_ratings.trust': '0', a_participants: ['it', 'finance'] },
  {
    a_why_text: 'Their price was a third lower.',
    'a_why_text.use': 'anonymous',
    a_would_have_changed: 'A pilot on our data.',
    'a_would_have_changed.use': 'named',
  },
  { a_missing_info: 'A security whitepaper.', 'a_missing_info.use': 'internal', a_consider_again: 'maybe', a_call_consent: 'yes' },
];

export function formBody(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
  return params.toString();
}
