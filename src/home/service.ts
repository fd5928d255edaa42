// The overview on the home page: how the program is doing and what buyers said most recently.
import mongoose from 'mongoose';
import { Deal } from '../deals/model.ts';
import { Interview, InterviewResponse } from '../interviews/model.ts';
import { programFigures, type ProgramFigures } from '../reports/index.ts';

export interface Quote {
  text: string;
  attribution: string;
  reason: string | null;
  submittedAt: Date;
}

export interface Overview {
  /** The report's own figures (src/reports), so the overview and the report never disagree. */
  figures: ProgramFigures;
  hasDemoData: boolean;
  recentQuotes: Quote[];
}

export async function overview(): Promise<Overview> {
  const [figures, demo, responses] = await Promise.all([
    programFigures(),
    Deal.exists({ demo: true }),
    InterviewResponse.find({ quotePermission: mongoose.trusted({ $in: ['named', 'anonymous'] }), whyText: mongoose.trusted({ $exists: true }) })
      .sort({ submittedAt: -1 })
      .limit(5)
      .lean(),
  ]);
  const deals = await Deal.find({ _id: mongoose.trusted({ $in: responses.map((r) => r.dealId) }) })
    .select({ buyerCompany: 1, segment: 1 })
    .lean();
  const interviewsById = new Map(
    (await Interview.find({ _id: mongoose.trusted({ $in: responses.map((r) => r.interviewId) }) }).select({ contact: 1 }).lean()).map((i) => [String(i._id), i]),
  );
  const dealsById = new Map(deals.map((d) => [String(d._id), d]));
  return {
    figures,
    hasDemoData: Boolean(demo),
    recentQuotes: responses.map((r) => {
      const deal = dealsById.get(String(r.dealId));
      const contact = interviewsById.get(String(r.interviewId))?.contact;
      const attribution =
        r.quotePermission === 'named' && contact && deal
          ? `${contact.name}${contact.role ? `, ${contact.role}` : ''}, ${deal.buyerCompany}`
          : `A buyer${deal?.segment ? ` at a ${deal.segment} company` : ''}`;
      return { text: r.whyText ?? '', attribution, reason: r.primaryReason ?? null, submittedAt: r.submittedAt };
    }),
  };
}
