// What the API needs beyond the deal lifecycle: finding a deal by its source and external id (the way
// a CRM names it), and reading its interviews and history, through the features' services. Throws
// NotFoundError for an unknown deal.
import type { Types } from 'mongoose';
import { dealHistory } from '../deals/history.ts';
import type { StoredDeal } from '../deals/lifecycle.ts';
import { findDealByKey } from '../deals/service.ts';
import type { InterviewState } from '../interviews/index.ts';
import { interviewsOfDeal, listInterviews, type InterviewRow } from '../interviews/service.ts';
import { NotFoundError } from '../lib/errors.ts';
import type { Page } from '../lib/paging.ts';
import type { DealKey } from './schemas.ts';

export { interviewOfLatestLoss } from '../interviews/service.ts';

export const historyLimit = 50;

export async function getDealByKey(key: DealKey): Promise<StoredDeal> {
  const deal = await findDealByKey(key);
  if (!deal)
    throw new NotFoundError(`There is no deal ${key.externalId} from ${key.source}. Create it first with PUT /api/v1/deals/${key.source}/{externalId}.`);
  return deal;
}

/** The deal's interviews, newest first, and its last changes, newest first. */
export async function dealRecords(dealId: Types.ObjectId) {
  const [interviews, history] = await Promise.all([interviewsOfDeal(dealId), dealHistory(dealId, historyLimit)]);
  return { interviews, history };
}

/** One deal's interviews in the rows of the interviews list; an unknown deal has none. */
export async function listDealInterviews(key: DealKey, state: InterviewState | undefined, page: number): Promise<Page<InterviewRow>> {
  const deal = await findDealByKey(key);
  if (!deal) return { items: [], total: 0, page, pages: 1 };
  return listInterviews({ state, page }, [deal._id]);
}
