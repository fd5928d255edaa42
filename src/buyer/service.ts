// The interview form's logic, for the buyer's link and for a marketer's live interview alike: find the
// interview and its draft, record that it was opened and started, save answers, send or decline. Never
// sees req/res. State changes go through the interview's state machine (transition(): only from the
// states named, in one conditional update), so they happen once; a submission is idempotent on the
// response's unique interviewId.
import mongoose, { type Types } from 'mongoose';
import { BuyerLink, isTokenShaped, tokenHash } from '../interviews/link.ts';
import { liveStates, notStartedStates, openBuyerStates, transition, type InterviewState } from '../interviews/index.ts';
import { Interview, InterviewResponse, outcomeOf } from '../interviews/model.ts';
import type { StoredInterview } from '../interviews/planner.ts';
import { isDuplicateKeyError } from '../lib/db.ts';
import { AppError, NotFoundError } from '../lib/errors.ts';
import {
  type Answer,
  type Answers,
  answersSchema,
  applicableAnswers,
  applies,
  currentTemplate,
  isVendorAnswer,
  messages,
  type Question,
  summarize,
  templateKeyFor,
  type TemplateVersion,
  templateVersion,
  visibleSteps,
  winTemplateKey,
} from '../questionnaires/index.ts';
import { fieldName, type FieldErrors } from './fields.ts';
import { FormDraft, type Draft } from './model.ts';
import { formWording, listedName, type FormWording } from './wording.ts';

export interface Interviewer {
  name: string;
  email: string;
}

export interface FormContext {
  interview: StoredInterview;
  draft: Draft;
  template: TemplateVersion;
  /** The steps this buyer goes through, given their answers (visibleSteps): kept up to date by saveAnswers. */
  steps: Question[][];
  mode: 'buyer' | 'live';
  /** The program's buyer wording of the reasons, and the competitors the vendor question names. */
  wording: FormWording;
}

function withAnswers(draft: Draft): Draft {
  return { ...draft, answers: draft.answers ?? {} };
}

/**
 * The interview's draft: the one read with it, else a new one pinned to the current version of its
 * questionnaire (the won deals' one for a win interview).
 */
async function draftFor(interview: StoredInterview, existing?: Draft | null): Promise<Draft> {
  const found = existing === undefined ? await FormDraft.findById(interview._id).lean<Draft>() : existing;
  if (found) return withAnswers(found);
  const template = await currentTemplate({ key: templateKeyFor(outcomeOf(interview)) });
  const fresh = { templateId: template.id, answers: {}, step: 0 };
  try {
    const { upsertedCount } = await FormDraft.updateOne({ _id: interview._id }, { $setOnInsert: fresh }, { upsert: true });
    // Made here: it holds what was inserted, so no read back (one round trip less on a first visit).
    if (upsertedCount === 1) return { _id: interview._id, ...fresh };
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err; // opened twice at once: the other request made it
  }
  const made = await FormDraft.findById(interview._id).lean<Draft>();
  if (!made) throw new Error(`The draft of interview ${String(interview._id)} vanished`);
  return withAnswers(made);
}

async function contextFor(interview: StoredInterview, mode: FormContext['mode'], existing?: Draft | null, known?: FormWording): Promise<FormContext> {
  const draft = await draftFor(interview, existing);
  const [template, read] = await Promise.all([templateVersion(draft.templateId), known ?? formWording()]);
  // The program's buyer wording of the reasons is a loser's ("It did not do something we needed"): the
  // won deals' questionnaire words its reasons itself.
  const wording = template.key === winTemplateKey ? { ...read, reasons: new Map<string, string>() } : read;
  return { interview, draft, template, steps: visibleSteps(template, draft.answers), mode, wording };
}

// A link's token never moves to another interview, so which interview a token opens is kept per process
// (by the token's hash, a bounded map): a returning buyer's page costs one query less. The interview
// itself, whose state changes, is always read afresh, together with its draft (the draft's _id is the
// interview's, so both reads go out at once).
const linkCache = new Map<string, string>();
const linkCacheSize = 20_000;

async function interviewIdForToken(token: string): Promise<string | null> {
  if (!isTokenShaped(token)) return null;
  const hash = tokenHash(token);
  const key = `${mongoose.connection.name}/${hash}`;
  const cached = linkCache.get(key);
  if (cached) return cached;
  const link = await BuyerLink.findById(hash).lean();
  if (!link) return null;
  if (linkCache.size >= linkCacheSize) linkCache.delete(linkCache.keys().next().value!);
  linkCache.set(key, String(link.interviewId));
  return String(link.interviewId);
}

/** What the buyer's pages read of the interview (not its timeline, which grows with every change). */
const buyerFields = { state: 1, dealId: 1, contact: 1, buyerCompany: 1, interviewer: 1, test: 1, outcome: 1 } as const;

/**
 * What a token opens: the buyer's form; a real link whose interview no longer takes answers (`closed`,
 * with the state it is in); or nothing (`unknown`: not a link we issued, the one case that counts as a guess).
 */
export type BuyerFormLookup =
  | { found: 'form'; ctx: FormContext }
  | { found: 'closed'; state: InterviewState; interviewId: Types.ObjectId }
  | { found: 'unknown' };

export async function buyerForm(token: string): Promise<BuyerFormLookup> {
  const id = await interviewIdForToken(token);
  if (!id) return { found: 'unknown' };
  const [interview, draft, wording] = await Promise.all([
    Interview.findById(id).select(buyerFields).lean<StoredInterview>(),
    FormDraft.findById(id).lean<Draft>(),
    formWording(),
  ]);
  if (!interview) return { found: 'unknown' };
  // The buyer's link opens the form while the interview waits for their answer (the planned, completed, expired... show the unavailable page).
  if (!openBuyerStates.includes(interview.state)) return { found: 'closed', state: interview.state, interviewId: interview._id };
  return { found: 'form', ctx: await contextFor(interview, 'buyer', draft, wording) };
}

/** When the interview last moved to `state` (the timeline is read only here: it grows with every change). */
export async function movedToAt(interviewId: Types.ObjectId, state: InterviewState): Promise<Date | null> {
  const doc = await Interview.findById(interviewId).select({ timeline: 1 }).lean<{ timeline?: { state: InterviewState; at: Date }[] }>();
  return [...(doc?.timeline ?? [])].reverse().find((t) => t.state === state)?.at ?? null;
}

/** The form for a live interview, or a 404 / 409 saying why not. */
export async function liveForm(interviewId: string): Promise<FormContext> {
  const interview = await Interview.findById(interviewId).lean<StoredInterview>();
  if (!interview) throw new NotFoundError('We could not find that interview.');
  if (!liveStates.includes(interview.state)) {
    throw new AppError(409, 'interview_closed', 'This interview no longer takes answers (it was completed, declined, expired or cancelled).');
  }
  return contextFor(interview, 'live');
}

/** The buyer opened the link: recorded the first time only (from invited or reminded). */
export async function markOpened(ctx: FormContext): Promise<void> {
  if (ctx.mode !== 'buyer' || !['invited', 'reminded'].includes(ctx.interview.state)) return;
  if (await transition(ctx.interview._id, { from: ['invited', 'reminded'], to: 'opened' })) ctx.interview.state = 'opened';
}

/**
 * Stores answers in the draft (null clears one), the step reached and live notes. The first saved answer
 * moves the interview to in_progress.
 */
export async function saveAnswers(
  ctx: FormContext,
  changes: Record<string, Answer | null>,
  opts: { step?: number; notes?: string | undefined } = {},
): Promise<void> {
  const merged: Answers = { ...ctx.draft.answers };
  const stored: Record<string, Answer | null> = {};
  for (const [id, answer] of Object.entries(changes)) {
    const q = ctx.template.questions.find((x) => x.id === id);
    if (!q) throw new Error(`Question ${id} is not in ${ctx.template.id}`);
    const kept = answer === null ? null : inProgramTerms(q, answer, ctx.wording);
    stored[id] = kept;
    if (kept === null) delete merged[id];
    else merged[id] = kept;
  }
  // An answer to a question that no longer applies is not kept: a buyer who changed their vendor to
  // "none" rated no vendor (conditions.ts). The response is made from the draft, so it never holds one.
  for (const q of ctx.template.questions) {
    if (merged[q.id] !== undefined && !applies(q, ctx.template, merged)) {
      stored[q.id] = null;
      delete merged[q.id];
    }
  }
  const set: Record<string, unknown> = {};
  const unset: Record<string, 1> = {};
  for (const [id, answer] of Object.entries(stored)) {
    if (answer === null) {
      if (ctx.draft.answers[id] !== undefined) unset[`answers.${id}`] = 1;
    } else set[`answers.${id}`] = answer;
  }
  if (opts.notes !== undefined) set.notes = opts.notes;
  const update: Record<string, unknown> = {};
  if (Object.keys(set).length) update.$set = set;
  if (Object.keys(unset).length) update.$unset = unset;
  if (opts.step !== undefined && opts.step > ctx.draft.step) update.$max = { step: opts.step };
  if (Object.keys(update).length) await FormDraft.updateOne({ _id: ctx.draft._id }, update);
  ctx.draft.answers = merged;
  ctx.steps = visibleSteps(ctx.template, merged);
  if (opts.step !== undefined) ctx.draft.step = Math.max(ctx.draft.step, opts.step);
  const anyAnswer = Object.values(changes).some((a) => a !== null);
  if (anyAnswer && notStartedStates.includes(ctx.interview.state)) {
    if (await transition(ctx.interview._id, { from: notStartedStates, to: 'in_progress' })) ctx.interview.state = 'in_progress';
  }
}

/** A vendor typed as a listed competitor is stored with the program's spelling ("clearpath " -> "Clearpath"). */
function inProgramTerms(q: Question, answer: Answer, wording: FormWording): Answer {
  if (q.type !== 'competitor' || !isVendorAnswer(answer) || answer.choice !== 'other' || !answer.other) return answer;
  return { ...answer, other: listedName(answer.other, wording) };
}

/** The step to resume on: the first with a required question unanswered up to the furthest reached. */
export function resumeStep(ctx: FormContext): number {
  const last = Math.min(ctx.draft.step, ctx.steps.length - 1);
  for (let i = 0; i < last; i += 1) {
    if (ctx.steps[i]!.some((q) => q.required && ctx.draft.answers[q.id] === undefined)) return i;
  }
  return Math.max(0, last);
}

export type SubmitOutcome = { ok: true } | { ok: false; step: number; errors: FieldErrors };

/**
 * Sends the draft as the response: checked as a whole against the version's derived schema, stored
 * with its summary fields, the interview completed. A second submission changes nothing.
 */
export async function submitForm(ctx: FormContext, live?: { by: Interviewer; notes?: string | undefined }, now = new Date()): Promise<SubmitOutcome> {
  const errors: FieldErrors = {};
  let firstStep = ctx.steps.length - 1;
  const flag = (q: Question, message: string) => {
    (errors[fieldName(q)] ??= []).push(message);
    firstStep = Math.min(
      firstStep,
      ctx.steps.findIndex((s) => s.includes(q)),
    );
  };
  const given = applicableAnswers(ctx.template, ctx.draft.answers);
  for (const q of ctx.template.questions) if (q.required && given[q.id] === undefined && applies(q, ctx.template, given)) flag(q, messages.required);
  const parsed = answersSchema(ctx.template).safeParse(given);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const q = ctx.template.questions.find((x) => x.id === String(issue.path[0] ?? ''));
      if (q && !errors[fieldName(q)]) flag(q, issue.message);
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, step: Math.max(0, firstStep), errors };
  const answers: Answers = parsed.data;
  try {
    await InterviewResponse.create({
      interviewId: ctx.interview._id,
      dealId: ctx.interview.dealId,
      templateId: ctx.template.id,
      templateVersion: ctx.template.version,
      outcome: outcomeOf(ctx.interview),
      answers,
      ...summarize(ctx.template, answers),
      ...(live ? { interviewedBy: live.by, notes: live.notes ?? ctx.draft.notes ?? undefined } : {}),
      // A test invitation's answer: kept out of every figure, theme and export.
      ...(ctx.interview.test ? { test: true } : {}),
      submittedAt: now,
    });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err; // sent twice (two tabs, a retry): the first one stands
  }
  const note = live ? `Interviewed live by ${live.by.name}` : undefined;
  await transition(ctx.interview._id, { from: liveStates, to: 'completed', note, at: now });
  await FormDraft.deleteOne({ _id: ctx.draft._id });
  return { ok: true };
}

/** The buyer said no thanks: the interview is declined and the draft deleted. */
export async function declineForm(ctx: FormContext, now = new Date()): Promise<void> {
  await transition(ctx.interview._id, { from: openBuyerStates, to: 'declined', note: 'The buyer said no thanks on the form', at: now });
  await FormDraft.deleteOne({ _id: ctx.draft._id });
}
