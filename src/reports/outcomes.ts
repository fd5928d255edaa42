// Why we win beside why we lose: the won deals' view of the same filters (their own dataset, outcome
// 'won'), their themes (the 'wins' set, or their buyers' main reasons until a themes run), and the themes
// that appear on both sides, linked (src/themes/pipeline's linkThemes: same reason, same name or enough
// words in common), with how often each decided a win and a loss. The min-N guard applies to each side.
import { interviewsWonDeals, type Program } from '../program/index.ts';
import { linkThemes } from '../themes/index.ts';
import { loadDataset, type Dataset, type LostDeal } from './dataset.ts';
import type { ReportFilters } from './filters.ts';
import { funnel, portion, type Funnel, type Portion } from './metrics.ts';
import { themeSection, themeSource, type ThemeSection } from './themes.ts';

export interface LinkedTheme {
  /** the theme's name on the loss side */
  label: string;
  winLabel: string;
  lossId: string;
  winId: string;
  /** answers in the theme on each side (how often it decided a win, a loss), and its share there */
  losses: number;
  wins: number;
  lossShare: Portion;
  winShare: Portion;
}

export interface WinSide {
  /** The won deals in the view, and how their interviews went (lostDeals counts won deals here). */
  funnel: Funnel;
  responses: number;
  themes: ThemeSection;
  /** Themes on both sides, the most decisive (most answers on both sides together) first. */
  linked: LinkedTheme[];
  /** Every won deal before filters (the filter choices name their segments and competitors too). */
  allDeals: readonly LostDeal[];
  /** The rep's reason for each win against the buyer's, as the report's loss gap does. */
  gap: { pairs: number; agree: number; agreement: Portion };
}

/**
 * Whether the overview and the digest show won deals beside lost ones: once the program interviews won
 * deals, or while buyers of won deals it once asked are still counted; never in a program without wins.
 */
export function showsWins(program: Pick<Program, 'winPercent' | 'winPercentBySegment'>, wins: Pick<Funnel, 'invited'>): boolean {
  return interviewsWonDeals(program) || wins.invited > 0;
}

export async function loadWinDataset(filters: ReportFilters): Promise<Dataset> {
  return loadDataset({ ...filters, outcome: 'won' });
}

/** Links the two sides' themes; for each loss theme id and win theme id, the link it is in. */
export function linkSides(lose: ThemeSection, win: ThemeSection): LinkedTheme[] {
  const links = linkThemes(lose.themes, win.themes);
  const lossById = new Map(lose.themes.map((t) => [t.id, t]));
  const winById = new Map(win.themes.map((t) => [t.id, t]));
  return links
    .map((l) => {
      const a = lossById.get(l.a)!;
      const b = winById.get(l.b)!;
      return { label: a.label, winLabel: b.label, lossId: a.id, winId: b.id, losses: a.size, wins: b.size, lossShare: a.share, winShare: b.share };
    })
    .sort((x, y) => y.wins + y.losses - (x.wins + x.losses) || x.label.localeCompare(y.label));
}

/** The won side of the report for these filters, linked to the loss side's themes. */
export async function winSide(filters: ReportFilters, label: (code: string) => string, lose: ThemeSection): Promise<WinSide> {
  const data = await loadWinDataset(filters);
  const themes = themeSection('wins', await themeSource('wins', data.responses, label), data.responses, data);
  const pairs = data.responses
    .map((r) => ({ rep: data.dealsById.get(r.dealId)?.repReason ?? '', buyer: r.primaryReason ?? '' }))
    .filter((p) => p.rep !== '' && p.buyer !== '');
  const agree = pairs.filter((p) => p.rep === p.buyer).length;
  return {
    funnel: funnel(data),
    responses: data.responses.length,
    themes,
    linked: linkSides(lose, themes),
    allDeals: data.allDeals,
    gap: { pairs: pairs.length, agree, agreement: portion(agree, pairs.length) },
  };
}
