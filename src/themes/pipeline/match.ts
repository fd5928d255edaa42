// Keeps theme ids and names stable across runs: each new theme takes the id and label of the previous
// theme it shares most members with (Jaccard overlap, greedy best pair first), so a marketer's renames,
// merges and pinned quotes keep pointing at the same theme after the next recomputation.
import { UNCLEAR_ID, type Theme } from './types.ts';

export interface PreviousTheme {
  id: string;
  label: string;
  memberIds: readonly string[];
}

export interface MatchOptions {
  /** smallest Jaccard overlap for a new theme to inherit a previous one's id (default 0.3) */
  minOverlap?: number;
}

function jaccard(a: ReadonlySet<string>, b: readonly string[]): number {
  if (a.size === 0 && b.length === 0) return 0;
  let inter = 0;
  for (const id of b) if (a.has(id)) inter++;
  return inter / (a.size + b.length - inter);
}

/**
 * The new themes with ids and labels carried over from the previous run where membership overlaps
 * enough. The unclear group stays "unclear". A new theme whose own id is taken by a carried-over one
 * gets a numbered id. Order and members are those of `next`.
 */
export function matchThemes(previous: readonly PreviousTheme[], next: readonly Theme[], opts: MatchOptions = {}): Theme[] {
  const minOverlap = opts.minOverlap ?? 0.3;
  const prevSets = previous.map((p) => new Set(p.memberIds));
  const pairs: { p: number; n: number; j: number }[] = [];
  next.forEach((t, n) => {
    if (t.id === UNCLEAR_ID) return;
    previous.forEach((p, pi) => {
      if (p.id === UNCLEAR_ID) return;
      const j = jaccard(prevSets[pi] as Set<string>, t.memberIds);
      if (j >= minOverlap) pairs.push({ p: pi, n, j });
    });
  });
  pairs.sort((a, b) => b.j - a.j || a.n - b.n || a.p - b.p);
  const takenPrev = new Set<number>();
  const inherit = new Map<number, PreviousTheme>();
  for (const { p, n } of pairs) {
    if (takenPrev.has(p) || inherit.has(n)) continue;
    takenPrev.add(p);
    inherit.set(n, previous[p] as PreviousTheme);
  }
  const used = new Set<string>([UNCLEAR_ID]);
  for (const p of inherit.values()) used.add(p.id);
  // ids of previous themes that were not matched stay reserved too, so a vanished theme's id is not reused
  for (const p of previous) used.add(p.id);
  return next.map((t, n) => {
    const prev = inherit.get(n);
    if (t.id === UNCLEAR_ID) return { ...t };
    if (prev !== undefined) return { ...t, id: prev.id, label: prev.label };
    let id = t.id;
    for (let i = 2; used.has(id); i++) id = `${t.id}-${i}`;
    used.add(id);
    return { ...t, id };
  });
}
