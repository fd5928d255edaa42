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

/** A theme as linkThemes compares it across outcomes: its name and its distinctive words. */
export interface LinkableTheme {
  id: string;
  label: string;
  terms: readonly string[];
}

export interface ThemeLink {
  /** the theme's id on each side */
  a: string;
  b: string;
  /** 1 for the same id or name, else the overlap of their words */
  score: number;
}

/** A theme's words: its terms and its name's, lower-case, without short words. */
function wordsOf(t: LinkableTheme): Set<string> {
  const words = [t.label, ...t.terms]
    .join(' ')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 3);
  return new Set(words);
}

function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let inter = 0;
  for (const w of a) if (b.has(w)) inter++;
  return inter / (a.size + b.size - inter);
}

/**
 * Links the themes of two sets that are about the same thing (why we lose, why we win): the same id (a
 * reason both sides were seeded with), the same name, or enough words in common (Jaccard over name and
 * terms). Greedy, best pair first, each theme in one link at most; the unclear groups are never linked.
 */
export function linkThemes(a: readonly LinkableTheme[], b: readonly LinkableTheme[], opts: MatchOptions = {}): ThemeLink[] {
  const minOverlap = opts.minOverlap ?? 0.3;
  const wordsB = b.map(wordsOf);
  const pairs: ThemeLink[] = [];
  for (const ta of a) {
    if (ta.id === UNCLEAR_ID) continue;
    const wa = wordsOf(ta);
    b.forEach((tb, i) => {
      if (tb.id === UNCLEAR_ID) return;
      const same = ta.id === tb.id || ta.label.trim().toLowerCase() === tb.label.trim().toLowerCase();
      const score = same ? 1 : overlap(wa, wordsB[i]!);
      if (score >= minOverlap) pairs.push({ a: ta.id, b: tb.id, score });
    });
  }
  pairs.sort((x, y) => y.score - x.score || x.a.localeCompare(y.a) || x.b.localeCompare(y.b));
  const takenA = new Set<string>();
  const takenB = new Set<string>();
  const links: ThemeLink[] = [];
  for (const p of pairs) {
    if (takenA.has(p.a) || takenB.has(p.b)) continue;
    takenA.add(p.a);
    takenB.add(p.b);
    links.push(p);
  }
  return links;
}
