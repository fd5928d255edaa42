// The themes pages: one tab per theme set (themes with counts, terms and quotes, and the run status),
// a theme's own page with its answers and the curation forms, and the perception gap. Forms that fail
// are shown again with the error beside the field (and, for one answer's form, beside that answer).
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { AppDeps } from '../lib/http/deps.ts';
import { actorOf } from '../accounts/index.ts';
import { typed } from '../lib/http/forms.ts';
import { takeNotice } from '../lib/http/notice.ts';
import { fieldErrors, parseOrThrow } from '../lib/http/validate.ts';
import { ValidationError } from '../lib/errors.ts';
import { markQuote, mergeTheme, moveAnswer, renameTheme, splitTheme } from './curation.ts';
import { messages, setLabels, themeTabs as tabs } from './messages.ts';
import { runStatus } from './runs.ts';
import { debounceMs, requestRecompute } from './schedule.ts';
import { membersQuery, mergeForm, moveForm, quoteForm, renameForm, setParams, setQuery, splitForm, themeParams } from './schemas.ts';
import { setPage, themeDetail } from './service.ts';
import { latestSnapshot } from './snapshots.ts';
import type { ThemeSet } from './types.ts';

type Errors = Record<string, string[]>;

function themeHref(set: ThemeSet, themeId: string): string {
  return `/themes/${set}/${encodeURIComponent(themeId)}`;
}

export async function index(req: Request, res: Response): Promise<void> {
  const { set } = parseOrThrow(setQuery, req.query);
  const data = await setPage(set);
  res.render('themes/index', {
    title: 'Themes',
    tabs,
    current: set,
    text: setLabels[set],
    ...data,
    notice: takeNotice(req),
    themeHref,
    messages,
    recomputeMinutes: Math.round(debounceMs / 60_000),
  });
}

export async function statusJson(req: Request, res: Response): Promise<void> {
  const { set } = parseOrThrow(setQuery, req.query);
  const [status, snapshot] = await Promise.all([runStatus(set), latestSnapshot(set)]);
  res.set('Cache-Control', 'no-store').json({ set, ...status, asOf: snapshot?.asOf ?? null });
}

export function recompute({ queue }: Pick<AppDeps, 'queue'>) {
  return async (req: Request, res: Response): Promise<void> => {
    const { set } = parseOrThrow(setParams, req.params);
    const queued = await requestRecompute(queue, set);
    req.session.notice = queued ? messages.queued : messages.alreadyQueued;
    res.redirect(303, `/themes?set=${set}`);
  };
}

interface ThemeState {
  values?: Record<string, string>;
  errors?: Errors;
  /** the answer whose own form failed, so its error shows beside it */
  errorFor?: string;
}

async function renderTheme(req: Request, res: Response, status: number, state: ThemeState = {}): Promise<void> {
  const { set, themeId } = parseOrThrow(themeParams, req.params);
  const { page } = status === 200 ? parseOrThrow(membersQuery, req.query) : { page: 1 };
  const detail = await themeDetail(set, themeId, page);
  res.status(status).render('themes/theme', {
    title: detail.theme.label,
    tabs,
    current: set,
    text: setLabels[set],
    ...detail,
    values: { label: detail.theme.label, mergeInto: '', ...state.values },
    errors: state.errors ?? {},
    errorFor: state.errorFor,
    formError: undefined,
    notice: status === 200 ? takeNotice(req) : undefined,
    themeHref,
    base: themeHref(set, themeId),
  });
}

export async function show(req: Request, res: Response): Promise<void> {
  await renderTheme(req, res, 200);
}

/**
 * Runs one curation form: parse the body, call the service, and on success leave a notice and go to
 * `after`; on bad input show the theme page again with the error beside the field.
 */
function curationHandler<S extends z.ZodType>(
  schema: S,
  fields: readonly string[],
  act: (set: ThemeSet, themeId: string, input: z.infer<S>, req: Request) => Promise<{ notice: string; after?: string }>,
) {
  return async (req: Request, res: Response): Promise<void> => {
    const { set, themeId } = parseOrThrow(themeParams, req.params);
    const values = typed(req.body, fields);
    const errorFor = values.responseId || undefined;
    const parsed = schema.safeParse(req.body ?? {});
    if (!parsed.success) return renderTheme(req, res, 400, { values, errors: fieldErrors(parsed.error), ...(errorFor ? { errorFor } : {}) });
    try {
      const { notice, after } = await act(set, themeId, parsed.data, req);
      req.session.notice = notice;
      res.redirect(303, after ?? themeHref(set, themeId));
    } catch (err) {
      if (err instanceof ValidationError) return renderTheme(req, res, 400, { values, errors: err.details ?? {}, ...(errorFor ? { errorFor } : {}) });
      throw err;
    }
  };
}

export const rename = curationHandler(renameForm, ['label'], async (set, themeId, input, req) => {
  const { from, to } = await renameTheme(set, themeId, input.label, actorOf(req));
  return { notice: messages.renamed(from, to) };
});

export const merge = curationHandler(mergeForm, ['mergeInto'], async (set, themeId, input, req) => {
  const { from, into } = await mergeTheme(set, themeId, input.mergeInto, actorOf(req));
  return { notice: messages.merged(from, into), after: themeHref(set, input.mergeInto) };
});

export const split = curationHandler(splitForm, [], async (set, themeId, _input, req) => {
  const { label, parts } = await splitTheme(set, themeId, actorOf(req));
  return { notice: messages.split(label, parts), after: `/themes?set=${set}` };
});

export const move = curationHandler(moveForm, ['responseId', 'moveTo'], async (set, themeId, input, req) => {
  const { into } = await moveAnswer(set, themeId, input.responseId, input.moveTo, actorOf(req));
  return { notice: messages.moved(into) };
});

export const quote = curationHandler(quoteForm, ['responseId', 'action'], async (set, themeId, input, req) => {
  await markQuote(set, themeId, input.responseId, input.action, actorOf(req));
  return { notice: messages.quote[input.action] };
});
