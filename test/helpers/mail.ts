// Real mail for tests: an SMTP catcher on a free loopback port and a mailer that sends to it. What was
// sent is read back from the database, as the dev mailbox does.
import { createLogger, type Logger } from '../../src/lib/logger.ts';
import { createMailer, type Mailer } from '../../src/lib/mailer.ts';
import { startCatcher, type Catcher } from '../../src/mail/catcher.ts';
import { CaughtMail, type CaughtMailDoc } from '../../src/mail/model.ts';

export const testMailFrom = 'Debrief <debrief@debrief.test>';

export interface TestMail {
  catcher: Catcher;
  mailer: Mailer;
  /** Every caught message, oldest first. */
  caught(): Promise<CaughtMailDoc[]>;
  close(): Promise<void>;
}

/** Needs a database (useTestDatabase): the catcher keeps what it catches there. */
export async function startTestMail(opts: { logger?: Logger } = {}): Promise<TestMail> {
  const logger = opts.logger ?? createLogger('silent');
  const catcher = await startCatcher({ port: 0, logger });
  const mailer = createMailer({ smtpUrl: catcher.url, from: testMailFrom, logger });
  return {
    catcher,
    mailer,
    caught: () => CaughtMail.find({}).sort({ receivedAt: 1, _id: 1 }).lean<CaughtMailDoc[]>(),
    close: async () => {
      await mailer.close();
      await catcher.stop();
    },
  };
}
