// The buyer's side: /i/<token>. No session, no login: the token is the key. An unknown, expired or
// used-up link all get the same 404 page, which names nobody and says where to write.
import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import type { AppDeps } from '../app.ts';
import { AppError } from '../lib/errors.ts';
import { brandFor } from './branding.ts';
import type { GuessLimiter } from './guard.ts';
import { messages } from './messages.ts';
import { renderStep } from './render.ts';
import { buyerForm, declineForm, markOpened, type FormContext } from './service.ts';
import { autosave, postStep, requestedStep } from './steps.ts';

type Handler = (req: Request, res: Response) => Promise<void>;

function tokenOf(req: Request): string {
  const t = req.params.token;
  return typeof t === 'string' ? t : '';
}

async function renderNotice(res: Response, deps: AppDeps, status: number, title: string, text: string, showContact = true): Promise<void> {
  res.status(status).render('buyer/notice', { title, heading: title, text, brand: await brandFor(deps.config), showContact, m: messages });
}

export function unavailable(deps: AppDeps, res: Response): Promise<void> {
  return renderNotice(res, deps, 404, messages.unavailableTitle, messages.unavailable);
}

/**
 * Finds the form behind the request's token, or answers with the unavailable page (404, counted as a
 * failed guess) or, for an address over the guessing limit, 429.
 */
async function formOr404(req: Request, res: Response, deps: AppDeps, limiter: GuessLimiter): Promise<FormContext | null> {
  const key = req.ip ?? 'unknown';
  if (limiter.blocked(key)) {
    await renderNotice(res, deps, 429, messages.tooManyTitle, messages.tooMany);
    return null;
  }
  const ctx = await buyerForm(tokenOf(req));
  if (ctx) return ctx;
  if (await limiter.fail(key)) await renderNotice(res, deps, 429, messages.tooManyTitle, messages.tooMany);
  else await unavailable(deps, res);
  return null;
}

export function buyerHandlers(deps: AppDeps, limiter: GuessLimiter) {
  const base = (req: Request) => `/i/${tokenOf(req)}`;

  const show: Handler = async (req, res) => {
    const ctx = await formOr404(req, res, deps, limiter);
    if (!ctx) return;
    await markOpened(ctx, deps.queue);
    res.set('Cache-Control', 'no-store');
    await renderStep(res, deps.config, ctx, base(req), 200, { step: requestedStep(req, ctx) });
  };

  const save: Handler = async (req, res) => {
    const ctx = await formOr404(req, res, deps, limiter);
    if (!ctx) return;
    res.set('Cache-Control', 'no-store');
    const { next } = await postStep(req, res, deps, ctx, base(req));
    if (next === 'submitted') res.redirect(303, '/i/thanks');
    else if (next !== undefined) res.redirect(303, `${base(req)}?step=${next + 1}`);
  };

  const saveAnswer: Handler = async (req, res) => {
    const key = req.ip ?? 'unknown';
    const ctx = limiter.blocked(key) ? null : await buyerForm(tokenOf(req));
    if (!ctx) {
      if (!limiter.blocked(key)) await limiter.fail(key);
      res.status(404).json({ error: { code: 'not_found', message: messages.unavailable } });
      return;
    }
    await autosave(req, res, ctx);
  };

  const confirmDecline: Handler = async (req, res) => {
    const ctx = await formOr404(req, res, deps, limiter);
    if (!ctx) return;
    res.render('buyer/decline', { title: messages.declineTitle, brand: await brandFor(deps.config), base: base(req), m: messages });
  };

  const decline: Handler = async (req, res) => {
    const ctx = await formOr404(req, res, deps, limiter);
    if (!ctx) return;
    await declineForm(ctx, deps.queue);
    res.redirect(303, '/i/declined');
  };

  const thanks: Handler = (_req, res) => renderNotice(res, deps, 200, messages.savedTitle, messages.saved, false);
  const declined: Handler = (_req, res) => renderNotice(res, deps, 200, messages.declinedTitle, messages.declined, false);
  const notFound: Handler = (_req, res) => unavailable(deps, res);

  return { show, save, saveAnswer, confirmDecline, decline, thanks, declined, notFound };
}

/** Errors on the buyer's pages: JSON for the autosave script, else a page in the form's own look. */
export function buyerErrors(deps: AppDeps): ErrorRequestHandler {
  return (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const e = err as { type?: string; status?: number };
    let status = 500;
    let message = 'Something went wrong on our side. What you typed before is saved; please try again in a moment.';
    if (err instanceof AppError) [status, message] = [err.status, err.message];
    else if (e.type === 'entity.too.large') [status, message] = [413, messages.tooLarge];
    else if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) [status, message] = [e.status, messages.badRequest];
    // A step or the whole form could not be stored (the database is away): say so plainly, never a
    // thank-you, and send the buyer back to the page their browser still holds with what they typed.
    if (status >= 500 && req.method === 'POST') message = messages.notStored;
    if (status >= 500) req.log?.error({ err }, 'buyer form error');
    if (req.path.endsWith('/answers') || req.accepts(['html', 'json']) === 'json') {
      res.status(status).json({ error: { code: status === 413 ? 'payload_too_large' : status >= 500 ? 'internal_error' : 'bad_request', message } });
      return;
    }
    void renderNotice(res, deps, status, status >= 500 ? 'Something went wrong' : 'That did not work', message).catch(next);
  };
}
