// Until the themes pipeline clusters them, the themes area lists what buyers wrote, newest first: the
// raw material every theme is built from.
import mongoose from 'mongoose';
import { Deal } from '../deals/model.ts';
import { pageSize, type Page } from '../deals/service.ts';
import { InterviewResponse } from '../interviews/model.ts';
import { reasonLabel } from '../program/taxonomy.ts';

export interface AnswerRow {
  company: string;
  reason: string;
  why: string | null;
  wouldHaveChanged: string | null;
  missingInfo: string | null;
  submittedAt: Date;
}

export async function listAnswers(page: number): Promise<Page<AnswerRow>> {
  const [docs, total] = await Promise.all([
    InterviewResponse.find().sort({ submittedAt: -1 }).skip((page - 1) * pageSize).limit(pageSize).lean(),
    InterviewResponse.countDocuments(),
  ]);
  const deals = await Deal.find({ _id: mongoose.trusted({ $in: docs.map((d) => d.dealId) }) }).select({ buyerCompany: 1 }).lean();
  const byId = new Map(deals.map((d) => [String(d._id), d.buyerCompany]));
  return {
    items: docs.map((d) => ({
      company: byId.get(String(d.dealId)) ?? '—',
      reason: reasonLabel(d.primaryReason),
      why: d.whyText ?? null,
      wouldHaveChanged: d.wouldHaveChangedText ?? null,
      missingInfo: d.missingInfoText ?? null,
      submittedAt: d.submittedAt,
    })),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / pageSize)),
  };
}
