// Applies the marketers' curation (renames, merges, splits, moved answers, pinned and hidden quotes) to
// the themes a run found, in the order it was made. Kept pure (no database) so that the same code runs
// after every recomputation, after every new curation, and in tests: curation survives the next run
// because it is replayed on themes whose ids the matching step kept stable.
import { clusterAnswers, UNCLEAR_ID, type Theme } from './pipeline/index.ts';
import type { Item } from './items.ts';
import { messages } from './messages.ts';
import type { ThemeQuote, ThemeView } from './types.ts';

export interface CurationStep {
  kind: 'rename' | 'merge' | 'split' | 'move' | 'pin' | 'unpin' | 'hide' | 'unhide';
  themeId?: string | null | undefined;
  into?: string | null | undefined;
  label?: string | null | undefined;
  responseId?: string | null | undefined;
  parts?: { id: string; label: string }[] | null | undefined;
}

/** A theme as stored for matching: the pipeline's, or a curated one. */
export interface StoredTheme {
  id: string;
  label: string;
  terms: string[];
  memberIds: string[];
  quotes: { responseId: string }[];
}

interface Working {
  id: string;
  label: string;
  terms: string[];
  memberIds: string[];
  /** preferred quotes, best first (the pipeline's picks: closest to the theme's centre) */
  quoteIds: string[];
}

export const maxQuotes = 5;
export const minQuotes = 3;
const splitSeed = 1;

/** Two themes from one theme's answers (the pipeline with k = 2), or null when they cannot be split. */
export function splitMembers(memberIds: readonly string[], items: ReadonlyMap<string, Item>, label: string): Theme[] | null {
  const members = memberIds.map((id) => items.get(id)).filter((i): i is Item => i !== undefined);
  const distinct = new Set(members.map((m) => m.text.trim().toLowerCase()));
  if (members.length < 4 || distinct.size < 2) return null;
  let themes: Theme[];
  try {
    themes = clusterAnswers(
      members.map((m) => ({ id: m.id, text: m.text, quotable: m.quotable, named: m.named, ...(m.author ? { author: m.author } : {}) })),
      { k: 2, seed: splitSeed },
    ).themes;
  } catch {
    return null; // the pipeline found no two groups in them (RangeError on k)
  }
  if (themes.length !== 2) return null;
  return themes.map((t) => (t.id === UNCLEAR_ID ? { ...t, label: messages.splitOther(label), terms: [] } : t));
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  const set = new Set(a);
  let inter = 0;
  for (const id of b) if (set.has(id)) inter++;
  const union = set.size + b.length - inter;
  return union === 0 ? 0 : inter / union;
}

function unique<T>(list: readonly T[]): T[] {
  return [...new Set(list)];
}

function words(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length > 2),
  );
}

/** Share of the shorter text's words that the other has too. */
function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size === 0) return 0;
  let inter = 0;
  for (const w of small) if (large.has(w)) inter++;
  return inter / small.size;
}

/**
 * Up to five quotes: pinned ones first, then the pipeline's picks (closest to the theme's centre), then
 * other members; only from buyers who agreed to be quoted, never a hidden one, and no two that say
 * nearly the same thing (unless that is the only way to show three).
 */
function quotesFor(t: Working, items: ReadonlyMap<string, Item>, pinned: readonly string[], hidden: ReadonlySet<string>): ThemeQuote[] {
  const members = new Set(t.memberIds);
  const isPinned = new Set(pinned);
  const order = unique([...pinned.filter((id) => members.has(id)), ...t.quoteIds.filter((id) => members.has(id)), ...t.memberIds]);
  const candidates = order
    .map((id) => items.get(id))
    .filter((item): item is Item => item !== undefined && item.quotable && !hidden.has(item.id) && item.quoteText.trim() !== '');
  const chosen: { item: Item; words: Set<string> }[] = [];
  const taken = new Set<string>();
  for (const strict of [true, false]) {
    for (const item of candidates) {
      // Near-repeats only make up the numbers to the fewest quotes a theme shows.
      if (chosen.length >= (strict ? maxQuotes : minQuotes)) break;
      if (taken.has(item.id)) continue;
      const w = words(item.quoteText);
      const limit = strict && !isPinned.has(item.id) ? 0.5 : 0.99;
      if (chosen.some((c) => overlap(c.words, w) > limit)) continue;
      chosen.push({ item, words: w });
      taken.add(item.id);
    }
  }
  // Pinned first, then in the order of preference.
  const rank = new Map(order.map((id, i) => [id, i]));
  chosen.sort((a, b) => rank.get(a.item.id)! - rank.get(b.item.id)!);
  return chosen.map(({ item }) => ({ responseId: item.id, text: item.quoteText, attribution: item.attribution }));
}

/**
 * The themes with every curation step applied, biggest first and the unclear group last. Members whose
 * answer no longer exists (erased) drop out. `previous` are the curated themes shown before (used to give
 * a re-split theme's parts the same ids as last time).
 */
export function applyCurations(
  raw: readonly StoredTheme[],
  steps: readonly CurationStep[],
  items: ReadonlyMap<string, Item>,
  previous: readonly StoredTheme[] = [],
): ThemeView[] {
  let themes: Working[] = raw.map((t) => ({
    id: t.id,
    label: t.label,
    terms: [...t.terms],
    memberIds: t.memberIds.filter((id) => items.has(id)),
    quoteIds: t.quotes.map((q) => q.responseId),
  }));
  const find = (id: string | null | undefined): Working | undefined => (id ? themes.find((t) => t.id === id) : undefined);
  const pins = new Map<string, boolean>();
  const hides = new Map<string, boolean>();

  for (const step of steps) {
    switch (step.kind) {
      case 'rename': {
        const t = find(step.themeId);
        if (t && t.id !== UNCLEAR_ID && step.label) t.label = step.label;
        break;
      }
      case 'merge': {
        const from = find(step.themeId);
        const into = find(step.into);
        if (!from || !into || from === into || from.id === UNCLEAR_ID || into.id === UNCLEAR_ID) break;
        into.memberIds = unique([...into.memberIds, ...from.memberIds]);
        into.quoteIds = unique([...into.quoteIds, ...from.quoteIds]);
        into.terms = unique([...into.terms, ...from.terms]).slice(0, 10);
        themes = themes.filter((t) => t !== from);
        break;
      }
      case 'split': {
        const t = find(step.themeId);
        const parts = step.parts ?? [];
        if (!t || t.id === UNCLEAR_ID || parts.length !== 2) break;
        const halves = splitMembers(t.memberIds, items, t.label);
        if (!halves) break;
        // Which half is which part: by overlap with the parts as last shown, else in the order found.
        const before = parts.map((p) => previous.find((x) => x.id === p.id)?.memberIds ?? []);
        const [h0, h1] = halves as [Theme, Theme];
        const straight = jaccard(before[0]!, h0.memberIds) + jaccard(before[1]!, h1.memberIds);
        const crossed = jaccard(before[0]!, h1.memberIds) + jaccard(before[1]!, h0.memberIds);
        const ordered = crossed > straight ? [h1, h0] : [h0, h1];
        const replacement: Working[] = parts.map((p, i) => ({
          id: p.id,
          label: p.label,
          terms: [...ordered[i]!.terms],
          memberIds: [...ordered[i]!.memberIds],
          quoteIds: ordered[i]!.quotes.map((q) => q.id),
        }));
        const at = themes.indexOf(t);
        themes = [...themes.slice(0, at), ...replacement, ...themes.slice(at + 1)];
        break;
      }
      case 'move': {
        const into = find(step.into);
        const id = step.responseId;
        if (!into || !id) break;
        const from = themes.find((t) => t.memberIds.includes(id));
        if (!from || from === into) break;
        from.memberIds = from.memberIds.filter((m) => m !== id);
        from.quoteIds = from.quoteIds.filter((m) => m !== id);
        into.memberIds.push(id);
        break;
      }
      case 'pin':
      case 'unpin':
        if (step.responseId) {
          pins.delete(step.responseId); // the latest pin goes first
          pins.set(step.responseId, step.kind === 'pin');
        }
        break;
      case 'hide':
      case 'unhide':
        if (step.responseId) hides.set(step.responseId, step.kind === 'hide');
        break;
    }
  }

  const pinned = [...pins]
    .filter(([, on]) => on)
    .map(([id]) => id)
    .reverse();
  const hidden = new Set([...hides].filter(([, on]) => on).map(([id]) => id));
  const kept = themes.filter((t) => t.memberIds.length > 0);
  const total = kept.reduce((s, t) => s + t.memberIds.length, 0);
  const share = (size: number): number => Math.round((size / Math.max(1, total)) * 10000) / 10000;
  const views: ThemeView[] = kept.map((t) => ({
    id: t.id,
    label: t.label,
    terms: t.terms,
    size: t.memberIds.length,
    share: share(t.memberIds.length),
    quotes: quotesFor(t, items, pinned, hidden),
    memberIds: t.memberIds,
  }));
  views.sort((a, b) => Number(a.id === UNCLEAR_ID) - Number(b.id === UNCLEAR_ID) || b.size - a.size || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return views;
}

/** The pinned and hidden answers after the steps, for the pages' buttons. */
export function quoteMarks(steps: readonly CurationStep[]): { pinned: Set<string>; hidden: Set<string> } {
  const pinned = new Set<string>();
  const hidden = new Set<string>();
  for (const s of steps) {
    if (!s.responseId) continue;
    if (s.kind === 'pin') pinned.add(s.responseId);
    if (s.kind === 'unpin') pinned.delete(s.responseId);
    if (s.kind === 'hide') hidden.add(s.responseId);
    if (s.kind === 'unhide') hidden.delete(s.responseId);
  }
  return { pinned, hidden };
}
