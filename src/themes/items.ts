// The answers each theme set is built from, read from the database with what quoting them needs: may the
// author be quoted (the buyer's consent), how they are attributed, and the text anonymised unless they
// agreed to be named. The pipeline and the curation code see only these items, never documents.
import mongoose from 'mongoose';
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

async function buyerItems(pick: (r: { whyText?: string | null; wouldHaveChangedText?: string | null; missingInfoText?: string | null }) => string): Promise<Item[]> {
  const responses = await InterviewResponse.find()
    .select({ interviewId: 1, dealId: 1, whyText: 1, wouldHaveChangedText: 1, missingInfoText: 1, quotePermission: 1, primaryReason: 1, submittedAt: 1 })
    .sort({ submittedAt: 1, _id: 1 })
    .lean();
  const withText = responses.map((r) => ({ r, text: pick(r) })).filter((x) => x.text !== '');
  if (withText.length === 0) return [];
  const [interviews, deals] = await Promise.all([
    Interview.find({ _id: mongoose.trusted({ $in: withText.map((x) => x.r.interviewId) }) }).select({ contact: 1, buyerCompany: 1 }).lean(),
    Deal.find({ _id: mongoose.trusted({ $in: withText.map((x) => x.r.dealId) }) }).select({ buyerCompany: 1, segment: 1 }).lean(),
  ]);
  const interviewById = new Map(interviews.map((i) => [String(i._id), i]));
  const dealById = new Map(deals.map((d) => [String(d._id), d]));
  return withText.map(({ r, text }) => {
    const interview = interviewById.get(String(r.interviewId));
    const deal = dealById.get(String(r.dealId));
    const author = interview?.contact?.name ?? undefined;
    const company = deal?.buyerCompany ?? interview?.buyerCompany ?? '';
    const permission = r.quotePermission ?? 'internal';
    const named = permission === 'named' && !!author;
    return {
      id: String(r._id),
      text,
      quoteText: named ? anonymise(text) : withoutNames(text, author, company),
      quotable: permission !== 'internal',
      named,
      ...(author ? { author } : {}),
      attribution: named ? messages.namedAttribution(author, company) : messages.anonymousAttribution(deal?.segment ?? undefined),
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
