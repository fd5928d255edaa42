// The prep brief on an open deal's page: "lessons from similar lost deals". Lost deals that share the
// open deal's competitor, product line, segment or size band are scored by what they share (competitor
// counts most); their buyers' themes are ranked by the similarity of the deals behind them, quotes come
// from the most similar deals first, and the rep-vs-buyer gaps are those of the same deals.
import { loadProgram } from '../program/model.ts';
import { gapOf } from './gap.ts';
import { loadDataset, type LostDeal } from './dataset.ts';
import { minResponses, sizeBandOf } from './filters.ts';
import { reasonLabeller } from './service.ts';
import { quoteOf, themeSource } from './themes.ts';

export const similarityWeights = { competitor: 3, productLine: 2, segment: 2, size: 1 } as const;
const maxSimilarDeals = 25;

export interface OpenDealFacts {
  _id: unknown;
  competitor?: string | null;
  productLine?: string | null;
  segment?: string | null;
  amount?: number | null;
}

export interface SimilarDeal {
  id: string;
  name: string;
  buyerCompany: string;
  lostAt: Date | null;
  score: number;
  /** What it shares with the open deal, in words. */
  shares: string[];
}

export interface PrepBrief {
  similar: SimilarDeal[];
  answers: number;
  tooFew: boolean;
  themes: { label: string; answers: number; weight: number }[];
  quotes: { text: string; attribution: string; dealName: string }[];
  gaps: { rep: string; buyer: string; count: number }[];
  minResponses: number;
}

const same = (a: string | null | undefined, b: string | null | undefined) => Boolean(a && b && a.trim().toLowerCase() === b.trim().toLowerCase());

/** How alike a lost deal is to the open one, and in what. */
export function similarity(open: OpenDealFacts, lost: LostDeal): { score: number; shares: string[] } {
  const shares: string[] = [];
  let score = 0;
  if (same(open.competitor, lost.competitor)) {
    score += similarityWeights.competitor;
    shares.push(`competitor ${lost.competitor}`);
  }
  if (same(open.productLine, lost.productLine)) {
    score += similarityWeights.productLine;
    shares.push(`product line ${lost.productLine}`);
  }
  if (same(open.segment, lost.segment)) {
    score += similarityWeights.segment;
    shares.push(`segment ${lost.segment}`);
  }
  const band = sizeBandOf(open.amount);
  if (band && sizeBandOf(lost.amount)?.code === band.code) {
    score += similarityWeights.size;
    shares.push(`size ${band.label}`);
  }
  return { score, shares };
}

export async function prepBrief(open: OpenDealFacts): Promise<PrepBrief> {
  const data = await loadDataset({});
  const ranked = data.deals
    .filter((d) => d.id !== String(open._id))
    .map((d) => ({ deal: d, ...similarity(open, d) }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || (b.deal.lostAt?.getTime() ?? 0) - (a.deal.lostAt?.getTime() ?? 0))
    .slice(0, maxSimilarDeals);
  const scoreOf = new Map(ranked.map((s) => [s.deal.id, s.score]));
  const responses = data.responses
    .filter((r) => scoreOf.has(r.dealId))
    .sort((a, b) => scoreOf.get(b.dealId)! - scoreOf.get(a.dealId)! || b.submittedAt.getTime() - a.submittedAt.getTime());
  const label = await reasonLabeller();
  const source = await themeSource('reasons', responses, label);
  const byId = new Map(responses.map((r) => [r.id, r]));
  const themes = (source?.snapshot.themes ?? [])
    .filter((t) => t.id !== 'unclear')
    .map((t) => {
      const members = t.memberIds.filter((id) => byId.has(id));
      return { label: t.label, answers: members.length, weight: members.reduce((sum, id) => sum + scoreOf.get(byId.get(id)!.dealId)!, 0) };
    })
    .filter((t) => t.answers > 0)
    .sort((a, b) => b.weight - a.weight || b.answers - a.answers)
    .slice(0, 4);
  const quotes = responses
    .map((r) => {
      const q = quoteOf(r, ['whyText', 'wouldHaveChangedText'], data);
      // The deal's name would say who an anonymous quote is from: only a buyer who gave their name is tied to it.
      return q ? { text: q.text, attribution: q.attribution, dealName: q.named ? (data.dealsById.get(r.dealId)?.name ?? '') : '' } : null;
    })
    .filter((q) => q !== null)
    .slice(0, 3);
  // The same deals' gaps, from the rows in hand (the rep's reason is on the deal, the buyer's on the answer).
  const gap = ranked.length
    ? gapOf(
        responses.map((r) => ({ rep: data.dealsById.get(r.dealId)?.repReason ?? '', buyer: r.primaryReason ?? '' })),
        (await loadProgram()).reasons,
      )
    : null;
  const gapLabels = new Map((gap?.reasons ?? []).map((r) => [r.code, r.label]));
  const name = (code: string) => gapLabels.get(code) ?? label(code);
  return {
    similar: ranked
      .slice(0, 6)
      .map((s) => ({ id: s.deal.id, name: s.deal.name, buyerCompany: s.deal.buyerCompany, lostAt: s.deal.lostAt, score: s.score, shares: s.shares })),
    answers: responses.length,
    tooFew: responses.length < minResponses,
    themes,
    quotes,
    gaps: (gap?.differences ?? [])
      .filter((d) => d.count > 0)
      .sort((a, b) => b.count - a.count)
      .slice(0, 3)
      .map((d) => ({ rep: name(d.repReason), buyer: name(d.buyerReason), count: d.count })),
    minResponses,
  };
}
