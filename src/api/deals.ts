// What the API needs beyond the deal lifecycle: finding a deal by its source and external id (the way
// a CRM names it), and reading its interviews and history. Throws NotFoundError for an unknown deal.
import type { Types } from 'mongoose';
import { DealHistory } from '../deals/history.ts';
import type { StoredDeal } from '../deals/lifecycle.ts';
import { Deal } from '../deals/model.ts';
import type { Page } from '../deals/service.ts';
import { Interview, type InterviewDoc, type InterviewState } from '../interviews/model.ts';
import { listInterviews, type InterviewRow } from '../interviews/service.ts';
import { NotFoundError } from '../lib/errors.ts';
import type { DealKey } from './schemas.ts';

type StoredInterview = InterviewDoc & { _id: Types.ObjectId };

export const historyLimit = 50;

export async function findDealByKey(key: DealKey): Promise<StoredDeal | null> {
  return Deal.findOne({ source: key.source, externalId: key.externalId }).lean<StoredDeal>();
}

export async function getDealByKey(key: DealKey): Promise<StoredDeal> {
  const deal = await findDealByKey(key);
  if (!deal)
    throw new NotFoundError(`There is no deal ${key.externalId} from ${key.source}. Create it first with PUT /api/v1/deals/${key.source}/{externalId}.`);
  return deal;
}

/** The deal's interviews, newest first, and its last changes, newest first. */
export async function dealRecords(dealId: Types.ObjectId) {
  const [interviews, history] = await Promise.all([
    Interview.find({ dealId }).sort({ createdAt: -1, _id: -1 }).lean<StoredInterview[]>(),
    DealHistory.find({ dealId }).sort({ at: -1, _id: -1 }).limit(historyLimit).lean(),
  ]);
  return { interviews, history };
}

/** The interview planned for the deal's latest loss, if any (one per loss: see Interview.planKey). */
export async function interviewOfLatestLoss(deal: StoredDeal): Promise<StoredInterview | null> {
  return Interview.findOne({ planKey: `${String(deal._id)}#${deal.lossCount}` }).lean<StoredInterview>();
}

/** One deal's interviews in the rows of the interviews list; an unknown deal has none. */
export async function listDealInterviews(key: DealKey, state: InterviewState | undefined, page: number): Promise<Page<InterviewRow>> {
  const deal = await findDealByKey(key);
  if (!deal) return { items: [], total: 0, page, pages: 1 };
  return listInterviews({ state, page }, [deal._id]);
}
