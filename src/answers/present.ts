// A submitted interview's answers as they leave Debrief, through the one disclosure rule (src/disclosure):
// each free-text answer as its "list" audience may read it (named: as written; anonymous: the buyer taken
// out), and an answer given for the team only withheld unless the reader may see those (an API key with
// answers:internal), then shown like an anonymous one. Structured answers (reasons, the competitor chosen,
// ratings) carry no one's words and are always given.
import type { Types } from 'mongoose';
import { partsOf, showAnswer, type Buyer, type StoredTexts, type TextField } from '../disclosure/index.ts';
import { reasonLabel } from '../program/index.ts';
import type { AnswerDeal, AnswerOutcome, AnswerText, BuyerAnswers } from './schemas.ts';

export interface StoredResponse extends StoredTexts {
  _id: Types.ObjectId;
  interviewId: Types.ObjectId;
  dealId: Types.ObjectId;
  templateId?: string | null;
  primaryReason?: string | null;
  contributing?: string[] | null;
  chosenVendor?: string | null;
  stage?: string | null;
  considerAgain?: string | null;
  ratings?: Map<string, number> | Record<string, number> | null;
  interviewedBy?: { email?: string | null } | null;
  submittedAt: Date;
}

export interface StoredDealFields {
  _id: Types.ObjectId;
  source: string;
  externalId: string;
  name: string;
  buyerCompany: string;
  segment?: string | null;
  competitor?: string | null;
  ownerEmail?: string | null;
}

export interface StoredContact {
  name?: string | null;
  email?: string | null;
  role?: string | null;
}

/** A loss or a win: the interview's outcome (one stored before won deals were interviewed is a loss). */
export { outcomeOf } from '../interviews/index.ts';

const textFields: [TextField, AnswerText['field']][] = [
  ['whyText', 'why'],
  ['wouldHaveChangedText', 'wouldHaveChanged'],
  ['missingInfoText', 'missingInfo'],
];

const orNull = (v: string | null | undefined) => (v === undefined || v === null || v === '' ? null : v);

export function presentDeal(d: StoredDealFields): AnswerDeal {
  return {
    id: String(d._id),
    source: d.source,
    externalId: d.externalId,
    name: d.name,
    buyerCompany: d.buyerCompany,
    segment: orNull(d.segment),
    competitor: orNull(d.competitor),
    ownerEmail: orNull(d.ownerEmail),
  };
}

export interface PresentOptions {
  /** Whether answers given for the team only are shown (else withheld). */
  includeInternal: boolean;
  /** The program's reason labels by code (reasons a marketer added); the default taxonomy's otherwise. */
  reasonLabels: ReadonlyMap<string, string>;
}

export function presentAnswers(
  r: StoredResponse,
  deal: StoredDealFields,
  contact: StoredContact | null | undefined,
  outcome: AnswerOutcome,
  opts: PresentOptions,
): BuyerAnswers {
  const label = (code: string) => ({ code, label: opts.reasonLabels.get(code) ?? reasonLabel(code) });
  const buyer: Buyer = { name: contact?.name, role: contact?.role, email: contact?.email, company: deal.buyerCompany, segment: deal.segment };
  const texts: AnswerText[] = [];
  for (const [stored, field] of textFields) {
    const part = partsOf(r, [stored])[0]!;
    if (!part.text?.trim()) continue;
    if (part.permission === 'internal' && !opts.includeInternal) {
      texts.push({ field, use: part.permission, withheld: true, text: null, attribution: null, named: false });
      continue;
    }
    const shown = showAnswer({ parts: [part], buyer }, 'list');
    if (shown) texts.push({ field, use: part.permission, withheld: false, text: shown.text, attribution: shown.attribution, named: shown.named });
  }
  const ratings = r.ratings instanceof Map ? Object.fromEntries(r.ratings) : { ...(r.ratings ?? {}) };
  return {
    interviewId: String(r.interviewId),
    responseId: String(r._id),
    submittedAt: r.submittedAt.toISOString(),
    outcome,
    questionnaire: orNull(r.templateId),
    interviewedLive: Boolean(r.interviewedBy?.email),
    primaryReason: r.primaryReason ? label(r.primaryReason) : null,
    contributingReasons: (r.contributing ?? []).map(label),
    competitor: orNull(r.chosenVendor),
    stage: orNull(r.stage),
    considerAgain: orNull(r.considerAgain),
    ratings,
    texts,
    deal: presentDeal(deal),
  };
}
