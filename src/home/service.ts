// The overview on the home page: how the program is doing and what buyers said most recently.
import mongoose from 'mongoose';
import { Deal } from '../deals/model.ts';
import { partsOf, showAnswer } from '../disclosure/index.ts';
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
    // A test invitation's answer is no buyer's: never quoted.
    InterviewResponse.find({
      quotePermission: mongoose.trusted({ $in: ['named', 'anonymous'] }),
      whyText: mongoose.trusted({ $exists: true }),
      test: mongoose.trusted({ $ne: true }),
    })
      .sort({ submittedAt: -1 })
      .limit(5)
      .lean(),
  ]);
  const [deals, interviews] = await Promise.all([
    Deal.find({ _id: mongoose.trusted({ $in: responses.map((r) => r.dealId) }) })
      .select({ buyerCompany: 1, segment: 1 })
      .lean(),
    Interview.find({ _id: mongoose.trusted({ $in: responses.map((r) => r.interviewId) }) })
      .select({ contact: 1 })
      .lean(),
  ]);
  const dealsById = new Map(deals.map((d) => [String(d._id), d]));
  const interviewsById = new Map(interviews.map((i) => [String(i._id), i]));
  return {
    figures,
    hasDemoData: Boolean(demo),
    recentQuotes: responses.flatMap((r) => {
      const deal = dealsById.get(String(r.dealId));
      const contact = interviewsById.get(String(r.interviewId))?.contact;
      const shown = showAnswer({ parts: partsOf(r, ['whyText']), buyer: { ...contact, company: deal?.buyerCompany, segment: deal?.segment } }, 'quote');
      return shown ? [{ text: shown.text, attribution: shown.attribution, reason: r.primaryReason ?? null, submittedAt: r.submittedAt }] : [];
    }),
  };
}
