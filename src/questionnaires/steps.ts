// Splits a questionnaire into the form's steps: a few questions a step, so a phone screen holds one step
// and every "Next" saves. A rating grid or a long text weighs more than a choice.
import { applies, controllerOf } from './conditions.ts';
import type { Question, QuestionType, TemplateVersion } from './model.ts';
import type { Answers } from './schemas.ts';

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

/**
 * The steps this buyer goes through, given their answers: the same split, without the questions that do
 * not apply to them (conditions.ts), and without a step left empty by that. A question whose deciding
 * question is on its own step stays: the page shows or hides it as the buyer answers (with JavaScript, or
 * the stylesheet without), and what it holds is dropped if it does not apply.
 */
export function visibleSteps(template: Pick<TemplateVersion, 'questions'>, answers: Answers): Question[][] {
  return steps(template.questions)
    .map((step) => step.filter((q) => applies(q, template, answers) || step.includes(controllerOf(q, template)!)))
    .filter((step) => step.length > 0);
}
