// The deal-review report: everything on /reports for one filtered view, computed from one loaded dataset
// (see dataset.ts) plus the latest theme snapshots and the perception gap from the themes feature. Takes
// the parsed filters, never req/res; the charts are built here as SVG strings for the page to place.
import { loadProgram, reasonLabel } from '../program/index.ts';
import { currentTemplate, ratingItems } from '../questionnaires/index.ts';
import { gapOf } from './gap.ts';
import { barChart, scoreChart, sparkline } from './charts.ts';
import { loadDataset, type Dataset } from './dataset.ts';
import { describeFilters, minResponses, sizeBands, type ParsedFilters } from './filters.ts';
import {
  funnel,
  holdOffsByRep,
  lostToCompetitors,
  monthLabel,
  portion,
  ratingsByFactor,
  repLabel,
  type FactorRating,
  type Funnel,
  type Portion,
  type RepHoldOffs,
} from './metrics.ts';
import { restrictSnapshot, themeSection, themeSource, type ThemeSection } from './themes.ts';
import { winSide, type WinSide } from './outcomes.ts';

export interface Option {
  value: string;
  label: string;
}

export interface CompetitorRow {
  label: string;
  lostDeals: number;
  responses: number;
  /** The top themes among this competitor's answers; empty when there are too few to read. */
  themes: { label: string; share: Portion }[];
  tooFew: boolean;
}

export interface GapView {
  pairs: number;
  agree: number;
  agreement: Portion;
  differences: { rep: string; buyer: string; count: number }[];
}

export interface Report {
  filters: ParsedFilters;
  description: string;
  minResponses: number;
  options: { segments: string[]; productLines: string[]; regions: string[]; reps: Option[]; competitors: string[]; sizes: Option[] };
  funnel: Funnel;
  responses: number;
  holdOffs: RepHoldOffs[];
  themes: ThemeSection;
  helped: ThemeSection;
  /** Why we win, beside the loss themes above, with the themes on both sides linked. */
  wins: WinSide;
  competitors: CompetitorRow[];
  gap: GapView;
  ratings: FactorRating[];
  charts: { funnel: string; themes: string; helped: string; competitors: string; ratings: string; holdOffs: string; trends: Record<string, string> };
}

export const percent = (share: number) => `${Math.round(share * 100)}%`;
export const tooFewText = 'too few answers to read';
/** A share as every page writes it: a percentage, or "too few answers to read". */
export const readable = (p: Portion) => (p.share === null ? tooFewText : percent(p.share));

const distinct = (values: (string | null)[]) =>
  [...new Map(values.filter((v): v is string => Boolean(v)).map((v) => [v.toLowerCase(), v])).values()].sort((a, b) => a.localeCompare(b));

export async function reasonLabeller(): Promise<(code: string) => string> {
  return labellerFor(await loadProgram());
}

function labellerFor(program: { reasons: readonly { code: string; label: string }[] }): (code: string) => string {
  const labels = new Map(program.reasons.map((r) => [r.code, r.label]));
  return (code: string) => labels.get(code) ?? reasonLabel(code);
}

async function ratingFactors(): Promise<Option[]> {
  const template = await currentTemplate();
  const fromTemplate = template.questions.find((q) => q.role === 'ratings')?.options ?? [];
  const seen = new Set(fromTemplate.map((o) => o.value));
  return [...fromTemplate, ...ratingItems.filter((o) => !seen.has(o.value))];
}

function gapFor(data: Dataset, taxonomy: readonly { code: string; label: string }[], label: (code: string) => string): GapView {
  const gap = gapOf(
    data.responses.map((r) => ({ rep: data.dealsById.get(r.dealId)?.repReason ?? '', buyer: r.primaryReason ?? '' })),
    taxonomy,
  );
  const labels = new Map(gap.reasons.map((r) => [r.code, r.label]));
  const name = (code: string) => labels.get(code) ?? label(code);
  return {
    pairs: gap.pairs,
    agree: gap.agree,
    agreement: portion(gap.agree, gap.pairs),
    differences: gap.differences
      .filter((d) => d.count > 0)
      .sort((a, b) => b.count - a.count)
      .slice(0, 8)
      .map((d) => ({ rep: name(d.repReason), buyer: name(d.buyerReason), count: d.count })),
  };
}

export async function buildReport(parsed: ParsedFilters): Promise<Report> {
  const [data, program] = await Promise.all([loadDataset(parsed.filters), loadProgram()]);
  const label = labellerFor(program);
  const [reasonsFrom, helpedFrom, factors] = await Promise.all([
    themeSource('reasons', data.responses, label),
    themeSource('helped', data.responses, label),
    ratingFactors(),
  ]);
  const gap = gapFor(data, program.reasons, label);
  const themes = themeSection('reasons', reasonsFrom, data.responses, data);
  const helped = themeSection('helped', helpedFrom, data.responses, data);
  const wins = await winSide(parsed.filters, label, themes);
  // The filter choices: what lost and won deals name.
  const decided = [...data.allDeals, ...wins.allDeals];

  const competitors: CompetitorRow[] = lostToCompetitors(data.deals).map((c) => {
    const ids = new Set(c.dealIds);
    const responses = data.responses.filter((r) => ids.has(r.dealId));
    const tooFew = responses.length < minResponses;
    const section = reasonsFrom && !tooFew ? restrictSnapshot(reasonsFrom.snapshot, responses, data, reasonsFrom.source) : null;
    return {
      label: c.label,
      lostDeals: c.count,
      responses: responses.length,
      tooFew,
      themes: (section?.themes ?? [])
        .filter((t) => t.id !== 'unclear')
        .slice(0, 3)
        .map((t) => ({ label: t.label, share: t.share })),
    };
  });
  const ratings = ratingsByFactor(data.responses, factors);
  const holdOffs = holdOffsByRep(data);
  const f = funnel(data);

  const trends: Record<string, string> = {};
  themes.themes.forEach((t, i) => {
    trends[t.id] = sparkline({
      id: `trend-${i}`,
      title: `${t.label}: share of answers by month`,
      points: t.trend.map((p) => ({ label: monthLabel(p.month), value: p.share })),
    });
  });

  return {
    filters: parsed,
    description: describeFilters(parsed.values),
    minResponses,
    options: {
      segments: distinct(decided.map((d) => d.segment)),
      productLines: distinct(decided.map((d) => d.productLine)),
      regions: distinct(decided.map((d) => d.region)),
      reps: [...new Map(decided.filter((d) => d.ownerEmail).map((d) => [d.ownerEmail!, { value: d.ownerEmail!, label: repLabel(d) }])).values()].sort((a, b) =>
        a.label.localeCompare(b.label),
      ),
      competitors: distinct(decided.map((d) => d.competitor)),
      sizes: sizeBands.map((b) => ({ value: b.code, label: b.label })),
    },
    funnel: f,
    responses: data.responses.length,
    holdOffs,
    themes,
    helped,
    wins,
    competitors,
    gap,
    ratings,
    charts: {
      funnel: barChart({
        id: 'funnel',
        title: 'Response funnel',
        rows: [
          { label: 'Lost deals', value: f.lostDeals, display: String(f.lostDeals) },
          { label: 'Invited', value: f.invited, display: String(f.invited) },
          { label: 'Opened', value: f.opened, display: String(f.opened) },
          { label: 'Completed', value: f.completed, display: String(f.completed) },
          { label: 'Declined', value: f.declined, display: String(f.declined) },
          { label: 'Expired', value: f.expired, display: String(f.expired) },
        ],
      }),
      themes: barChart({
        id: 'themes',
        title: 'Themes in buyers’ reasons, by share of answers',
        max: 1,
        rows: themes.themes.map((t) => ({ label: t.label, value: t.share.share, display: readable(t.share) })),
      }),
      helped: barChart({
        id: 'helped',
        title: 'What buyers missed, by share of answers',
        max: 1,
        rows: helped.themes.map((t) => ({ label: t.label, value: t.share.share, display: readable(t.share) })),
      }),
      competitors: barChart({
        id: 'competitors',
        title: 'Lost deals by competitor',
        rows: competitors.map((c) => ({ label: c.label, value: c.lostDeals, display: String(c.lostDeals) })),
      }),
      ratings: scoreChart({
        id: 'ratings',
        title: 'How buyers rated us against the vendor they chose',
        rows: ratings.map((r) => ({ label: r.label, value: r.average, answers: r.answers })),
      }),
      holdOffs: barChart({
        id: 'holdoffs',
        title: 'Hold-off rate by rep',
        max: 1,
        rows: holdOffs.map((h) => ({
          label: h.rep,
          value: h.rate.share,
          display: h.rate.share === null ? `too few interviews (${h.interviews})` : `${percent(h.rate.share)} (${h.heldOff} of ${h.interviews})`,
        })),
      }),
      trends,
    },
  };
}
