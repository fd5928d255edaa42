// The report's view of the themes: the latest snapshot of a theme set (src/themes), restricted to the
// answers in the filtered view and recounted, so a filter changes the numbers. Until the themes run has
// made a 'reasons' snapshot, the buyers' primary reasons stand in for themes (the taxonomy is what the
// pipeline falls back to with few answers as well).
import { partsOf, showAnswer, type TextField } from '../disclosure/index.ts';
import { latestSnapshot, type SnapshotView, type ThemeQuote, type ThemeSet } from '../themes/index.ts';
import type { Dataset, ReportResponse } from './dataset.ts';
import { minResponses } from './filters.ts';
import { monthOf, portion, type Portion } from './metrics.ts';

export interface TrendPoint {
  month: string;
  count: number;
  of: number;
  share: number | null;
}

export interface ReportTheme {
  id: string;
  label: string;
  terms: string[];
  size: number;
  share: Portion;
  quotes: ThemeQuote[];
  memberIds: string[];
  trend: TrendPoint[];
}

export interface ThemeSection {
  set: ThemeSet;
  /** 'snapshot': the themes run's themes; 'reasons': grouped by the buyers' primary reason. */
  source: 'snapshot' | 'reasons' | 'none';
  asOf: Date | null;
  /** Answers in the view that the themes cover. */
  total: number;
  /** Answers in the view newer than the snapshot (not in any theme yet). */
  notYet: number;
  /** The snapshot had few answers, so its themes are the loss reasons (the pipeline's seeds). */
  seeded: boolean;
  themes: ReportTheme[];
  months: string[];
}

const maxQuotes = 3;
const maxMonths = 12;

/** A buyer's words as a quote, if they allowed quoting (src/disclosure decides how). */
export function quoteOf(
  r: ReportResponse,
  fields: readonly TextField[],
  data: Pick<Dataset, 'dealsById' | 'interviewsById'>,
): (ThemeQuote & { named: boolean }) | null {
  const deal = data.dealsById.get(r.dealId);
  const interview = data.interviewsById.get(r.interviewId);
  const buyer = {
    name: interview?.contactName,
    role: interview?.contactRole,
    email: interview?.contactEmail,
    company: deal?.buyerCompany,
    segment: deal?.segment,
  };
  const shown = showAnswer({ parts: partsOf(r, fields), buyer }, 'quote');
  return shown ? { responseId: r.id, text: shown.text, attribution: shown.attribution, named: shown.named } : null;
}

/** The answers a theme set is made of: the buyers' reasons and what would have changed them, or what they missed. */
export function fieldsFor(set: ThemeSet): TextField[] {
  return set === 'helped' ? ['missingInfoText'] : ['whyText', 'wouldHaveChangedText'];
}

/** Sets whose themes stand in from the buyers' primary reasons until a themes run has made some. */
const reasonFallback: readonly ThemeSet[] = ['reasons', 'wins'];

/** The months of the view's answers (at most the last 12), oldest first. */
export function monthsOf(responses: readonly ReportResponse[]): string[] {
  return [...new Set(responses.map((r) => monthOf(r.submittedAt)))].sort().slice(-maxMonths);
}

/**
 * Restricts a snapshot's themes to the answers in `responses` and recounts them: sizes, shares (of the
 * answers the snapshot covers), the trend by month of answer, and 2 or 3 quotes from the view.
 */
export function restrictSnapshot(
  snapshot: Pick<SnapshotView, 'set' | 'asOf' | 'themes'> & { method?: string },
  responses: readonly ReportResponse[],
  data: Pick<Dataset, 'dealsById' | 'interviewsById'>,
  source: ThemeSection['source'] = 'snapshot',
): ThemeSection {
  const inView = new Map(responses.map((r) => [r.id, r]));
  const covered = new Set<string>();
  for (const t of snapshot.themes) for (const id of t.memberIds) if (inView.has(id)) covered.add(id);
  const coveredResponses = responses.filter((r) => covered.has(r.id));
  const months = monthsOf(coveredResponses);
  const perMonth = new Map<string, number>();
  for (const r of coveredResponses) perMonth.set(monthOf(r.submittedAt), (perMonth.get(monthOf(r.submittedAt)) ?? 0) + 1);
  const total = covered.size;
  const themes = snapshot.themes
    .map((t): ReportTheme => {
      const members = t.memberIds.filter((id) => inView.has(id));
      const memberSet = new Set(members);
      const quotes = t.quotes.filter((q) => memberSet.has(q.responseId)).slice(0, maxQuotes);
      for (const id of members) {
        if (quotes.length >= maxQuotes) break;
        if (quotes.some((q) => q.responseId === id)) continue;
        const r = inView.get(id)!;
        const q = quoteOf(r, fieldsFor(snapshot.set), data);
        if (q) quotes.push({ responseId: q.responseId, text: q.text, attribution: q.attribution });
      }
      const byMonth = new Map<string, number>();
      for (const id of members) {
        const m = monthOf(inView.get(id)!.submittedAt);
        byMonth.set(m, (byMonth.get(m) ?? 0) + 1);
      }
      const trend = months.map((month) => {
        const of = perMonth.get(month) ?? 0;
        const count = byMonth.get(month) ?? 0;
        return { month, count, of, share: of >= minResponses ? count / of : null };
      });
      return { id: t.id, label: t.label, terms: t.terms, size: members.length, share: portion(members.length, total), quotes, memberIds: members, trend };
    })
    .filter((t) => t.size > 0)
    // By share, most first; the pipeline's "unclear" group last whatever its size.
    .sort((a, b) => Number(a.id === 'unclear') - Number(b.id === 'unclear') || b.size - a.size || a.label.localeCompare(b.label));
  const newest = snapshot.asOf.getTime();
  const notYet =
    source === 'snapshot'
      ? responses.filter((r) => !covered.has(r.id) && r.submittedAt.getTime() > newest && (snapshot.set === 'helped' ? r.missingInfoText : r.whyText)).length
      : 0;
  return {
    set: snapshot.set,
    source,
    asOf: source === 'snapshot' ? snapshot.asOf : null,
    total,
    notYet,
    seeded: source === 'snapshot' && snapshot.method === 'seeds',
    themes,
    months,
  };
}

/** Themes from the buyers' primary reasons, for when no themes run has happened yet. */
export function reasonThemes(
  responses: readonly ReportResponse[],
  label: (code: string) => string,
  set: ThemeSet = 'reasons',
): Pick<SnapshotView, 'set' | 'asOf' | 'themes'> {
  const groups = new Map<string, string[]>();
  for (const r of responses) {
    if (!r.primaryReason) continue;
    groups.set(r.primaryReason, [...(groups.get(r.primaryReason) ?? []), r.id]);
  }
  return {
    set,
    asOf: new Date(),
    themes: [...groups].map(([code, ids]) => ({
      id: `reason:${code}`,
      label: label(code),
      terms: [],
      size: ids.length,
      share: ids.length / Math.max(1, responses.length),
      quotes: [],
      memberIds: ids,
    })),
  };
}

export interface ThemeSource {
  source: 'snapshot' | 'reasons';
  snapshot: Pick<SnapshotView, 'set' | 'asOf' | 'themes'> & { method?: string };
}

/** Where a set's themes come from: the latest snapshot, else (for 'reasons' and 'wins') the primary reasons; or null. */
export async function themeSource(set: ThemeSet, responses: readonly ReportResponse[], label: (code: string) => string): Promise<ThemeSource | null> {
  const snapshot = await latestSnapshot(set);
  if (snapshot) return { source: 'snapshot', snapshot };
  if (reasonFallback.includes(set)) return { source: 'reasons', snapshot: reasonThemes(responses, label, set) };
  return null;
}

/** The themes section of a set for the answers in view. */
export function themeSection(
  set: ThemeSet,
  from: ThemeSource | null,
  responses: readonly ReportResponse[],
  data: Pick<Dataset, 'dealsById' | 'interviewsById'>,
): ThemeSection {
  if (!from) return { set, source: 'none', asOf: null, total: 0, notYet: 0, seeded: false, themes: [], months: [] };
  return restrictSnapshot(from.snapshot, responses, data, from.source);
}
