// Answers as people read them: option labels instead of codes, "3 of 5" for ratings, the vendor named.
// Returns plain strings; the pages escape them when they show them.
import type { Question } from './model.ts';
import type { QuotePermission } from './types.ts';
import { isRatingAnswer, isTextAnswer, isVendorAnswer, type Answer } from './schemas.ts';

export const quoteUseLabels: Record<string, string> = {
  named: 'may be quoted by name',
  anonymous: 'may be quoted anonymously',
  internal: 'internal only',
};

export interface PresentedAnswer {
  question: string;
  lines: string[];
  /** For free text: how the buyer allowed it to be used. */
  use?: string;
}

function label(q: Question, value: string): string {
  return q.options.find((o) => o.value === value)?.label ?? value;
}

/** How free text may be shown where it is presented: src/disclosure's showAnswer for that audience. */
export type ShowText = (text: string, use: QuotePermission) => string;

/** `showText`: how this page or file may show a free-text answer (the caller asks src/disclosure). */
export function presentAnswer(q: Question, a: Answer | undefined | null, showText: ShowText): PresentedAnswer {
  const out: PresentedAnswer = { question: q.label, lines: [] };
  if (a === undefined || a === null) return out;
  if (typeof a === 'string') out.lines = [q.type === 'yes_no' ? (a === 'yes' ? 'Yes' : 'No') : label(q, a)];
  else if (Array.isArray(a)) out.lines = a.map((v) => label(q, v));
  else if (isTextAnswer(a)) {
    // A text whose buyer chose nothing is for the team only, as the form's own default says.
    const use: QuotePermission = a.use === 'named' || a.use === 'anonymous' ? a.use : 'internal';
    out.lines = [showText(a.text, use)];
    if (typeof a.use === 'string') out.use = quoteUseLabels[a.use] ?? a.use;
  } else if (isVendorAnswer(a)) out.lines = [a.choice === 'other' ? (a.other ?? 'Another vendor') : label(q, a.choice)];
  else if (isRatingAnswer(a)) out.lines = Object.entries(a).map(([item, score]) => `${label(q, item)}: ${score ? `${score} of 5` : 'no view'}`);
  return out;
}
