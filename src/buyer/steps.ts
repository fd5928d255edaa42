// The step actions both ways into the form share (the buyer's link and a live interview): moving on
// or back with a plain POST (works without JavaScript), sending on the last step, and autosave.
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../lib/http/deps.ts';
import { type Answers, applies, draftChangeSchema, limits, type Question } from '../questionnaires/index.ts';
import { fieldErrors } from '../lib/http/validate.ts';
import { fieldName, parseStep, type ParsedStep } from './fields.ts';
import { messages } from './messages.ts';
import { renderStep } from './render.ts';
import { resumeStep, saveAnswers, submitForm, type FormContext, type Interviewer } from './service.ts';

const actions = ['next', 'back', 'submit'] as const;
const stepMeta = z.object({
  _step: z.coerce.number().int().min(1).max(100).optional(),
  _action: z.enum(actions).default('next'),
  _notes: z
    .string()
    .max(limits.notes, `Keep the notes to ${limits.notes.toLocaleString('en-US')} characters or fewer.`)
    .optional(),
});

function body(req: Request): Record<string, unknown> {
  return req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
}

/**
 * A question on this step that the answers sent with it make inapplicable (the ratings, hidden on the
 * page once "none" is picked above them) needs no answer and keeps none, whatever its hidden fields held.
 */
function withoutInapplicable(ctx: FormContext, questions: readonly Question[], parsed: ParsedStep): ParsedStep {
  const given: Answers = { ...ctx.draft.answers };
  for (const [id, a] of Object.entries(parsed.answers)) {
    if (a === null) delete given[id];
    else given[id] = a;
  }
  for (const q of questions) {
    if (applies(q, ctx.template, given)) continue;
    delete parsed.errors[fieldName(q)];
    parsed.answers[q.id] = null;
  }
  return parsed;
}

/** The step a GET shows: ?step=N (1-based) up to the furthest reached, else where the draft resumes. */
export function requestedStep(req: Request, ctx: FormContext): number {
  const asked = z.coerce.number().int().min(1).max(100).safeParse(req.query.step);
  if (!asked.success) return resumeStep(ctx);
  return Math.min(asked.data - 1, ctx.draft.step, ctx.steps.length - 1);
}

export interface StepOutcome {
  /** Where to go after a successful POST: another step (0-based) or "submitted". */
  next?: number | 'submitted';
}

/** Handles a step's POST; renders the step again (400) when something needs fixing. */
export async function postStep(req: Request, res: Response, deps: AppDeps, ctx: FormContext, base: string, live?: Interviewer): Promise<StepOutcome> {
  const raw = body(req);
  const meta = stepMeta.safeParse({ _step: raw._step, _action: raw._action, _notes: raw._notes });
  const stepNumber = meta.success && meta.data._step !== undefined ? Math.min(meta.data._step - 1, ctx.steps.length - 1) : resumeStep(ctx);
  const questions = ctx.steps[stepNumber]!;
  const parsed = withoutInapplicable(
    ctx,
    questions,
    parseStep(questions, raw, { requireAnswers: meta.success && meta.data._action !== 'back', allowNotes: ctx.mode === 'live' }),
  );
  const notes = typeof raw._notes === 'string' ? raw._notes : undefined;
  if (!meta.success || parsed.unknown.length > 0) {
    const formError =
      parsed.unknown.length > 0 ? messages.unknownFields(parsed.unknown) : Object.values(fieldErrors(meta.error!)).flat().join(' ') || messages.badRequest;
    await renderStep(res, deps.config, ctx, base, 400, {
      step: stepNumber,
      values: parsed.values,
      errors: parsed.errors,
      formError,
      ...(notes !== undefined ? { notes } : {}),
    });
    return {};
  }
  const action = meta.data._action;
  // A step with an answer to fix saves nothing (what is stored stays as it was); the page comes back
  // with everything typed, so nothing is lost either.
  if (Object.keys(parsed.errors).length > 0) {
    const isLast = stepNumber === ctx.steps.length - 1;
    await renderStep(res, deps.config, ctx, base, 400, {
      step: stepNumber,
      values: parsed.values,
      errors: parsed.errors,
      formError: isLast ? messages.submitErrors : messages.stepErrors,
      ...(notes !== undefined ? { notes } : {}),
    });
    return {};
  }
  const reached = action === 'next' ? stepNumber + 1 : stepNumber;
  await saveAnswers(ctx, parsed.answers, { step: Math.min(reached, ctx.steps.length - 1), notes: ctx.mode === 'live' ? meta.data._notes : undefined });
  if (action === 'back') return { next: Math.max(0, stepNumber - 1) };
  if (action === 'next' && stepNumber < ctx.steps.length - 1) return { next: stepNumber + 1 };
  const sent = await submitForm(ctx, live ? { by: live, notes: ctx.draft.notes ?? undefined } : undefined);
  if (sent.ok) return { next: 'submitted' };
  await renderStep(res, deps.config, ctx, base, 400, { step: sent.step, errors: sent.errors, formError: messages.submitErrors });
  return {};
}

const jsonBody = z
  .object(
    {
      answers: z.record(z.string(), z.unknown(), { error: 'Send the answers as an object keyed by question id.' }),
      step: z.number().int().min(1).max(100).optional(),
    },
    { error: (issue) => (issue.code === 'invalid_type' ? 'Send {"answers": {...}}.' : undefined) },
  )
  .strict();

/**
 * Autosave: the fields of one step (what the page's script sends, urlencoded) or {"answers": {...}} as
 * JSON. Answers in the form are saved one by one (a wrong one is reported, the rest kept); a JSON body is
 * checked as a whole by the version's derived schema and saved only if all of it is valid.
 */
export async function autosave(req: Request, res: Response, ctx: FormContext): Promise<void> {
  if (req.is('application/json')) {
    const outer = jsonBody.safeParse(req.body);
    const inner = outer.success ? draftChangeSchema(ctx.template).safeParse(outer.data.answers) : undefined;
    if (!outer.success || !inner?.success) {
      const details = fieldErrors((outer.success ? inner!.error : outer.error)!);
      res.status(400).json({ error: { code: 'validation_failed', message: 'Some answers were not valid; nothing was saved.', details } });
      return;
    }
    await saveAnswers(ctx, inner.data, outer.data.step ? { step: Math.min(outer.data.step - 1, ctx.steps.length - 1) } : {});
    res.json({ saved: Object.keys(inner.data) });
    return;
  }
  const raw = body(req);
  const stepNumber = z.coerce.number().int().min(1).max(ctx.steps.length).safeParse(raw._step);
  if (!stepNumber.success) {
    res.status(400).json({ error: { code: 'validation_failed', message: 'Say which step these answers are on (_step).', details: {} } });
    return;
  }
  const parsed = parseStep(ctx.steps[stepNumber.data - 1]!, raw, { requireAnswers: false, allowNotes: ctx.mode === 'live' });
  if (parsed.unknown.length > 0) {
    res.status(400).json({ error: { code: 'validation_failed', message: messages.unknownFields(parsed.unknown), details: {} } });
    return;
  }
  const notes = ctx.mode === 'live' && typeof raw._notes === 'string' ? raw._notes.slice(0, limits.notes) : undefined;
  await saveAnswers(ctx, parsed.answers, { notes });
  const failed = Object.keys(parsed.errors).length > 0;
  res
    .status(failed ? 400 : 200)
    .json(
      failed
        ? { saved: Object.keys(parsed.answers), error: { code: 'validation_failed', message: messages.autosaveFailed, details: parsed.errors } }
        : { saved: Object.keys(parsed.answers) },
    );
}
