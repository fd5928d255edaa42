import { Router } from 'express';
import type { AppDeps } from '../lib/http/deps.ts';
import { authorize, can } from '../accounts/index.ts';
import { describeSmtpUrl } from '../lib/mailer.ts';
import { overviewChecklist } from '../onboarding/index.ts';
import { readable, responseRateName } from '../reports/index.ts';
import { overview } from './service.ts';
import { takeNotice } from '../lib/http/notice.ts';

export function homeRouter({ config }: Pick<AppDeps, 'config'>): Router {
  const router = Router();
  const mailServer = config.smtpUrl ? describeSmtpUrl(config.smtpUrl) : null;
  router.get('/', authorize('overview:read'), async (req, res) => {
    // The set-up checklist, for those who set the program up, until it is done or put away.
    const checklist = can(req.user!.role, 'setup:read') ? await overviewChecklist({ mailFrom: config.mailFrom, mailServer }) : null;
    const notice = takeNotice(req);
    res.render('home/index', {
      title: 'Overview',
      overview: await overview(),
      readable,
      responseRateName,
      checklist,
      notice,
    });
  });
  return router;
}
