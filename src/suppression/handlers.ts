// Request handlers for consent. Public: the buyer's unsubscribe link (/u/<token>), where a GET only
// shows a confirm button (link scanners follow links) and a POST of `List-Unsubscribe=One-Click`, from
// a mail client (RFC 8058) or from that button, opts out and answers 200, no redirect, no cookie.
// Staff: the suppression list page (/settings/suppression): search, add an address or a domain, remove.
import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { actorOf } from '../accounts/index.ts';
import { renderForm, typed, type FormState } from '../lib/http/forms.ts';
import { fieldErrors, parseOrThrow } from '../lib/http/validate.ts';
import type { Secrets } from '../lib/secrets.ts';
import { buyerSources, suppressionSourceLabels } from './model.ts';
import { addSuppressionBody, listSuppressionsQuery, oneClickBody, removeSuppressionBody } from './schemas.ts';
import { interviewStateFor, listSuppressions, optOut, suppressAddress, suppressDomain, removeSuppression, verifyUnsubscribeToken } from './service.ts';
import { takeNotice } from '../lib/http/notice.ts';

// ---------------------------------------------------------------------------------------------------
// Public: the buyer's unsubscribe link

const publicTitle = 'Unsubscribe';

/** Nothing about a buyer's unsubscribe page is cached, indexed or answered with a cookie. */
export const publicHeaders: RequestHandler = (_req, res, next) => {
  res.set({ 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex, nofollow' });
  next();
};

// RFC 8058 lets a mail client send the POST as multipart/form-data as well as urlencoded (which the
// app's body parser reads). Text fields only, a handful of small ones; a body that cannot be read
// counts as empty, which the one-click check then refuses.
const multipartFields = multer({ limits: { fields: 5, fieldNameSize: 100, fieldSize: 200, files: 0, parts: 5 } }).none();
export const readMultipart: RequestHandler = (req, res, next) => {
  if (!req.is('multipart/form-data')) return next();
  multipartFields(req, res, (err: unknown) => {
    if (err) req.body = {};
    next();
  });
};

function tokenParam(req: Request): string {
  return typeof req.params.token === 'string' ? req.params.token : '';
}

function notFoundPage(res: Response): void {
  res.status(404).render('suppression/not-found', { title: publicTitle });
}

export function unsubscribeHandlers(secrets: Secrets) {
  return {
    /** GET: the confirm page. Changes nothing. */
    async confirmPage(req: Request, res: Response): Promise<void> {
      const interviewId = verifyUnsubscribeToken(tokenParam(req), secrets);
      const state = interviewId ? await interviewStateFor(interviewId) : null;
      if (!interviewId || !state) return notFoundPage(res);
      res.render('suppression/unsubscribe', { title: publicTitle, token: tokenParam(req), outcome: state === 'opted_out' ? 'already' : 'ask', invalid: false });
    },

    /** POST: the one-click opt-out (a mail client) or the confirm button (the page). */
    async unsubscribe(req: Request, res: Response): Promise<void> {
      const interviewId = verifyUnsubscribeToken(tokenParam(req), secrets);
      if (!interviewId) return notFoundPage(res);
      const body = oneClickBody.safeParse(req.body ?? {});
      if (!body.success) {
        if (!(await interviewStateFor(interviewId))) return notFoundPage(res);
        res.status(400).render('suppression/unsubscribe', { title: publicTitle, token: tokenParam(req), outcome: 'ask', invalid: true });
        return;
      }
      try {
        await optOut(interviewId, body.data.from === 'page' ? 'link' : 'one-click');
      } catch (err) {
        if ((err as { status?: number }).status === 404) return notFoundPage(res);
        throw err;
      }
      res.status(200).render('suppression/unsubscribe', { title: publicTitle, token: tokenParam(req), outcome: 'done', invalid: false });
    },

    /** Anything else under /u: the same page as a bad link. */
    notFound(_req: Request, res: Response): void {
      notFoundPage(res);
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Staff: the suppression list

const view = 'suppression/index';
const title = 'Suppression list';
const blankForm = { kind: 'address', value: '', note: '' };

async function renderPage(req: Request, res: Response, status: number, state: FormState, query = { q: '', page: 1 }): Promise<void> {
  const notice = takeNotice(req);
  const page = await listSuppressions(query.page, query.q);
  renderForm(res, status, view, title, state, { page, q: query.q, notice, sourceLabels: suppressionSourceLabels, buyerSources });
}

export async function showList(req: Request, res: Response): Promise<void> {
  const query = parseOrThrow(listSuppressionsQuery, req.query);
  await renderPage(req, res, 200, { values: blankForm }, query);
}

export async function addEntry(req: Request, res: Response): Promise<void> {
  const values = { ...blankForm, ...typed(req.body, ['kind', 'value', 'note']) };
  const parsed = addSuppressionBody.safeParse(req.body ?? {});
  if (!parsed.success) return renderPage(req, res, 400, { values, errors: fieldErrors(parsed.error) });
  const { kind, value, note } = parsed.data;
  const options = { source: 'marketer' as const, actor: actorOf(req), note };
  const { created, entry } = kind === 'address' ? await suppressAddress(value, options) : await suppressDomain(value, options);
  if (!created) {
    const already = `${entry.key} is already on the list (since ${entry.createdAt.toISOString().slice(0, 10)}).`;
    return renderPage(req, res, 400, { values, errors: { value: [already] } });
  }
  req.session.notice =
    kind === 'address'
      ? `Added ${entry.key}: Debrief will not email this address.`
      : `Added ${entry.key}: Debrief will not email anyone at ${entry.key.slice(1)}.`;
  res.redirect(303, '/settings/suppression');
}

export async function removeEntry(req: Request, res: Response): Promise<void> {
  const { entry } = parseOrThrow(removeSuppressionBody, req.body ?? {});
  const removed = await removeSuppression(entry, actorOf(req));
  req.session.notice = removed ? `Removed ${removed.key} from the list: Debrief may email it again.` : `${entry} was not on the list.`;
  res.redirect(303, '/settings/suppression');
}
