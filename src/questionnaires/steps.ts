// Splits a questionnaire into the form's steps: a few questions a step, so a phone screen holds one step
// and every "Next" saves. A rating grid or a long text weighs more than a choice.
import type { Question, QuestionType } from './model.ts';

const weights: Record<QuestionType, number> = { single: 1, multi: 1, competitor: 1, yes_no: 1, short_text: 1, long_text: 2, rating: 3 };
const capacity = 4;

export function steps(questions: readonly Question[]): Question[][] {
  const out: Question[][] = [];
  let current: Question[] = [];
  let load = 0;
  for (const q of questions) {
    const w = weights[q.type];
    if (current.length > 0 && load + w > capacity) {
      out.push(current);
      current = [];
      load = 0;
    }
    current.push(q);
    load += w;
  }
  if (current.length > 0) out.push(current);
  return out;
}
