import mongoose, { type Types } from 'mongoose';
import { Interview, interviewStateLabels, type InterviewState } from '../interviews/model.ts';
import { Marker, claimMarker } from '../system/index.ts';
import { pageSize, type Page } from '../lib/paging.ts';
import type { StoredDeal } from './lifecycle.ts';
import { Deal, type DealDoc } from './model.ts';
import type { ListDealsQuery } from './schemas.ts';
import { searchFilter, searchTermsOf, type Searchable } from './search.ts';

/** A deal on the list, with where its latest interview stands (null: none was planned). */
export type DealRow = DealDoc & { _id: mongoose.Types.ObjectId; interview: { state: InterviewState; label: string } | null };

/** The competitor names reps gave on lost deals, as typed, with how many deals each (the program page's suggestions). */
export async function lostDealCompetitors(): Promise<{ name: string; deals: number }[]> {
  const rows = await Deal.aggregate<{ _id: unknown; deals: number }>([
    { $match: { status: 'lost', competitor: { $nin: [null, ''] } } },
    { $group: { _id: '$competitor', deals: { $sum: 1 } } },
  ]);
  return rows.flatMap((row) => (typeof row._id === 'string' ? [{ name: row._id, deals: row.deals }] : []));
}

/** Test invitations' deals are listed for staff (tagged) and left out for programs (`withTests: false`, the API). */
export async function listDeals(query: ListDealsQuery, ownerEmail?: string, opts: { withTests?: boolean } = {}): Promise<Page<DealRow>> {
  const filter: Record<string, unknown> = {};
  if (opts.withTests === false) filter.test = mongoose.trusted({ $ne: true });
  if (ownerEmail) filter.ownerEmail = ownerEmail;
  if (query.status) filter.status = query.status;
  if (query.q) {
    const search = searchFilter(query.q);
    // Nothing searchable typed (only punctuation): no deal matches, as no deal's words are empty.
    Object.assign(filter, search ?? { _id: mongoose.trusted({ $in: [] }) });
  }
  const [items, total] = await Promise.all([
    Deal.find(filter)
      .sort({ lostAt: -1, createdAt: -1 })
      .skip((query.page - 1) * pageSize)
      .limit(pageSize)
      .lean(),
    Deal.countDocuments(filter),
  ]);
  // The page's deals' interviews, the latest of each deal (a deal lost twice has two).
  const interviews = await Interview.find({ dealId: mongoose.trusted({ $in: items.map((d) => d._id) }) })
    .select({ dealId: 1, state: 1, createdAt: 1 })
    .sort({ createdAt: 1 })
    .lean();
  const latest = new Map(interviews.map((i) => [String(i.dealId), i.state]));
  const rows = items.map((d) => {
    const state = latest.get(String(d._id));
    return { ...d, interview: state ? { state, label: interviewStateLabels[state] } : null };
  });
  return { items: rows, total, page: query.page, pages: Math.max(1, Math.ceil(total / pageSize)) };
}

const backfillMarker = 'deals-search-terms';

/** Gives the deals stored before search terms existed theirs, once per database; returns how many. */
export async function backfillSearchTerms(): Promise<number> {
  if (await Marker.exists({ _id: backfillMarker })) return 0;
  let count = 0;
  const cursor = Deal.find({ searchTerms: mongoose.trusted({ $exists: false }) })
    .select({ name: 1, buyerCompany: 1, competitor: 1, externalId: 1 })
    .lean<(Searchable & { _id: Types.ObjectId })[]>()
    .cursor();
  let batch: { updateOne: { filter: { _id: Types.ObjectId }; update: { $set: { searchTerms: string[] } } } }[] = [];
  for await (const deal of cursor) {
    batch.push({ updateOne: { filter: { _id: deal._id }, update: { $set: { searchTerms: searchTermsOf(deal) } } } });
    count += 1;
    if (batch.length >= 500) {
      await Deal.bulkWrite(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await Deal.bulkWrite(batch);
  await claimMarker(backfillMarker);
  return count;
}

/** The deal a CRM names by its source and external id, if any. */
export async function findDealByKey(key: { source: string; externalId: string }): Promise<StoredDeal | null> {
  return Deal.findOne({ source: key.source, externalId: key.externalId }).lean<StoredDeal>();
}
