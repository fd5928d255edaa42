// Two kinds of schema. templateQuestions validates a template as marketers save it. answersSchema is
// DERIVED from one template version: the page renders the same questions the schema checks, so the
// form and the server agree on every field, option and length. Unknown fields are refused, texts are
// capped, choices must be among the options.
import { z } from 'zod';
import { quotePermissions } from '../interviews/model.ts';
import { questionRoles, questionTypes, type Question, type QuestionRole, type QuestionType, type TemplateVersion } from './model.ts';

export const limits = {
  shortText: 300,
  longText: 5000,
  otherVendor: 200,
  notes: 5000,
  questions: 40,
  options: 40,
  scaleMax: 5,
} as const;

export const questionIdPattern = /^[a-z][a-z0-9_]{0,39}$/;
export const optionValuePattern = /^[a-z0-9][a-z0-9_-]{0,59}$/;

export const choiceTypes: readonly QuestionType[] = ['single', 'multi', 'competitor', 'rating'];
export const textTypes: readonly QuestionType[] = ['short_text', 'long_text'];

/** The question types a role's summary field can be read from. */
export const typesForRole: Record<QuestionRole, readonly QuestionType[]> = {
  none: questionTypes,
  primaryReason: ['single'],
  contributing: ['multi'],
  ratings: ['rating'],
  chosenVendor: ['competitor', 'single', 'short_text'],
  stage: ['single'],
  whyText: ['short_text', 'long_text'],
  wouldHaveChanged: ['short_text', 'long_text'],
  missingInfo: ['short_text', 'long_text'],
  participants: ['multi'],
  considerAgain: ['single', 'yes_no'],
  callConsent: ['yes_no'],
};

export const roleLabels: Record<QuestionRole, string> = {
  none: 'No summary field',
  primaryReason: 'Primary reason',
  contributing: 'Contributing factors',
  ratings: 'Ratings against the chosen vendor',
  chosenVendor: 'Vendor chosen',
  stage: 'Stage we fell behind',
  whyText: 'Why, in their words (quotes)',
  wouldHaveChanged: 'What would have changed the outcome',
  missingInfo: 'Information they missed',
  participants: 'Who took part',
  considerAgain: 'Would consider us again',
  callConsent: 'Consent to a call',
};

export const typeLabels: Record<QuestionType, string> = {
  single: 'Single choice',
  multi: 'Multiple choice',
  rating: 'Rating scale (1 to 5 per item)',
  competitor: 'Vendor picker with “other”',
  short_text: 'Short text',
  long_text: 'Long text',
  yes_no: 'Yes or no',
};

const option = z
  .object({
    value: z.string().regex(optionValuePattern, 'An option code uses lower-case letters, digits, - and _ (such as product_fit).'),
    label: z.string().trim().min(1, 'Give each option a label.').max(200, 'Keep option labels to 200 characters.'),
  })
  .strict();

export const questionInput = z
  .object({
    id: z.string().regex(questionIdPattern, 'A question id uses lower-case letters, digits and _.'),
    type: z.enum(questionTypes, { error: 'Choose a question type.' }),
    role: z.enum(questionRoles, { error: 'Choose a summary field.' }),
    label: z.string().trim().min(1, 'Write the question.').max(300, 'Keep the question to 300 characters.'),
    hint: z.string().trim().max(500, 'Keep the hint to 500 characters.'),
    required: z.boolean(),
    options: z.array(option).max(limits.options, `At most ${limits.options} options.`),
    scaleLow: z.string().trim().max(60, 'Keep scale labels to 60 characters.'),
    scaleHigh: z.string().trim().max(60, 'Keep scale labels to 60 characters.'),
    quoteUse: z.boolean(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (!typesForRole[q.role].includes(q.type)) {
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: `A “${roleLabels[q.role]}” question must be: ${typesForRole[q.role].map((t) => typeLabels[t]).join(', ')}.`,
      });
    }
    if (choiceTypes.includes(q.type)) {
      const min = q.type === 'competitor' || q.type === 'rating' ? 1 : 2;
      if (q.options.length < min)
        ctx.addIssue({
          code: 'custom',
          path: ['options'],
          message: min === 1 ? 'List at least one option, one a line.' : 'List at least two options, one a line.',
        });
      const values = q.options.map((o) => o.value);
      const dup = values.find((v, i) => values.indexOf(v) !== i);
      if (dup) ctx.addIssue({ code: 'custom', path: ['options'], message: `The option code “${dup}” is used twice.` });
      if (q.type === 'competitor' && values.includes('other'))
        ctx.addIssue({ code: 'custom', path: ['options'], message: '“other” is added by itself: use another code.' });
    } else if (q.options.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: 'Only choice and rating questions have options: leave this empty.' });
    }
    if (q.quoteUse && !textTypes.includes(q.type)) ctx.addIssue({ code: 'custom', path: ['quoteUse'], message: 'Only text answers can be quoted.' });
  });

export const templateQuestions = z
  .array(questionInput)
  .min(1, 'Keep at least one question.')
  .max(limits.questions, `At most ${limits.questions} questions.`)
  .superRefine((qs, ctx) => {
    const ids = qs.map((q) => q.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `The question id “${id}” is used twice.` });
    });
    const roles = qs.map((q) => q.role);
    roles.forEach((role, i) => {
      if (role !== 'none' && roles.indexOf(role) !== i)
        ctx.addIssue({ code: 'custom', path: [i, 'role'], message: `Only one question can fill “${roleLabels[role]}”.` });
    });
  });

// --- answers, derived from a template version ---

export const messages = {
  choose: 'Choose one of the options listed.',
  chooseSome: 'Choose from the options listed.',
  yesNo: 'Answer yes or no.',
  rating: 'Rate from 1 to 5, or choose “No view”.',
  otherVendor: 'Name the vendor you chose.',
  use: 'Say how we may use this answer.',
  required: 'This question needs an answer.',
  text: 'Write your answer as text.',
  tooLong: (max: number) => `Keep this to ${max.toLocaleString('en-US')} characters or fewer (about ${Math.round(max / 6).toLocaleString('en-US')} words).`,
} as const;

/** An object schema's own message for "not an object"; other issues (such as unknown keys, which name the key) keep zod's. */
function notAnObject(message: string) {
  return { error: (issue: { code: string }) => (issue.code === 'invalid_type' ? message : undefined) };
}

function textSchema(max: number) {
  return z.string({ error: messages.text }).trim().min(1, messages.required).max(max, messages.tooLong(max));
}

// Built once per question and per version: a version never changes once saved, and the versions are
// kept per process (src/questionnaires/service.ts), so each form request would otherwise build the same
// schemas again (a good part of what an autosave costs the app).
const answerSchemas = new WeakMap<Question, z.ZodType>();
const wholeSchemas = new WeakMap<object, { answers?: z.ZodType<Answers>; change?: z.ZodType<Record<string, Answer | null>> }>();

/** The schema of one question's answer. */
export function answerSchema(q: Question): z.ZodType {
  let schema = answerSchemas.get(q);
  if (!schema) answerSchemas.set(q, (schema = buildAnswerSchema(q)));
  return schema;
}

function buildAnswerSchema(q: Question): z.ZodType {
  const values = q.options.map((o) => o.value);
  switch (q.type) {
    case 'single':
      return z.enum(values as [string, ...string[]], { error: messages.choose });
    case 'yes_no':
      return z.enum(['yes', 'no'], { error: messages.yesNo });
    case 'multi':
      return z
        .array(z.enum(values as [string, ...string[]], { error: messages.chooseSome }), { error: messages.chooseSome })
        .min(1, messages.required)
        .max(values.length, messages.chooseSome)
        .refine((list) => new Set(list).size === list.length, messages.chooseSome);
    case 'rating':
      return z
        .object(
          Object.fromEntries(
            values.map((v) => [
              v,
              z.number({ error: messages.rating }).int(messages.rating).min(0, messages.rating).max(limits.scaleMax, messages.rating).optional(),
            ]),
          ),
          notAnObject(messages.rating),
        )
        .strict()
        .refine((r) => Object.values(r).some((n) => n !== undefined), messages.required);
    case 'competitor':
      return z
        .object(
          {
            choice: z.enum(['other', ...values] as [string, ...string[]], { error: messages.choose }),
            other: z.string({ error: messages.otherVendor }).trim().max(limits.otherVendor, messages.tooLong(limits.otherVendor)).optional(),
          },
          notAnObject(messages.choose),
        )
        .strict()
        .superRefine((a, ctx) => {
          if (a.choice === 'other' && !a.other) ctx.addIssue({ code: 'custom', path: ['other'], message: messages.otherVendor });
          if (a.choice !== 'other' && a.other) ctx.addIssue({ code: 'custom', path: ['other'], message: messages.choose });
        });
    case 'short_text':
    case 'long_text': {
      const max = q.type === 'short_text' ? limits.shortText : limits.longText;
      const shape = q.quoteUse ? { text: textSchema(max), use: z.enum(quotePermissions, { error: messages.use }) } : { text: textSchema(max) };
      return z.object(shape, notAnObject(messages.text)).strict();
    }
  }
}

export type TextAnswer = { text: string; use?: string | undefined };
export type VendorAnswer = { choice: string; other?: string | undefined };
export type RatingAnswer = Record<string, number | undefined>;
export type Answer = string | string[] | RatingAnswer | VendorAnswer | TextAnswer;
export type Answers = Record<string, Answer>;

function isObject(a: unknown): a is Record<string, unknown> {
  return typeof a === 'object' && a !== null && !Array.isArray(a);
}
export function isTextAnswer(a: unknown): a is TextAnswer {
  return isObject(a) && typeof a.text === 'string';
}
export function isVendorAnswer(a: unknown): a is VendorAnswer {
  return isObject(a) && typeof a.choice === 'string';
}
export function isRatingAnswer(a: unknown): a is RatingAnswer {
  return isObject(a) && !isTextAnswer(a) && !isVendorAnswer(a) && Object.values(a).every((v) => v === undefined || typeof v === 'number');
}

/**
 * The schema of a whole response on this version: required questions must be answered, optional ones
 * may be left out; no other key is accepted.
 */
function schemasOf(template: Pick<TemplateVersion, 'questions'>) {
  let kept = wholeSchemas.get(template);
  if (!kept) wholeSchemas.set(template, (kept = {}));
  return kept;
}

export function answersSchema(template: Pick<TemplateVersion, 'questions'>): z.ZodType<Answers> {
  const kept = schemasOf(template);
  if (kept.answers) return kept.answers;
  const shape = Object.fromEntries(template.questions.map((q) => [q.id, q.required ? answerSchema(q) : answerSchema(q).optional()]));
  return (kept.answers = z.object(shape, notAnObject('Send the answers as an object keyed by question id.')).strict() as unknown as z.ZodType<Answers>);
}

/** The schema of a saved draft change: any subset of the questions; null clears an answer. */
export function draftChangeSchema(template: Pick<TemplateVersion, 'questions'>): z.ZodType<Record<string, Answer | null>> {
  const kept = schemasOf(template);
  if (kept.change) return kept.change;
  const shape = Object.fromEntries(template.questions.map((q) => [q.id, answerSchema(q).nullable().optional()]));
  return (kept.change = z.object(shape, notAnObject('Send the answers as an object keyed by question id.')).strict() as unknown as z.ZodType<
    Record<string, Answer | null>
  >);
}
