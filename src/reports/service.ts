// The first cut of the deal-review report: the response funnel, what buyers gave as their primary reason
// and who we lose to. The review issue adds filters, themes, trends and charts.
import { Deal } from '../deals/model.ts';
import { Interview, InterviewResponse, interviewStateLabels, interviewStates, type InterviewState } from '../interviews/model.ts';
import { reasonLabel } from '../program/taxonomy.ts';

export interface Breakdown {
  label: string;
  count: number;
}

export interface Report {
  lostDeals: number;
  funnel: (Breakdown & { state: InterviewState })[];
  interviews: number;
  responses: number;
  reasons: Breakdown[];
  competitors: Breakdown[];
}

export async function buildReport(): Promise<Report> {
  const [lostDeals, stateRows, reasonRows, competitorRows, responses] = await Promise.all([
    Deal.countDocuments({ status: 'lost' }),
    Interview.aggregate<{ _id: InterviewState; count: number }>([{ $group: { _id: '$state', count: { $sum: 1 } } }]),
    InterviewResponse.aggregate<{ _id: string | null; count: number }>([{ $group: { _id: '$primaryReason', count: { $sum: 1 } } }, { $sort: { count: -1, _id: 1 } }]),
    Deal.aggregate<{ _id: string | null; count: number }>([
      { $match: { status: 'lost', lossType: 'competitor' } },
      { $group: { _id: '$competitor', count: { $sum: 1 } } },
      { $sort: { count: -1, _id: 1 } },
    ]),
    InterviewResponse.countDocuments(),
  ]);
  const byState = new Map(stateRows.map((r) => [r._id, r.count]));
  return {
    lostDeals,
    interviews: stateRows.reduce((n, r) => n + r.count, 0),
    responses,
    funnel: interviewStates.map((state) => ({ state, label: interviewStateLabels[state], count: byState.get(state) ?? 0 })).filter((r) => r.count > 0),
    reasons: reasonRows.map((r) => ({ label: reasonLabel(r._id), count: r.count })),
    competitors: competitorRows.map((r) => ({ label: r._id ?? 'Unknown', count: r.count })),
  };
}
