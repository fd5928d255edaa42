// What the express app hands its feature routers: the process's config and infrastructure. Here, not in
// app.ts, so that a router can name it without importing the app that imports every router.
import type { Config } from '../../config.ts';
import type { Database } from '../db.ts';
import type { Logger } from '../logger.ts';
import type { Mailer } from '../mailer.ts';
import type { Queue } from '../queue.ts';

export interface AppDeps {
  config: Config;
  logger: Logger;
  database: Database;
  queue: Queue;
  /**
   * Sends mail (src/lib/mailer.ts). Unset in a web-only process without SMTP_URL: there the job worker
   * runs the SMTP catcher and sends the mail, and this process only shows the mailbox.
   */
  mailer?: Mailer | undefined;
}
