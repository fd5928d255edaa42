// Builds the express app: security headers, logging, body limits, static files, the feature routers and
// the error handler. It does not listen: server start-up lives in main.ts, tests use it directly.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { AppDeps } from './lib/http/deps.ts';
import { errorHandler, notFoundHandler } from './lib/http/errors.ts';
import { secretPathGuards } from './lib/http/secret-paths.ts';
import { viewHelpers } from './lib/http/views.ts';
import { can } from './accounts/permissions.ts';
import { accountsRouter } from './accounts/routes.ts';
import { loadUser, sessionMiddleware } from './accounts/session.ts';
import { auditRouter } from './accounts/audit-log.ts';
import { mailboxRouter } from './mail/routes.ts';
import { apiNotFound, apiRouter } from './api/routes.ts';
import { loadSecrets } from './lib/secrets.ts';
import { apiKeysRouter } from './apikeys/routes.ts';
import { privacyRouter } from './privacy/routes.ts';
import { csrfLocals, csrfProtection } from './lib/http/csrf.ts';
import { healthRouter } from './health/routes.ts';
import { homeRouter } from './home/routes.ts';
import { dealsRouter } from './deals/routes.ts';
import { lostDealCompetitors } from './deals/service.ts';
import { importsRouter } from './imports/routes.ts';
import { interviewsRouter } from './interviews/routes.ts';
import { outcomeWords } from './interviews/index.ts';
import { digestSettingsRouter, perceptionGapRouter, reportsRouter } from './reports/routes.ts';
import { settingsRouter } from './settings/routes.ts';
import { programRouter } from './program/routes.ts';
import { suppressionRouter, unsubscribeRouter } from './suppression/routes.ts';
import { emailSettingsRouter } from './outbox/routes.ts';
import { themesRouter } from './themes/routes.ts';
import { webhooksRouter } from './webhooks/routes.ts';
import { hooksRouter } from './hooks/routes.ts';
import { buyerRouter, liveRouter } from './buyer/routes.ts';
import { questionnaireRouter } from './questionnaires/routes.ts';
import { repLinkRouter } from './replinks/routes.ts';
import { setupChecklistRouter } from './onboarding/index.ts';
import { sendInvitationNow } from './outbox/schedule.ts';
import { emailProblems } from './outbox/status.ts';
import { sendStaffEmail } from './outbox/staff.ts';
import { prepBrief } from './reports/brief.ts';
import { programTimeZone } from './program/model.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const requestIdPattern = /^[A-Za-z0-9._-]{8,100}$/;

const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

export function createApp(deps: AppDeps): Express {
  const { config, logger } = deps;
  const app = express();
  const secure = config.appUrl.startsWith('https://');

  app.disable('x-powered-by');
  // X-Forwarded-For counts only from the proxies named in TRUSTED_PROXIES (none by default): req.ip is
  // what rate limits and the audit log go by.
  app.set('trust proxy', config.trustedProxies.length > 0 ? [...config.trustedProxies] : false);
  app.set('query parser', 'simple'); // express 5's default, kept on purpose: no nested objects from ?a[b]=c
  app.set('view engine', 'ejs');
  app.set('views', join(root, 'views'));
  // showMailbox: the dev mailbox exists only while mail goes to the SMTP catcher (SMTP_URL unset).
  Object.assign(app.locals, viewHelpers, { can, outcomeWords, appName: 'Debrief', showMailbox: !config.smtpUrl });

  // Secret path segments (link tokens), declared by their routers, never reach the logs (secret-paths.ts).
  const secretPaths = secretPathGuards(app);
  app.use(secretPaths.before);
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || (req.url ?? '').startsWith('/static/') },
      // Method, path and status only: headers carry cookies and keys, query strings can carry tokens.
      serializers: {
        req: (req: { id: unknown; method: string; raw: IncomingMessage }) => ({ id: req.id, method: req.method, path: secretPaths.loggedPath(req.raw) }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
    }),
  );
  app.use(secretPaths.after);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
          'upgrade-insecure-requests': secure ? [] : null,
        },
      },
      strictTransportSecurity: secure,
    }),
  );
  app.use('/static', express.static(join(root, 'public'), { maxAge: config.env === 'production' ? '7d' : 0, index: false }));
  // Nothing but the stylesheet may be kept by a browser or a proxy: pages show people's data and links
  // carry keys. The rare public answer that may be cached (the OpenAPI document) says so itself.
  app.use(noStore);
  // Pages name their icon (/static/favicon.svg), but browsers and feed readers still ask for /favicon.ico.
  app.get('/favicon.ico', (_req, res) => res.sendFile(join(root, 'public', 'favicon.ico'), { maxAge: config.env === 'production' ? '7d' : 0 }));
  // CRM webhooks read their raw body (signatures cover the exact bytes), so they come before the body
  // parsers below, and before the session and CSRF middleware: they carry no cookies and no CSRF token.
  app.use('/webhooks', webhooksRouter(deps));
  // The buyer's interview form: no session (buyers have none), its own body parsers and error pages,
  // and kept light, as every buyer's link lands here.
  app.use('/i', buyerRouter(deps));
  // The rep's emailed links (hold off, give their view): no session either, as a CRM owner may have no account.
  app.use('/r', repLinkRouter(deps));
  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 500 }));
  app.use(express.json({ limit: '100kb' }));
  app.use((req, res, next) => {
    res.locals.currentPath = req.path;
    next();
  });

  app.use(healthRouter(deps));
  app.use('/api/v1', apiRouter({ queue: deps.queue, secrets: loadSecrets(config) }));
  app.use('/api', apiNotFound);
  // The buyer's unsubscribe link: a mail client's one-click POST carries no cookie or CSRF token, and gets none.
  app.use('/u', unsubscribeRouter(deps));
  app.use(...sessionMiddleware(config), csrfLocals, csrfProtection, loadUser(programTimeZone));
  // Accounts stands below the program and the outbox (src/accounts/needs.ts): what it needs of them is handed in.
  app.use(accountsRouter(deps, { sendStaffEmail: (email) => sendStaffEmail(deps.queue, email) }));
  // Without SMTP_URL mail goes to the SMTP catcher, which keeps it in the database: show it here.
  if (!config.smtpUrl) app.use('/dev/mailbox', mailboxRouter());
  app.use('/admin/audit', auditRouter());
  app.use('/admin/api-keys', apiKeysRouter());
  app.use('/admin/privacy', privacyRouter());
  app.use(homeRouter(deps));
  app.use('/setup-checklist', setupChecklistRouter(deps));
  // The deal page shows the outbox's email problems and the reports' prep brief (features above deals).
  app.use('/deals', dealsRouter({ emailProblems, prepBrief }));
  app.use('/imports', importsRouter(deps));
  app.use('/interviews', interviewsRouter({ sendInvitationNow: (id, now) => sendInvitationNow(deps.queue, id, now) }));
  app.use('/interviews', liveRouter(deps));
  app.use('/themes/gap', perceptionGapRouter());
  app.use('/themes', themesRouter(deps));
  app.use('/reports', reportsRouter());
  // The program page suggests competitors named on lost deals (src/deals, a feature above the program).
  app.use('/settings/program', programRouter({ competitorsOnLostDeals: lostDealCompetitors }));
  app.use('/settings/questionnaire', questionnaireRouter());
  app.use('/settings/suppression', suppressionRouter());
  app.use('/settings/emails', emailSettingsRouter(config));
  app.use('/settings/digest', digestSettingsRouter());
  app.use('/settings/webhooks', hooksRouter(deps));
  app.use('/settings', settingsRouter(deps));

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
