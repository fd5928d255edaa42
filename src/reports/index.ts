// What other features may use of the reports: the program's figures exactly as the report counts them
// (the overview shows these, so the two pages never disagree), and how a share and the response rate
// are written.
import { cachedReport } from './cache.ts';
import { parseFilters } from './filters.ts';
import type { Funnel } from './metrics.ts';

export { readable } from './service.ts';
export { responseRateName } from './metrics.ts';
export type { Funnel } from './metrics.ts';

export interface ProgramFigures {
  funnel: Funnel;
  /** Lost deals per competitor, most first. */
  competitors: { label: string; lostDeals: number }[];
}

/** The unfiltered report's figures (kept between views, see cache.ts). */
export async function programFigures(): Promise<ProgramFigures> {
  const { report } = await cachedReport(parseFilters({}));
  return { funnel: report.funnel, competitors: report.competitors.map((c) => ({ label: c.label, lostDeals: c.lostDeals })) };
}
