// The admin's privacy page: export or erase a buyer's data on request, and the retention period.
import type { Request, Response } from 'express';
import { actorOf } from '../accounts/index.ts';
import { renderForm, typed } from '../lib/http/forms.ts';
import { takeNotice } from '../lib/http/notice.ts';
import { fieldErrors } from '../lib/http/validate.ts';
import { workspaceSettings } from '../settings/index.ts';
import { eraseBody, exportBody, retentionBody } from './schemas.ts';
import { eraseBuyer, exportBuyer, setRetention } from './service.ts';

const view = 'privacy/index';
const title = 'Privacy';

async function pageState(req: Request) {
  return { notice: takeNotice(req), retentionMonths: (await workspaceSettings()).retentionMonths };
}

export async function showPrivacy(req: Request, res: Response): Promise<void> {
  renderForm(res, 200, view, title, { values: { email: '', months: '' } }, { ...(await pageState(req)), result: undefined });
}

export async function exportData(req: Request, res: Response): Promise<void> {
  const parsed = exportBody.safeParse(req.body);
  if (!parsed.success) {
    return renderForm(
      res,
      400,
      view,
      title,
      { values: typed(req.body, ['email']), errors: fieldErrors(parsed.error) },
      { ...(await pageState(req)), result: undefined },
    );
  }
  const data = await exportBuyer(parsed.data.email, actorOf(req));
  res.setHeader('Content-Disposition', 'attachment; filename="debrief-buyer-export.json"');
  res.setHeader('Cache-Control', 'no-store');
  res.json(data);
}

export async function eraseData(req: Request, res: Response): Promise<void> {
  const parsed = eraseBody.safeParse(req.body);
  if (!parsed.success) {
    return renderForm(
      res,
      400,
      view,
      title,
      { values: typed(req.body, ['email']), errors: fieldErrors(parsed.error) },
      { ...(await pageState(req)), result: undefined },
    );
  }
  const result = await eraseBuyer(parsed.data.email, actorOf(req));
  req.session.notice =
    result.deals + result.interviews === 0
      ? 'Debrief holds nothing for that address.'
      : `Erased: the contact details in ${result.deals} deal(s) and ${result.interviews} interview(s), and the free text of ${result.answers} answer(s). Anonymous counts are kept.`;
  res.redirect(303, '/admin/privacy');
}

export async function saveRetention(req: Request, res: Response): Promise<void> {
  const parsed = retentionBody.safeParse(req.body);
  if (!parsed.success) {
    const errors = Object.fromEntries(Object.entries(fieldErrors(parsed.error)).map(([k, v]) => [k === 'months' ? 'months' : k, v]));
    return renderForm(
      res,
      400,
      view,
      title,
      { values: { email: '', ...typed(req.body, ['months']) }, errors },
      { ...(await pageState(req)), result: undefined },
    );
  }
  await setRetention(parsed.data.months, actorOf(req));
  req.session.notice = parsed.data.months
    ? `Buyer answers older than ${parsed.data.months} months will be deleted daily.`
    : 'Retention is off: answers are kept until erased.';
  res.redirect(303, '/admin/privacy');
}
