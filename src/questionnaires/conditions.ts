// Which questions apply to a buyer, given their answers so far. One rule, by role: the ratings against
// "the vendor you chose" are asked only when the buyer named a vendor. A buyer who chose none (kept what
// they had, decided not to buy) or built it themselves has no vendor to compare us with. Until the vendor
// question is answered, the ratings apply (nothing says they do not).
import type { Question, TemplateVersion } from './model.ts';
import { isTextAnswer, isVendorAnswer, type Answer, type Answers } from './schemas.ts';

/** Options of a vendor question that name no vendor (the default questionnaire's codes). */
export const noVendorChoices: readonly string[] = ['none', 'in_house'];

/** Whether this answer to the vendor question names a vendor; undefined while it is unanswered. */
export function namesVendor(q: Question, a: Answer | undefined | null): boolean | undefined {
  if (a === undefined || a === null) return undefined;
  if (isVendorAnswer(a)) return a.choice === 'other' ? Boolean(a.other) : !noVendorChoices.includes(a.choice);
  if (typeof a === 'string') return q.type === 'single' ? !noVendorChoices.includes(a) : a.trim() !== '';
  if (isTextAnswer(a)) return a.text.trim() !== '';
  return undefined;
}

/** The question whose answer decides whether `q` is asked, if any. */
export function controllerOf(q: Question, template: Pick<TemplateVersion, 'questions'>): Question | null {
  if (q.role !== 'ratings') return null;
  return template.questions.find((x) => x.role === 'chosenVendor' && x.id !== q.id) ?? null;
}

/** Whether the buyer is asked `q`, given these answers. */
export function applies(q: Question, template: Pick<TemplateVersion, 'questions'>, answers: Answers | Record<string, Answer | undefined>): boolean {
  const controller = controllerOf(q, template);
  if (!controller) return true;
  return namesVendor(controller, answers[controller.id]) !== false;
}

/** The answers without those to questions that no longer apply (a buyer who changed their vendor to "none"). */
export function applicableAnswers(template: Pick<TemplateVersion, 'questions'>, answers: Answers): Answers {
  const dropped = template.questions.filter((q) => answers[q.id] !== undefined && !applies(q, template, answers));
  if (dropped.length === 0) return answers;
  const kept = { ...answers };
  for (const q of dropped) delete kept[q.id];
  return kept;
}
