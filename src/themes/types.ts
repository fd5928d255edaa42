// The shapes of loss themes that the pipeline's callers, curation, snapshots, pages and reports share. A
// leaf: curate.ts and items.ts name them without importing snapshots.ts, which runs both.

/**
 * buyers' reasons (whyText + wouldHaveChangedText), what would have helped (missingInfoText), reps' own
 * notes (deal.repReason.note): of lost deals; wins: won deals' buyers' reasons (the same two texts). Each
 * set belongs to one outcome (setOutcome), so its snapshots are themes of that outcome.
 */
export const themeSets = ['reasons', 'helped', 'reps', 'wins'] as const;
export type ThemeSet = (typeof themeSets)[number];

/** Which decisions a theme set's answers are about. */
export const setOutcome: Readonly<Record<ThemeSet, 'won' | 'lost'>> = { reasons: 'lost', helped: 'lost', reps: 'lost', wins: 'won' };

/** attribution: "Jordan Rivera, CFO, Northwind" with named consent, "A buyer at a mid-market company" if anonymous; internal-only answers are never quoted (src/disclosure) */
export interface ThemeQuote {
  responseId: string;
  text: string;
  attribution: string;
}

/** memberIds: response ids (for 'reps': deal ids) */
export interface ThemeView {
  id: string;
  label: string;
  terms: string[];
  size: number;
  share: number;
  quotes: ThemeQuote[];
  memberIds: string[];
}
