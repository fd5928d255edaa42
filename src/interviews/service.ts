import mongoose, { type Types } from 'mongoose';
import { Deal } from '../deals/model.ts';
import { pageSize, type Page } from '../lib/paging.ts';
import { hasNamedInterviewer } from './interviewers.ts';
import { Interview, outcomeOf, type DealOutcome, type InterviewState } from './model.ts';
import type { StoredInterview } from './planner.ts';
import type { ListInterviewsQuery } from './schemas.ts';

export interface InterviewRow {
  id: string;
  state: InterviewState;
  /** Whether the buyer is asked about a loss or a win. */
  outcome: DealOutcome;
  contactName: string;
  contactRole: string | null;
  company: string;
  dealName: string;
  interviewer: string | null;
  /** Planned with no one to sign the buyer's emails yet (src/interviews/interviewers.ts). */
  waitingForInterviewer: boolean;
  updatedAt: Date;
  demo: boolean;
  test: boolean;
}

interface JoinedRow {
  _id: Types.ObjectId;
  state: InterviewState;
  outcome?: string | null;
  contact?: { name?: string | null; role?: string | null } | null;
  interviewer?: { name?: string | null; email?: string | null } | null;
  awaitingInterviewer?: boolean | null;
  updatedAt: Date;
  demo?: boolean | null;
  test?: boolean | null;
  dealName?: string;
  company?: string;
}

/**
 * A page of interviews, each with its deal's name and company (a $lookup by the deal's _id); of these
 * deals only when dealIds is given (see ownership in src/deals/access.ts). Test invitations are listed
 * for staff (tagged) and left out for programs (`withTests: false`, the API).
 */
export async function listInterviews(
  query: ListInterviewsQuery,
  dealIds?: readonly Types.ObjectId[],
  opts: { withTests?: boolean } = {},
): Promise<Page<InterviewRow>> {
  const filter = {
    ...(query.state ? { state: query.state } : {}),
    // A loss interview stored before wins were interviewed has no outcome field (outcomeOf).
    ...(query.outcome ? { outcome: mongoose.trusted(query.outcome === 'won' ? ({ $eq: 'won' } as const) : ({ $ne: 'won' } as const)) } : {}),
    ...(dealIds ? { dealId: mongoose.trusted({ $in: dealIds }) } : {}),
    ...(opts.withTests === false ? { test: mongoose.trusted({ $ne: true }) } : {}),
  };
  const [docs, total] = await Promise.all([
    Interview.aggregate<JoinedRow>([
      { $match: filter },
      { $sort: { updatedAt: -1 } },
      { $skip: (query.page - 1) * pageSize },
      { $limit: pageSize },
      { $lookup: { from: Deal.collection.collectionName, localField: 'dealId', foreignField: '_id', as: 'deal' } },
      {
        $project: {
          state: 1,
          outcome: 1,
          contact: 1,
          interviewer: 1,
          awaitingInterviewer: 1,
          updatedAt: 1,
          demo: 1,
          test: 1,
          dealName: { $arrayElemAt: ['$deal.name', 0] },
          company: { $arrayElemAt: ['$deal.buyerCompany', 0] },
        },
      },
    ]),
    Interview.countDocuments(filter),
  ]);
  return {
    items: docs.map((d) => ({
      id: String(d._id),
      state: d.state,
      outcome: outcomeOf(d),
      contactName: d.contact?.name ?? '—',
      contactRole: d.contact?.role ?? null,
      company: d.company ?? '—',
      dealName: d.dealName ?? '—',
      interviewer: d.interviewer?.name ?? null,
      waitingForInterviewer: (d.state === 'planned' || d.awaitingInterviewer === true) && !hasNamedInterviewer(d),
      updatedAt: d.updatedAt,
      demo: d.demo ?? false,
      test: d.test ?? false,
    })),
    total,
    page: query.page,
    pages: Math.max(1, Math.ceil(total / pageSize)),
  };
}

export type { InterviewDoc } from './model.ts';

/** A deal's interviews, newest first. */
export async function interviewsOfDeal(dealId: Types.ObjectId): Promise<StoredInterview[]> {
  return Interview.find({ dealId }).sort({ createdAt: -1, _id: -1 }).lean<StoredInterview[]>();
}

/** The interview planned for the deal's latest loss, if any (one per loss: see Interview.planKey). */
export async function interviewOfLatestLoss(deal: { _id: Types.ObjectId; lossCount: number }): Promise<StoredInterview | null> {
  return Interview.findOne({ planKey: `${String(deal._id)}#${deal.lossCount}` }).lean<StoredInterview>();
}
