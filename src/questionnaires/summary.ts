// The response's summary fields (primaryReason, chosenVendor, ratings, whyText...) read from the answers
// through each question's role: the themes, reports and overview pages read these fields, whatever the
// template looks like.
import type { QuotePermission } from './types.ts';
import type { Question, QuestionRole, TemplateVersion } from './model.ts';
import { isRatingAnswer, isTextAnswer, isVendorAnswer, type Answer, type Answers } from './schemas.ts';

export interface ResponseSummary {
  primaryReason?: string;
  contributing?: string[];
  ratings: Record<string, number>;
  chosenVendor?: string;
  stage?: string;
  whyText?: string;
  wouldHaveChangedText?: string;
  missingInfoText?: string;
  participants?: string[];
  considerAgain?: string;
  callConsent?: boolean;
  quotePermission: QuotePermission;
  /** Each text's own choice: a buyer may give their name for one answer and not for another. */
  textUses: { whyText?: QuotePermission; wouldHaveChangedText?: QuotePermission; missingInfoText?: QuotePermission };
}

const restrictiveness: QuotePermission[] = ['named', 'anonymous', 'internal'];

function text(a: Answer | undefined): string | undefined {
  return isTextAnswer(a) ? a.text : undefined;
}

function use(a: Answer | undefined): QuotePermission | undefined {
  const u = isTextAnswer(a) ? a.use : undefined;
  return u === 'named' || u === 'anonymous' || u === 'internal' ? u : undefined;
}

function single(a: Answer | undefined): string | undefined {
  return typeof a === 'string' ? a : undefined;
}

function list(a: Answer | undefined): string[] | undefined {
  return Array.isArray(a) ? [...a] : undefined;
}

function vendor(q: Question, a: Answer | undefined): string | undefined {
  if (typeof a === 'string') return q.type === 'single' ? (q.options.find((o) => o.value === a)?.label ?? a) : undefined;
  if (isVendorAnswer(a)) {
    const choice = a.choice;
    return choice === 'other' ? a.other : (q.options.find((o) => o.value === choice)?.label ?? choice);
  }
  return text(a);
}

export function summarize(template: Pick<TemplateVersion, 'questions'>, answers: Answers): ResponseSummary {
  const byRole = new Map<QuestionRole, Question>(template.questions.filter((q) => q.role !== 'none').map((q) => [q.role, q]));
  const answerOf = (role: QuestionRole) => {
    const q = byRole.get(role);
    return q ? answers[q.id] : undefined;
  };
  const ratingAnswer = answerOf('ratings');
  const ratings: Record<string, number> = {};
  if (isRatingAnswer(ratingAnswer)) {
    for (const [item, score] of Object.entries(ratingAnswer)) if (typeof score === 'number' && score > 0) ratings[item] = score;
  }
  const vendorQuestion = byRole.get('chosenVendor');
  const consent = single(answerOf('callConsent'));
  // The quote shown on the overview is the "why" answer: its own choice decides; without one, the most
  // careful choice the buyer made on any text answer.
  const uses = template.questions.map((q) => use(answers[q.id])).filter((u): u is QuotePermission => u !== undefined);
  const quotePermission = use(answerOf('whyText')) ?? uses.sort((a, b) => restrictiveness.indexOf(b) - restrictiveness.indexOf(a))[0] ?? 'internal';
  const textUses: ResponseSummary['textUses'] = {};
  for (const [field, role] of [
    ['whyText', 'whyText'],
    ['wouldHaveChangedText', 'wouldHaveChanged'],
    ['missingInfoText', 'missingInfo'],
  ] as const) {
    // A text whose buyer chose nothing is for the team only, as the form's own default says.
    if (text(answerOf(role)) !== undefined) textUses[field] = use(answerOf(role)) ?? 'internal';
  }
  const out: ResponseSummary = { ratings, quotePermission, textUses };
  const set = <K extends keyof ResponseSummary>(key: K, value: ResponseSummary[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set('primaryReason', single(answerOf('primaryReason')));
  set('contributing', list(answerOf('contributing')));
  set('chosenVendor', vendorQuestion ? vendor(vendorQuestion, answers[vendorQuestion.id]) : undefined);
  set('stage', single(answerOf('stage')));
  set('whyText', text(answerOf('whyText')));
  set('wouldHaveChangedText', text(answerOf('wouldHaveChanged')));
  set('missingInfoText', text(answerOf('missingInfo')));
  set('participants', list(answerOf('participants')));
  set('considerAgain', single(answerOf('considerAgain')));
  set('callConsent', consent === undefined ? undefined : consent === 'yes');
  return out;
}
