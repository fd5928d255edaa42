// Serves the real express app on a free loopback port, on the test file's database.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import mongoose from 'mongoose';
import { jobs } from '../../jobs/index.ts';
import { createApp } from '../../src/app.ts';
import { installConsequences } from '../../src/consequences.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Database } from '../../src/lib/db.ts';
import { createLogger, type Logger } from '../../src/lib/logger.ts';
import { createMailer, type Mailer } from '../../src/lib/mailer.ts';
import { createQueue, type JobContext, type Queue } from '../../src/lib/queue.ts';
import { jobServices } from '../../src/server.ts';

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', MONGODB_URI: 'mongodb://127.0.0.1:1/unused', ...env });
}

export interface TestApp {
  url: string;
  queue: Queue;
  config: Config;
  /** Starts the job worker in this process (the app's mailer, else one that reaches no one). */
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

/** The worker's services for a test: its mailer, else one whose server is never there (for jobs that send nothing). */
export function testWorkerServices(config: Config, mailer?: Mailer) {
  return jobServices(config, mailer ?? createMailer({ smtpUrl: 'smtp://127.0.0.1:9', from: config.mailFrom, logger: createLogger('silent') }));
}

/**
 * mailer: what the app and its jobs send with (one built on a catcher by test/helpers/mail.ts).
 * worker: also run the job worker in this process, so enqueued jobs run (and send their mail).
 */
export async function startTestApp(opts: { env?: Record<string, string>; logger?: Logger; mailer?: Mailer; worker?: boolean } = {}): Promise<TestApp> {
  const config = testConfig(opts.env);
  const logger = opts.logger ?? createLogger('silent');
  const database: Database = { kind: 'embedded', uri: '', description: 'the test engine', close: async () => {} };
  const queue = createQueue({
    db: mongoose.connection.db!,
    jobs,
    logger,
    pollMs: 100,
    inProcessNotifications: true,
  });
  const uninstall = installConsequences(queue, logger);
  const startWorker = () => queue.start(testWorkerServices(config, opts.mailer));
  if (opts.worker) await startWorker();
  const app = createApp({ config, logger, database, queue, mailer: opts.mailer });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    queue,
    config,
    startWorker,
    close: async () => {
      uninstall();
      await queue.stop(1000);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A job's context for a test that runs a job's handler itself, on this queue. */
export function testJobContext(queue: Queue, config = testConfig()): JobContext {
  return { logger: createLogger('silent'), services: { ...testWorkerServices(config), queue }, touch: async () => {}, runAgainAt: () => {} };
}

/** A queue on the test file's database that runs nothing (for enqueuing, and for job contexts). */
export function idleTestQueue(): Queue {
  return createQueue({ db: mongoose.connection.db!, jobs, logger: createLogger('silent'), pollMs: 60_000, inProcessNotifications: false });
}

/** Starts the app before the file's tests and closes it after them; read it through the returned object. */
export function useTestApp(opts: Parameters<typeof startTestApp>[0] = {}): TestApp {
  let current: TestApp | undefined;
  before(async () => {
    current = await startTestApp(opts);
  });
  after(async () => {
    await current?.close();
  });
  const get = (): TestApp => {
    if (!current) throw new Error('The test app is not started: use it inside a test or hook.');
    return current;
  };
  return {
    get url() {
      return get().url;
    },
    get queue() {
      return get().queue;
    },
    get config() {
      return get().config;
    },
    startWorker: () => get().startWorker(),
    close: () => get().close(),
  };
}
