// The prep brief on an open deal's page: "lessons from similar lost deals", and why we won similar ones.
// Lost (and won) deals that share the open deal's competitor, product line, segment or size band are
// scored by what they share (competitor counts most); their buyers' themes are ranked by the similarity
// of the deals behind them, quotes come from the most similar deals first, and the rep-vs-buyer gaps are
// those of the same deals. A theme on both sides is marked: the open deal is decided on it either way.
import { loadProgram } from '../program/index.ts';
import { gapOf } from './gap.ts';
import { loadDataset, type LostDeal } from './dataset.ts';
import { minResponses, sizeBandOf } from './filters.ts';
import { reasonLabeller } from './service.ts';
import { linkThemes, type ThemeSet } from '../themes/index.ts';
import type { Dataset, ReportResponse } from './dataset.ts';
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

export interface BriefTheme {
  id: string;
  label: string;
  terms: string[];
  answers: number;
  weight: number;
  /** The theme is on the other side too (a loss theme that also won deals, or the other way round). */
  bothSides: boolean;
}

export interface BriefQuote {
  text: string;
  attribution: string;
  dealName: string;
}

export interface PrepBrief {
  similar: SimilarDeal[];
  answers: number;
  tooFew: boolean;
  themes: BriefTheme[];
  quotes: BriefQuote[];
  gaps: { rep: string; buyer: string; count: number }[];
  minResponses: number;
  /** Why we won similar deals: the same ranking over won deals whose buyers were interviewed. */
  wins: { deals: number; answers: number; tooFew: boolean; themes: BriefTheme[]; quotes: BriefQuote[] };
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

interface Side {
  ranked: { deal: LostDeal; score: number; shares: string[] }[];
  scoreOf: Map<string, number>;
  responses: ReportResponse[];
  themes: BriefTheme[];
  quotes: BriefQuote[];
}

/** One side of the brief (lost deals, or won ones): the most similar deals, their answers, themes and quotes. */
async function sideOf(open: OpenDealFacts, data: Dataset, set: ThemeSet, label: (code: string) => string): Promise<Side> {
  const decided = (d: LostDeal) => (d.outcome === 'won' ? d.wonAt : d.lostAt)?.getTime() ?? 0;
  const ranked = data.deals
    .filter((d) => d.id !== String(open._id))
    .map((d) => ({ deal: d, ...similarity(open, d) }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || decided(b.deal) - decided(a.deal))
    .slice(0, maxSimilarDeals);
  const scoreOf = new Map(ranked.map((s) => [s.deal.id, s.score]));
  const responses = data.responses
    .filter((r) => scoreOf.has(r.dealId))
    .sort((a, b) => scoreOf.get(b.dealId)! - scoreOf.get(a.dealId)! || b.submittedAt.getTime() - a.submittedAt.getTime());
  const source = await themeSource(set, responses, label);
  const byId = new Map(responses.map((r) => [r.id, r]));
  const themes = (source?.snapshot.themes ?? [])
    .filter((t) => t.id !== 'unclear')
    .map((t) => {
      const members = t.memberIds.filter((id) => byId.has(id));
      return {
        id: t.id,
        label: t.label,
        terms: t.terms,
        answers: members.length,
        weight: members.reduce((sum, id) => sum + scoreOf.get(byId.get(id)!.dealId)!, 0),
        bothSides: false,
      };
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
  return { ranked, scoreOf, responses, themes, quotes };
}

export async function prepBrief(open: OpenDealFacts): Promise<PrepBrief> {
  const [data, wonData, label] = await Promise.all([loadDataset({}), loadDataset({ outcome: 'won' }), reasonLabeller()]);
  const [lost, won] = await Promise.all([sideOf(open, data, 'reasons', label), sideOf(open, wonData, 'wins', label)]);
  const { ranked, responses, themes, quotes } = lost;
  for (const link of linkThemes(lost.themes, won.themes)) {
    for (const t of lost.themes) if (t.id === link.a) t.bothSides = true;
    for (const t of won.themes) if (t.id === link.b) t.bothSides = true;
  }
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
    wins: { deals: won.ranked.length, answers: won.responses.length, tooFew: won.responses.length < minResponses, themes: won.themes, quotes: won.quotes },
    gaps: (gap?.differences ?? [])
      .filter((d) => d.count > 0)
      .sort((a, b) => b.count - a.count)
      .slice(0, 3)
      .map((d) => ({ rep: name(d.repReason), buyer: name(d.buyerReason), count: d.count })),
    minResponses,
  };
}
