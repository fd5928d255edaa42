// The report's numbers, computed in code from one loaded dataset (src/reports/dataset.ts). Pure
// functions: the tests check them against seeded data through the page.
import { sentStates, type InterviewState } from '../interviews/index.ts';
import type { Dataset, LostDeal, ReportInterview, ReportResponse } from './dataset.ts';
import { minResponses } from './filters.ts';

/** A share that is only read when enough answers stand behind it. */
export interface Portion {
  count: number;
  of: number;
  /** 0..1, or null when `of` is below the threshold. */
  share: number | null;
}

export function portion(count: number, of: number, threshold = minResponses): Portion {
  return { count, of, share: of >= threshold && of > 0 ? count / of : null };
}

const openedStates: readonly InterviewState[] = ['opened', 'in_progress', 'completed'];

const reachedAny = (i: Pick<ReportInterview, 'reached'>, states: readonly InterviewState[]) => states.some((s) => i.reached.has(s));

/** Whether the buyer was asked: the invitation went out, or they were interviewed live. */
export const wasAsked = (i: Pick<ReportInterview, 'reached'>): boolean => reachedAny(i, sentStates);

/**
 * The response rate, defined here and nowhere else: interviews completed over interviews whose buyer was
 * asked (planned, held and excluded ones never reached a buyer, so they do not count against it). The
 * overview and the report both show this one, under `responseRateName`.
 */
export function responseRate(interviews: readonly Pick<ReportInterview, 'state' | 'reached'>[]): Portion {
  const asked = interviews.filter(wasAsked);
  return portion(asked.filter((i) => i.state === 'completed').length, asked.length);
}

/** What every page calls the response rate, with its definition. */
export const responseRateName = 'response rate: completed of invited';

export interface Funnel {
  lostDeals: number;
  invited: number;
  opened: number;
  completed: number;
  declined: number;
  expired: number;
  /** See responseRate(). */
  responseRate: Portion;
  /** Lost deals whose buyer was asked, over lost deals. */
  coverage: Portion;
  /** Median whole days from the loss to the answer; null without answers. */
  medianDaysToAnswer: number | null;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const dayMs = 86_400_000;

export function funnel(data: Dataset): Funnel {
  const asked = data.interviews.filter(wasAsked);
  const completed = data.interviews.filter((i) => i.state === 'completed').length;
  const askedDeals = new Set(asked.map((i) => i.dealId));
  const days = data.responses
    .map((r) => {
      const lostAt = data.dealsById.get(r.dealId)?.lostAt;
      return lostAt ? (r.submittedAt.getTime() - lostAt.getTime()) / dayMs : null;
    })
    .filter((d): d is number => d !== null && d >= 0);
  const med = median(days);
  return {
    lostDeals: data.deals.length,
    invited: asked.length,
    opened: data.interviews.filter((i) => reachedAny(i, openedStates)).length,
    completed,
    declined: data.interviews.filter((i) => i.state === 'declined').length,
    expired: data.interviews.filter((i) => i.state === 'expired').length,
    responseRate: responseRate(data.interviews),
    coverage: portion(askedDeals.size, data.deals.length),
    medianDaysToAnswer: med === null ? null : Math.round(med * 10) / 10,
  };
}

export interface RepHoldOffs {
  rep: string;
  lostDeals: number;
  /** Interviews planned for the rep's deals (excluded ones do not count). */
  interviews: number;
  heldOff: number;
  rate: Portion;
}

export function repLabel(d: Pick<LostDeal, 'ownerName' | 'ownerEmail'>): string {
  return d.ownerName || d.ownerEmail || 'No owner';
}

export function holdOffsByRep(data: Dataset): RepHoldOffs[] {
  const byRep = new Map<string, { lostDeals: number; interviews: number; heldOff: number }>();
  for (const d of data.deals) {
    const row = byRep.get(repLabel(d)) ?? { lostDeals: 0, interviews: 0, heldOff: 0 };
    row.lostDeals += 1;
    byRep.set(repLabel(d), row);
  }
  for (const i of data.interviews) {
    if (i.state === 'excluded') continue;
    const deal = data.dealsById.get(i.dealId);
    if (!deal) continue;
    const row = byRep.get(repLabel(deal))!;
    row.interviews += 1;
    if (i.heldOff) row.heldOff += 1;
  }
  return [...byRep]
    .map(([rep, r]) => ({ rep, ...r, rate: portion(r.heldOff, r.interviews) }))
    .sort((a, b) => b.heldOff - a.heldOff || b.interviews - a.interviews || a.rep.localeCompare(b.rep));
}

export interface FactorRating {
  factor: string;
  label: string;
  answers: number;
  /** Mean score 1..5 (5: we were much better), or null below the threshold. */
  average: number | null;
}

/** Ratings against the vendor each buyer chose, by factor: the mean is computed here, in code. */
export function ratingsByFactor(responses: readonly ReportResponse[], factors: readonly { value: string; label: string }[]): FactorRating[] {
  const known = new Map(factors.map((f) => [f.value, f.label]));
  const sums = new Map<string, { total: number; n: number }>();
  for (const r of responses) {
    for (const [factor, score] of Object.entries(r.ratings)) {
      const s = sums.get(factor) ?? { total: 0, n: 0 };
      s.total += score;
      s.n += 1;
      sums.set(factor, s);
    }
  }
  const order = [...factors.map((f) => f.value), ...[...sums.keys()].filter((k) => !known.has(k)).sort()];
  return order
    .filter((f) => sums.has(f))
    .map((factor) => {
      const s = sums.get(factor)!;
      return { factor, label: known.get(factor) ?? factor, answers: s.n, average: s.n >= minResponses ? Math.round((s.total / s.n) * 100) / 100 : null };
    });
}

export interface Count {
  label: string;
  count: number;
}

/** Lost deals per competitor, most first ("No decision" and unnamed losses left out). */
export function lostToCompetitors(deals: readonly LostDeal[]): (Count & { dealIds: string[] })[] {
  const by = new Map<string, { label: string; dealIds: string[] }>();
  for (const d of deals) {
    if (!d.competitor) continue;
    const key = d.competitor.trim().toLowerCase();
    const row = by.get(key) ?? { label: d.competitor.trim(), dealIds: [] };
    row.dealIds.push(d.id);
    by.set(key, row);
  }
  return [...by.values()]
    .map((r) => ({ label: r.label, count: r.dealIds.length, dealIds: r.dealIds }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

/** "2026-03" for a date (UTC). */
export function monthOf(d: Date): string {
  const m = d.getUTCMonth() + 1; // not toISOString: a report at 50,000 deals asks this a few hundred thousand times
  return `${d.getUTCFullYear()}-${m < 10 ? '0' : ''}${m}`;
}

const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export function monthLabel(month: string): string {
  const [y, m] = month.split('-');
  return `${monthNames[Number(m) - 1] ?? m} ${y}`;
}
