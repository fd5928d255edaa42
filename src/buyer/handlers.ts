// The buyer's side: /i/<token>. No session, no login: the token is the key. A link we never issued (or
// whose interview never reached the buyer) gets one 404 page that names nobody; a real link whose form is
// over says why, calmly: answered (thank you), declined or opted out (understood), expired (who to write to).
import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import type { AppDeps } from '../lib/http/deps.ts';
import { AppError } from '../lib/errors.ts';
import { brandFor } from './branding.ts';
import type { GuessLimiter } from '../lib/http/link-guards.ts';
import { messages } from './messages.ts';
import { renderStep } from './render.ts';
import { postedFields } from './schemas.ts';
import { buyerForm, declineForm, markOpened, movedToAt, type BuyerFormLookup, type FormContext } from './service.ts';
import { autosave, postStep, requestedStep } from './steps.ts';

type Handler = (req: Request, res: Response) => Promise<void>;

function tokenOf(req: Request): string {
  const t = req.params.token;
  return typeof t === 'string' ? t : '';
}

/** A form the buyer can send again as it was: where it went and what was in it. */
interface Resend {
  action: string;
  fields: [string, string][];
}

interface Notice {
  title: string;
  text: string;
  /** A sentence ending in a colon before the address to write to; the page's footer then leaves its own out. */
  writeTo?: string;
  /** A post that could not be stored, as a form to send again. */
  resend?: Resend | undefined;
}

async function renderNotice(res: Response, deps: AppDeps, status: number, notice: Notice): Promise<void> {
  res
    .status(status)
    .render('buyer/notice', { heading: notice.title, brand: await brandFor(deps.config), m: messages, writeTo: undefined, resend: undefined, ...notice });
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** The page a real link shows once its form is over: what happened, for as long as the link lives. */
async function closedNotice(res: Response, deps: AppDeps, lookup: Extract<BuyerFormLookup, { found: 'closed' }>): Promise<void> {
  switch (lookup.state) {
    case 'completed':
      return renderNotice(res, deps, 200, { title: messages.answeredTitle, text: messages.answered });
    case 'declined':
      return renderNotice(res, deps, 200, { title: messages.declinedTitle, text: messages.declined });
    case 'opted_out':
      return renderNotice(res, deps, 200, { title: messages.optedOutTitle, text: messages.optedOut });
    case 'expired': {
      const at = await movedToAt(lookup.interviewId, 'expired');
      return renderNotice(res, deps, 410, {
        title: messages.expiredTitle,
        text: messages.expired(at ? dateFormat.format(at) : null),
        writeTo: messages.expiredWriteTo,
      });
    }
    default:
      // Never sent, cancelled or bounced: no buyer should hold this link, so it looks like any other.
      return unavailable(deps, res);
  }
}

/** The post as a form to send again, when it is a plain form post (not the form's own decline button). */
function resendOf(req: Request): Resend | undefined {
  const parsed = postedFields.safeParse(req.body);
  if (!parsed.success || Object.keys(parsed.data).length === 0) return undefined;
  return {
    action: `${req.baseUrl}${req.path}`,
    fields: Object.entries(parsed.data).flatMap(([name, v]) => (Array.isArray(v) ? v : [v]).map((x): [string, string] => [name, x])),
  };
}

export function unavailable(deps: AppDeps, res: Response): Promise<void> {
  return renderNotice(res, deps, 404, { title: messages.unavailableTitle, text: messages.unavailable, writeTo: messages.unavailableWriteTo });
}

/**
 * Finds the form behind the request's token, or answers for it: 429 for an address over the guessing
 * limit; the unavailable page (404) for a link that opens no form, counted as a failed guess only when
 * the link is not one we issued. A real link whose interview is over is no guess: its buyer may come
 * back to it, or send the form again after an error. `thanksIfCompleted`: a form sent to a completed
 * interview gets the thank-you, since what the buyer sent is stored (a second submission changes nothing).
 */
async function formOr404(
  req: Request,
  res: Response,
  deps: AppDeps,
  limiter: GuessLimiter,
  opts: { thanksIfCompleted?: boolean } = {},
): Promise<FormContext | null> {
  const key = req.ip ?? 'unknown';
  if (limiter.blocked(key)) {
    await renderNotice(res, deps, 429, { title: messages.tooManyTitle, text: messages.tooMany });
    return null;
  }
  const lookup = await buyerForm(tokenOf(req));
  if (lookup.found === 'form') return lookup.ctx;
  if (lookup.found === 'closed' && lookup.state === 'completed' && opts.thanksIfCompleted) res.redirect(303, '/i/thanks');
  else if (lookup.found === 'closed') await closedNotice(res, deps, lookup);
  else if (await limiter.fail(key)) await renderNotice(res, deps, 429, { title: messages.tooManyTitle, text: messages.tooMany });
  else await unavailable(deps, res);
  return null;
}

export function buyerHandlers(deps: AppDeps, limiter: GuessLimiter) {
  const base = (req: Request) => `/i/${tokenOf(req)}`;

  const show: Handler = async (req, res) => {
    const ctx = await formOr404(req, res, deps, limiter);
    if (!ctx) return;
    await markOpened(ctx);
    res.set('Cache-Control', 'no-store');
    await renderStep(res, deps.config, ctx, base(req), 200, { step: requestedStep(req, ctx) });
  };

  const save: Handler = async (req, res) => {
    const ctx = await formOr404(req, res, deps, limiter, { thanksIfCompleted: true });
    if (!ctx) return;
    res.set('Cache-Control', 'no-store');
    const { next } = await postStep(req, res, deps, ctx, base(req));
    if (next === 'submitted') res.redirect(303, '/i/thanks');
    else if (next !== undefined) res.redirect(303, `${base(req)}?step=${next + 1}`);
  };

  const saveAnswer: Handler = async (req, res) => {
    const key = req.ip ?? 'unknown';
    const lookup = limiter.blocked(key) ? null : await buyerForm(tokenOf(req));
    if (lookup?.found !== 'form') {
      if (lookup?.found === 'unknown') await limiter.fail(key);
      res.status(404).json({ error: { code: 'not_found', message: lookup?.found === 'closed' ? messages.formClosed : messages.unavailableTitle } });
      return;
    }
    await autosave(req, res, lookup.ctx);
  };

  const confirmDecline: Handler = async (req, res) => {
    const ctx = await formOr404(req, res, deps, limiter);
    if (!ctx) return;
    res.render('buyer/decline', { title: messages.declineTitle, brand: await brandFor(deps.config), base: base(req), m: messages });
  };

  const decline: Handler = async (req, res) => {
    const ctx = await formOr404(req, res, deps, limiter);
    if (!ctx) return;
    await declineForm(ctx);
    res.redirect(303, '/i/declined');
  };

  const thanks: Handler = (_req, res) => renderNotice(res, deps, 200, { title: messages.answeredTitle, text: messages.answered });
  const declined: Handler = (_req, res) => renderNotice(res, deps, 200, { title: messages.declinedTitle, text: messages.declined });
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
    if (status >= 500) req.log?.error({ err }, 'buyer form error');
    if (req.path.endsWith('/answers') || req.accepts(['html', 'json']) === 'json') {
      if (status >= 500 && req.method === 'POST') message = messages.notStored;
      res.status(status).json({ error: { code: status === 413 ? 'payload_too_large' : status >= 500 ? 'internal_error' : 'bad_request', message } });
      return;
    }
    // A step or the whole form could not be stored (the database is away): say so plainly, never a
    // thank-you, and keep what the buyer typed on this page, in a form they can send again as it was.
    // (If the post cannot be read back, their browser's Back button still has it.)
    const resend = status >= 500 && req.method === 'POST' ? resendOf(req) : undefined;
    if (status >= 500 && req.method === 'POST') message = resend ? messages.notStoredKept : messages.notStored;
    void renderNotice(res, deps, status, { title: status >= 500 ? 'Something went wrong' : 'That did not work', text: message, resend }).catch(next);
  };
}
