// The form's fields and the canonical answers, both ways. A question "q" renders as fields named
// a_q (the choice or the text), a_q.<item> (a rated item), a_q.other (a vendor not listed) and a_q.use
// (how a text may be quoted). Parsing a step takes exactly the fields of that step's questions: any
// other field is refused, every answer is checked by the schema derived from the template version, and
// what was typed comes back unchanged for the page to show again.
import { type Answer, type Answers, answerSchema, isRatingAnswer, isTextAnswer, isVendorAnswer, messages, type Question } from '../questionnaires/index.ts';

export type FieldValues = Record<string, string | string[]>;
export type FieldErrors = Record<string, string[]>;

/** Fields every step may send besides the answers: the live interviewer's CSRF token and notes, the step, the button. */
export const metaFields = ['_csrf', '_step', '_action', '_notes'] as const;

/** The value of a listed competitor's radio: the prefix and its name (option codes never hold a colon). */
export const listedPrefix = 'vendor:';

export function fieldName(q: Question, part?: string): string {
  return part ? `a_${q.id}.${part}` : `a_${q.id}`;
}

/** An HTML id for a field: dots become dashes, so the id needs no escaping in CSS or fragments. */
export function fieldId(name: string): string {
  return name.replace(/\./g, '-');
}

export function questionFields(q: Question): string[] {
  switch (q.type) {
    case 'rating':
      return q.options.map((o) => fieldName(q, o.value));
    case 'competitor':
      return [fieldName(q), fieldName(q, 'other')];
    case 'short_text':
    case 'long_text':
      return q.quoteUse ? [fieldName(q), fieldName(q, 'use')] : [fieldName(q)];
    default:
      return [fieldName(q)];
  }
}

function one(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export interface ParsedStep {
  /** Valid answers to store; null clears a question left empty. */
  answers: Record<string, Answer | null>;
  /** What was typed, for showing the step again. */
  values: FieldValues;
  /** Keyed by the question's main field (a_q). */
  errors: FieldErrors;
  unknown: string[];
}

type Body = Record<string, unknown>;

/** The candidate answer a question's fields describe, before validation; undefined when left empty. */
function candidate(q: Question, body: Body): unknown {
  const raw = body[fieldName(q)];
  switch (q.type) {
    case 'single':
    case 'yes_no': {
      if (raw === undefined || raw === '') return undefined;
      return raw; // an array (a field sent twice) is refused by the schema
    }
    case 'multi': {
      const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v) => v !== '');
      return list.length ? list : undefined;
    }
    case 'rating': {
      const scores: Record<string, unknown> = {};
      for (const o of q.options) {
        const v = body[fieldName(q, o.value)];
        if (v === undefined || v === '') continue;
        scores[o.value] = typeof v === 'string' && /^\d{1,2}$/.test(v) ? Number(v) : v;
      }
      return Object.keys(scores).length ? scores : undefined;
    }
    case 'competitor': {
      // A competitor the program names: the radio's value is its name (listedPrefix), stored as a vendor
      // named like any other, so reports read one spelling whichever way the buyer gave it.
      if (typeof raw === 'string' && raw.startsWith(listedPrefix)) return { choice: 'other', other: raw.slice(listedPrefix.length) };
      const choice = one(raw) ?? (raw === undefined ? '' : raw);
      const otherRaw = body[fieldName(q, 'other')];
      const other = typeof otherRaw === 'string' ? otherRaw.trim() : otherRaw;
      if (choice === '' && (other === undefined || other === '')) return undefined;
      // A vendor typed in "other" without ticking it: the buyer means other.
      if (choice === '' && other) return { choice: 'other', other };
      if (choice !== 'other') return { choice };
      return other === undefined || other === '' ? { choice } : { choice, other };
    }
    case 'short_text':
    case 'long_text': {
      if (raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return undefined;
      if (!q.quoteUse) return { text: raw };
      const use = body[fieldName(q, 'use')];
      return use === undefined || use === '' ? { text: raw } : { text: raw, use };
    }
  }
}

/** Checks one question's fields: the answer (null when empty) or the messages. */
export function parseQuestion(q: Question, body: Body, requireAnswer: boolean): { answer: Answer | null } | { errors: string[] } {
  const value = candidate(q, body);
  if (value === undefined) return requireAnswer && q.required ? { errors: [messages.required] } : { answer: null };
  const parsed = answerSchema(q).safeParse(value);
  if (parsed.success) return { answer: parsed.data as Answer };
  return { errors: [...new Set(parsed.error.issues.map((i) => i.message))] };
}

/**
 * Parses the fields of one step. requireAnswers: required questions must be answered (moving on or
 * sending); without it (going back, autosave) empty is fine.
 */
export function parseStep(questions: readonly Question[], body: unknown, opts: { requireAnswers: boolean; allowNotes: boolean }): ParsedStep {
  const source: Body = body && typeof body === 'object' && !Array.isArray(body) ? (body as Body) : {};
  const known = new Set<string>([...metaFields.filter((f) => f !== '_notes' || opts.allowNotes), ...questions.flatMap(questionFields)]);
  const unknown = Object.keys(source).filter((k) => !known.has(k));
  const values: FieldValues = {};
  for (const name of questions.flatMap(questionFields)) {
    const v = source[name];
    if (typeof v === 'string') values[name] = v;
    else if (Array.isArray(v)) values[name] = v.filter((x): x is string => typeof x === 'string');
  }
  const answers: Record<string, Answer | null> = {};
  const errors: FieldErrors = {};
  for (const q of questions) {
    const result = parseQuestion(q, source, opts.requireAnswers);
    if ('errors' in result) errors[fieldName(q)] = result.errors;
    else answers[q.id] = result.answer;
  }
  return { answers, values, errors, unknown };
}

/** The form fields that show stored answers; `competitors`: the listed ones, whose radio shows a vendor named like one. */
export function answersToFields(questions: readonly Question[], answers: Answers, competitors: readonly string[] = []): FieldValues {
  const out: FieldValues = {};
  for (const q of questions) {
    const a = answers[q.id];
    if (a === undefined || a === null) continue;
    if (typeof a === 'string') out[fieldName(q)] = a;
    else if (Array.isArray(a)) out[fieldName(q)] = [...a];
    else if (isTextAnswer(a)) {
      out[fieldName(q)] = a.text;
      if (typeof a.use === 'string') out[fieldName(q, 'use')] = a.use;
    } else if (isVendorAnswer(a) && a.choice === 'other' && typeof a.other === 'string' && competitors.includes(a.other)) {
      out[fieldName(q)] = `${listedPrefix}${a.other}`;
    } else if (isVendorAnswer(a)) {
      out[fieldName(q)] = a.choice;
      if (typeof a.other === 'string') out[fieldName(q, 'other')] = a.other;
    } else if (isRatingAnswer(a)) {
      for (const [item, score] of Object.entries(a)) if (typeof score === 'number') out[fieldName(q, item)] = String(score);
    }
  }
  return out;
}

/** Whether a question has a stored answer. */
export function answered(answers: Answers, q: Question): boolean {
  return answers[q.id] !== undefined && answers[q.id] !== null;
}
