// What this installation runs on, without secrets: the database, mail, the public address.
import { Router } from 'express';
import { authorize } from '../accounts/index.ts';
import type { AppDeps } from '../lib/http/deps.ts';
import { latestHeartbeat } from '../system/index.ts';
import { checklistDismissed } from '../onboarding/index.ts';

export function settingsRouter({ config, database }: AppDeps): Router {
  const router = Router();
  router.get('/', authorize('settings:read'), async (_req, res) => {
    res.render('settings/index', {
      title: 'Settings',
      checklistDismissed: await checklistDismissed(),
      installation: {
        appUrl: config.appUrl,
        database: database.description,
        databaseKind: database.kind,
        mail: config.smtpUrl ? 'the SMTP server in SMTP_URL' : 'SMTP_URL is not set: mail goes to the built-in catcher; read it in the Mailbox (/dev/mailbox)',
        demoData: config.demoData,
        lastWorkerBeatAt: (await latestHeartbeat())?.beatAt ?? null,
      },
    });
  });
  return router;
}
