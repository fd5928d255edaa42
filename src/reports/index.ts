// What other features may use of the reports: the program's figures exactly as the report counts them
// (the overview shows these, so the two pages never disagree), and how a share and the response rate
// are written.
import { loadProgram } from '../program/index.ts';
import { cachedReport } from './cache.ts';
import { parseFilters } from './filters.ts';
import { showsWins } from './outcomes.ts';
import type { Funnel } from './metrics.ts';

export { readable } from './service.ts';
export { responseRateName } from './metrics.ts';
export type { Funnel } from './metrics.ts';

export interface ProgramFigures {
  funnel: Funnel;
  /**
   * Won deals' interviews counted the same way (lostDeals counts won deals), or null when the program
   * interviews no won deals and never asked a won deal's buyer: nothing about wins to show then.
   */
  wins: Funnel | null;
  /** Lost deals per competitor, most first. */
  competitors: { label: string; lostDeals: number }[];
}

/** The unfiltered report's figures (kept between views, see cache.ts). */
export async function programFigures(): Promise<ProgramFigures> {
  const [{ report }, program] = await Promise.all([cachedReport(parseFilters({})), loadProgram()]);
  const wins = showsWins(program, report.wins.funnel) ? report.wins.funnel : null;
  return { funnel: report.funnel, wins, competitors: report.competitors.map((c) => ({ label: c.label, lostDeals: c.lostDeals })) };
}
