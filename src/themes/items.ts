// The answers each theme set is built from, read from the database with what showing them needs: the
// quote each may give (src/disclosure decides: by name, redacted, or none), and how the theme's answer
// list shows it. The pipeline and the curation code see only these items, never documents.
import mongoose from 'mongoose';
import { Deal } from '../deals/model.ts';
import { partsOf, redactContacts, redactIdentity, showAnswer, strictest, type TextField } from '../disclosure/index.ts';
import { Interview, InterviewResponse, outcomeOf, type DealOutcome } from '../interviews/model.ts';
import { messages } from './messages.ts';
import type { ThemeSet } from './types.ts';

export interface Item {
  /** response id (deal id for the reps' notes) */
  id: string;
  /** what is clustered, without the author's name, company or contact details (never shown) */
  text: string;
  /** the text as a quote shows it (empty when it may not be quoted) */
  quoteText: string;
  /** the author agreed to be quoted (internal-only answers never are) */
  quotable: boolean;
  named: boolean;
  /** the author's name, for the pipeline's own quotes (the command line); the app shows quoteText */
  author?: string;
  attribution: string;
  /** the answer as a theme's list of answers shows it, and who said it there */
  listText: string;
  listAttribution: string;
  reason: string | null;
  permission: 'named' | 'anonymous' | 'internal' | 'staff';
}

function joinText(parts: (string | null | undefined)[]): string {
  return parts
    .map((p) => (p ?? '').trim())
    .filter((p) => p !== '')
    .map((p) => (/[.!?…]$/.test(p) ? p : `${p}.`))
    .join(' ');
}

/** ids: only these answers (a page of a theme), else all. */
type Only = readonly string[] | undefined;

const onlyIds = (ids: Only) => (ids ? { _id: mongoose.trusted({ $in: ids.filter((id) => mongoose.isValidObjectId(id)) }) } : {});

async function buyerItems(fields: readonly TextField[], outcome: DealOutcome, ids: Only): Promise<Item[]> {
  const responses = await InterviewResponse.find(onlyIds(ids))
    .select({
      interviewId: 1,
      dealId: 1,
      whyText: 1,
      wouldHaveChangedText: 1,
      missingInfoText: 1,
      quotePermission: 1,
      textUses: 1,
      primaryReason: 1,
      submittedAt: 1,
      test: 1,
      outcome: 1,
    })
    .sort({ submittedAt: 1, _id: 1 })
    .lean();
  // A test invitation's answer (src/onboarding) is no buyer's: in no theme. Each set has one outcome's answers.
  const withText = responses
    .filter((r) => r.test !== true && outcomeOf(r) === outcome)
    .map((r) => ({ r, raw: joinText(fields.map((f) => r[f])) }))
    .filter((x) => x.raw !== '');
  if (withText.length === 0) return [];
  const [interviews, deals] = await Promise.all([
    Interview.find({ _id: mongoose.trusted({ $in: withText.map((x) => x.r.interviewId) }) })
      .select({ contact: 1, buyerCompany: 1 })
      .lean(),
    Deal.find({ _id: mongoose.trusted({ $in: withText.map((x) => x.r.dealId) }) })
      .select({ buyerCompany: 1, segment: 1 })
      .lean(),
  ]);
  const interviewById = new Map(interviews.map((i) => [String(i._id), i]));
  const dealById = new Map(deals.map((d) => [String(d._id), d]));
  return withText.map(({ r, raw }) => {
    const interview = interviewById.get(String(r.interviewId));
    const deal = dealById.get(String(r.dealId));
    const buyer = { ...interview?.contact, company: deal?.buyerCompany ?? interview?.buyerCompany, segment: deal?.segment };
    // Clustered without who wrote it: a buyer's name or company says nothing about why they chose, and
    // would otherwise surface as a theme's label or top term.
    const text = redactIdentity(raw, buyer).replace(/\[(?:name|company|email|phone|link)\]/g, ' ');
    const parts = partsOf(r, fields);
    const quote = showAnswer({ parts, buyer }, 'quote');
    const listed = showAnswer({ parts, buyer }, 'list')!;
    const author = interview?.contact?.name ?? undefined;
    return {
      id: String(r._id),
      text,
      quoteText: quote?.text ?? '',
      quotable: quote !== null,
      named: quote?.named ?? false,
      ...(author ? { author } : {}),
      attribution: quote?.attribution ?? listed.attribution,
      listText: listed.text,
      listAttribution: listed.attribution,
      reason: r.primaryReason ?? null,
      permission: strictest(parts.filter((p) => (p.text ?? '').trim() !== '').map((p) => p.permission)),
    };
  });
}

async function repItems(ids: Only): Promise<Item[]> {
  const deals = await Deal.find({ status: 'lost', ...onlyIds(ids) })
    .select({ repReason: 1, buyerCompany: 1, ownerName: 1, ownerEmail: 1, lostAt: 1, test: 1 })
    .sort({ lostAt: 1, _id: 1 })
    .lean();
  return deals
    .filter((d) => d.test !== true && (d.repReason?.note ?? '').trim() !== '')
    .map((d) => {
      const text = (d.repReason?.note ?? '').trim();
      const rep = d.ownerName ?? d.ownerEmail ?? undefined;
      return {
        id: String(d._id),
        text,
        // Reps' notes are the team's own words, shown to the team: quoted with the rep's name.
        quoteText: redactContacts(text),
        quotable: true,
        named: true,
        ...(rep ? { author: rep } : {}),
        attribution: messages.repAttribution(rep, d.buyerCompany),
        listText: text,
        listAttribution: messages.repAttribution(rep, d.buyerCompany),
        reason: d.repReason?.code ?? null,
        permission: 'staff' as const,
      };
    });
}

/**
 * Every answer of a theme set, oldest first (so that a run over the same answers sees them in the same
 * order), or only those of `ids`: a theme's page shows 25 answers, and redacting every answer for it took
 * seconds at 50,000 deals.
 */
export async function loadItems(set: ThemeSet, ids?: readonly string[]): Promise<Item[]> {
  switch (set) {
    case 'reasons':
      return buyerItems(['whyText', 'wouldHaveChangedText'], 'lost', ids);
    case 'helped':
      return buyerItems(['missingInfoText'], 'lost', ids);
    case 'wins':
      return buyerItems(['whyText', 'wouldHaveChangedText'], 'won', ids);
    case 'reps':
      return repItems(ids);
  }
}

/** Which of these answer ids are still there (an erasure removes answers a snapshot still lists). */
export async function existingItemIds(set: ThemeSet, ids: readonly string[]): Promise<Set<string>> {
  const found = set === 'reps' ? await Deal.find(onlyIds(ids)).select({ _id: 1 }).lean() : await InterviewResponse.find(onlyIds(ids)).select({ _id: 1 }).lean();
  return new Set(found.map((d) => String(d._id)));
}
