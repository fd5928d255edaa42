// The set-up checklist's actions; each comes back to the checklist on the overview with what happened.
import type { Request, Response } from 'express';
import type { AppDeps } from '../lib/http/deps.ts';
import { actorOf } from '../accounts/index.ts';
import { parseOrThrow } from '../lib/http/validate.ts';
import { confirmStep, setDismissed } from './checklist.ts';
import { confirmBody, dismissBody, emptyBody } from './schemas.ts';
import { sendSmtpTest } from './smtp-test.ts';
import { NoTestSignerError, sendTestInvitation } from './test-invitation.ts';

const back = '/#setup';

export const smtpTest =
  ({ mailer, config }: Pick<AppDeps, 'mailer' | 'config'>) =>
  async (req: Request, res: Response): Promise<void> => {
    parseOrThrow(emptyBody, req.body);
    if (!mailer) {
      // A web process without SMTP_URL leaves mail to the worker's catcher: it has nothing to test here.
      req.session.notice =
        'This web process sends no mail: SMTP_URL is not set, and the job worker keeps all mail in its catcher. Set SMTP_URL, restart, and test again.';
      return res.redirect(303, back);
    }
    const result = await sendSmtpTest(mailer, { name: req.user!.name, email: req.user!.email }, config.appUrl, actorOf(req));
    req.session.notice = result.ok
      ? `Test email sent to ${req.user!.email}. The server answered: ${result.answer}`
      : `The test email was not sent. The server answered: ${result.answer}`;
    res.redirect(303, back);
  };

export async function confirm(req: Request, res: Response): Promise<void> {
  const { step } = parseOrThrow(confirmBody, req.body);
  await confirmStep(step, req.user!.email);
  req.session.notice =
    step === 'program' ? 'Noted: the program’s rules suit. Change them any time in Settings.' : 'Noted: the questions suit. Change them any time in Settings.';
  res.redirect(303, back);
}

export const testInvitation =
  ({ queue, config }: Pick<AppDeps, 'queue' | 'config'>) =>
  async (req: Request, res: Response): Promise<void> => {
    parseOrThrow(emptyBody, req.body);
    try {
      const sent = await sendTestInvitation({ name: req.user!.name, email: req.user!.email }, actorOf(req), queue, config.mailFrom);
      req.session.notice = `Test invitation on its way to ${req.user!.email}, signed by ${sent.interviewer.name}. Open it and answer as a buyer would: it counts in no figure.`;
    } catch (err) {
      if (!(err instanceof NoTestSignerError)) throw err;
      req.session.notice = err.message;
    }
    res.redirect(303, back);
  };

export async function dismiss(req: Request, res: Response): Promise<void> {
  const { dismissed } = parseOrThrow(dismissBody, req.body);
  await setDismissed(dismissed === 'yes', req.user!.email);
  req.session.notice = dismissed === 'yes' ? 'The set-up checklist is put away. Settings can bring it back.' : 'The set-up checklist is back on the overview.';
  res.redirect(303, dismissed === 'yes' ? '/' : back);
}
