// Interview pages: the list, and the rep's hold-off form.
import type { Request, Response } from 'express';
import { z } from 'zod';
import { readableDealIds, routeInterview } from '../deals/access.ts';
import { actorOf } from '../accounts/actor.ts';
import { renderForm, typed } from '../lib/http/forms.ts';
import { fieldErrors, parseOrThrow } from '../lib/http/validate.ts';
import { holdOff, holdOffContext } from './holdoff.ts';
import { interviewStateLabels, interviewStates } from './model.ts';
import { listInterviewsQuery } from './schemas.ts';
import { listInterviews } from './service.ts';
import { dueInvitations, NoInterviewerError, removeFromQueue, sendEarly } from './queue.ts';
import type { AppDeps } from '../lib/http/deps.ts';
import { interviewEvent } from '../outbox/events.ts';

const idParam = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/, 'Not an interview id.') });
const holdOffBody = z
  .object({ _csrf: z.string().optional(), reason: z.string().trim().min(10, 'Say in a sentence why the buyer should not be asked now (10 characters or more).').max(2000) })
  .strict();

export async function list(req: Request, res: Response): Promise<void> {
  const query = parseOrThrow(listInterviewsQuery, req.query);
  res.render('interviews/index', { title: 'Interviews', query, states: interviewStates, stateLabels: interviewStateLabels, page: await listInterviews(query, await readableDealIds(req.user!)) });
}

export async function showHoldOff(req: Request, res: Response): Promise<void> {
  const ctx = await holdOffContext(routeInterview(req).interview._id);
  renderForm(res, 200, 'interviews/hold-off', 'Hold off an interview', { values: { reason: '' } }, { ...ctx });
}

export const submitHoldOff = ({ queue }: Pick<AppDeps, 'queue'>) => async (req: Request, res: Response): Promise<void> => {
  const id = String(routeInterview(req).interview._id);
  const ctx = await holdOffContext(id);
  const parsed = holdOffBody.safeParse(req.body);
  if (!parsed.success) return renderForm(res, 400, 'interviews/hold-off', 'Hold off an interview', { values: typed(req.body, ['reason']), errors: fieldErrors(parsed.error) }, { ...ctx });
  await holdOff(id, parsed.data.reason, actorOf(req));
  await interviewEvent(queue, 'held', id);
  req.session.notice = 'Held off: the buyer will not be invited. The interviewer can see your reason.';
  res.redirect(303, `/deals/${String(ctx.deal._id)}`);
};

// The queue's "Due within" travels with each action (a hidden field), so the page comes back as it was.
const days = z.coerce.number().int().min(1).max(60).default(14);
const queueQuery = z.object({ days }).strict();
const queuePath = (d: number) => (d === 14 ? '/interviews/queue' : `/interviews/queue?days=${d}`);
const removeBody = z.object({ _csrf: z.string().optional(), days, reason: z.string().trim().min(3, 'Say briefly why (3 characters or more).').max(500) }).strict();
const sendNowBody = z.object({ _csrf: z.string().optional(), days }).strict();

export async function showQueue(req: Request, res: Response): Promise<void> {
  const { days } = parseOrThrow(queueQuery, req.query);
  const notice = req.session.notice;
  delete req.session.notice;
  res.render('interviews/queue', { title: 'Invitation queue', days, rows: await dueInvitations(days), notice, errors: {}, failedId: undefined, values: { reason: '' } });
}

export async function removeQueued(req: Request, res: Response): Promise<void> {
  const { id } = parseOrThrow(idParam, req.params);
  const parsed = removeBody.safeParse(req.body);
  if (!parsed.success) {
    const shown = days.catch(14).parse((req.body as Record<string, unknown> | undefined)?.days);
    res.status(400).render('interviews/queue', { title: 'Invitation queue', days: shown, rows: await dueInvitations(shown), notice: undefined, errors: fieldErrors(parsed.error), failedId: id, values: typed(req.body, ['reason']) });
    return;
  }
  await removeFromQueue(id, parsed.data.reason, actorOf(req));
  req.session.notice = 'Removed: this contact will not be invited.';
  res.redirect(303, queuePath(parsed.data.days));
}

export const sendNow = ({ queue }: Pick<AppDeps, 'queue'>) => async (req: Request, res: Response): Promise<void> => {
  const { id } = parseOrThrow(idParam, req.params);
  const body = parseOrThrow(sendNowBody, req.body);
  try {
    await sendEarly(id, actorOf(req), queue);
    req.session.notice = 'Sending now: the invitation goes out within a minute.';
  } catch (err) {
    if (!(err instanceof NoInterviewerError)) throw err;
    req.session.notice = err.message;
  }
  res.redirect(303, queuePath(body.days));
};
