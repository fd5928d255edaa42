// The answers each theme set is built from, read from the database with what quoting them needs: may the
// author be quoted (the buyer's consent), how they are attributed, and the text anonymised unless they
// agreed to be named. The pipeline and the curation code see only these items, never documents.
import type { Types } from 'mongoose';
import { Deal } from '../deals/model.ts';
import { Interview, InterviewResponse } from '../interviews/model.ts';
import { anonymise } from './pipeline/index.ts';
import type { ThemeSet } from './snapshots.ts';
import { messages } from './messages.ts';

export interface Item {
  /** response id (deal id for the reps' notes) */
  id: string;
  /** what is clustered */
  text: string;
  /** the text as a quote shows it: anonymised unless the author agreed to be named */
  quoteText: string;
  /** the author agreed to be quoted (internal-only answers never are) */
  quotable: boolean;
  named: boolean;
  /** the author's name (named or not: the pipeline removes it from anonymous quotes) */
  author?: string;
  attribution: string;
  /** shown beside the answer on the members page */
  company: string;
  reason: string | null;
  permission: 'named' | 'anonymous' | 'internal' | 'staff';
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The text with the buyer's company named as "[company]" and their own name as "[name]". */
function withoutNames(text: string, author: string | undefined, company: string | undefined): string {
  let out = anonymise(text, author);
  if (company && company.trim().length >= 3) out = out.replace(new RegExp(escapeRegExp(company.trim()), 'gi'), '[company]');
  return out;
}

function joinText(parts: (string | null | undefined)[]): string {
  return parts
    .map((p) => (p ?? '').trim())
    .filter((p) => p !== '')
    .map((p) => (/[.!?…]$/.test(p) ? p : `${p}.`))
    .join(' ');
}

/** A response with what its interview and deal say of its author (a $lookup on each one's _id). */
interface BuyerRow {
  _id: Types.ObjectId;
  whyText?: string | null;
  wouldHaveChangedText?: string | null;
  missingInfoText?: string | null;
  quotePermission?: 'named' | 'anonymous' | 'internal' | null;
  primaryReason?: string | null;
  author?: string | null;
  interviewCompany?: string | null;
  dealCompany?: string | null;
  segment?: string | null;
}

async function buyerItems(pick: (r: BuyerRow) => string): Promise<Item[]> {
  const responses = await InterviewResponse.aggregate<BuyerRow>([
    { $sort: { submittedAt: 1, _id: 1 } },
    { $lookup: { from: Interview.collection.collectionName, localField: 'interviewId', foreignField: '_id', as: 'interview' } },
    { $lookup: { from: Deal.collection.collectionName, localField: 'dealId', foreignField: '_id', as: 'deal' } },
    {
      $project: {
        whyText: 1,
        wouldHaveChangedText: 1,
        missingInfoText: 1,
        quotePermission: 1,
        primaryReason: 1,
        author: { $arrayElemAt: ['$interview.contact.name', 0] },
        interviewCompany: { $arrayElemAt: ['$interview.buyerCompany', 0] },
        dealCompany: { $arrayElemAt: ['$deal.buyerCompany', 0] },
        segment: { $arrayElemAt: ['$deal.segment', 0] },
      },
    },
  ]);
  const withText = responses.map((r) => ({ r, text: pick(r) })).filter((x) => x.text !== '');
  return withText.map(({ r, text }) => {
    const author = r.author ?? undefined;
    const company = r.dealCompany ?? r.interviewCompany ?? '';
    const permission = r.quotePermission ?? 'internal';
    const named = permission === 'named' && !!author;
    return {
      id: String(r._id),
      text,
      quoteText: named ? anonymise(text) : withoutNames(text, author, company),
      quotable: permission !== 'internal',
      named,
      ...(author ? { author } : {}),
      attribution: named ? messages.namedAttribution(author, company) : messages.anonymousAttribution(r.segment ?? undefined),
      company: company || '—',
      reason: r.primaryReason ?? null,
      permission,
    };
  });
}

async function repItems(): Promise<Item[]> {
  const deals = await Deal.find({ status: 'lost' }).select({ repReason: 1, buyerCompany: 1, ownerName: 1, ownerEmail: 1, lostAt: 1 }).sort({ lostAt: 1, _id: 1 }).lean();
  return deals
    .filter((d) => (d.repReason?.note ?? '').trim() !== '')
    .map((d) => {
      const text = (d.repReason?.note ?? '').trim();
      const rep = d.ownerName ?? d.ownerEmail ?? undefined;
      return {
        id: String(d._id),
        text,
        // Reps' notes are the team's own words, shown to the team: quoted with the rep's name.
        quoteText: anonymise(text),
        quotable: true,
        named: true,
        ...(rep ? { author: rep } : {}),
        attribution: messages.repAttribution(rep, d.buyerCompany),
        company: d.buyerCompany || '—',
        reason: d.repReason?.code ?? null,
        permission: 'staff' as const,
      };
    });
}

/** Every answer of a theme set, oldest first (so that a run over the same answers sees them in the same order). */
export async function loadItems(set: ThemeSet): Promise<Item[]> {
  switch (set) {
    case 'reasons':
      return buyerItems((r) => joinText([r.whyText, r.wouldHaveChangedText]));
    case 'helped':
      return buyerItems((r) => joinText([r.missingInfoText]));
    case 'reps':
      return repItems();
  }
}
