// Which won deals are interviewed: the program's share for the deal's segment, and a draw that is fixed
// per deal (a hash of its source and external id, not a random number), so that the same deal sent again
// (an API retry, a webhook replay, a CSV imported twice, even into another workspace) is sampled the same way.
import { createHash } from 'node:crypto';
import type { Program } from './model.ts';

/** The share (0 to 100) of won deals interviewed in this segment: its own rate, else the program's. */
export function winPercentFor(program: Pick<Program, 'winPercent' | 'winPercentBySegment'>, segment: string | null | undefined): number {
  const key = (segment ?? '').trim().toLowerCase();
  const own = key ? program.winPercentBySegment.find((r) => r.segment.trim().toLowerCase() === key) : undefined;
  return own ? own.percent : program.winPercent;
}

/** Whether the program interviews any won deals at all (a share above 0 anywhere): the pages then show wins beside losses. */
export function interviewsWonDeals(program: Pick<Program, 'winPercent' | 'winPercentBySegment'>): boolean {
  return program.winPercent > 0 || program.winPercentBySegment.some((r) => r.percent > 0);
}

/** Where the deal falls, 0 (inclusive) to 100 (exclusive): the same for the same deal, always. */
export function winDraw(deal: { source: string; externalId: string }): number {
  const digest = createHash('sha256').update(`debrief:win-sample:${deal.source}\u0000${deal.externalId}`).digest();
  return (digest.readUInt32BE(0) / 2 ** 32) * 100;
}

/** Whether a won deal is interviewed at this share: every deal at 100, none at 0, else those whose draw is below it. */
export function sampledIn(deal: { source: string; externalId: string }, percent: number): boolean {
  if (percent >= 100) return true;
  if (percent <= 0) return false;
  return winDraw(deal) < percent;
}
