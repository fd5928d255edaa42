// The rep's link pages: /r/hold-off/<token> and /r/debrief/<token>. No session and no account: the token
// is the key, for one deal and one purpose. Each page shows that deal's few facts and its form (the same
// form as the staff page), or, once the link can no longer do its work, a calm page that says why and
// whom to write to. A link we never issued (or one used for the other purpose) gets one 404 that names
// nobody, and counts as a guess.
import type { Request, Response } from 'express';
import type { AppDeps } from '../lib/http/deps.ts';
import type { Actor } from '../audit/index.ts';
import type { GuessLimiter } from '../lib/http/link-guards.ts';
import { mailFromParts } from '../lib/mailer.ts';
import { parseRepView, repViewFormFields, repViewToForm } from '../deals/forms.ts';
import { recordRepView } from '../deals/lifecycle.ts';
import { holdOff, HoldOffError } from '../interviews/holdoff.ts';
import { typed } from '../lib/http/forms.ts';
import { fieldErrors } from '../lib/http/validate.ts';
import { loadProgram } from '../program/index.ts';
import { messages } from './messages.ts';
import { repHoldOffBody } from './schemas.ts';
import type { RepLinkPurpose } from './model.ts';
import { debriefLinkDays, openRepLink, type RepLinkLookup } from './service.ts';

type Handler = (req: Request, res: Response) => Promise<void>;
type Found = Exclude<RepLinkLookup, { found: 'unknown' }>;
type Open = Extract<RepLinkLookup, { found: 'open' }>;
type Closed = Extract<RepLinkLookup, { found: 'closed' }>;

/** The link's own address, without a query. */
const pathOf = (req: Request) => `${req.baseUrl}${req.path}`;

function tokenOf(req: Request): string {
  const t = req.params.token;
  return typeof t === 'string' ? t : '';
}

/** Who acts through a link: the deal's owner it was sent to (the interviewer sees their name on a hold-off). */
function linkActor(req: Request, found: Found): Actor {
  return { type: 'rep_link', email: found.link.repEmail, ...(req.ip ? { ip: req.ip } : {}) };
}

interface Notice {
  title: string;
  text: string;
  /** The sentence before the address to write to, if the page asks the rep to write. */
  writeTo?: string;
}

async function renderNotice(res: Response, deps: AppDeps, status: number, notice: Notice, found?: Found): Promise<void> {
  // The interviewer of the interview the email was about, else the company's address.
  const interviewer = found?.interview.interviewer;
  const contact = interviewer?.email
    ? { name: interviewer.name || interviewer.email, email: interviewer.email }
    : { name: 'us', email: mailFromParts(deps.config.mailFrom).address };
  res.status(status).render('replinks/notice', { title: notice.title, heading: notice.title, text: notice.text, writeTo: notice.writeTo ?? null, contact });
}

const who = (found: Found) => found.interview.interviewer?.name || found.interview.interviewer?.email || 'the interviewer';
const contactOf = (found: Found) => found.interview.contact?.name || 'The buyer';

/** The page for a link that can no longer do its work. */
function closedNotice(res: Response, deps: AppDeps, closed: Closed): Promise<void> {
  const name = who(closed);
  switch (closed.reason) {
    case 'not_yours':
      return renderNotice(
        res,
        deps,
        410,
        { title: messages.notYoursTitle, text: messages.notYours(closed.deal.name), writeTo: messages.writeTo(name) },
        closed,
      );
    case 'held':
      return renderNotice(
        res,
        deps,
        200,
        {
          title: messages.heldTitle,
          text: messages.held(contactOf(closed), closed.interview.holdOff?.by ?? null, closed.interview.holdOff?.at ?? null),
          writeTo: messages.heldWriteTo(name),
        },
        closed,
      );
    case 'sent':
      return renderNotice(res, deps, 410, { title: messages.sentTitle, text: messages.sent(contactOf(closed)), writeTo: messages.sentWriteTo(name) }, closed);
    case 'not_asked':
      return renderNotice(res, deps, 200, { title: messages.notAskedTitle, text: messages.notAsked(contactOf(closed)) }, closed);
    case 'not_lost':
      return renderNotice(res, deps, 410, { title: messages.notLostTitle, text: messages.notLost(closed.deal.name) }, closed);
    case 'expired':
      return closed.link.purpose === 'hold_off'
        ? renderNotice(
            res,
            deps,
            410,
            {
              title: messages.holdOffExpiredTitle,
              text: messages.holdOffExpired(contactOf(closed), closed.link.expiresAt),
              writeTo: messages.holdOffExpiredWriteTo(name),
            },
            closed,
          )
        : renderNotice(
            res,
            deps,
            410,
            { title: messages.debriefExpiredTitle, text: messages.debriefExpired(debriefLinkDays), writeTo: messages.debriefExpiredWriteTo(name) },
            closed,
          );
  }
}

export function repLinkHandlers(deps: AppDeps, limiter: GuessLimiter) {
  /** The open link behind the request, or the page that answers for it (429, 404, or why it is closed). */
  async function openOr(req: Request, res: Response, purpose: RepLinkPurpose): Promise<Open | null> {
    const key = req.ip ?? 'unknown';
    if (limiter.blocked(key)) {
      await renderNotice(res, deps, 429, { title: messages.tooManyTitle, text: messages.tooMany });
      return null;
    }
    const found = await openRepLink(tokenOf(req), purpose);
    if (found.found === 'open') return found;
    if (found.found === 'closed') await closedNotice(res, deps, found);
    else if (await limiter.fail(key)) await renderNotice(res, deps, 429, { title: messages.tooManyTitle, text: messages.tooMany });
    else await notFound(req, res);
    return null;
  }

  const holdOffPage = (req: Request, res: Response, open: Open, status: number, values: Record<string, string>, errors: Record<string, string[]> = {}) =>
    res.status(status).render('replinks/hold-off', {
      title: 'Hold off an interview',
      interview: open.interview,
      deal: open.deal,
      deadline: open.deadline,
      values,
      errors,
      formError: undefined,
      action: pathOf(req),
    });

  const debriefPage = async (
    req: Request,
    res: Response,
    open: Open,
    status: number,
    values: Record<string, string>,
    errors: Record<string, string[]> = {},
    saved = false,
  ) => {
    const { reasons } = await loadProgram();
    res.status(status).render('replinks/debrief', {
      title: `Your view: ${open.deal.name}`,
      deal: open.deal,
      reasons,
      values,
      errors,
      formError: undefined,
      action: pathOf(req),
      saved: saved ? messages.debriefSaved(open.link.expiresAt) : null,
    });
  };

  const showHoldOff: Handler = async (req, res) => {
    const open = await openOr(req, res, 'hold_off');
    if (open) holdOffPage(req, res, open, 200, { reason: '' });
  };

  const submitHoldOff: Handler = async (req, res) => {
    const open = await openOr(req, res, 'hold_off');
    if (!open) return;
    const parsed = repHoldOffBody.safeParse(req.body);
    if (!parsed.success) return holdOffPage(req, res, open, 400, typed(req.body, ['reason']), fieldErrors(parsed.error));
    try {
      await holdOff(String(open.interview._id), parsed.data.reason, linkActor(req, open));
    } catch (err) {
      // Sent or held a moment ago (the marketer's "Send now", a second tab): the page says what is true now.
      if (!(err instanceof HoldOffError)) throw err;
    }
    // The same address again: it now says the interview is held off (this link's work is done).
    res.redirect(303, pathOf(req));
  };

  const showDebrief: Handler = async (req, res) => {
    const open = await openOr(req, res, 'debrief');
    if (open) await debriefPage(req, res, open, 200, repViewToForm(open.deal), {}, req.query.saved === '1');
  };

  const saveDebrief: Handler = async (req, res) => {
    const open = await openOr(req, res, 'debrief');
    if (!open) return;
    const { reasons } = await loadProgram();
    const parsed = parseRepView(
      req.body,
      reasons.map((r) => r.code),
    );
    if (!parsed.ok) return debriefPage(req, res, open, 400, typed(req.body, repViewFormFields), parsed.errors);
    await recordRepView(open.deal._id, parsed.view, linkActor(req, open), 'link');
    res.redirect(303, `${pathOf(req)}?saved=1`);
  };

  const notFound: Handler = async (_req, res) => renderNotice(res, deps, 404, { title: messages.unknownTitle, text: messages.unknown });

  return { showHoldOff, submitHoldOff, showDebrief, saveDebrief, notFound };
}
