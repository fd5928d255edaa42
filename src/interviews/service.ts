import mongoose, { type Types } from 'mongoose';
import { Deal } from '../deals/model.ts';
import { pageSize, type Page } from '../deals/service.ts';
import { Interview, type InterviewState } from './model.ts';
import type { ListInterviewsQuery } from './schemas.ts';

export interface InterviewRow {
  id: string;
  state: InterviewState;
  contactName: string;
  contactRole: string | null;
  company: string;
  dealName: string;
  interviewer: string | null;
  updatedAt: Date;
  demo: boolean;
}

/** A page of interviews, of these deals only when dealIds is given (see ownership in src/deals/access.ts). */
export async function listInterviews(query: ListInterviewsQuery, dealIds?: readonly Types.ObjectId[]): Promise<Page<InterviewRow>> {
  const filter = { ...(query.state ? { state: query.state } : {}), ...(dealIds ? { dealId: mongoose.trusted({ $in: dealIds }) } : {}) };
  const [docs, total] = await Promise.all([
    Interview.find(filter).sort({ updatedAt: -1 }).skip((query.page - 1) * pageSize).limit(pageSize).lean(),
    Interview.countDocuments(filter),
  ]);
  // No $lookup on the embedded engine: join in code.
  const deals = await Deal.find({ _id: mongoose.trusted({ $in: docs.map((d) => d.dealId) }) }).select({ name: 1, buyerCompany: 1 }).lean();
  const byId = new Map(deals.map((d) => [String(d._id), d]));
  return {
    items: docs.map((d) => ({
      id: String(d._id),
      state: d.state,
      contactName: d.contact?.name ?? '—',
      contactRole: d.contact?.role ?? null,
      company: byId.get(String(d.dealId))?.buyerCompany ?? '—',
      dealName: byId.get(String(d.dealId))?.name ?? '—',
      interviewer: d.interviewer?.name ?? null,
      updatedAt: d.updatedAt,
      demo: d.demo,
    })),
    total,
    page: query.page,
    pages: Math.max(1, Math.ceil(total / pageSize)),
  };
}
