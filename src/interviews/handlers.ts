// Interview pages: the list, and the rep's hold-off form.
import type { Request, Response } from 'express';
import { readableDealIds } from '../deals/access.ts';
import { routeInterview } from './access.ts';
import { actorOf } from '../accounts/index.ts';
import { renderForm, typed } from '../lib/http/forms.ts';
import { fieldErrors, parseOrThrow } from '../lib/http/validate.ts';
import { holdOff, holdOffContext } from './holdoff.ts';
import { interviewStateLabels, interviewStates } from './model.ts';
import { holdOffBody, interviewIdParams, listInterviewsQuery, queueDays, queueQuery, removeQueuedBody, sendNowBody } from './schemas.ts';
import { listInterviews } from './service.ts';
import { dueInvitations, NoInterviewerError, removeFromQueue, sendEarly, type SendInvitationNow } from './queue.ts';
import { takeNotice } from '../lib/http/notice.ts';

export async function list(req: Request, res: Response): Promise<void> {
  const query = parseOrThrow(listInterviewsQuery, req.query);
  res.render('interviews/index', {
    title: 'Interviews',
    query,
    states: interviewStates,
    stateLabels: interviewStateLabels,
    page: await listInterviews(query, await readableDealIds(req.user!)),
  });
}

export async function showHoldOff(req: Request, res: Response): Promise<void> {
  const ctx = await holdOffContext(routeInterview(req).interview._id);
  renderForm(res, 200, 'interviews/hold-off', 'Hold off an interview', { values: { reason: '' } }, { ...ctx });
}

export async function submitHoldOff(req: Request, res: Response): Promise<void> {
  const id = String(routeInterview(req).interview._id);
  const ctx = await holdOffContext(id);
  const parsed = holdOffBody.safeParse(req.body);
  if (!parsed.success)
    return renderForm(
      res,
      400,
      'interviews/hold-off',
      'Hold off an interview',
      { values: typed(req.body, ['reason']), errors: fieldErrors(parsed.error) },
      { ...ctx },
    );
  await holdOff(id, parsed.data.reason, actorOf(req));
  req.session.notice = 'Held off: the buyer will not be invited. The interviewer can see your reason.';
  res.redirect(303, `/deals/${String(ctx.deal._id)}`);
}

const queuePath = (d: number) => (d === 14 ? '/interviews/queue' : `/interviews/queue?days=${d}`);

export async function showQueue(req: Request, res: Response): Promise<void> {
  const { days } = parseOrThrow(queueQuery, req.query);
  const notice = takeNotice(req);
  res.render('interviews/queue', {
    title: 'Invitation queue',
    days,
    rows: await dueInvitations(days),
    notice,
    errors: {},
    failedId: undefined,
    values: { reason: '' },
  });
}

export async function removeQueued(req: Request, res: Response): Promise<void> {
  const { id } = parseOrThrow(interviewIdParams, req.params);
  const parsed = removeQueuedBody.safeParse(req.body);
  if (!parsed.success) {
    const shown = queueDays.catch(14).parse((req.body as Record<string, unknown> | undefined)?.days);
    res.status(400).render('interviews/queue', {
      title: 'Invitation queue',
      days: shown,
      rows: await dueInvitations(shown),
      notice: undefined,
      errors: fieldErrors(parsed.error),
      failedId: id,
      values: typed(req.body, ['reason']),
    });
    return;
  }
  await removeFromQueue(id, parsed.data.reason, actorOf(req));
  req.session.notice = 'Removed: this contact will not be invited.';
  res.redirect(303, queuePath(parsed.data.days));
}

export const sendNow =
  ({ sendInvitationNow }: { sendInvitationNow: SendInvitationNow }) =>
  async (req: Request, res: Response): Promise<void> => {
    const { id } = parseOrThrow(interviewIdParams, req.params);
    const body = parseOrThrow(sendNowBody, req.body);
    try {
      await sendEarly(id, actorOf(req), sendInvitationNow);
      req.session.notice = 'Sending now: the invitation goes out within a minute.';
    } catch (err) {
      if (!(err instanceof NoInterviewerError)) throw err;
      req.session.notice = err.message;
    }
    res.redirect(303, queuePath(body.days));
  };
