// Puts the app together for one process: the database (real MongoDB or the embedded engine), the job
// queue, the web server and/or the job worker, and a stop() that shuts them down in order.
import { once } from 'node:events';
import type { Server } from 'node:http';
import mongoose from 'mongoose';
import { jobs } from '../jobs/index.ts';
import { createApp } from './app.ts';
import { installConsequences } from './consequences.ts';
import type { Config, Role } from './config.ts';
import { seedDemoWorkspace } from './demo/seed.ts';
import { dealsSearchBackfillContract } from './deals/jobs.ts';
import { backfillAccountKeys } from './interviews/ledger.ts';
import { openDatabase, type Database } from './lib/db.ts';
import type { Logger } from './lib/logger.ts';
import { createMailer, type Mailer } from './lib/mailer.ts';
import { startCatcher, type Catcher } from './mail/catcher.ts';
import { createQueue, type Queue, type WorkerServices } from './lib/queue.ts';
import { loadSecrets } from './lib/secrets.ts';
import { recordWebAddress } from './system/service.ts';

export interface Running {
  readonly database: Database;
  readonly queue: Queue;
  /**
   * Sends mail: to SMTP_URL, else to the SMTP catcher this process runs (worker and `all` roles). Unset
   * in a web-only process without SMTP_URL, which leaves sending to the worker and only shows the mailbox.
   */
  readonly mailer: Mailer | undefined;
  /** Set when this process serves HTTP. */
  readonly server: Server | undefined;
  stop(): Promise<void>;
}

/** Production runs without SMTP_URL only with SMTP_CATCHER=true (config.ts); then every start says so, loudly. */
export const catcherInProduction =
  'MAIL GOES NOWHERE: this is production without SMTP_URL (SMTP_CATCHER=true), so no email reaches anyone: not buyers, not staff. Every message is kept in the SMTP catcher, readable by admins at /dev/mailbox (account mail by its addressee only). Set SMTP_URL to deliver mail.';

export class StartupError extends Error {
  override name = 'StartupError';
}

/** Creates every model's indexes (unique keys are what idempotency rests on). */
export async function ensureIndexes(): Promise<void> {
  await Promise.all(mongoose.modelNames().map((name) => mongoose.model(name).init()));
}

/** What jobs use: the mailer, the public address, the app's keys, the sending limits, the outgoing webhooks' first retry. */
export function jobServices(config: Config, mailer: Mailer): WorkerServices {
  return {
    mailer,
    appUrl: config.appUrl,
    secrets: loadSecrets(config),
    mailPerDomainPerMinute: config.mailPerDomainPerMinute,
    mailFrom: config.mailFrom,
    outgoingWebhookFirstRetryMs: config.outgoingWebhookFirstRetryMs,
  };
}

export async function startServer(config: Config, logger: Logger, role: Role): Promise<Running> {
  const runsWeb = role !== 'worker';
  const runsWorker = role !== 'web';
  const database = await openDatabase(config, logger);
  let queue: Queue | undefined;
  let server: Server | undefined;
  let catcher: Catcher | undefined;
  let mailer: Mailer | undefined;

  const stop = async () => {
    if (server) {
      const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server?.closeAllConnections(), Math.min(5000, config.shutdownTimeoutMs));
      await closed;
      clearTimeout(timer);
    }
    await queue?.stop(config.shutdownTimeoutMs);
    // After the jobs (they send mail), before the database (the catcher writes what it catches into it).
    await mailer?.close();
    await catcher?.stop();
    await database.close();
  };

  try {
    await ensureIndexes();
    await backfillAccountKeys();
    if (config.smtpUrl) {
      mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, logger });
      logger.info({ mail: 'smtp' }, `mail: SMTP server ${mailer.description}`);
    } else if (runsWorker) {
      // Before the worker starts: its jobs may send mail at once.
      catcher = await startCatcher({ port: config.smtpCatcherPort, logger });
      mailer = createMailer({ smtpUrl: catcher.url, from: config.mailFrom, logger });
      logger.info({ mail: 'catcher', port: catcher.port }, `mail: SMTP catcher on ${catcher.url} (see ${config.appUrl}/dev/mailbox)`);
      if (config.env === 'production') logger.warn({ mail: 'catcher' }, catcherInProduction);
    } else {
      logger.info({ mail: 'catcher' }, `mail: sent by the job worker to its SMTP catcher (see ${config.appUrl}/dev/mailbox)`);
      if (config.env === 'production') logger.warn({ mail: 'catcher' }, catcherInProduction);
    }
    queue = createQueue({
      db: mongoose.connection.db!,
      jobs,
      logger,
      pollMs: config.workerPollMs,
      inProcessNotifications: role === 'all',
    });
    installConsequences(queue, logger);
    if (runsWorker) {
      // A worker always has a mailer: SMTP_URL's, else its own catcher's (above).
      await queue.start(jobServices(config, mailer!), { recurring: true });
      await queue.enqueue(dealsSearchBackfillContract, {}); // once per database: it returns at once when done before
      logger.info({ role }, 'job worker started');
    }
    if (runsWeb) {
      const outcome = await seedDemoWorkspace(config.demoData, logger);
      if (outcome === 'seeded') logger.info('demo workspace ready: set DEMO_DATA=false on a new data folder to start empty');
    }
    if (runsWeb) {
      const app = createApp({ config, logger, database, queue, mailer });
      server = app.listen(config.port, config.host);
      await Promise.race([
        once(server, 'listening'),
        once(server, 'error').then(([err]) => {
          const e = err as NodeJS.ErrnoException;
          throw new StartupError(
            e.code === 'EADDRINUSE' ? `Port ${config.port} on ${config.host} is already in use: stop the other program or set PORT.` : e.message,
          );
        }),
      ]);
      await recordWebAddress(config.appUrl); // where the command line sends people to sign in
      logger.info({ url: config.appUrl }, `Debrief is listening on ${config.appUrl}`);
    }
  } catch (err) {
    await stop().catch((e: unknown) => logger.error({ err: e }, 'error while cleaning up after a failed start'));
    throw err;
  }
  return { database, queue, mailer, server, stop };
}
