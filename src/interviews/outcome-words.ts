// How pages, emails and timeline notes name the decision an interview is about: a loss or a win. One
// place, so that a win interview is never told "after the loss" in one corner and "after the win" in another.
import { outcomeOf, type DealOutcome } from './model.ts';

export interface OutcomeWords {
  outcome: DealOutcome;
  /** The short tag beside an interview in lists: "Lost deal" / "Won deal". */
  tag: string;
  /** The decision as a noun: "the loss" / "the win". */
  decision: string;
  /** The deal's state after it: "lost" / "won". */
  decided: string;
}

const words: Record<DealOutcome, OutcomeWords> = {
  lost: { outcome: 'lost', tag: 'Lost deal', decision: 'the loss', decided: 'lost' },
  won: { outcome: 'won', tag: 'Won deal', decision: 'the win', decided: 'won' },
};

/** The words for an outcome, or for an interview (one stored before wins were interviewed is a loss). */
export function outcomeWords(of: DealOutcome | { outcome?: string | null } | null | undefined): OutcomeWords {
  return words[typeof of === 'string' ? of : outcomeOf(of)];
}
