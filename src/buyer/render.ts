// Renders one step of the interview form, for the buyer's link and for a live interview alike: the
// questions of the step with what was typed (or saved), each error beside its question and in a
// summary at the top, and the progress across steps.
import type { Response } from 'express';
import type { Config } from '../config.ts';
import { quotePermissions } from '../interviews/model.ts';
import { controllerOf, limits, noVendorChoices, type Question, typeLabels } from '../questionnaires/index.ts';
import { brandFor, initials } from './branding.ts';
import { answersToFields, fieldId, fieldName, listedPrefix, type FieldErrors, type FieldValues } from './fields.ts';
import { asBuyerReads } from './wording.ts';
import { messages } from './messages.ts';
import type { FormContext } from './service.ts';

export interface StepView {
  step: number;
  values?: FieldValues;
  errors?: FieldErrors;
  formError?: string;
  notes?: string;
}

/** Where the step's form posts, and its autosave: /i/<token> or /interviews/<id>/live. */
export function formBase(ctx: FormContext, token?: string): string {
  return ctx.mode === 'buyer' ? `/i/${token}` : `/interviews/${String(ctx.interview._id)}/live`;
}

export async function renderStep(res: Response, config: Config, ctx: FormContext, base: string, status: number, view: StepView): Promise<void> {
  const step = Math.min(Math.max(view.step, 0), ctx.steps.length - 1);
  // The buyer's wording of the reasons; staff pages keep the questionnaire's labels (wording.ts).
  const questions = ctx.steps[step]!.map((q) => asBuyerReads(q, ctx.wording));
  const brand = await brandFor(config);
  const interviewer = ctx.interview.interviewer?.name ?? null;
  res.status(status).render(ctx.mode === 'buyer' ? 'buyer/form' : 'buyer/live', {
    title: ctx.mode === 'buyer' ? 'A few questions' : 'Live interview',
    brand,
    interviewer: interviewer ? { name: interviewer, initials: initials(interviewer) } : null,
    contactName: ctx.interview.contact?.name ?? '',
    company: ctx.interview.buyerCompany ?? '',
    base,
    step,
    total: ctx.steps.length,
    questions,
    values: view.values ?? answersToFields(questions, ctx.draft.answers, ctx.wording.competitors),
    competitors: ctx.wording.competitors,
    listedPrefix,
    // Asked only when a vendor is named (conditions.ts): the page hides it while a "no vendor" choice is ticked.
    asksVendor: (q: Question) => controllerOf(q, ctx.template) !== null,
    noVendorChoices,
    errors: view.errors ?? {},
    formError: view.formError,
    notes: view.notes ?? ctx.draft.notes ?? '',
    m: messages,
    fieldName,
    fieldId,
    quotePermissions,
    limits,
    typeLabels,
  });
}
